"""Source adapters: each turns one kind of export into the canonical tables.

Every adapter module exposes ``read(paths, *, mapping=None) -> SourceBatch``; :data:`FORMATS`
names them by their ``--format`` name. The reader's header and encoding rules are public here,
for the vectorized ingest (:mod:`vcflows.store.bulk`) that reads the same files in DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from vcflows.errors import OptionError
from vcflows.sources import crunchbase_bulk, crunchbase_open, generic
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.sources._encoding import check_encoding
from vcflows.sources._files import (
    MAX_CELL_CHARS,
    sniff_delimiter,
    summarize_engine_error,
    unique_column_names,
    utf8_copy,
)

#: ``--format`` name → the adapter's ``read`` function.
FORMATS: dict[str, Callable[..., SourceBatch]] = {
    "crunchbase-bulk": crunchbase_bulk.read,
    "crunchbase-open": crunchbase_open.read,
    "generic": generic.read,
}


def read_source(
    paths: Sequence[str | Path],
    fmt: str,
    *,
    mapping: str | Path | None = None,
    encoding: str | None = None,
) -> SourceBatch:
    """Read an export with the adapter for ``fmt``.

    Parameters
    ----------
    paths : sequence of path
        Files, or folders holding an export's files.
    fmt : str
        Adapter name, one of :data:`FORMATS`.
    mapping : path, optional
        Column mapping (TOML) for the generic adapter, or the name of a shipped mapping.
    encoding : str, optional
        Text encoding of the generic adapter's CSV files (default: detected). The other
        formats are documented exports in UTF-8 and refuse it.

    Returns
    -------
    SourceBatch
        Canonical tables, quarantine and row accounting.
    """
    if fmt not in FORMATS:
        raise OptionError(f"--format: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    read = FORMATS[fmt]
    files = [Path(p) for p in paths]
    if encoding is None:
        batch: SourceBatch = read(files, mapping=mapping)
    elif fmt == "generic":
        batch = read(files, mapping=mapping, encoding=encoding)
    else:
        raise OptionError(f"--encoding applies to the generic format only, not {fmt}")
    return batch


__all__ = [
    "FORMATS",
    "MAX_CELL_CHARS",
    "FileAccount",
    "SourceBatch",
    "check_encoding",
    "generic",
    "read_source",
    "sniff_delimiter",
    "summarize_engine_error",
    "unique_column_names",
    "utf8_copy",
]
