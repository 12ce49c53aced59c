"""A store another process holds: name the holder and say what to do.

DuckDB allows one writing process per database file, or any number of reading ones. When the
lock cannot be taken, DuckDB's message ("Could not set lock on file … Conflicting lock is held
in … (PID 1234)") is replaced by one line naming the process (and saying when it is
``vcflows serve``) and the ways out: stop it, work on a copy of the file, or serve a snapshot.
"""

from __future__ import annotations

import re
from pathlib import Path

_LOCK_MARK = "Could not set lock on file"
_PID = re.compile(r"\(PID (\d+)\)")
#: DuckDB's write-ahead log lives beside the database file under this suffix.
WAL_SUFFIX = ".wal"


def lock_holder(message: str) -> int | None:
    """The PID in DuckDB's lock error ``message``; None when it is not a lock error or has none."""
    if _LOCK_MARK not in message:
        return None
    found = _PID.search(message)
    return int(found.group(1)) if found else None


def is_lock_error(message: str) -> bool:
    """Whether DuckDB's error ``message`` says another process holds the file's lock."""
    return _LOCK_MARK in message


def _describe(pid: int | None) -> tuple[str, bool]:
    """A short name of process ``pid`` and whether it is ``vcflows serve``."""
    if pid is None:
        return "another process", False
    import psutil

    try:
        proc = psutil.Process(pid)
        cmdline = proc.cmdline()
        name = proc.name()
    except (psutil.Error, OSError):  # gone, or not ours to inspect: the PID is still useful
        return f"process {pid}", False
    words = [Path(w).name for w in cmdline]
    at = next((i for i, w in enumerate(words) if w in ("vcflows", "vcflows.cli")), None)
    if at is None:
        return f"{name} (PID {pid})", False
    sub = next((w for w in words[at + 1 :] if not w.startswith("-")), "")
    if sub == "serve":
        return f"`vcflows serve` (PID {pid})", True
    return f"`vcflows {sub}`".replace(" `", "`") + f" (PID {pid})", False


def busy_message(path: str | Path, duckdb_message: str) -> str:
    """One line: which process holds ``path`` and what to do about it.

    Parameters
    ----------
    path : str or Path
        The database file that could not be opened.
    duckdb_message : str
        DuckDB's lock error text (it carries the holder's PID).

    Returns
    -------
    str
        E.g. "deals.duckdb is in use by `vcflows serve` (PID 1234): stop it, or restart it
        with `vcflows serve --snapshot` to serve a copy, then retry".
    """
    who, is_serve = _describe(lock_holder(duckdb_message))
    if is_serve:
        advice = "stop it, or restart it with `vcflows serve --snapshot` (it then serves a copy)"
    else:
        advice = (
            "wait for it or stop it, or run on a copy of the file "
            "(or, to keep a dashboard open beside writes, `vcflows serve --snapshot`)"
        )
    return f"{path} is in use by {who}: {advice}, then retry"
