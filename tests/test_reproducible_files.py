"""Same tables, same bytes: workbooks and zips carry no time of writing."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pandas as pd

from vcflows.exports import write_table
from vcflows.report._exports import export_tables

TABLE = pd.DataFrame({"country": ["KOR", "USA"], "invested_in_usd": [1.5e9, 4.2e11]})


def test_an_xlsx_export_written_twice_is_byte_identical(tmp_path: Path) -> None:
    first = write_table(TABLE, tmp_path / "a.xlsx", "xlsx").read_bytes()
    time.sleep(2.1)  # past the ZIP format's two-second clock and openpyxl's save time
    second = write_table(TABLE, tmp_path / "b.xlsx", "xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "b.xlsx") as z:  # still a workbook Excel can read
        pd.testing.assert_frame_equal(pd.read_excel(tmp_path / "b.xlsx"), TABLE, check_dtype=False)
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_report_workbook_written_twice_is_byte_identical(tmp_path: Path) -> None:
    tables = {"indicators": TABLE, "pairs": TABLE.assign(partner="GBR")}
    export_tables(tables, tmp_path / "one", tmp_path / "one.xlsx")
    time.sleep(2.1)
    export_tables(tables, tmp_path / "two", tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
