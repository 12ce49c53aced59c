"""Demo databases shared by the demo tests: one at the default size, small ones on demand."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest
from demo_helpers import build, tables

from vcflows.demo import DEFAULT_ROUNDS


@pytest.fixture(scope="session")
def default_demo() -> Iterator[duckdb.DuckDBPyConnection]:
    """The demo at its default size (the one test-suite build at this size)."""
    con = build(DEFAULT_ROUNDS)
    yield con
    con.close()


@pytest.fixture(scope="session")
def default_tables(default_demo: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The default demo's tables as DataFrames."""
    return tables(default_demo)


@pytest.fixture(scope="session")
def small_demo() -> Iterator[duckdb.DuckDBPyConnection]:
    """A small demo (3,000 rounds, several chunks) for row-level checks."""
    con = build(3_000, seed=5, chunk_rounds=1_000)
    yield con
    con.close()
