"""Large inputs (issue 24, item 6): a 10 MB cell and a row of 10,000 columns.

Neither crashes the ingest nor refuses the whole file: the row is quarantined with a reason
naming its field, at its line, and every other row loads; the counts add up. The vectorized
path (participation-shaped mapping) and the row-by-row path (round-shaped) agree. Memory on a
2 GB export is measured by ``benchmarks/large_csv.py``, not here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.sources._files import MAX_CELL_CHARS
from vcflows.store import connect
from vcflows.store.bulk import ingest_generic

ROUND_MAPPING = """
shape = "round"
source = "f"
[columns]
company_name = "company"
date = "date"
amount = "amount"
[optional_columns]
round_id = "round_id"
company_country = "country"
currency = "currency"
investor_name = "investors"
"""
PARTICIPATION_MAPPING = """
shape = "participation"
source = "p"
[columns]
round_id = "round_id"
company_name = "company"
date = "date"
amount = "amount"
investor_name = "investor"
[optional_columns]
company_country = "country"
currency = "currency"
investor_country = "investor_country"
"""
_SHAPES = {"round": ROUND_MAPPING, "participation": PARTICIPATION_MAPPING}
_HEADERS = {
    "round": ["round_id", "company", "country", "date", "amount", "currency", "investors"],
    "participation": [
        "round_id", "company", "country", "date", "amount", "currency", "investor",
        "investor_country",
    ],
}  # fmt: skip


def _rows(shape: str, n: int) -> list[list[str]]:
    out = []
    for i in range(n):
        base = [f"r{i}", f"Company {i}", "Germany", f"2021-03-{1 + i % 28:02d}", "1000000", "USD"]
        out.append([*base, f"Fund {i % 3}"] if shape == "round" else [*base, f"Fund {i}", "FRA"])
    return out


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _mapping(tmp_path: Path, shape: str) -> Path:
    path = tmp_path / f"{shape}.toml"
    path.write_text(_SHAPES[shape], encoding="utf-8")
    return path


def _quarantine(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    return con.execute(
        f"SELECT {s.Q_SOURCE_FILE}, {s.Q_SOURCE_ROW}, {s.Q_REASON} FROM {s.QUARANTINE} "
        f"WHERE NOT coalesce({s.Q_ROW_KEPT}, false) ORDER BY ALL"
    ).fetchall()


def _ingest(tmp_path: Path, shape: str, path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / f"{shape}.duckdb")
    result = ingest_generic(con, [path], mapping=_mapping(tmp_path, shape))
    (account,) = result.accounts
    assert account.balanced
    assert (account.read, account.loaded, account.quarantined) == (5, 4, 1)
    return con


@pytest.mark.parametrize("shape", ["round", "participation"])
@pytest.mark.parametrize("length", [10_000_000, MAX_CELL_CHARS + 1])
def test_an_over_long_cell_quarantines_its_row_naming_the_field(
    tmp_path: Path, shape: str, length: int
) -> None:
    rows = _rows(shape, 5)
    rows[2][1] = "B" * length  # the company name of the 3rd data row (line 4)
    path = _write(tmp_path / "deals.csv", _HEADERS[shape], rows)
    con = _ingest(tmp_path, shape, path)
    try:
        ((file, line, reason),) = _quarantine(con)
        assert Path(file).name == "deals.csv" and str(line) == "4"
        assert f"field 'company' holds {length:,} characters" in reason
        names = {r[0] for r in con.execute(f"SELECT {s.NAME} FROM {s.COMPANIES}").fetchall()}
        assert names == {"Company 0", "Company 1", "Company 3", "Company 4"}
        stored = con.execute(f"SELECT max(length(CAST(q AS VARCHAR))) FROM {s.QUARANTINE} q")
        assert stored.fetchall()[0][0] < 1000  # the cell itself is not copied into the store
    finally:
        con.close()


@pytest.mark.parametrize("shape", ["round", "participation"])
def test_a_row_of_ten_thousand_columns_is_quarantined(tmp_path: Path, shape: str) -> None:
    rows = _rows(shape, 5)
    rows[1] = rows[1] + [f"x{j}" for j in range(10_000 - len(rows[1]))]
    path = _write(tmp_path / "deals.csv", _HEADERS[shape], rows)
    con = _ingest(tmp_path, shape, path)
    try:
        ((file, line, reason),) = _quarantine(con)
        assert Path(file).name == "deals.csv" and str(line) == "3"
        assert "row has 10000 fields" in reason
    finally:
        con.close()


@pytest.mark.parametrize("shape", ["round", "participation"])
def test_a_file_of_ten_thousand_columns_loads(tmp_path: Path, shape: str) -> None:
    extra = [f"unused {j}" for j in range(10_000 - len(_HEADERS[shape]))]
    rows = [[*r, *(f"v{j}" for j in range(len(extra)))] for r in _rows(shape, 5)]
    path = _write(tmp_path / "wide.csv", [*_HEADERS[shape], *extra], rows)
    con = connect(tmp_path / "wide.duckdb")
    try:
        result = ingest_generic(con, [path], mapping=_mapping(tmp_path, shape))
        assert [(a.read, a.loaded, a.quarantined) for a in result.accounts] == [(5, 5, 0)]
    finally:
        con.close()


def test_an_over_long_parquet_cell_quarantines_its_row(tmp_path: Path) -> None:
    rows = _rows("participation", 5)
    rows[4][6] = "I" * (MAX_CELL_CHARS + 10)  # the investor of the 5th row
    path = tmp_path / "deals.parquet"
    pd.DataFrame(rows, columns=_HEADERS["participation"]).to_parquet(path, index=False)
    con = connect(tmp_path / "pq.duckdb")
    try:
        result = ingest_generic(con, [path], mapping=_mapping(tmp_path, "participation"))
        assert [(a.read, a.loaded, a.quarantined) for a in result.accounts] == [(5, 4, 1)]
        ((_, line, reason),) = _quarantine(con)
        assert str(line) == "5" and "field 'investor' holds" in reason
    finally:
        con.close()


def test_cli_ingest_of_a_10_mb_cell_accounts_for_every_row(tmp_path: Path) -> None:
    rows = _rows("round", 5)
    rows[0][6] = "Fund, " * 1_700_000  # a 10 MB list of investors
    path = _write(tmp_path / "deals.csv", _HEADERS["round"], rows)
    db = tmp_path / "deals.duckdb"
    args = ["ingest", str(path), "--mapping", str(_mapping(tmp_path, "round")), "--db", str(db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    info = CliRunner().invoke(app, ["info", "--db", str(db)])
    assert "│ deals.csv │    5 │      4 │           1 │" in result.output
    assert "field 'investors' holds 10,200,000 characters" in info.output
