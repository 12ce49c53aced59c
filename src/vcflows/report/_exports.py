"""Export every table behind the report: one CSV each and one Excel workbook.

Written through :mod:`vcflows.exports` (atomic, formula-safe), so an analyst can re-plot any
chart from files that are either complete or absent.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from vcflows.exports import json_value, neutralize_formulas, reproducible_zip, write_staged
from vcflows.files import StagedOutputs, staged_outputs


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Nested cells (lists of partners) as JSON text, so CSV and Excel can hold them."""
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list | dict)).any():
            out[col] = out[col].map(lambda v: json.dumps(json_value(v), ensure_ascii=False))
    return out


def _sheet_name(name: str, used: set[str]) -> str:
    base = name[:31]
    candidate, i = base, 2
    while candidate in used:
        suffix = f"_{i}"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate)
    return candidate


def export_tables(
    tables: dict[str, pd.DataFrame],
    folder: Path,
    workbook: Path,
    staged: StagedOutputs | None = None,
) -> list[Path]:
    """Write each table as ``folder/<name>.csv`` and all of them to ``workbook``, staged.

    Parameters
    ----------
    tables : dict
        Table name -> DataFrame.
    folder : Path
        Folder of the CSV files (created if needed).
    workbook : Path
        The Excel workbook (one sheet per table, named after it).
    staged : StagedOutputs, optional
        The report's set of files: these are renamed into place with the others, or not at
        all (see :func:`vcflows.files.staged_outputs`). Default: a set of their own.

    Returns
    -------
    list of Path
        Every file written, CSVs first (sorted by name), then the workbook.
    """
    if staged is None:
        with staged_outputs() as own:
            return export_tables(tables, folder, workbook, own)
    flat = {name: _flat(tables[name]) for name in sorted(tables)}  # once for both formats
    written = [write_staged(df, folder / f"{name}.csv", "csv", staged) for name, df in flat.items()]
    used: set[str] = set()
    buffer = io.BytesIO()  # built in memory, then written (see vcflows.exports)
    with pd.ExcelWriter(buffer, engine="openpyxl") as xw:
        for name, df in flat.items():
            neutralize_formulas(df).to_excel(xw, sheet_name=_sheet_name(name, used), index=False)
    staged.path(workbook).write_bytes(reproducible_zip(buffer.getvalue()))
    written.append(workbook)
    return written
