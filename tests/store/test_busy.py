"""A store held by another process: one line naming the holder and the way out; snapshots."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.store import busy, connect
from vcflows.store.snapshot import snapshot

_HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
    "print('held', flush=True); time.sleep(30)"
)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "deals.duckdb"
    connect(path).close()
    return path


@pytest.fixture
def holder(store: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding a write connection to ``store``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(store)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        yield proc
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("command", ["info", "link"])
def test_a_held_store_is_one_line_naming_the_process_and_the_way_out(
    holder: subprocess.Popen[str], store: Path, command: str
) -> None:
    result = CliRunner().invoke(app, [command, "--db", str(store)], terminal_width=60)
    assert result.exit_code == 2, result.output
    (line,) = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert f"PID {holder.pid}" in line
    assert "is in use by" in line and "stop it" in line and "copy" in line
    assert "--snapshot" in line
    assert "Could not set lock" not in result.output and "Traceback" not in result.output


def test_a_holder_that_is_vcflows_serve_is_named(tmp_path: Path) -> None:
    # A process whose command line is `... -m vcflows.cli serve --db x` (it only sleeps).
    script = tmp_path / "vcflows.cli"
    script.write_text("import time; print('up', flush=True); time.sleep(30)\n")
    proc = subprocess.Popen(
        [sys.executable, str(script), "serve", "--db", "x"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "up"
        lock = f'IO Error: Could not set lock on file "x": held in python (PID {proc.pid}).'
        msg = busy.busy_message("x", lock)
    finally:
        proc.kill()
        proc.wait()
    assert f"`vcflows serve` (PID {proc.pid})" in msg and "--snapshot" in msg


def test_a_holder_that_is_gone_is_still_named_by_pid() -> None:
    msg = busy.busy_message("x", "Could not set lock on file x: held in y (PID 999999999)")
    assert "process 999999999" in msg


def test_a_snapshot_is_served_while_the_original_stays_writable(store: Path) -> None:
    with snapshot(store) as copy:
        assert copy != store and copy.exists()
        reader = connect(copy, read_only=True)
        try:
            writer = connect(store)  # the original takes a writer beside the open snapshot
            try:
                writer.execute(
                    f"INSERT INTO {s.COMPANIES} ({s.COMPANY_ID}, {s.NAME}) VALUES ('c1', 'A')"
                )
            finally:
                writer.close()
            count = reader.execute(f"SELECT count(*) FROM {s.COMPANIES}").fetchall()[0][0]
            assert count == 0  # the snapshot is the state at its start
        finally:
            reader.close()
    assert not copy.exists() and not copy.parent.exists()


def test_a_snapshot_of_a_held_store_says_who_holds_it(
    holder: subprocess.Popen[str], store: Path
) -> None:
    from vcflows.errors import StoreError

    with pytest.raises(StoreError, match=f"PID {holder.pid}"), snapshot(store):
        pass
