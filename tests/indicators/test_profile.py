"""Focus-country profile: rank, gap to a target rank, partners, companies, scenario."""

from __future__ import annotations

import json

import duckdb
import pytest
from deals import make_db

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.indicators import country_indicators, profile, scenario_extra_foreign

# Inbound: USA 500 + 30 (from KOR), CHN 300, GBR 200 (USA 150, GBR 50), KOR 100 (KOR 80, USA 20).
ROUNDS = [
    ("rk1", "k1", "KOR", 2020, 40.0, [("kor_a", "KOR"), ("us_a", "USA")]),
    ("rk2", "k2", "KOR", 2020, 60.0, [("kor_a", "KOR")]),
    ("ru1", "u1", "USA", 2020, 500.0, [("us_a", "USA")]),
    ("ru2", "u2", "USA", 2020, 30.0, [("kor_a", "KOR")]),
    ("rc1", "h1", "CHN", 2020, 300.0, [("cn_a", "CHN")]),
    (
        "rg1",
        "g1",
        "GBR",
        2020,
        200.0,
        [("us_a", "USA"), ("us_b", "USA"), ("us_c", "USA"), ("gb_a", "GBR")],
    ),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return make_db(ROUNDS, companies={"k1": {s.NAME: "Twelve Frames"}})


def test_rank_gap_partners_companies(con: duckdb.DuckDBPyConnection) -> None:
    p = profile(con, "kor", FlowOptions())
    assert p.focus == "KOR"
    assert (p.rank, p.n_countries, p.target_country) == (4, 4, "GBR")
    assert p.gap_to_target_usd == 100.0  # 200 (GBR, 3rd) - 100
    assert set(p.indicators["country"]) == {"USA", "CHN", "GBR", "KOR"}
    part = p.partners.set_index("partner")
    assert part.loc["USA", "inbound_usd"] == 20.0 and part.loc["USA", "outbound_usd"] == 30.0
    assert part.loc["USA", "share_in"] == pytest.approx(0.2)
    assert part.loc["USA", "reciprocity"] == pytest.approx(20 / 30)
    comp = p.companies_from_abroad
    assert comp["company_id"].tolist() == ["k1"]
    assert comp.loc[0, "name"] == "Twelve Frames"
    assert (comp.loc[0, "foreign_usd"], comp.loc[0, "attributed_usd"]) == (20.0, 40.0)
    assert comp.loc[0, "foreign_countries"] == "USA"
    json.dumps(p.to_dict(), allow_nan=False)


def test_precomputed_aggregates_give_the_same_profile(con: duckdb.DuckDBPyConnection) -> None:
    from vcflows.indicators.country import flow_aggregates

    opts = FlowOptions()
    agg = flow_aggregates(con, opts)
    p = profile(con, "KOR", opts, aggregates=agg)
    # The hand values of test_rank_gap_partners_companies.
    assert (p.rank, p.target_country, p.gap_to_target_usd) == (4, "GBR", 100.0)
    assert p.partners.set_index("partner").loc["USA", "outbound_usd"] == 30.0
    assert p.to_dict() == profile(con, "KOR", opts).to_dict()
    given = profile(con, "KOR", opts, aggregates=agg, indicators=country_indicators(con, opts))
    assert given.to_dict() == p.to_dict()


def test_scenario_reaches_a_peers_foreign_share(con: duckdb.DuckDBPyConnection) -> None:
    p = profile(con, "KOR", FlowOptions(), scenario_peer="GBR")
    sc = p.scenario
    assert sc["target_foreign_share_in"] == pytest.approx(0.75)  # GBR: 150 of 200 foreign
    assert sc["current_foreign_share_in"] == pytest.approx(0.2)
    # (20 + x) / (100 + x) = 0.75  ->  x = (75 - 20) / 0.25 = 220
    assert sc["extra_foreign_usd"] == pytest.approx(220.0)
    x = sc["extra_foreign_usd"]
    assert (sc["foreign_in_usd"] + x) / (sc["invested_in_usd"] + x) == pytest.approx(0.75)


def test_default_scenario_uses_the_peer_median(con: duckdb.DuckDBPyConnection) -> None:
    p = profile(con, "KOR", FlowOptions())
    # others' foreign shares: USA 30/530, CHN 0, GBR .75 -> median 30/530 < KOR's .2
    assert p.scenario["peer"] == "peer median"
    assert p.scenario["target_foreign_share_in"] == pytest.approx(30 / 530)
    assert p.scenario["extra_foreign_usd"] == 0.0


def test_peer_group_is_top_n_plus_named_peers(con: duckdb.DuckDBPyConnection) -> None:
    p = profile(con, "KOR", FlowOptions(), peer_top=1, peers=["gbr", "JPN"])
    assert set(p.indicators["country"]) == {"USA", "GBR", "KOR"}
    assert p.notes == ["peer JPN: no flows in this selection"]
    top = profile(con, "USA", FlowOptions())
    assert (top.rank, top.gap_to_target_usd) == (1, 0.0)


def test_scenario_formula_edges() -> None:
    assert scenario_extra_foreign(0.0, 100.0, 0.5) == pytest.approx(100.0)
    assert scenario_extra_foreign(60.0, 100.0, 0.5) == 0.0
    assert scenario_extra_foreign(0.0, 0.0, 0.3) == 0.0
    assert scenario_extra_foreign(10.0, 100.0, 1.0) != scenario_extra_foreign(
        10.0, 100.0, 1.0
    )  # NaN


def test_profile_errors(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(OptionError, match="ISO 3166"):
        profile(con, "Korea", FlowOptions())
    with pytest.raises(OptionError, match="no flows"):
        profile(con, "JPN", FlowOptions())
    with pytest.raises(OptionError, match="target rank"):
        profile(con, "KOR", FlowOptions(), target_rank=0)
    with pytest.raises(OptionError, match="scenario peer"):
        profile(con, "KOR", FlowOptions(), scenario_peer="JPN")


def test_a_target_rank_no_country_holds_is_no_target(con: duckdb.DuckDBPyConnection) -> None:
    # Four countries received money: rank 9 has no holder (no error, a note, no gap).
    p = profile(con, "KOR", FlowOptions(), target_rank=9)
    assert (p.target_country, p.gap_to_target_usd) == (None, 0.0)
    assert p.notes == [
        "target rank 9: only 4 countries received money from investors of known country "
        "in this selection, so no country holds that rank"
    ]
