"""The store: merge rule, idempotent re-ingest, transactional rollback."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.store import connect, db, info, ingest_batch


def _batch(amount: float | None = 1e6, company_country: str | None = "KOR") -> SourceBatch:
    b = SourceBatch(source="test")
    b.companies = pd.DataFrame(
        [{s.COMPANY_ID: "c1", s.NAME: "Acme AI", s.COUNTRY: company_country, s.SOURCE: "test"}]
    )
    b.rounds = pd.DataFrame(
        [
            {
                s.ROUND_ID: "r1",
                s.COMPANY_ID: "c1",
                s.ANNOUNCED_ON: "2020-05-01",
                s.STAGE: "seed",
                s.AMOUNT_USD: amount,
                s.SOURCE: "test",
            }
        ]
    )
    b.investors = pd.DataFrame(
        [
            {s.INVESTOR_ID: "i1", s.NAME: "Fund", s.COUNTRY: "USA", s.INVESTOR_TYPE: "vc"},
            {s.INVESTOR_ID: "i1", s.NAME: None, s.COUNTRY: None, s.INVESTOR_TYPE: "vc"},
        ]
    )
    b.participations = pd.DataFrame([{s.ROUND_ID: "r1", s.INVESTOR_ID: "i1", s.IS_LEAD: True}])
    b.accounts = [FileAccount("x.csv", read=2, loaded=2)]
    return b


def test_ingest_is_idempotent_and_merges_nulls() -> None:
    con = connect(":memory:")
    first = ingest_batch(con, _batch(amount=None, company_country=None))
    assert first.new_records[s.ROUNDS] == 1
    assert first.new_records[s.INVESTORS] == 1  # duplicate key within a batch kept once
    again = ingest_batch(con, _batch())
    assert sum(again.new_records.values()) == 0
    # NULLs stored first are filled by the later source; stored values are kept.
    amount, country = con.execute(
        "SELECT r.amount_usd, c.country_iso3 FROM rounds r JOIN companies c USING (company_id)"
    ).fetchall()[0]
    assert amount == 1e6 and country == "KOR"
    assert con.execute("SELECT name, country_iso3 FROM investors").fetchall() == [("Fund", "USA")]
    assert info(con)["counts"][s.PARTICIPATIONS] == 1


def test_failed_ingest_leaves_database_as_before() -> None:
    con = connect(":memory:")
    ingest_batch(con, _batch())
    bad = _batch()
    bad.rounds.loc[0, s.ROUND_ID] = "r2"
    bad.rounds.loc[0, s.STAGE] = None  # violates NOT NULL on stage → the whole batch fails
    with pytest.raises(Exception, match="NOT NULL"):
        ingest_batch(con, bad)
    assert con.execute("SELECT count(*) FROM rounds").fetchall() == [(1,)]


def test_unknown_investor_type_is_filled_by_a_later_source() -> None:
    con = connect(":memory:")
    first = _batch()
    first.investors = pd.DataFrame(
        [{s.INVESTOR_ID: "i1", s.NAME: None, s.COUNTRY: None, s.INVESTOR_TYPE: "unknown"}]
    )
    ingest_batch(con, first)
    later = _batch()
    later.investors = pd.DataFrame(
        [
            {s.INVESTOR_ID: "i1", s.NAME: "Fund", s.COUNTRY: "USA", s.INVESTOR_TYPE: "unknown"},
            {s.INVESTOR_ID: "i1", s.NAME: "Fund", s.COUNTRY: "USA", s.INVESTOR_TYPE: "cvc"},
        ]
    )
    ingest_batch(con, later)
    assert con.execute("SELECT investor_type, country_iso3 FROM investors").fetchall() == [
        ("cvc", "USA")
    ]
    # A known stored value is not overwritten by a later, different one.
    ingest_batch(con, _batch())
    assert con.execute("SELECT investor_type FROM investors").fetchall() == [("cvc",)]


def test_store_of_an_earlier_version_opens_and_gains_the_new_columns(tmp_path: Path) -> None:
    # The quarantine without row_kept and no conflicts table, as earlier versions made them.
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    for table in s.CANONICAL_TABLES:
        cols = ", ".join(f"{c.name} {c.sql_type}" for c in s.TABLES[table])
        old.execute(f"CREATE TABLE {table} ({cols})")
    old.execute(db._LOG_DDL)
    q_cols = [c for c in s.columns(s.QUARANTINE) if c != s.Q_ROW_KEPT]
    old.execute(f"CREATE TABLE {s.QUARANTINE} ({', '.join(f'{c} VARCHAR' for c in q_cols)})")
    old.execute(
        f"INSERT INTO {s.QUARANTINE} VALUES ('f.csv', '2', 'rounds', 'date', 'x', 'bad', 't')"
    )
    old.close()
    ro = connect(path, read_only=True)  # read as it is: one rejected row, no conflicts
    summary = info(ro)
    ro.close()
    assert summary["quarantine"] == [("bad", 1)]
    assert summary["flagged"] == [] and summary["conflicts"] == []
    assert s.CONFLICTS not in summary["counts"]
    con = connect(path)  # writable: the new column and table are added
    ingest_batch(con, _batch())
    assert info(con)["counts"][s.CONFLICTS] == 0
    assert con.execute(f"SELECT {s.Q_ROW_KEPT} FROM {s.QUARANTINE}").fetchall() == [(None,)]
    con.close()


def test_cli_prints_flagged_fields_and_conflicts(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'shape = "participation"\nsource = "t"\n[columns]\ncompany_name = "Company"\n'
        'date = "Date"\ninvestor_name = "Investor"\n[optional_columns]\nround_id = "Deal"\n'
        'amount_usd = "USD"\ninvestor_country = "IHQ"\n',
        encoding="utf-8",
    )
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Deal,Company,Date,USD,Investor,IHQ\n"
        "d1,Anka AI,2021-03-01,200,X Capital,USA\n"
        "d2,Anka AI,2021-06-01,100,X Capital,TUR\n"
        "d3,Anka AI,2021-09-01,0,Gulf Fund,North America\n",
        encoding="utf-8",
    )
    store = tmp_path / "s.duckdb"
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["ingest", str(deals), "--mapping", str(mapping), "--db", str(store)],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    # read 3, loaded 3, quarantined 0, skipped 0, balanced, flagged 1 (North America)
    assert re.search(r"deals\.csv\s*│\s*3\s*│\s*3\s*│\s*0\s*│\s*0\s*│\s*yes\s*│\s*1", res.output)
    assert "conflicts: 1 field(s)" in res.output  # X Capital: USA and TUR
    res = runner.invoke(app, ["info", "--db", str(store)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert re.search(r"1\s+unrecognized country 'North America'", res.output)
    assert re.search(r"1\s+investors\.country_iso3", res.output)
