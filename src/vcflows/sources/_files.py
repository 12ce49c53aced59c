"""Reading one tabular input file (CSV, Parquet or Excel) into a DataFrame of strings.

Every adapter reads through :func:`read_table_file`, so every source gets the same
encoding detection, delimiter sniffing, line numbers and error messages.

Encoding (CSV): named by the caller, or detected (:mod:`vcflows.sources._encoding`: a
byte-order mark, UTF-8, else charset-normalizer with Windows-1252 preferred among equally
clean readings, so CP949/CP932/GB18030 exports keep their Korean, Japanese and Chinese
names); a file that reads only as mojibake, or holds NUL bytes without a UTF-16 BOM, is
refused with one line naming it. Delimiter (CSV): whichever of ``,`` ``;`` tab ``|`` occurs most often in the header
line outside quotes (``,`` when none does).

Rows: blank lines are skipped. A row with fewer fields than the header is padded with empty
strings, unless another delimiter splits it into exactly the header's fields (mixed
delimiters). A row with more non-empty fields than the header is kept, and column ``_problem``
says so (adapters quarantine such rows); ``_problem`` is empty for sound rows. The last row
of a truncated file is flagged the same way: one that ends inside an open quoted field, or
one with fewer fields than the header when the file does not end with a line break.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from vcflows.errors import InputFileError
from vcflows.sources._encoding import decode_text

#: Column added to every table read: 1-based physical line (CSV) or row number (Excel, Parquet).
LINE = "_line"
#: Column added to every table read: why a row is malformed ("" when it is sound).
PROBLEM = "_problem"

#: The longest cell a row may hold (characters; Python's csv default field limit). A longer
#: cell (a quote left open, pasted binary data) quarantines its row, naming the field; the
#: file is read on.
MAX_CELL_CHARS = 131_072

CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
_DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(header: str) -> str:
    """Pick the delimiter occurring most often in the header line outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def unique_column_names(raw: Sequence[object]) -> list[str]:
    """Strip column names, name empty ones, and make duplicates unique ("x", "x.1")."""
    names: list[str] = []
    for i, value in enumerate(raw):
        name = str(value).strip() if value is not None else ""
        name = name or f"_unnamed_{i}"
        base, n = name, 0
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    return names


def _other_delimiter(raw: str, delimiter: str, width: int) -> str:
    """Why a short row looks written with another delimiter, or "" if it does not.

    A short row is normally padded with empty fields; but one that another candidate
    delimiter splits into exactly the header's number of fields (``a;b;c`` in a comma file)
    would then load its whole content into the first column.
    """
    for other in _DELIMITERS:
        if other == delimiter or other not in raw:
            continue
        fields = next(csv.reader(io.StringIO(raw, newline=""), delimiter=other), [])
        if len(fields) == width:
            return f"row is split by {other!r} but the file by {delimiter!r} (mixed delimiters)"
    return ""


