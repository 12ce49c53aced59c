"""Fixtures of the dashboard tests: a small demo database and the app built on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vcflows.demo import generate
from vcflows.store import connect

#: Rounds of the test universe: enough for every view to have something to show.
ROUNDS = 3000


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3000-round synthetic demo database (built once per session)."""
    path = tmp_path_factory.mktemp("dash") / "demo.duckdb"
    con = connect(path)
    try:
        generate(con, rounds=ROUNDS, seed=7)
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def dash_app(demo_db: Path) -> Iterator[Any]:
    """The dashboard on the demo database."""
    from vcflows.dashboard import create_app, explorer_of

    app = create_app(demo_db, is_demo=True)
    yield app
    explorer_of(app).close()
