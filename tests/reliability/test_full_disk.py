"""Full disks and read-only folders (issue 24, item 4).

The CLI runs in a subprocess under a file-size limit (``RLIMIT_FSIZE``: a write past it fails
as on a full disk) or with its output folder made read-only. Every failure must be one line
naming the file and what to do, a non-zero exit code, no traceback, no partial or temporary
file left behind, and, for an ingest, the database exactly as it was (its bytes and rows).
"""

from __future__ import annotations

import errno
from pathlib import Path

import pandas as pd
import pytest
from _faults import (
    deals_csv,
    listing,
    mapping,
    one_line_error,
    read_only,
    run_cli,
    snapshot,
)

from vcflows.files import OutputError, atomic_path, staged_outputs


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small vcflows database of generated deals (40 rounds, German/French/UK/US)."""
    folder = tmp_path_factory.mktemp("store")
    first = deals_csv(folder / "first.csv", 40, "a")
    db = folder / "deals.duckdb"
    run = run_cli(["ingest", str(first), "--mapping", str(mapping(folder)), "--db", str(db)])
    assert run.code == 0, run.stderr
    return db


def _report_args(db: Path, out: Path) -> list[str]:
    return ["report", "--db", str(db), "--focus", "DEU", "--out", str(out)]


def test_report_over_the_file_size_limit_fails_cleanly(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run = run_cli(_report_args(store, out / "report.html"), fsize=20_000)
    assert run.code == 2
    line = one_line_error(run)
    assert str(out / "report") in line and "file-size limit" in line and "ulimit" in line
    assert listing(out) == []  # no report, no tables folder, no temporary file


def test_report_over_the_limit_keeps_the_earlier_report(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli(_report_args(store, out / "report.html"))
    assert first.code == 0, first.stderr
    before = {p: (out / p).read_bytes() for p in listing(out) if (out / p).is_file()}
    run = run_cli([*_report_args(store, out / "report.html"), "--lang", "ko"], fsize=20_000)
    assert run.code == 2
    one_line_error(run)
    after = {p: (out / p).read_bytes() for p in listing(out) if (out / p).is_file()}
    assert after == before  # every file of the earlier report, byte for byte, and no other


def test_report_into_a_read_only_folder_fails_cleanly(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    with read_only(out):
        run = run_cli(_report_args(store, out / "sub" / "report.html"))
    assert run.code == 2
    line = one_line_error(run)
    assert str(out / "sub" / "report.html") in line and "permission denied" in line
    assert "choose a folder" in line
    assert listing(out) == []


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "parquet"])
def test_export_over_the_file_size_limit_fails_cleanly(
    store: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"flows.{fmt}"
    run = run_cli(
        ["flows", "--db", str(store), "--sector", "all", "--format", fmt, "--out", str(out)],
        fsize=60,
    )
    assert run.code == 2
    line = one_line_error(run)
    assert str(out) in line and "file-size limit" in line
    assert listing(tmp_path) == []


def test_export_into_a_read_only_folder_fails_cleanly(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    with read_only(out):
        run = run_cli(["flows", "--db", str(store), "--format", "csv", "--out", str(out / "f.csv")])
    assert run.code == 2
    assert str(out / "f.csv") in one_line_error(run)
    assert listing(out) == []


def test_ingest_over_the_file_size_limit_leaves_the_database_as_it_was(
    store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "deals.duckdb"
    db.write_bytes(store.read_bytes())
    before_bytes, before_rows = db.read_bytes(), snapshot(db)
    big = deals_csv(tmp_path / "big.csv", 20_000, "k")
    run = run_cli(
        ["ingest", str(big), "--mapping", str(mapping(tmp_path)), "--db", str(db)],
        fsize=len(before_bytes) + 100_000,  # the database may grow a little, not by 20,000 rounds
    )
    assert run.code == 2
    line = one_line_error(run)
    assert "file-size limit" in line and f"{db} is as it was before this run" in line
    assert db.read_bytes() == before_bytes
    assert snapshot(db) == before_rows
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["deals.duckdb", "big.csv", "mapping-f.toml"]
    )


def test_staged_outputs_discards_every_file_and_created_folder(tmp_path: Path) -> None:
    earlier = tmp_path / "report.html"
    earlier.write_text("earlier", encoding="utf-8")
    with (
        pytest.raises(OutputError, match=r"tables\.xlsx: the disk is full"),
        staged_outputs() as st,
    ):
        st.path(earlier).write_text("new", encoding="utf-8")
        st.path(tmp_path / "new" / "deep" / "a.csv").write_text("a", encoding="utf-8")
        st.path(tmp_path / "tables.xlsx")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert listing(tmp_path) == ["report.html"]
    assert earlier.read_text(encoding="utf-8") == "earlier"


def test_staged_outputs_commits_all_together(tmp_path: Path) -> None:
    with staged_outputs() as st:
        st.path(tmp_path / "a.html").write_text("a", encoding="utf-8")
        st.path(tmp_path / "t" / "b.csv").write_text("b", encoding="utf-8")
        assert listing(tmp_path) != ["a.html", "t", "t/b.csv"]  # nothing in place before the end
    assert listing(tmp_path) == ["a.html", "t", "t/b.csv"]


def test_atomic_path_error_is_still_an_oserror(tmp_path: Path) -> None:
    """Callers that caught OSError from a write keep working (OutputError is one)."""
    with pytest.raises(OSError), atomic_path(tmp_path / "x.csv") as tmp:
        pd.DataFrame({"a": [1]}).to_csv(tmp)
        raise OSError(errno.EFBIG, "File too large")
