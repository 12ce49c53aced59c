"""Interruptions (Ctrl+C, SIGTERM) and failed writes: unwind, then say in one line what was kept.

:func:`install` makes SIGINT and SIGTERM raise :class:`Interrupted` in the main thread, so
every ``finally`` and rollback runs (DuckDB turns a signal during a query into "Query
interrupted"; the signal is remembered here, so that still counts as an interruption). A
command wraps its work in :func:`guarded` with a function that looks at the database and the
outputs and says what is there now; the command then exits with 128 + the signal number
(130 for SIGINT, 143 for SIGTERM), as a shell does.
"""

from __future__ import annotations

import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from vcflows.errors import StoreError
from vcflows.files import explain_message

_received: list[int] = []
_DB_FILE = re.compile(r'(?:write|open) file "([^"]+)"')


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; raised by the handlers :func:`install` sets."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _handler(signum: int, frame: object) -> None:
    _received.append(signum)
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM unwind the command (main thread); ignore SIGXFSZ.

    A signal the process was started ignoring (a background job's SIGINT, ``nohup``) stays
    ignored, as Python itself does for SIGINT.

    With SIGXFSZ ignored, a write past the file-size limit (``ulimit -f``) fails with an
    error the command reports, instead of the process being killed half-way.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        if signal.getsignal(signum) is not signal.SIG_IGN:  # e.g. SIGINT of a `cmd &` job
            signal.signal(signum, _handler)
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def received() -> int | None:
    """The first signal that interrupted this process, or None."""
    return _received[0] if _received else None


def exit_code(signum: int) -> int:
    """The shell's exit code for a process ended by ``signum`` (130 for SIGINT, 143 for SIGTERM)."""
    return 128 + signum


def interruption_line(signum: int, kept: str) -> str:
    """The one line printed when a command is interrupted."""
    return f"interrupted by {signal.Signals(signum).name}: {kept}"


def store_write_error(exc: duckdb.Error, kept: str) -> StoreError | None:
    """A one-line error for DuckDB failing to write its file (full disk, size limit, ...).

    Parameters
    ----------
    exc : duckdb.Error
        DuckDB's error.
    kept : str
        What the database holds now (from the command's own check).

    Returns
    -------
    StoreError or None
        None when ``exc`` is not a failed write.
    """
    cause = explain_message(str(exc))
    if cause is None:
        return None
    reason, advice = cause
    found = _DB_FILE.search(str(exc))
    where = found.group(1) if found else "the database"
    verb = "open" if found and found.group(0).startswith("open") else "write"
    return StoreError(f"cannot {verb} {where}: {reason}; {kept}: {advice}, then retry")


@contextmanager
def guarded(kept: Callable[[], str]) -> Iterator[None]:
    """Run a command's work; on an interruption or a failed database write, say what was kept.

    Parameters
    ----------
    kept : callable
        Called after the work has unwound; returns what is there now, in words (e.g. "the
        database is as it was before this run"), from a look at the database and the files.

    Raises
    ------
    typer.Exit
        With code 130 (SIGINT) or 143 (SIGTERM) after an interruption.
    StoreError
        DuckDB could not write the database file.
    """
    import typer

    from vcflows.cli._common import console

    try:
        yield
    except typer.Exit:  # an inner guarded block has already spoken
        raise
    except BaseException as exc:
        signum = received()
        if signum is not None or isinstance(exc, KeyboardInterrupt):
            signum = signum if signum is not None else signal.SIGINT
            console.print(interruption_line(signum, kept()), highlight=False, soft_wrap=True)
            raise typer.Exit(code=exit_code(signum)) from None
        if isinstance(exc, duckdb.Error):
            error = store_write_error(exc, kept())
            if error is not None:
                raise error from None
        raise


def file_state(path: Path) -> tuple[int, int] | None:
    """The identity of the file at ``path`` (inode, modification time), None when absent."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns
