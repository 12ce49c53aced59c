"""`vcflows report` on a database file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vcflows.cli import app


def test_report_command_writes_and_prints_paths(small_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    res = CliRunner().invoke(
        app,
        [
            "report",
            "--db",
            str(small_db),
            "--focus",
            "KOR",
            "--sector",
            "all",
            "--from",
            "2020",
            "--to",
            "2021",
            "--out",
            str(out),
            "--data-note",
            "hand-made test universe",
        ],
    )
    assert res.exit_code == 0, res.output
    assert str(out) in res.output
    assert out.exists() and (tmp_path / "r" / "report_tables.xlsx").exists()
    html = out.read_text(encoding="utf-8")
    assert "hand-made test universe" in html and "2020–2021" in html


def test_report_command_rejects_bad_attribution(small_db: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "report",
            "--db",
            str(small_db),
            "--attribution",
            "half",
            "--out",
            str(tmp_path / "x.html"),
        ],
    )
    assert res.exit_code == 2
    assert "attribution" in res.output
    assert not (tmp_path / "x.html").exists()
