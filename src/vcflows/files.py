"""Output files written whole or not at all, and one clear line when they cannot be written.

Every file vcflows writes (reports, PDFs, exports, workbooks, the demo cache) goes to a
temporary file in the target's own folder and is renamed into place only once complete, so a
reader never sees half a file: a full disk, a file-size limit, a read-only folder or an
interruption leaves the target as it was (absent, or the previous version) and no temporary
file behind. :func:`staged_outputs` does this for several files that belong together (a
report's HTML, tables and workbook): all of them are renamed at the end, or none.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vcflows.errors import VcflowsError

#: What a failed write means and what to do, by errno.
_CAUSES: dict[int, tuple[str, str]] = {
    errno.EFBIG: (
        "the file-size limit was reached",
        "raise the limit (`ulimit -f`) or write a smaller output",
    ),
    errno.ENOSPC: ("the disk is full", "free some space or write to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or write to another disk"),
    errno.EACCES: ("permission denied", "choose a folder you can write to"),
    errno.EPERM: ("permission denied", "choose a folder you can write to"),
    errno.EROFS: ("the file system is read-only", "choose a folder on a writable disk"),
}


class OutputError(VcflowsError, OSError):
    """An output file cannot be written; the message names it and says what to do.

    It is an :class:`OSError` too, so callers that caught the write's own error still do.

    Attributes
    ----------
    path : str
        The file that was being written.
    reason : str
        What went wrong, in words (e.g. "the disk is full").
    """

    def __init__(self, path: str | Path, reason: str, advice: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(
            f"cannot write {path}: {reason}; nothing was written there (an earlier file is "
            f"left as it was): {advice}, then retry"
        )


def explain(exc: OSError) -> tuple[str, str]:
    """What an operating-system error on a write means, and what to do about it.

    Parameters
    ----------
    exc : OSError
        The error raised by a write, rename or folder creation.

    Returns
    -------
    tuple of (str, str)
        The cause in words and the advice, e.g. ``("the disk is full", "free some space or
        write to another disk")``.
    """
    if exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    found = explain_message(str(exc))  # pyarrow's errors carry the errno in their text only
    if found is not None:
        return found
    return (exc.strerror or str(exc) or type(exc).__name__), "check the folder and the disk"


def explain_message(message: str) -> tuple[str, str] | None:
    """Like :func:`explain`, for an engine's error text (DuckDB: "... File too large").

    Parameters
    ----------
    message : str
        The error message; it is recognized by the operating system's words for a failed
        write (``os.strerror``) in it.

    Returns
    -------
    tuple of (str, str) or None
        The cause and the advice, or None when the message is not about a failed write.
    """
    for code, cause in _CAUSES.items():
        if os.strerror(code) in message:
            return cause
    return None


class StagedOutputs:
    """Files written to temporary names beside their targets, renamed into place together.

    Use through :func:`staged_outputs`; :meth:`path` hands out the temporary file to write.
    """

    def __init__(self) -> None:
        self._staged: dict[Path, Path] = {}  # target -> temporary file
        self._created: list[Path] = []  # folders this set created (removed if left empty)
        self._last: Path | None = None

    def path(self, target: str | Path) -> Path:
        """A new temporary file in ``target``'s folder (created if needed) to write instead.

        Parameters
        ----------
        target : str or Path
            Where the file must end up.

        Returns
        -------
        Path
            The temporary file (empty), renamed onto ``target`` when the set is committed.
        """
        final = Path(target)
        self._last = final
        try:
            self._make_folder(final.parent)
            fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        except OSError as exc:  # name the file the user asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, str(final)) from exc
        os.close(fd)
        # mkstemp creates 0600; give the result the permissions a plain open() would (umask).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        self._staged[final] = Path(tmp)
        return Path(tmp)

    def _make_folder(self, folder: Path) -> None:
        missing = []
        for parent in (folder, *folder.parents):
            if parent.exists():
                break
            missing.append(parent)
        for parent in reversed(missing):
            parent.mkdir(exist_ok=True)
            self._created.append(parent)

    def commit(self) -> None:
        """Rename every temporary file onto its target (SIGINT and SIGTERM held meanwhile)."""
        with _signals_held():
            for final, tmp in self._staged.items():
                self._last = final
                os.replace(tmp, final)
            self._staged.clear()

    def discard(self) -> None:
        """Remove every temporary file, and the folders this set created if left empty."""
        for tmp in self._staged.values():
            tmp.unlink(missing_ok=True)
        self._staged.clear()
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):  # not empty: something else was written there
                folder.rmdir()

    def failed_target(self, exc: OSError) -> Path | None:
        """The target whose write raised ``exc``: named by the error, else the last one."""
        names = {str(p) for p in (exc.filename, exc.filename2) if p is not None}
        for final, tmp in self._staged.items():
            if str(tmp) in names or str(final) in names:
                return final
        for name in names:  # a folder that could not be created, or a file outside the set
            return Path(name)
        return self._last


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM for the block (delivered right after it), in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def staged_outputs() -> Iterator[StagedOutputs]:
    """A set of output files written whole and renamed into place together, or not at all.

    On success every file handed out by :meth:`StagedOutputs.path` is renamed onto its
    target. On any error or interruption every temporary file is removed, folders the set
    created are removed again if empty, and the targets are left as they were. An
    operating-system error (a full disk, a file-size limit, a read-only folder) becomes an
    :class:`OutputError` naming the file and what to do.

    Yields
    ------
    StagedOutputs
        Hands out the temporary files to write.

    Raises
    ------
    OutputError
        A file could not be written.
    """
    staged = StagedOutputs()
    try:
        yield staged
        staged.commit()
    except OSError as exc:
        staged.discard()
        target = staged.failed_target(exc)
        reason, advice = explain(exc)
        raise OutputError(target if target is not None else "an output", reason, advice) from exc
    except BaseException:
        staged.discard()
        raise


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success.

    A reader never sees a half-written file: on any error the temporary file is removed and
    ``path`` is left as it was; an operating-system error becomes an :class:`OutputError`.

    Parameters
    ----------
    path : str or Path
        The file to write.

    Yields
    ------
    Path
        The temporary file to write instead.
    """
    with staged_outputs() as staged:
        yield staged.path(path)
