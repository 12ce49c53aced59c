"""Interruptions (issue 24, item 5): SIGINT and SIGTERM during ingest, link, report and demo.

The CLI runs in a subprocess whose hook pauses it at a named step (after a given call of a
given function) and says so; the signal is sent then, so where it lands is fixed, not timed.
Afterwards the database is unchanged or fully committed, there is no partial output and no
temporary file, the exit code is 130 (SIGINT) or 143 (SIGTERM), and one line says what was
kept.
"""

from __future__ import annotations

import signal
from pathlib import Path

import duckdb
import pytest
from _faults import (
    Run,
    deals_csv,
    interrupted_cli,
    listing,
    mapping,
    run_cli,
    sigterm_or_sigint,
    snapshot,
)

from vcflows import schema as s
from vcflows.flows import base_relation


def _said(run: Run, signum: int) -> str:
    """The one line saying what was kept; the exit code a shell gives for ``signum``."""
    assert run.code == 128 + signum, (run.code, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    name = signal.Signals(signum).name
    lines = [ln for ln in run.stderr.splitlines() if ln.startswith("interrupted")]
    assert lines and lines[0].startswith(f"interrupted by {name}: "), run.stderr
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "deals.duckdb"
    first = deals_csv(tmp_path / "first.csv", 40, "a")
    run = run_cli(["ingest", str(first), "--mapping", str(mapping(tmp_path)), "--db", str(db)])
    assert run.code == 0, run.stderr
    return db


def _ingest_args(db: Path, folder: Path) -> list[str]:
    big = deals_csv(folder / "big.csv", 3000, "k")
    return ["ingest", str(big), "--mapping", str(mapping(folder)), "--db", str(db)]


@pytest.mark.parametrize("signum", sigterm_or_sigint())
def test_ingest_interrupted_mid_transaction_leaves_the_database(
    store: Path, tmp_path: Path, signum: int
) -> None:
    before_bytes, before = store.read_bytes(), snapshot(store)
    files = listing(tmp_path)
    # Paused after companies and rounds were merged, inside the ingest's transaction.
    run = interrupted_cli(
        _ingest_args(store, tmp_path), ("vcflows.store.db", "_merge", 2), signum, tmp_path
    )
    line = _said(run, signum)
    assert f"{store} is as it was before this run" in line
    assert snapshot(store) == before
    assert store.read_bytes() == before_bytes
    assert listing(tmp_path) == sorted({*files, "big.csv", "paused_cli.py"})


def test_ingest_interrupted_into_a_new_database_leaves_none(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    run = interrupted_cli(
        _ingest_args(db, tmp_path), ("vcflows.store.db", "_merge", 2), signal.SIGINT, tmp_path
    )
    assert f"no database was created at {db}" in _said(run, signal.SIGINT)
    assert not db.exists()
    assert not db.with_name("new.duckdb.wal").exists()


def test_ingest_interrupted_after_its_commit_says_so(store: Path, tmp_path: Path) -> None:
    before = snapshot(store)[s.INGEST_LOG]
    # Paused once the ingest committed, before the flow base is rebuilt.
    run = interrupted_cli(
        _ingest_args(store, tmp_path),
        ("vcflows.cli._ingest", "ingest_generic", 1),
        signal.SIGTERM,
        tmp_path,
    )
    line = _said(run, signal.SIGTERM)
    after = snapshot(store)
    assert len(after[s.INGEST_LOG]) == len(before) + 1  # the whole ingest is there
    assert len(after[s.ROUNDS]) == 36 + 2700  # every rounds row of both files but bad dates
    assert "was committed" in line and "vcflows reindex" in line
    con = duckdb.connect(str(store), read_only=True)
    try:
        assert base_relation(con) is None  # the analyses know the flow base is stale
    finally:
        con.close()


def _two_sources(tmp_path: Path) -> Path:
    """A store holding the same 60 deals from two sources (f and g): linkable twins."""
    db = tmp_path / "two.duckdb"
    deals = deals_csv(tmp_path / "deals.csv", 60, "t")
    for source in ("f", "g"):
        args = ["ingest", str(deals), "--mapping", str(mapping(tmp_path, source)), "--db", str(db)]
        run = run_cli(args)
        assert run.code == 0, run.stderr
    return db


@pytest.mark.parametrize("signum", sigterm_or_sigint())
def test_link_interrupted_leaves_the_database(tmp_path: Path, signum: int) -> None:
    db = _two_sources(tmp_path)
    before_bytes, before = db.read_bytes(), snapshot(db)
    run = interrupted_cli(
        ["link", "--db", str(db)], ("vcflows.store.link", "_merge", 1), signum, tmp_path
    )
    assert f"{db} is as it was before this run" in _said(run, signum)
    assert snapshot(db) == before
    assert db.read_bytes() == before_bytes
    # Not interrupted, the same link merges the twins: the interruption really came mid-way.
    done = run_cli(["link", "--db", str(db)])
    assert done.code == 0, done.stderr
    assert len(snapshot(db)[s.ROUNDS]) < len(before[s.ROUNDS])


@pytest.mark.parametrize("signum", sigterm_or_sigint())
def test_report_interrupted_writes_no_file(store: Path, tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out"
    # Paused once the HTML and every table were written (to temporary files).
    run = interrupted_cli(
        ["report", "--db", str(store), "--focus", "DEU", "--out", str(out / "report.html")],
        ("vcflows.report", "export_tables", 1),
        signum,
        tmp_path,
    )
    assert "no file of the report was written" in _said(run, signum)
    assert not out.exists()  # no HTML, no tables, no workbook, no temporary file, no folder


def test_report_interrupted_keeps_the_earlier_report(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["report", "--db", str(store), "--focus", "DEU", "--out", str(out / "report.html")]
    assert run_cli(args).code == 0
    before = {p: (out / p).read_bytes() for p in listing(out) if (out / p).is_file()}
    run = interrupted_cli(
        [*args, "--lang", "ko"], ("vcflows.report", "export_tables", 1), signal.SIGINT, tmp_path
    )
    assert "the earlier report there is left as it was" in _said(run, signal.SIGINT)
    after = {p: (out / p).read_bytes() for p in listing(out) if (out / p).is_file()}
    assert after == before


@pytest.mark.parametrize("signum", sigterm_or_sigint())
def test_demo_interrupted_writes_no_database(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "demo" / "demo.duckdb"
    db.parent.mkdir()
    # Paused once every round was generated, before the file is indexed and renamed.
    run = interrupted_cli(
        ["demo", "--rounds", "2000", "--db", str(db)],
        ("vcflows.demo.cache", "generate", 1),
        signum,
        tmp_path,
    )
    assert "no demo database was written" in _said(run, signum)
    assert listing(db.parent) == []
