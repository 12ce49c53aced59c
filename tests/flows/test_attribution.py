"""Attribution methods on hand-computed cases, and the unattributed bucket."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from deals import make_db

from vcflows.flows import (
    FlowOptions,
    attributed_flows,
    flow_matrix,
    flow_totals,
    unattributed,
)

# r1: KOR company, 90 USD, investors KOR, USA and one of unknown country.
# r2: USA company, 100 USD, USA investor (lead) and GBR investor.
# r3: company of unknown country, 50 USD, USA investor.
# r4: KOR company, amount unknown, USA investor: counts as a deal, no money.
# r5: KOR company, 30 USD, no investor recorded.
ROUNDS = [
    ("r1", "c1", "KOR", 2020, 90.0, [("kor1", "KOR"), ("us1", "USA"), ("x1", None)]),
    ("r2", "c2", "USA", 2021, 100.0, [("us1", "USA", True), ("gb1", "GBR", False)], "series_a"),
    ("r3", "c3", None, 2021, 50.0, [("us1", "USA")]),
    ("r4", "c1", "KOR", 2021, None, [("us1", "USA")]),
    ("r5", "c1", "KOR", 2022, 30.0, []),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return make_db(ROUNDS)


def _pairs(df: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    return {
        (r.investor_country, r.company_country): (r.amount_usd, round(r.deals, 12))
        for r in df.itertuples()
    }


def _lost(df: pd.DataFrame) -> dict[tuple[object, str], tuple[float, int]]:
    return {
        (None if pd.isna(r.company_country) else r.company_country, r.reason): (
            r.amount_usd,
            r.rounds,
        )
        for r in df.itertuples()
    }


def test_equal_splits_among_participations(con: duckdb.DuckDBPyConnection) -> None:
    m = flow_matrix(con, FlowOptions(attribution="equal"))
    assert _pairs(m) == {
        ("KOR", "KOR"): (30.0, round(1 / 3, 12)),
        ("USA", "KOR"): (30.0, round(1 / 3 + 1, 12)),  # r1 share + r4 (deal only)
        ("USA", "USA"): (50.0, 0.5),
        ("GBR", "USA"): (50.0, 0.5),
    }
    assert _lost(unattributed(con, FlowOptions())) == {
        ("KOR", "investor_country_unknown"): (30.0, 1),
        ("KOR", "no_investor"): (30.0, 1),
        (None, "company_country_unknown"): (50.0, 1),
    }


def test_lead_takes_leads_only_and_falls_back_to_equal(con: duckdb.DuckDBPyConnection) -> None:
    m = flow_matrix(con, FlowOptions(attribution="lead"))
    # r2 has a lead (USA): it takes all 100; r1 has none marked: equal split as before.
    assert _pairs(m) == {
        ("KOR", "KOR"): (30.0, round(1 / 3, 12)),
        ("USA", "KOR"): (30.0, round(4 / 3, 12)),
        ("USA", "USA"): (100.0, 1.0),
    }


def test_full_credits_each_country_with_the_whole_round(con: duckdb.DuckDBPyConnection) -> None:
    m = flow_matrix(con, FlowOptions(attribution="full"))
    assert _pairs(m) == {
        ("KOR", "KOR"): (90.0, 1.0),
        ("USA", "KOR"): (90.0, 2.0),
        ("USA", "USA"): (100.0, 1.0),
        ("GBR", "USA"): (100.0, 1.0),
    }
    lost = _lost(unattributed(con, FlowOptions(attribution="full")))
    assert lost[("KOR", "investor_country_unknown")] == (90.0, 1)


def test_several_investors_of_one_country_add_up() -> None:
    con = make_db([("r", "c", "FRA", 2020, 120.0, [("a", "USA"), ("b", "USA"), ("c", "FRA")])])
    m = _pairs(flow_matrix(con, FlowOptions()))
    assert m == {("USA", "FRA"): (80.0, round(2 / 3, 12)), ("FRA", "FRA"): (40.0, round(1 / 3, 12))}
    full = _pairs(flow_matrix(con, FlowOptions(attribution="full")))
    assert full == {("USA", "FRA"): (120.0, 1.0), ("FRA", "FRA"): (120.0, 1.0)}


def test_two_leads_share_equally() -> None:
    con = make_db(
        [
            (
                "r",
                "c",
                "DEU",
                2020,
                90.0,
                [("a", "USA", True), ("b", "DEU", True), ("c", "GBR", False)],
            )
        ]
    )
    m = _pairs(flow_matrix(con, FlowOptions(attribution="lead")))
    assert m == {("USA", "DEU"): (45.0, 0.5), ("DEU", "DEU"): (45.0, 0.5)}


def test_participation_of_an_investor_missing_from_investors_is_unattributed() -> None:
    con = make_db([("r", "c", "FRA", 2020, 60.0, [("a", "USA")])])
    con.execute("INSERT INTO participations VALUES ('r', 'ghost', NULL, 'test')")
    assert _pairs(flow_matrix(con, FlowOptions())) == {("USA", "FRA"): (30.0, 0.5)}
    assert _lost(unattributed(con, FlowOptions())) == {
        ("FRA", "investor_country_unknown"): (30.0, 1)
    }


def test_round_of_a_company_missing_from_companies_counts_only_in_all_sectors() -> None:
    con = make_db([("r", "c", "FRA", 2020, 60.0, [("a", "USA")])])
    con.execute(
        "INSERT INTO rounds VALUES ('r2', 'nobody', DATE '2020-01-01', 'seed', 10, NULL, NULL, 't')"
    )
    assert flow_totals(con, FlowOptions())["total_usd"] == 60.0
    assert _lost(unattributed(con, FlowOptions(sector="all"))) == {(None, "no_investor"): (10.0, 1)}


def test_year_and_stage_filters(con: duckdb.DuckDBPyConnection) -> None:
    m = flow_matrix(con, FlowOptions(year_from=2021, year_to=2021))
    assert _pairs(m) == {
        ("USA", "KOR"): (0.0, 1.0),  # r4: a deal with unknown amount
        ("USA", "USA"): (50.0, 0.5),
        ("GBR", "USA"): (50.0, 0.5),
    }
    m = flow_matrix(con, FlowOptions(stages=("series_a",)))
    assert _pairs(m) == {("USA", "USA"): (50.0, 0.5), ("GBR", "USA"): (50.0, 0.5)}


def test_round_without_date_is_kept_only_without_year_bounds() -> None:
    con = make_db([("r", "c", "FRA", None, 60.0, [("a", "USA")])])
    assert flow_totals(con, FlowOptions())["attributed_usd"] == 60.0
    assert flow_totals(con, FlowOptions(year_from=1990))["rounds"] == 0


def test_attributed_flows_rows_per_round_and_country(con: duckdb.DuckDBPyConnection) -> None:
    af = attributed_flows(con, FlowOptions())
    assert list(af.columns) == [
        "round_id", "company_id", "year", "stage", "company_country", "investor_country",
        "amount_usd", "deals",
    ]  # fmt: skip
    assert list(zip(af["round_id"], af["investor_country"], strict=True)) == [
        ("r1", "KOR"), ("r1", "USA"), ("r2", "GBR"), ("r2", "USA"), ("r4", "USA"),
    ]  # fmt: skip
    assert pd.isna(af.loc[af["round_id"] == "r4", "amount_usd"]).all()


def test_totals_conserve_money(con: duckdb.DuckDBPyConnection) -> None:
    for method in ("equal", "lead"):
        t = flow_totals(con, FlowOptions(attribution=method))  # type: ignore[arg-type]
        assert t["total_usd"] == 270.0  # 90 + 100 + 50 + 30; r4 unknown
        assert t["attributed_usd"] + t["unattributed_usd"] == pytest.approx(270.0, rel=1e-12)
    assert flow_totals(con, FlowOptions())["rounds"] == 5
    assert flow_totals(con, FlowOptions())["rounds_with_amount"] == 4
