"""Champions on a hand-made universe (see universe.py for the story of every round)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from universe import universe

from vcflows.cases import CHAMPION_COLUMNS, champions
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions


def test_korea_champions_by_hand() -> None:
    df = champions(universe(), FlowOptions(), country="kor")
    assert list(df.columns) == list(CHAMPION_COLUMNS)
    # Beta raised most (500) but only at home; Gamma's and Eps's foreign money is 0 USD.
    assert df["company_id"].tolist() == ["k1", "k4"]
    alpha, delta = df.iloc[0], df.iloc[1]
    assert alpha["name"] == "Alpha" and alpha["country"] == "KOR"
    assert alpha["total_usd"] == 300.0  # the undated round has no known amount
    assert alpha["foreign_usd"] == pytest.approx(50 + 200 * 2 / 3)
    assert alpha["foreign_share"] == pytest.approx((50 + 200 * 2 / 3) / 300)
    assert alpha["foreign_investor_countries"] == "GBR,USA"
    assert alpha["rounds"] == 3
    assert alpha["first_round"] == dt.date(2020, 1, 10)
    assert alpha["last_round"] == dt.date(2021, 3, 1)
    assert alpha["rank_in_country"] == 2  # behind Beta's 500
    assert (delta["total_usd"], delta["foreign_share"]) == (50.0, 1.0)
    assert delta["foreign_investor_countries"] == "JPN"
    assert delta["rank_in_country"] == 4  # Beta 500, Alpha 300, Gamma 80, Delta 50


def test_top_and_all_countries() -> None:
    con = universe()
    assert champions(con, FlowOptions(), country="KOR", top=1)["company_id"].tolist() == ["k1"]
    every = champions(con, FlowOptions())
    assert every[["country", "company_id"]].values.tolist() == [
        ["KOR", "k1"],
        ["KOR", "k4"],
        ["USA", "u1"],
    ]
    usa = every.set_index("company_id").loc["u1"]
    assert usa["foreign_share"] == pytest.approx(0.5)
    assert usa["foreign_investor_countries"] == "KOR"


def test_one_country_equals_its_rows_of_all() -> None:
    # The one-country query filters rounds and shares early; same rows as filtering after.
    con = universe()
    every = champions(con, FlowOptions(), top=3)
    for code in ("KOR", "USA", "DEU"):
        one = champions(con, FlowOptions(), country=code, top=3)
        expected = every[every["country"] == code].reset_index(drop=True)
        # (an empty result carries object dtypes; the values are what matter)
        pd.testing.assert_frame_equal(one, expected, check_dtype=False)


def test_options_change_the_figures() -> None:
    con = universe()
    lead = champions(con, FlowOptions(attribution="lead"), country="KOR").set_index("company_id")
    # r2's only lead is British: the whole 200 is foreign.
    assert lead.loc["k1", "foreign_share"] == pytest.approx((50 + 200) / 300)
    full = champions(con, FlowOptions(attribution="full"), country="KOR").set_index("company_id")
    assert full.loc["k1", "foreign_share"] == pytest.approx((50 + 200 * 2 / 3) / 300)
    later = champions(con, FlowOptions(year_from=2021), country="KOR").set_index("company_id")
    assert later.loc["k1", "total_usd"] == 200.0 and later.loc["k1", "rounds"] == 1
    assert later.loc["k1", "foreign_share"] == pytest.approx(2 / 3)
    every = champions(con, FlowOptions(sector="all"), country="KOR")
    assert every["company_id"].tolist()[:2] == ["k6", "k1"]  # the non-AI bakery leads


def test_empty_and_bad_options() -> None:
    con = universe()
    assert champions(con, FlowOptions(), country="FRA").empty
    with pytest.raises(OptionError, match="alpha-3"):
        champions(con, FlowOptions(), country="Korea")
    with pytest.raises(OptionError, match="top"):
        champions(con, FlowOptions(), top=0)


def test_profile_lists_the_focus_champions() -> None:
    from vcflows.indicators import profile

    p = profile(universe(), "KOR", FlowOptions())
    assert p.champions["company_id"].tolist() == ["k1", "k4"]
    assert [c["company_id"] for c in p.to_dict()["champions"]] == ["k1", "k4"]
