"""`vcflows serve`: options reach the server; a bad database is a clean error, not a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from vcflows.cli import app as cli_app


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Record Dash.run calls instead of serving forever."""
    calls: list[dict[str, Any]] = []

    def fake_run(self: Any, **kwargs: Any) -> None:
        calls.append({"app": self, **kwargs})

    monkeypatch.setattr("dash.Dash.run", fake_run)
    # No warm-up thread: it would outlive the test, still querying at interpreter exit.
    monkeypatch.setattr("vcflows.dashboard.app._warm", lambda ex: None)
    return calls


def test_serve_binds_loopback_by_default(runs: list[dict[str, Any]], demo_db: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(demo_db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    (call,) = runs
    assert call["host"] == "127.0.0.1" and call["port"] == 8123 and call["debug"] is False
    ex = call["app"].server.extensions["vcflows"]
    assert ex.db_path == demo_db and ex.is_demo is False


def test_serve_warns_when_exposed(runs: list[dict[str, Any]], demo_db: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(demo_db), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "reachable from other machines" in result.stderr
    assert runs[0]["host"] == "0.0.0.0"


def test_serve_missing_database_is_a_clean_error(
    runs: list[dict[str, Any]], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "nope.duckdb")])
    assert result.exit_code == 2
    assert "no such database" in " ".join(result.stderr.split())  # rich wraps lines
    assert "Traceback" not in result.output
    assert runs == []


def test_serve_rejects_a_bad_port(runs: list[dict[str, Any]], demo_db: Path) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(demo_db), "--port", "70000"])
    assert result.exit_code == 2
    assert runs == []


def test_serve_snapshot_serves_a_copy_and_leaves_the_original_writable(
    runs: list[dict[str, Any]], demo_db: Path, tmp_path: Path
) -> None:
    import shutil

    from vcflows.store import connect

    original = tmp_path / "deals.duckdb"
    shutil.copyfile(demo_db, original)
    served: list[Path] = []

    def fake_run(self: Any, **kwargs: Any) -> None:
        ex = self.server.extensions["vcflows"]
        served.append(ex.db_path)
        connect(original).close()  # a writer gets the original while the dashboard runs

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("dash.Dash.run", fake_run)
        result = CliRunner().invoke(cli_app, ["serve", "--db", str(original), "--snapshot"])
    assert result.exit_code == 0, result.output
    (copy,) = served
    assert copy != original and copy.name == original.name
    assert not copy.exists()  # removed at exit
