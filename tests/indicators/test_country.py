"""Country indicators and reciprocity on hand-computed cases."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from deals import make_db

from vcflows.flows import FlowOptions
from vcflows.indicators import INDICATOR_COLUMNS, country_indicators, indicators_from, reciprocity

# Same universe as tests/flows/test_attribution.py (see there for the story of each round).
ROUNDS = [
    ("r1", "c1", "KOR", 2020, 90.0, [("kor1", "KOR"), ("us1", "USA"), ("x1", None)]),
    ("r2", "c2", "USA", 2021, 100.0, [("us1", "USA", True), ("gb1", "GBR", False)]),
    ("r3", "c3", None, 2021, 50.0, [("us1", "USA")]),
    ("r4", "c1", "KOR", 2021, None, [("us1", "USA")]),
    ("r5", "c1", "KOR", 2022, 30.0, []),
]


def _row(df: pd.DataFrame, country: str) -> pd.Series:
    return df.set_index("country").loc[country]


def test_indicators_equal_by_hand() -> None:
    ind = country_indicators(make_db(ROUNDS), FlowOptions())
    assert list(ind.columns) == list(INDICATOR_COLUMNS)
    assert list(ind["country"]) == ["USA", "KOR", "GBR"]  # by invested_in_usd desc
    # Attributed: KOR<-KOR 30, KOR<-USA 30 (+1 deal of unknown amount), USA<-USA 50, USA<-GBR 50.
    kor, usa, gbr = _row(ind, "KOR"), _row(ind, "USA"), _row(ind, "GBR")
    assert kor["invested_in_usd"] == 60.0
    assert kor["deals_in"] == pytest.approx(1 / 3 + 1 / 3 + 1)
    assert kor["share_global"] == pytest.approx(60 / 160)
    assert kor["share_global_deals"] == pytest.approx((5 / 3) / (5 / 3 + 1))
    assert kor["domestic_share_in"] == pytest.approx(0.5)
    assert kor["foreign_share_in"] == pytest.approx(0.5)
    assert kor["us_share_in"] == pytest.approx(0.5)
    assert kor["domestic_share_in_deals"] == pytest.approx((1 / 3) / (5 / 3))
    assert kor["foreign_share_in_deals"] == pytest.approx((4 / 3) / (5 / 3))
    assert kor["invested_out_usd"] == 30.0
    assert kor["overseas_share_out"] == 0.0
    assert kor["unattributed_in_usd"] == 60.0  # 30 unknown investor + 30 without investor
    assert kor["unattributed_in_share"] == pytest.approx(0.5)
    assert kor["rounds_in"] == 3
    assert kor["top_sources"] == [{"partner": "USA", "amount_usd": 30.0, "share": 0.5}]
    assert kor["partner_hhi"] == 1.0
    # growth over 2020-2022: 60 -> 0 is a -100% CAGR
    assert kor["growth"] == pytest.approx(-1.0)
    assert usa["invested_out_usd"] == 80.0
    assert usa["overseas_share_out"] == pytest.approx(30 / 80)
    assert usa["overseas_share_out_deals"] == pytest.approx((4 / 3) / (4 / 3 + 1 / 2))
    assert usa["top_destinations"] == [{"partner": "KOR", "amount_usd": 30.0, "share": 30 / 80}]
    assert math.isnan(usa["growth"])  # nothing received in 2020: undefined
    # GBR only invests: its inbound shares are undefined, not zero
    assert gbr["invested_in_usd"] == 0.0
    assert math.isnan(gbr["domestic_share_in"]) and math.isnan(gbr["foreign_share_in"])
    assert gbr["overseas_share_out"] == 1.0
    # shares of the world add up to one
    assert ind["share_global"].sum() == pytest.approx(1.0)


def test_lead_attribution_changes_shares() -> None:
    ind = country_indicators(make_db(ROUNDS), FlowOptions(attribution="lead"))
    usa = _row(ind, "USA")
    assert usa["invested_in_usd"] == 100.0 and usa["domestic_share_in"] == 1.0
    assert "GBR" not in set(ind["country"])  # its only investment was not a lead


def _pairs(rows: list[tuple[str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["investor_country", "company_country", "amount_usd", "deals"]
    )


def test_hhi_top_partners_and_growth_from_aggregates() -> None:
    pairs = _pairs(
        [
            ("FRA", "FRA", 100.0, 4.0),
            ("USA", "FRA", 50.0, 2.0),
            ("GBR", "FRA", 30.0, 1.0),
            ("DEU", "FRA", 20.0, 1.0),
        ]
    )
    by_year = pd.DataFrame(
        {"company_country": ["FRA", "FRA"], "year": [2018, 2020], "amount_usd": [50.0, 200.0]}
    )
    ind = indicators_from(pairs, in_by_year=by_year, period=(2018, 2020), top_n=2)
    fra = _row(ind, "FRA")
    # foreign sources 50/30/20 of 100: HHI = .5^2 + .3^2 + .2^2
    assert fra["partner_hhi"] == pytest.approx(0.38)
    assert fra["top_sources"] == [
        {"partner": "USA", "amount_usd": 50.0, "share": 0.25},
        {"partner": "GBR", "amount_usd": 30.0, "share": 0.15},
    ]
    assert fra["foreign_share_in"] == pytest.approx(0.5)
    assert fra["growth"] == pytest.approx(1.0)  # 50 -> 200 in two years: x2 a year
    assert _row(ind, "USA")["partner_hhi_out"] == 1.0


def test_reciprocity_by_hand() -> None:
    con = make_db(
        [
            ("r1", "c1", "GBR", 2020, 100.0, [("us", "USA")]),
            ("r2", "c2", "USA", 2020, 25.0, [("gb", "GBR")]),
            ("r3", "c3", "KOR", 2020, 10.0, [("us", "USA")]),
            ("r4", "c4", "USA", 2020, 10.0, [("us", "USA")]),  # domestic: not a pair
        ]
    )
    rec = reciprocity(con, FlowOptions())
    assert list(rec.columns) == [
        "country_a", "country_b", "a_to_b_usd", "b_to_a_usd", "reciprocity", "total_usd",
    ]  # fmt: skip
    first = rec.iloc[0]
    assert (first["country_a"], first["country_b"]) == ("GBR", "USA")
    assert (first["a_to_b_usd"], first["b_to_a_usd"]) == (25.0, 100.0)
    assert first["reciprocity"] == pytest.approx(0.25)
    second = rec.iloc[1]
    assert (second["country_a"], second["country_b"], second["reciprocity"]) == ("KOR", "USA", 0.0)
    assert len(rec) == 2


def test_empty_selection_gives_empty_table() -> None:
    ind = country_indicators(make_db(ROUNDS), FlowOptions(year_from=1990, year_to=1991))
    assert ind.empty and list(ind.columns) == list(INDICATOR_COLUMNS)


def test_indicators_on_a_materialized_table_match() -> None:
    from vcflows.flows import shares_table
    from vcflows.indicators.country import indicators_on

    con = make_db(ROUNDS)
    for method in ("equal", "lead", "full"):
        opts = FlowOptions(attribution=method)  # type: ignore[arg-type]
        with shares_table(con, opts) as table:
            on_table = indicators_on(con, table, opts)
        pd.testing.assert_frame_equal(on_table, country_indicators(con, opts))
