"""Helpers of the fault tests: the CLI in a subprocess (plain, size-limited or paused), store
snapshots, read-only folders, generated deal files."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _strategies as fz
import duckdb
import pytest

from vcflows import schema as s

TABLES = (*s.CANONICAL_TABLES, s.QUARANTINE, s.INGEST_LOG)
_RUN_CLI = "import sys\nfrom vcflows.cli import main\nsys.argv[0] = 'vcflows'\nmain()\n"
#: A hook script: patches ``module.attr`` so that its ``after``-th call (once done) prints
#: PAUSED and sleeps, then runs the CLI as the console script does (signal handlers included).
_PAUSE = textwrap.dedent(
    """
    import importlib, sys, time
    from vcflows.cli import main

    module, attr, after = sys.argv[1], sys.argv[2], int(sys.argv[3])
    target = importlib.import_module(module)
    real, calls = getattr(target, attr), []

    def paused(*args, **kwargs):
        out = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == after:
            print("PAUSED", flush=True)
            time.sleep(600)
        return out

    setattr(target, attr, paused)
    sys.argv = ["vcflows", *sys.argv[4:]]
    main()
    """
)


@dataclass
class Run:
    """A finished CLI subprocess."""

    code: int
    stdout: str
    stderr: str


def run_cli(args: list[str], *, fsize: int | None = None, cwd: Path | None = None) -> Run:
    """Run ``vcflows args`` in a subprocess, under a file-size limit of ``fsize`` bytes."""

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    proc = subprocess.run(
        [sys.executable, "-c", _RUN_CLI, *args],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "400"},
        timeout=600,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def interrupted_cli(
    args: list[str], pause_at: tuple[str, str, int], signum: int, tmp_path: Path
) -> Run:
    """Run ``vcflows args``, pausing after call ``n`` of ``module.attr``; send ``signum`` there.

    The signal is sent once the process says it is paused (no timing involved).
    """
    script = tmp_path / "paused_cli.py"
    script.write_text(_PAUSE, encoding="utf-8")
    module, attr, n = pause_at
    proc = subprocess.Popen(
        [sys.executable, str(script), module, attr, str(n), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the hook pauses (or the process ends)
        if line.strip() != "PAUSED":
            out, err = proc.communicate(timeout=60)
            pytest.fail(f"never paused at {module}.{attr}: {line}{out}{err}")
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return Run(proc.returncode, out, err)


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every vcflows table of the database ``path``."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}
    finally:
        con.close()


def listing(folder: Path) -> list[str]:
    """Every file and folder under ``folder``, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def deals_csv(path: Path, n: int, prefix: str) -> Path:
    """A generated deals file of ``n`` rounds (one bad date in ten, to be quarantined)."""
    rows = [
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
        for i in range(n)
    ]
    layout = fz.Layout(",", "utf-8", "\n", quote_all=False)
    path.write_bytes(fz.render(fz.CONSISTENT_HEADER, rows, layout))
    return path


def mapping(folder: Path, source: str = "f") -> Path:
    """The round-shaped generic mapping of :func:`deals_csv` files, under source ``source``."""
    path = folder / f"mapping-{source}.toml"
    path.write_text(fz.ROUND_MAPPING.replace('source = "f"', f'source = "{source}"'), "utf-8")
    return path


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` unwritable: chmod for a user; the immutable flag for root (or skip)."""
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    immutable = False
    try:
        if os.geteuid() == 0:  # root writes through permissions; an immutable folder stops it
            chattr = shutil.which("chattr")
            if chattr is None or subprocess.run([chattr, "+i", str(folder)]).returncode:
                pytest.skip("running as root without chattr +i: cannot make a folder read-only")
            immutable = True
        yield
    finally:
        if immutable:
            subprocess.run([str(shutil.which("chattr")), "-i", str(folder)], check=True)
        folder.chmod(mode)


def one_line_error(run: Run) -> str:
    """The run's only stderr line starting with "error:" (and no traceback)."""
    assert "Traceback" not in run.stderr, run.stderr
    lines = [ln for ln in run.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, run.stderr
    return lines[0]


def sigterm_or_sigint() -> list[Any]:
    """Both signals, for ``pytest.mark.parametrize``."""
    return [pytest.param(signal.SIGINT, id="SIGINT"), pytest.param(signal.SIGTERM, id="SIGTERM")]
