"""Generated rows pass the same checks as real data: vocabularies, ISO3 codes, store ingest."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pycountry
import pytest
from demo_helpers import tables

from vcflows import schema as s
from vcflows.demo import DEMO_SOURCE
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.store import connect, ingest_batch


@pytest.fixture(scope="module")
def small(small_demo: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return tables(small_demo)


def test_vocabularies_codes_and_amounts(small: dict[str, pd.DataFrame]) -> None:
    comp, rounds, parts, inv = (small[t] for t in s.CANONICAL_TABLES)
    for code in set(comp[s.COUNTRY]) | set(inv[s.COUNTRY]):
        assert pycountry.countries.get(alpha_3=code) is not None, code
    assert set(rounds[s.STAGE]) <= set(s.STAGES)
    assert set(inv[s.INVESTOR_TYPE]) <= set(s.INVESTOR_TYPES)
    amounts = rounds[s.AMOUNT_USD].dropna()
    assert (amounts > 0).all() and (amounts < 1e12).all()
    assert rounds[s.AMOUNT_USD].isna().mean() < 0.3  # some undisclosed, as in real exports
    assert (rounds[s.CURRENCY] == "USD").all()
    years = pd.to_datetime(rounds[s.ANNOUNCED_ON]).dt.year
    assert years.between(2013, 2025).all()
    for t in (comp, rounds, parts, inv):
        assert (t[s.SOURCE] == DEMO_SOURCE).all()
    assert comp[s.IS_AI].isna().all()  # the taxonomy decides
    assert comp[s.CATEGORIES].str.fullmatch(r"[a-z\- ]+(\|[a-z\- ]+)*").all()
    assert comp[s.DESCRIPTION].str.len().gt(10).all()
    assert comp[s.NAME].notna().all() and inv[s.NAME].notna().all()


def test_referential_integrity_and_one_lead_per_round(small: dict[str, pd.DataFrame]) -> None:
    comp, rounds, parts, inv = (small[t] for t in s.CANONICAL_TABLES)
    assert set(rounds[s.COMPANY_ID]) <= set(comp[s.COMPANY_ID])
    assert set(comp[s.COMPANY_ID]) <= set(rounds[s.COMPANY_ID])  # every company raised
    assert set(parts[s.ROUND_ID]) == set(rounds[s.ROUND_ID])
    assert set(parts[s.INVESTOR_ID]) <= set(inv[s.INVESTOR_ID])
    assert (parts.groupby(s.ROUND_ID)[s.IS_LEAD].sum() == 1).all()
    first = rounds.groupby(s.COMPANY_ID)[s.ANNOUNCED_ON].min()
    founded = comp.set_index(s.COMPANY_ID)[s.FOUNDED_ON]
    assert (pd.to_datetime(founded) <= pd.to_datetime(first.loc[founded.index])).all()


def test_sample_survives_the_store_ingest(small: dict[str, pd.DataFrame]) -> None:
    rounds = small[s.ROUNDS].sample(200, random_state=0)
    parts = small[s.PARTICIPATIONS][small[s.PARTICIPATIONS][s.ROUND_ID].isin(rounds[s.ROUND_ID])]
    comp = small[s.COMPANIES][small[s.COMPANIES][s.COMPANY_ID].isin(rounds[s.COMPANY_ID])]
    inv = small[s.INVESTORS][small[s.INVESTORS][s.INVESTOR_ID].isin(parts[s.INVESTOR_ID])]
    batch = SourceBatch(
        source="demo", companies=comp, rounds=rounds, participations=parts, investors=inv
    )
    batch.accounts = [FileAccount("demo", read=len(rounds), loaded=len(rounds))]
    con = connect(":memory:")
    result = ingest_batch(con, batch)
    assert result.new_records == {
        s.COMPANIES: len(comp),
        s.ROUNDS: len(rounds),
        s.PARTICIPATIONS: len(parts),
        s.INVESTORS: len(inv),
        s.QUARANTINE: 0,
    }
    back = con.execute("SELECT * FROM rounds ORDER BY round_id").fetchdf()
    pd.testing.assert_frame_equal(back, rounds.sort_values(s.ROUND_ID, ignore_index=True))


def test_rows_pass_the_normalizers(small: dict[str, pd.DataFrame]) -> None:
    norm = pytest.importorskip("vcflows.normalize")
    comp, rounds, _, inv = (small[t] for t in s.CANONICAL_TABLES)
    for code in set(comp[s.COUNTRY]) | set(inv[s.COUNTRY]):
        assert norm.to_iso3(code) == code
    for stage in set(rounds[s.STAGE]):
        assert norm.to_stage(stage) == stage
    for kind in set(inv[s.INVESTOR_TYPE]):
        assert norm.to_investor_type(kind) == kind
    for cats in comp[s.CATEGORIES].head(200):
        assert norm.clean_categories(cats) == cats
    for row in rounds.dropna(subset=[s.AMOUNT_USD]).head(200).itertuples():
        assert norm.parse_amount(str(row.amount_usd)) == row.amount_usd
        day = pd.Timestamp(row.announced_on).date()
        assert norm.parse_date(day.isoformat()) == day
        assert isinstance(day, dt.date)
