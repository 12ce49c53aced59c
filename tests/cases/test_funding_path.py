"""Funding paths and company lookup on the hand-made universe (see universe.py)."""

from __future__ import annotations

import json
import math

import pytest
from universe import universe

from vcflows.cases import find_company, funding_path
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions


def test_alpha_path_by_hand() -> None:
    p = funding_path(universe(), "ALPHA")
    assert (p.company_id, p.name, p.country) == ("k1", "Alpha", "KOR")
    r = p.rounds.set_index("round_id")
    assert r.index.tolist() == ["r1", "r2", "r3"]  # by date, the undated round last
    assert r["n_investors"].tolist() == [2, 3, 1]
    assert r["foreign_investors"].tolist() == [1, 2, 1]
    assert r["foreign_share"].tolist() == pytest.approx([0.5, 2 / 3, 1.0])
    assert r.loc["r1", "foreign_usd"] == pytest.approx(50.0)
    assert r.loc["r2", "foreign_usd"] == pytest.approx(400 / 3)
    assert math.isnan(r.loc["r3", "foreign_usd"])  # unknown amount
    # 2020-01-10 -> 2021-03-01: 366 days (2020 is a leap year) + 21 + 28 + 1
    assert math.isnan(r.loc["r1", "days_since_previous"])
    assert r.loc["r2", "days_since_previous"] == 416
    assert math.isnan(r.loc["r3", "days_since_previous"])
    assert (
        r.loc["r2", "investors"] == "Thames (GBR, vc, lead); Han VC (KOR, vc); Sand Hill (USA, vc)"
    )
    assert p.total_usd == 300.0
    assert p.foreign_share == pytest.approx((50 + 400 / 3) / 300)
    assert p.foreign_countries == ["GBR", "USA"]
    d = p.to_dict()
    json.dumps(d, allow_nan=False)
    assert [i["investor_id"] for i in d["rounds"][1]["investors"]] == ["gb_vc", "kor_vc", "us_vc"]


def test_lead_attribution_and_unknown_countries() -> None:
    con = universe()
    lead = funding_path(con, "k1", FlowOptions(attribution="lead")).rounds.set_index("round_id")
    assert lead.loc["r2", "foreign_share"] == 1.0 and lead.loc["r1", "foreign_share"] == 0.5
    gamma = funding_path(con, "k3")
    # Nowhere's country is unknown: left out of the share, not counted as domestic.
    assert gamma.rounds.loc[0, "foreign_share"] == 0.0
    assert gamma.rounds.loc[0, "n_investors"] == 2
    assert gamma.participants.set_index("investor_id")["foreign"].isna().tolist() == [False, True]
    twin = funding_path(con, "k7")
    assert twin.rounds.loc[0, "n_investors"] == 0 and math.isnan(
        twin.rounds.loc[0, "foreign_share"]
    )
    later = funding_path(con, "k1", FlowOptions(year_from=2021))
    assert later.rounds["round_id"].tolist() == ["r2"]
    assert funding_path(con, "Bakery").rounds["amount_usd"].tolist() == [999.0]  # any sector


def test_lookup_lists_candidates() -> None:
    con = universe()
    assert find_company(con, "u1") == "u1"
    assert find_company(con, " delta ") == "k4"
    with pytest.raises(
        OptionError, match=r"2 companies are named 'twin'.*k7 \(Twin, KOR\).*u1 \(TWIN, USA\)"
    ):
        funding_path(con, "twin")
    with pytest.raises(OptionError, match=r"candidates.*k1 \(Alpha, KOR\)"):
        funding_path(con, "alp")
    with pytest.raises(OptionError, match="no company id or name matches"):
        funding_path(con, "Zzz")


def test_several_paths_at_once_keep_each_company_apart() -> None:
    from vcflows.cases import funding_paths

    con = universe()
    alpha, gamma, twin, again = funding_paths(con, ["ALPHA", "k3", "k7", "k1"])
    assert alpha.company_id == again.company_id == "k1"
    r = alpha.rounds.set_index("round_id")
    # The hand values of test_alpha_path_by_hand: the other companies' rounds, interleaved in
    # time, neither enter k1's rows nor its days between rounds.
    assert r.index.tolist() == ["r1", "r2", "r3"]
    assert r["n_investors"].tolist() == [2, 3, 1]
    assert r["foreign_share"].tolist() == pytest.approx([0.5, 2 / 3, 1.0])
    assert r.loc["r2", "days_since_previous"] == 416
    assert math.isnan(r.loc["r1", "days_since_previous"])
    assert alpha.foreign_countries == ["GBR", "USA"]
    assert gamma.rounds.loc[0, "foreign_share"] == 0.0 and gamma.rounds.loc[0, "n_investors"] == 2
    assert gamma.participants.set_index("investor_id")["foreign"].isna().tolist() == [False, True]
    assert twin.rounds.loc[0, "n_investors"] == 0
    assert set(twin.participants["round_id"]) == set()
    assert funding_paths(con, []) == []


def test_same_path_with_and_without_the_flow_base() -> None:
    from pandas.testing import assert_frame_equal

    from vcflows.cases import funding_paths
    from vcflows.flows import base_relation, refresh_flow_base

    con = universe()
    opts = FlowOptions(attribution="lead")
    ids = ["k1", "k3", "k7"]
    inline = [p.rounds for p in funding_paths(con, ids, opts)]
    refresh_flow_base(con)
    assert base_relation(con) is not None  # the queries now read the flow base
    # Deal weights are summed with fsum, so row order (which differs) cannot change a share.
    for before, after in zip(inline, funding_paths(con, ids, opts), strict=True):
        assert_frame_equal(before, after.rounds)
