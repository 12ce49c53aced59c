"""Writing result tables to files: atomic (temp file + rename) and safe against formula injection.

The atomic writing itself lives in :mod:`vcflows.files` (``atomic_path`` is re-exported here).
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pandas as pd
from repro_zipfile import ReproducibleZipFile

from vcflows.errors import OptionError
from vcflows.files import StagedOutputs, atomic_path

OutputFormat = Literal["table", "csv", "json", "parquet", "xlsx"]
__all__ = [
    "OUTPUT_FORMATS",
    "OutputFormat",
    "atomic_path",
    "json_value",
    "make_reproducible",
    "neutralize_formulas",
    "reproducible_zip",
    "to_json",
    "to_records",
    "write_staged",
    "write_table",
]

OUTPUT_FORMATS: tuple[str, ...] = ("table", "csv", "json", "parquet", "xlsx")

# Cells starting with these characters are run as formulas by spreadsheet programs (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutral(value: object) -> object:
    """A string a spreadsheet would run as a formula, quoted; anything else unchanged.

    Line breaks inside a string become "\n": Python's csv writer (3.11) leaves a cell holding
    a bare "\r" unquoted when lines end with "\n", so a spreadsheet splits the row there and
    the text after the "\r" (say "=HYPERLINK(...)") lands in a new, unneutralized cell.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Numbers (including negative ones) are untouched; only strings are changed (line breaks
    inside them become "\n", see ``_neutral``). Column names are cells too (the header row):
    they are neutralized the same way.
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_neutral)
    # Column names can come from data (e.g. a category pivoted to columns); openpyxl writes a
    # header "=..." as a live formula otherwise.
    out.columns = pd.Index([_neutral(c) for c in out.columns])
    return out


def json_value(v: object) -> object:
    """``v`` as plain JSON data: NaN as None, numpy scalars as Python numbers, nested alike."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):  # numpy scalar
        return json_value(v.item())
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return [json_value(x) for x in v]
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    return v


def to_records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Convert a DataFrame to JSON-ready records (NaN → null, dates → ISO strings)."""
    return [{str(k): json_value(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(df: pd.DataFrame) -> str:
    """Serialize a DataFrame as a JSON list of records, deterministically."""
    return json.dumps(to_records(df), indent=1, ensure_ascii=False, allow_nan=False)


def _writers() -> dict[str, Callable[[pd.DataFrame, Path], None]]:
    def csv(df: pd.DataFrame, p: Path) -> None:
        neutralize_formulas(df).to_csv(p, index=False, lineterminator="\n")

    def js(df: pd.DataFrame, p: Path) -> None:
        p.write_text(to_json(df) + "\n", encoding="utf-8")

    def parquet(df: pd.DataFrame, p: Path) -> None:
        flat = df.copy()
        for col in flat.columns:  # nested values (lists of partners) as JSON text
            if flat[col].map(lambda v: isinstance(v, list | dict)).any():
                flat[col] = flat[col].map(lambda v: json.dumps(json_value(v)))
        flat.to_parquet(p, index=False)

    def xlsx(df: pd.DataFrame, p: Path) -> None:
        flat = df.copy()
        for col in flat.columns:
            if flat[col].map(lambda v: isinstance(v, list | dict)).any():
                flat[col] = flat[col].map(lambda v: json.dumps(json_value(v)))
        # Built in memory, then written once: a zip file that fails half-way to disk (a
        # full disk) would otherwise complain again when garbage-collected.
        buffer = io.BytesIO()
        neutralize_formulas(flat).to_excel(buffer, index=False, engine="openpyxl")
        p.write_bytes(reproducible_zip(buffer.getvalue()))

    return {"csv": csv, "json": js, "parquet": parquet, "xlsx": xlsx}


def write_table(df: pd.DataFrame, path: str | Path, fmt: str) -> Path:
    """Write ``df`` to ``path`` in format ``fmt`` atomically.

    Parameters
    ----------
    df : DataFrame
        The table.
    path : str or Path
        Destination file.
    fmt : {"csv", "json", "parquet", "xlsx"}
        Output format. CSV and Excel cells that look like formulas are neutralized.

    Returns
    -------
    Path
        The written path.
    """
    writer = _writer(fmt)
    with atomic_path(path) as tmp:
        writer(df, tmp)
    return Path(path)


def _writer(fmt: str) -> Callable[[pd.DataFrame, Path], None]:
    writers = _writers()
    if fmt not in writers:
        raise OptionError(f"--format: unknown format {fmt!r}; choose one of {', '.join(writers)}")
    return writers[fmt]


def write_staged(df: pd.DataFrame, path: str | Path, fmt: str, staged: StagedOutputs) -> Path:
    """Write ``df`` to a temporary file of ``staged``, renamed onto ``path`` with the set.

    Parameters
    ----------
    df : DataFrame
        The table.
    path : str or Path
        Destination file.
    fmt : {"csv", "json", "parquet", "xlsx"}
        Output format, as for :func:`write_table`.
    staged : StagedOutputs
        The set of files the table belongs to (see :func:`vcflows.files.staged_outputs`).

    Returns
    -------
    Path
        ``path`` (written when the set is committed).
    """
    writer = _writer(fmt)
    writer(df, staged.path(path))
    return Path(path)


#: What a workbook's document properties say it was created and modified at: a fixed instant,
#: so the same tables give the same bytes (openpyxl writes the time of saving).
_FIXED_STAMP = "1980-01-01T00:00:00Z"
_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible_zip(data: bytes) -> bytes:
    """The ZIP container ``data`` (an .xlsx workbook, a zip of exports) rewritten so that its
    bytes depend on its contents only: fixed entry timestamps and modes (repro-zipfile) and,
    in a workbook, fixed creation and modification properties.

    Parameters
    ----------
    data : bytes
        A ZIP file's bytes.

    Returns
    -------
    bytes
        Its reproducible copy.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    out = io.BytesIO()
    with ReproducibleZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in entries:
            if name == "docProps/core.xml":
                content = _STAMPS.sub(rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<2>", content)
            dst.writestr(name, content)
    return out.getvalue()


def make_reproducible(path: str | Path) -> None:
    """Rewrite the ZIP container ``path`` in place (atomically) as :func:`reproducible_zip`.

    Parameters
    ----------
    path : str or Path
        A ZIP file; replaced atomically by its reproducible copy.
    """
    path = Path(path)
    data = reproducible_zip(path.read_bytes())
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
