"""Fund scenario arithmetic, hand-checked on the five-country world (see world.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from dealbook import build
from world import COMPANIES, INVESTORS, world

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.indicators import country_indicators
from vcflows.policy import fund_scenario

# Baseline (X = 300): KOR inbound T = 400, foreign F = 50 (USA, into k1 only); world W = 2010.
T, F, W = 400.0, 50.0, 2010.0


@pytest.mark.parametrize(("fund", "ratio"), [(100.0, 1.0), (100.0, 0.0), (100.0, 2.0), (37.5, 0.4)])
def test_shares_follow_the_formula(fund: float, ratio: float) -> None:
    res = fund_scenario(world(300.0), "KOR", FlowOptions(), fund_usd=fund, co_invest_ratio=ratio)
    added = fund + ratio * fund
    assert res.value("invested_in_usd", "baseline") == T
    assert res.value("invested_in_usd") == pytest.approx(T + added)
    assert res.value("foreign_in_usd") == pytest.approx(F + ratio * fund)
    assert res.value("foreign_share_in", "baseline") == pytest.approx(F / T)
    assert res.value("foreign_share_in") == pytest.approx((F + ratio * fund) / (T + added))
    assert res.value("share_global") == pytest.approx((T + added) / (W + added))
    # All foreign money of KOR is American, so the attracted money is too.
    assert res.value("us_share_in") == pytest.approx((F + ratio * fund) / (T + added))
    # One scenario round (k1 is the only foreign-backed company): deals_in 2 -> 3.
    assert (res.value("deals_in", "baseline"), res.value("deals_in")) == (2.0, 3.0)
    assert res.allocation["company_id"].tolist() == ["k1"]
    assert res.allocation.loc[0, "fund_usd"] == pytest.approx(fund)
    assert res.year == 2021


def test_rank_moves_when_the_fund_is_large() -> None:
    res = fund_scenario(world(300.0), "KOR", FlowOptions(), fund_usd=500.0, absorption_cap=None)
    # KOR 400 + 1000 overtakes USA's 1200.
    assert (res.value("rank", "baseline"), res.value("rank")) == (2.0, 1.0)
    assert res.value("rank", "change") == -1.0


def test_allocation_pro_rata_and_split_by_country() -> None:
    companies = {**COMPANIES, "k3": ("Set AI", "KOR", True)}
    con = build(
        companies,
        INVESTORS,
        [
            ("a", "k1", "2020-01-01", "seed", 120.0, ["kv", "uv", "gv"]),  # USA 40, GBR 40
            ("b", "k3", "2020-06-01", "seed", 60.0, ["jv"]),  # JPN 60
            ("c", "k2", "2020-06-01", "seed", 100.0, ["kv"]),  # domestic: no co-investment
        ],
    )
    res = fund_scenario(con, "KOR", FlowOptions(), fund_usd=70.0, co_invest_ratio=2.0)
    alloc = res.allocation.set_index("company_id")
    assert alloc.index.tolist() == ["k1", "k3"]  # weights 80/140 and 60/140
    assert alloc.loc["k1", "fund_usd"] == pytest.approx(70 * 80 / 140)
    assert alloc.loc["k3", "fund_usd"] == pytest.approx(70 * 60 / 140)
    assert alloc.loc["k1", "foreign_usd"] == pytest.approx(2 * 70 * 80 / 140)
    got = res.attracted_by_country.set_index("investor_country")["attracted_usd"].to_dict()
    assert got == pytest.approx({"JPN": 60.0, "GBR": 40.0, "USA": 40.0})  # 2 * 70 * a / 140
    # T = 280, F = 140: foreign share 0.5 -> (140 + 140) / (280 + 210)
    assert res.value("foreign_share_in") == pytest.approx(280 / 490)


def test_the_store_is_untouched() -> None:
    con = world(300.0)
    before = country_indicators(con, FlowOptions())
    res = fund_scenario(con, "KOR", FlowOptions(), fund_usd=100.0)
    after = country_indicators(con, FlowOptions())
    pd.testing.assert_frame_equal(before, after)
    assert res.baseline["invested_in_usd"].tolist() == before["invested_in_usd"].tolist()
    assert con.execute("SELECT count(*) FROM rounds").fetchall() == [(7,)]


def test_bad_inputs() -> None:
    con = world(300.0)
    with pytest.raises(OptionError, match="fund_usd"):
        fund_scenario(con, "KOR", fund_usd=0.0)
    with pytest.raises(OptionError, match="co_invest_ratio"):
        fund_scenario(con, "KOR", fund_usd=1.0, co_invest_ratio=-1.0)
    with pytest.raises(OptionError, match="no flows"):
        fund_scenario(con, "FRA", fund_usd=1.0)
    with pytest.raises(OptionError, match="nobody to co-invest with"):
        fund_scenario(con, "KOR", FlowOptions(year_from=2021), fund_usd=1.0)  # k2 only: domestic
