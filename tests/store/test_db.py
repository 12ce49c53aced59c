"""The store: merge rule, idempotent re-ingest, transactional rollback."""

from __future__ import annotations

import pandas as pd
import pytest

from vcflows import schema as s
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.store import connect, info, ingest_batch


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
