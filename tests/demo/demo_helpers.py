"""Helpers of the demo tests (imported by conftest and the test modules)."""

from __future__ import annotations

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.demo import generate
from vcflows.store import connect

#: The AI tags, written out here rather than imported, so the checks do not reuse the
#: generator's own definitions.
AI_TAGS = {
    "artificial intelligence",
    "machine learning",
    "computer vision",
    "natural language processing",
    "generative ai",
}


def build(rounds: int, seed: int = 42, **kwargs: int) -> duckdb.DuckDBPyConnection:
    """Generate a demo universe into a fresh in-memory database."""
    con = connect(":memory:")
    generate(con, rounds=rounds, seed=seed, **kwargs)
    return con


def tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every canonical table, sorted by primary key."""
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY {', '.join(s.PRIMARY_KEYS[t])}").fetchdf()
        for t in s.CANONICAL_TABLES
    }
