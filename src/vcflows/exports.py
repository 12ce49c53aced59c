"""Writing result tables to files: atomic (temp file + rename) and safe against formula injection."""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pandas as pd
from repro_zipfile import ReproducibleZipFile

from vcflows.errors import OptionError

OutputFormat = Literal["table", "csv", "json", "parquet", "xlsx"]
OUTPUT_FORMATS: tuple[str, ...] = ("table", "csv", "json", "parquet", "xlsx")

# Cells starting with these characters are run as formulas by spreadsheet programs (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success.

    A reader never sees a half-written file: on any error the temporary file is removed and
    ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    # mkstemp creates 0600; give the result the permissions a plain open() would (umask).
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        neutralize_formulas(flat).to_excel(p, index=False, engine="openpyxl")
        make_reproducible(p)

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
    writers = _writers()
    if fmt not in writers:
        raise OptionError(f"--format: unknown format {fmt!r}; choose one of {', '.join(writers)}")
    with atomic_path(path) as tmp:
        writers[fmt](df, tmp)
    return Path(path)


#: What a workbook's document properties say it was created and modified at: a fixed instant,
#: so the same tables give the same bytes (openpyxl writes the time of saving).
_FIXED_STAMP = "1980-01-01T00:00:00Z"
_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def make_reproducible(path: str | Path) -> None:
    """Rewrite the ZIP container ``path`` (an .xlsx workbook, a zip of exports) in place so that
    its bytes depend on its contents only: fixed entry timestamps and modes (repro-zipfile) and,
    in a workbook, fixed creation and modification properties.

    Parameters
    ----------
    path : str or Path
        A ZIP file; replaced atomically by its reproducible copy.
    """
    path = Path(path)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with atomic_path(path) as tmp, ReproducibleZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _STAMPS.sub(rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<2>", data)
            dst.writestr(name, data)
