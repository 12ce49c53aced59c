"""A private read-only copy of a store, so that a dashboard can serve it while ingests write."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from vcflows.store.busy import WAL_SUFFIX
from vcflows.store.db import connect


@contextmanager
def snapshot(path: str | Path) -> Iterator[Path]:
    """A private read-only copy of the database ``path``, removed when the block ends.

    The source is opened read-only while it is copied (with its write-ahead log), so no
    writer can change it half-way; afterwards the source is free for writers again.

    Parameters
    ----------
    path : str or Path
        A vcflows database file.

    Yields
    ------
    Path
        The copy, in a temporary folder only this user can read.

    Raises
    ------
    StoreError
        The database is missing, not a vcflows database, or held by a writer.
    """
    src = Path(path)
    folder = Path(tempfile.mkdtemp(prefix="vcflows-snapshot-"))
    try:
        copy = folder / src.name
        con = connect(src, read_only=True)  # validates it, and keeps writers out while copying
        try:
            shutil.copyfile(src, copy)
            wal = src.with_name(src.name + WAL_SUFFIX)
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + WAL_SUFFIX))
        finally:
            con.close()
        copy.chmod(0o400)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)
