"""Fixtures of the report tests (the small universe is described in report_helpers.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from report_helpers import OPTS, make_small_db

from vcflows.store import connect


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
