"""Source adapters: each turns one kind of export into the canonical tables.

Every adapter module exposes ``read(paths, *, mapping=None) -> SourceBatch``. Adapters are
looked up by their ``--format`` name in :data:`FORMATS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path

from vcflows.errors import OptionError
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.sources._encoding import check_encoding

#: ``--format`` name → adapter module (imported on use, so one adapter's heavy
#: dependencies never slow another down).
FORMATS: dict[str, str] = {
    "crunchbase-bulk": "vcflows.sources.crunchbase_bulk",
    "crunchbase-open": "vcflows.sources.crunchbase_open",
    "generic": "vcflows.sources.generic",
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
    module = importlib.import_module(FORMATS[fmt])
    files = [Path(p) for p in paths]
    if encoding is None:
        batch: SourceBatch = module.read(files, mapping=mapping)
    elif fmt == "generic":
        batch = module.read(files, mapping=mapping, encoding=encoding)
    else:
        raise OptionError(f"--encoding applies to the generic format only, not {fmt}")
    return batch


__all__ = ["FORMATS", "FileAccount", "SourceBatch", "check_encoding", "read_source"]
