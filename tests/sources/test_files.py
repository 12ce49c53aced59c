"""read_table_file: encodings, delimiters, line numbers, Parquet/Excel, clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vcflows.errors import InputFileError
from vcflows.sources._files import LINE, PROBLEM, read_table_file


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        ("name,country\nMünchen AG,DEU\n".encode(), "utf-8"),
        ("name,country\nMünchen AG,DEU\n".encode("utf-8-sig"), "utf-8 BOM"),
        ("name,country\nMünchen AG,DEU\n".encode("utf-16"), "utf-16 BOM"),
        ("name,country\nMünchen AG,DEU\n".encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, encoded: bytes, label: str) -> None:
    frame = read_table_file(_write(tmp_path, "a.csv", encoded), required=["name"])
    assert frame["name"].tolist() == ["München AG"], label
    assert frame["country"].tolist() == ["DEU"]


def test_cp1252_specific_characters(tmp_path: Path) -> None:
    # 0x80 is the euro sign in Windows-1252 and undefined in Latin-1.
    frame = read_table_file(_write(tmp_path, "a.csv", b"amount\n\x805m\n"))
    assert frame["amount"].tolist() == ["€5m"]


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_delimiter_sniffing(tmp_path: Path, sep: str) -> None:
    text = f'a{sep}b{sep}c\n1{sep}"x, y; z"{sep}3\n'
    frame = read_table_file(_write(tmp_path, "a.csv", text.encode()))
    assert list(frame.columns[:3]) == ["a", "b", "c"]
    assert frame.iloc[0][["a", "b", "c"]].tolist() == ["1", "x, y; z", "3"]


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    text = 'id,text\n1,plain\n\n2,"two\nlines"\n3,after\n'
    frame = read_table_file(_write(tmp_path, "a.csv", text.encode()))
    # line 1 header, 2 row 1, 3 blank, 4-5 row 2 (quoted newline), 6 row 3
    assert frame[LINE].tolist() == [2, 4, 6]
    assert frame["text"].tolist() == ["plain", "two\nlines", "after"]


def test_column_names_stripped_and_cells_kept_as_strings(tmp_path: Path) -> None:
    text = " id , raised_amount_usd ,x\n007, 3,000 ,NA\n"
    frame = read_table_file(_write(tmp_path, "a.csv", text.encode()), required=["id"])
    assert frame.iloc[0][["id", "raised_amount_usd", "x"]].tolist() == ["007", " 3", "000 "]
    assert frame.iloc[0][PROBLEM] == "row has 4 fields, header has 3"


def test_short_rows_padded_and_sound_rows_have_no_problem(tmp_path: Path) -> None:
    frame = read_table_file(_write(tmp_path, "a.csv", b"a,b,c\n1\n1,2,3,\n"))
    assert frame["c"].tolist() == ["", "3"]
    assert frame[PROBLEM].tolist() == ["", ""]


def test_missing_required_columns_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "rounds.csv", b"a,b\n1,2\n")
    with pytest.raises(InputFileError, match=r"rounds\.csv.*missing required column\(s\): x, y"):
        read_table_file(path, required=["a", "x", "y"])


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"\n\n", "empty"), (b"a,b\x00\x01\x02", "binary")],
)
def test_bad_files(tmp_path: Path, data: bytes, reason: str) -> None:
    with pytest.raises(InputFileError, match=reason):
        read_table_file(_write(tmp_path, "bad.csv", data))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_table_file(tmp_path / "nope.csv")


def test_parquet_and_excel(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "name": ["A", "B"],
            "amount": [3_000_000, None],
            "on": [pd.Timestamp("2014-05-01"), pd.NaT],
        }
    )
    frame.to_parquet(tmp_path / "a.parquet")
    frame.to_excel(tmp_path / "a.xlsx", index=False, sheet_name="deals")
    pq = read_table_file(tmp_path / "a.parquet", required=["name"])
    xl = read_table_file(tmp_path / "a.xlsx", required=["name"], sheet="deals")
    assert pq[LINE].tolist() == [1, 2]
    assert xl[LINE].tolist() == [2, 3]  # spreadsheet rows: header is row 1
    for got in (pq, xl):
        assert got["name"].tolist() == ["A", "B"]
        assert got["amount"].iloc[1] == ""
        assert got["on"].iloc[0].startswith("2014-05-01")
        assert got["on"].iloc[1] == ""


def test_corrupt_excel_is_input_file_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="cannot read as xlsx"):
        read_table_file(_write(tmp_path, "a.xlsx", b"not a zip"))
