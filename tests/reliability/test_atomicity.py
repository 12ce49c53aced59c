"""Ingest is one transaction; exports are written to a temporary file and renamed.

- A failure injected in the middle of ``ingest_batch`` (after some tables were written)
  leaves every table as it was.
- ``vcflows ingest`` killed with SIGKILL in the middle of its transaction (a subprocess paused
  by a hook right after the first tables were written, so the kill lands mid-transaction
  deterministically, not by timing) leaves a database that opens and holds exactly what it
  held before.
- :func:`vcflows.exports.atomic_path` / :func:`~vcflows.exports.write_table`: a failure while
  writing leaves the old file intact and no temporary file behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import _strategies as fz
import duckdb
import pandas as pd
import pytest

from vcflows import schema as s
from vcflows.exports import atomic_path, write_table
from vcflows.sources import read_source
from vcflows.store import connect, db, ingest_batch

_TABLES = (*s.CANONICAL_TABLES, s.QUARANTINE, s.INGEST_LOG)


def _deals_csv(path: Path, n: int, prefix: str) -> Path:
    """A generated deals file of ``n`` rounds (one bad row in ten, to be quarantined)."""
    rows = []
    for i in range(n):
        rows.append(
            [
                f"{prefix}{i}",
                f"Company {prefix}{i % 97}",
                ("Germany", "France", "UK", "USA")[i % 4],
                "2020-02-30" if i % 10 == 9 else f"20{10 + i % 12}-0{1 + i % 9}-1{i % 10}",
                str(1_000_000 + 1000 * i),
                "USD",
                "Series A",
                f"Fund {i % 13}, Fund {(i + 5) % 13}",
                "USA, GBR",
                f"Fund {i % 13}",
            ]
        )
    layout = fz.Layout(",", "utf-8", "\n", quote_all=False)
    path.write_bytes(fz.render(fz.CONSISTENT_HEADER, rows, layout))
    return path


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(fz.ROUND_MAPPING, encoding="utf-8")
    return path


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in _TABLES}


def _baseline(tmp_path: Path, target: str | Path) -> duckdb.DuckDBPyConnection:
    con = connect(target)
    first = _deals_csv(tmp_path / "first.csv", 40, "a")
    ingest_batch(con, read_source([first], "generic", mapping=_mapping(tmp_path)), files=[first])
    return con


class _Boom(Exception):
    pass


@pytest.mark.parametrize("error", [_Boom, KeyboardInterrupt])
def test_failure_inside_ingest_leaves_database_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    con = _baseline(tmp_path, ":memory:")
    before = _snapshot(con)
    assert before[s.ROUNDS] and before[s.QUARANTINE]
    batch = read_source([_deals_csv(tmp_path / "second.csv", 200, "b")], "generic",
                        mapping=_mapping(tmp_path))  # fmt: skip
    real_merge = db._merge
    written: list[str] = []

    def failing_merge(c: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
        if table == s.PARTICIPATIONS:  # companies and rounds are already written
            raise error("injected failure")
        written.append(table)
        return real_merge(c, table, df)

    monkeypatch.setattr(db, "_merge", failing_merge)
    with pytest.raises(error):
        ingest_batch(con, batch)
    assert written == [s.COMPANIES, s.ROUNDS]  # the failure really came mid-way
    assert _snapshot(con) == before
    # The connection is still usable, and the same batch then loads normally.
    monkeypatch.setattr(db, "_merge", real_merge)
    result = ingest_batch(con, batch)
    assert result.new_records[s.ROUNDS] == 180  # every tenth row is quarantined


_HOOK = textwrap.dedent(
    """
    import sys, time
    from vcflows.cli import app
    from vcflows.store import db

    real_merge, merged = db._merge, []

    def paused_merge(con, table, df):
        n = real_merge(con, table, df)
        merged.append(table)
        if len(merged) == 2:  # companies and rounds written, transaction still open
            print("MID-INGEST", flush=True)
            time.sleep(600)
        return n

    db._merge = paused_merge
    app(sys.argv[1:], prog_name="vcflows")
    """
)


def test_killed_ingest_leaves_database_as_before(tmp_path: Path) -> None:
    target = tmp_path / "deals.duckdb"
    con = _baseline(tmp_path, target)
    before = _snapshot(con)
    con.close()
    big = _deals_csv(tmp_path / "big.csv", 5000, "k")
    script = tmp_path / "hooked_cli.py"
    script.write_text(_HOOK, encoding="utf-8")
    args = ["ingest", str(big), "--format", "generic", "--mapping", str(_mapping(tmp_path)),
            "--db", str(target)]  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the hook pauses (or the process dies)
        assert line.strip() == "MID-INGEST", line
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after = connect(target)
    try:
        assert _snapshot(after) == before
        # The database is healthy: the same file now loads normally.
        result = ingest_batch(after, read_source([big], "generic", mapping=_mapping(tmp_path)))
        assert result.new_records[s.ROUNDS] == 5000 - 500
    finally:
        after.close()


# --- atomic writes -----------------------------------------------------------------------------
def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_atomic_path_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "out" / "table.csv"  # the folder is created
    with atomic_path(target) as tmp:
        assert tmp != target and tmp.parent == target.parent
        tmp.write_text("new", encoding="utf-8")
        assert not target.exists()  # nothing visible until the block succeeds
    assert target.read_text(encoding="utf-8") == "new"
    assert _listing(target.parent) == ["table.csv"]


@pytest.mark.parametrize("error", [OSError, KeyboardInterrupt])
def test_atomic_path_failure_keeps_old_file_and_no_temp(
    tmp_path: Path, error: type[BaseException]
) -> None:
    target = tmp_path / "report.html"
    target.write_text("old report", encoding="utf-8")
    with pytest.raises(error), atomic_path(target) as tmp:
        tmp.write_text("half a rep", encoding="utf-8")
        raise error("disk full")
    assert target.read_text(encoding="utf-8") == "old report"
    assert _listing(tmp_path) == ["report.html"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "parquet"])
def test_write_table_failure_mid_write_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    target = tmp_path / f"flows.{fmt}"
    target.write_bytes(b"previous export")
    writer = {
        "csv": "to_csv",
        "xlsx": "to_excel",
        "parquet": "to_parquet",
    }.get(fmt)

    def half_write(self: pd.DataFrame, path: Any, *a: Any, **k: Any) -> None:
        if hasattr(path, "write"):  # the xlsx writer builds the workbook in memory first
            path.write(b"partial")
        else:
            Path(path).write_bytes(b"partial")
        raise OSError("no space left on device")

    if writer is None:  # json goes through Path.write_text
        monkeypatch.setattr(Path, "write_text", lambda self, *a, **k: half_write(None, self))  # type: ignore[arg-type]
    else:
        monkeypatch.setattr(pd.DataFrame, writer, half_write)
    with pytest.raises(OSError, match="no space"):
        write_table(pd.DataFrame({"a": [1, -2]}), target, fmt)
    assert target.read_bytes() == b"previous export"
    assert _listing(tmp_path) == [target.name]


def test_write_table_success_leaves_only_the_target(tmp_path: Path) -> None:
    target = tmp_path / "flows.csv"
    target.write_text("old", encoding="utf-8")
    write_table(pd.DataFrame({"a": [1, -2]}), target, "csv")
    assert target.read_text(encoding="utf-8") == "a\n1\n-2\n"
    assert _listing(tmp_path) == ["flows.csv"]
