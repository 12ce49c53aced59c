"""`vcflows demo` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vcflows.cli import app
from vcflows.store import connect

runner = CliRunner()


def test_demo_writes_a_labelled_database(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    result = runner.invoke(app, ["demo", "--rounds", "1_500", "--seed", "1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.output
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM rounds").fetchall() == [(1_500,)]
    finally:
        con.close()
    again = runner.invoke(app, ["demo", "--rounds", "1500", "--db", str(db)])
    assert again.exit_code == 2 and "--force" in again.output
    forced = runner.invoke(app, ["demo", "--rounds", "1000", "--db", str(db), "--force"])
    assert forced.exit_code == 0, forced.output


def test_demo_without_db_uses_the_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VCFLOWS_CACHE_DIR", str(tmp_path))
    result = runner.invoke(app, ["demo", "--rounds", "1000"])
    assert result.exit_code == 0, result.output
    assert "SYNTHETIC" in result.output
    assert len(list(tmp_path.glob("demo-*-r1000-s42.duckdb"))) == 1


def test_demo_rejects_a_too_small_size(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--rounds", "5", "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == 2
    assert "rounds must be" in result.output


def test_demo_help_has_an_example() -> None:
    result = runner.invoke(app, ["demo", "--help"])
    assert result.exit_code == 0 and "Example" in result.output