def _truncation(text: str, start: int, delimiter: str, width: int) -> str:
    """Why the last record (from physical line ``start``) looks cut off, or "" if it does not.

    Python's csv reader (non-strict) silently closes a quoted field left open at the end of
    the data, and short rows are padded, so a truncated file would otherwise load its
    damaged last row as if it were whole.
    """
    tail = "".join(itertools.islice(io.StringIO(text, newline=""), start - 1, None))
    try:
        fields = next(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return "row ends inside an open quoted field at end of file (truncated file?)"
        return ""  # other strict-mode complaints are quirks the lenient reader accepts
    except StopIteration:
        return ""
    if len(fields) < width and not text.endswith(("\n", "\r")):
        return (
            f"last row has {len(fields)} fields, header has {width}, and the file does not "
            "end with a line break (truncated file?)"
        )
    return ""


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFileError(str(path), f"cannot read ({exc.strerror or exc})") from None


def long_cell_problem(field: str, length: int) -> str:
    """Why a row with a cell of ``length`` characters in column ``field`` is quarantined."""
    return (
        f"field {field!r} holds {length:,} characters, more than the {MAX_CELL_CHARS:,} a "
        "cell may hold (a quote left open, or binary data?)"
    )


def _long_cell(record: list[str], header: list[str]) -> str:
    """The problem of a record with an over-long cell (which is emptied), else ""."""
    if not record or max(map(len, record)) <= MAX_CELL_CHARS:
        return ""
    at = next(i for i, f in enumerate(record) if len(f) > MAX_CELL_CHARS)
    field = header[at] if at < len(header) else f"(field {at + 1}, beyond the header)"
    problem = long_cell_problem(field, len(record[at]))
    for i, f in enumerate(record):
        if len(f) > MAX_CELL_CHARS:
            record[i] = ""
    return problem


@contextmanager
def _any_field_size() -> Iterator[None]:
    """Let the csv module read cells of any length (checked against MAX_CELL_CHARS instead)."""
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    text, _ = decode_text(path, _read_bytes(path), encoding)
    if not text.strip():
        raise InputFileError(str(path), "empty file (no header line)")
    delimiter = sniff_delimiter(text.lstrip("\r\n").splitlines()[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[str] = []
    previous_end = start = 0
    physical: list[str] | None = None  # the text's lines, split only if a short row needs them
    with _any_field_size():  # a long cell quarantines its row (see _long_cell)
        try:
            for record in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if not record or all(not f.strip() for f in record):
                    continue
                if header is None:
                    header = unique_column_names(record)
                    continue
                extra = record[len(header) :]
                problem = _long_cell(record, header)
                if not problem and any(f.strip() for f in extra):
                    problem = f"row has {len(record)} fields, header has {len(header)}"
                elif not problem and len(record) < len(header):
                    if physical is None:
                        physical = io.StringIO(text, newline="").readlines()
                    raw = "".join(physical[start - 1 : reader.line_num])
                    problem = _other_delimiter(raw, delimiter, len(header))
                rows.append((record + [""] * len(header))[: len(header)])
                lines.append(start)
                problems.append(problem)
        except csv.Error as exc:
            raise InputFileError(
                str(path), f"malformed CSV near line {reader.line_num} ({exc})"
            ) from None
    if header is None:
        raise InputFileError(str(path), "empty file (no header line)")
    if rows and lines[-1] == start:  # the file's last record is a data row
        problems[-1] = problems[-1] or _truncation(text, start, delimiter, len(header))
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame[LINE] = lines
    frame[PROBLEM] = problems
    return frame


def _cell_text(value: object) -> str:
    """One typed cell as text: "" for missing values, lists (Parquet) as "a, b"."""
    if isinstance(value, str):
        return value
    # pd.isna of a list/array cell (Parquet list columns) is an array, not a bool: test
    # scalars only, and write sequences out element by element.
    if hasattr(value, "__len__") and not isinstance(value, (bytes, dict)):
        return ", ".join(_cell_text(v) for v in list(value))  # type: ignore[call-overload]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value)


def _as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells to str, missing values to "" (Parquet and Excel carry typed cells)."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        values = frame[col].astype(object)
        out[col] = [_cell_text(v) for v in values]
    return out


def _read_other(path: Path, sheet: str | None) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix in PARQUET_SUFFIXES:
            frame = pd.read_parquet(path)
            first_row = 1
        else:
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object)
            first_row = 2  # spreadsheet row numbers: the header is row 1
    except Exception as exc:  # pyarrow/openpyxl raise many types on corrupt files or sheets
        raise InputFileError(str(path), f"cannot read as {suffix[1:]} ({exc})") from None
    frame = _as_strings(frame)
    frame.columns = pd.Index(unique_column_names(list(frame.columns)))
    frame = frame.reset_index(drop=True)
    frame[LINE] = range(first_row, first_row + len(frame))
    frame[PROBLEM] = ""
    _empty_long_cells(frame)
    return frame


def _empty_long_cells(frame: pd.DataFrame) -> None:
    """Quarantine (by :data:`PROBLEM`) the rows of ``frame`` with a cell too long; empty it."""
    for col in [c for c in frame.columns if c not in (LINE, PROBLEM)]:
        lengths = pd.Series([len(v) for v in frame[col]], index=frame.index, dtype="int64")
        long = lengths > MAX_CELL_CHARS
        if not long.any():
            continue
        first = long & (frame[PROBLEM] == "")
        frame.loc[first, PROBLEM] = [long_cell_problem(col, int(n)) for n in lengths[first]]
        frame.loc[long, col] = ""


def read_table_file(
    path: Path,
    *,
    required: Sequence[str] = (),
    sheet: str | None = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read a CSV, Parquet or Excel file with every cell as a string.

    Parameters
    ----------
    path : Path
        The file; its suffix chooses the reader (``.parquet``/``.pq``; ``.xlsx``/``.xlsm``/
        ``.xls``; anything else is read as delimited text).
    required : sequence of str
        Column names that must be present (after stripping whitespace from the header).
    sheet : str, optional
        Excel sheet name (default: the first sheet).
    encoding : str, optional
        Text encoding of a CSV (``"cp949"``, ...); default: detected (see
        :func:`vcflows.sources._encoding.decode_text`). Ignored for Parquet and Excel.

    Returns
    -------
    pandas.DataFrame
        One row per data row, cells as ``str`` ("" for empty), column names stripped, plus
        :data:`LINE` (1-based physical line of the row's first line in a CSV; spreadsheet
        row number in Excel; 1-based row number in Parquet) and :data:`PROBLEM`.

    Raises
    ------
    InputFileError
        Naming the file: missing required columns, undecodable or binary bytes, text that
        reads only as mojibake, an empty file, or a file the Parquet/Excel reader refuses.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(str(path), "no such file")
    if path.suffix.lower() in PARQUET_SUFFIXES | EXCEL_SUFFIXES:
        frame = _read_other(path, sheet)
    else:
        frame = _read_csv(path, encoding)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(c for c in frame.columns if c not in (LINE, PROBLEM))
        raise InputFileError(
            str(path), f"missing required column(s): {', '.join(missing)} (found: {found})"
        )
    return frame


def summarize_engine_error(path: Path, error: BaseException) -> str:
    """One line for an engine's (DuckDB's) multi-line reader error: file, line, reason.

    Parameters
    ----------
    path : Path
        The file the engine was reading.
    error : BaseException
        The engine's error; its message may run to dozens of lines (dialect, options, the
        SQL text with a caret).

    Returns
    -------
    str
        E.g. ``"deals.csv, line 3: Invalid unicode (byte sequence mismatch) detected."``.
    """
    lines = [ln.strip() for ln in str(error).splitlines()]
    if "" in lines:  # the dump's details (options, hints, the SQL) follow the first blank line
        lines = lines[: lines.index("")] or lines
    lines = [_ENGINE_PREFIX.sub("", ln) for ln in lines if ln]
    found = next((m for m in map(_ENGINE_LINE.search, lines) if m), None)
    reasons = [
        ln
        for ln in lines
        if not _ENGINE_LINE.fullmatch(ln)
        and not ln.lower().startswith(("original line", "line 1:"))
    ]
    # The first two sentences say what failed ("Error when sniffing file ..." + "It was not
    # possible to ..."); a line ending with ":" introduces a listing.
    reason = " ".join(r for r in reasons[:2] if not r.endswith(":")) or type(error).__name__
    reason = reason if len(reason) <= 160 else reason[:157] + "..."
    where = f", line {found.group(1)}" if found else ""
    return f"{path.name}{where}: {reason}"


_ENGINE_PREFIX = re.compile(r"^(?:[A-Z][A-Za-z]* )+Error: ")
_ENGINE_LINE = re.compile(r"(?:CSV Error on Line|[Ll]ine):? (\d+)")


def utf8_copy(path: Path, encoding: str | None, folder: Path) -> tuple[Path, str]:
    """Write ``path`` (a CSV) decoded by the module's rules to a UTF-8 file in ``folder``.

    For engines that read UTF-8 only (DuckDB's ``read_csv`` knows no CP949): line breaks
    and cells are unchanged, so line numbers hold.

    Parameters
    ----------
    path : Path
        The CSV file.
    encoding : str, optional
        Its encoding, or ``None`` to detect it.
    folder : Path
        Where to write the copy (a temporary folder the caller removes).

    Returns
    -------
    tuple of (Path, str)
        The UTF-8 copy and the encoding the original was read in.

    Raises
    ------
    InputFileError
        As :func:`read_table_file` for undecodable or mojibake-only bytes.
    """
    text, used = decode_text(path, _read_bytes(path), encoding)
    handle, name = tempfile.mkstemp(prefix=f"{path.stem}.", suffix=".csv", dir=folder)
    with os.fdopen(handle, "wb") as fh:
        fh.write(text.encode("utf-8"))
    target = Path(name)
    return target, used
