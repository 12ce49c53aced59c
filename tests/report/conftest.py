"""Fixtures of the report tests (the small universe is described in report_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_helpers import OPTS, make_small_db

from vcflows.report import _summary
from vcflows.store import connect


@pytest.fixture(scope="session", autouse=True)
def _coverage_guard_for_small_universes() -> Iterator[None]:
    """Count a company country with one round as covered in these tests.

    The hand-computed universes hold at most three rounds per country; the report's guard
    (30 rounds, :data:`vcflows.report._summary.MIN_ROUNDS`) would read each as a national
    list. Tests of the guard itself set the value they test.
    """
    mp = pytest.MonkeyPatch()
    mp.setattr(_summary, "MIN_ROUNDS", 1, raising=False)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the small universe's database."""
    return make_small_db(tmp_path_factory.mktemp("small") / "small.duckdb")


@pytest.fixture(scope="session")
def small_parts(small_db: Path) -> dict[str, Any]:
    """The report's computed content on the small universe (English)."""
    from vcflows.report import prepare

    con = connect(small_db, read_only=True)
    try:
        return prepare(con, focus="KOR", opts=OPTS, lang="en")
    finally:
        con.close()
