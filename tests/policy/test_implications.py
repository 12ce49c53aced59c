"""Policy implications on a hand-computed five-country world (see world.py)."""

from __future__ import annotations

import json
import logging
import math
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest
from dealbook import build
from textcheck import unmatched_numbers
from world import world

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.policy import assess, gather, implications, run_rules

PEER_MEDIAN = (0.5 + 2 / 3) / 2  # GBR, JPN, DEU, USA foreign shares: 1/12, 1/2, 2/3, 2/3


def _by_id(items: list) -> dict:
    return {i.id: i for i in items}


def test_korea_by_hand() -> None:
    res = assess(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    assert res.peers == ["DEU", "GBR", "JPN", "USA"]
    # Ranked by the money at stake (USD), not by the rules' weights (by weight, partner
    # concentration came before champions).
    assert [i.id for i in res.implications] == [
        "foreign_share",  # (7/12 - 1/8) x 400 = 183.33
        "foreign_corporate",  # (1/6 - 0) x 400 = 66.67
        "champions",  # k1's foreign money: 50
        "partner_concentration",  # (1 - 0.75) x foreign inbound 50 = 12.5
    ]
    assert [i.amount_usd for i in res.implications] == pytest.approx(
        [(PEER_MEDIAN - 1 / 8) * 400, 400 / 6, 50.0, 12.5]
    )
    assert [i.rank for i in res.implications] == [1, 2, 3, 4]
    items = _by_id(res.implications)
    fs = items["foreign_share"]
    assert fs.figures["foreign_share_in"] == pytest.approx(50 / 400)
    assert fs.figures["peer_median"] == pytest.approx(PEER_MEDIAN)
    assert fs.figures["n_peers"] == 4
    assert fs.priority == pytest.approx((PEER_MEDIAN - 1 / 8) / PEER_MEDIAN)
    assert fs.text == (
        "Foreign investors supplied 12.5% of South Korea's inbound AI venture capital ($400), "
        "against a median of 58.3% across 4 peer countries: attracting foreign co-investment "
        "would close the gap."
    )
    corp = items["foreign_corporate"]
    assert corp.figures["foreign_corporate_share"] == 0.0
    assert corp.figures["peer_median"] == pytest.approx(1 / 6)  # JPN and DEU: 1/3 each
    assert corp.priority == pytest.approx(0.7)
    conc = items["partner_concentration"].figures
    assert (conc["top_partner"], conc["top_partner_share"], conc["partner_hhi"]) == (
        "USA",
        1.0,
        1.0,
    )
    assert conc["peer_median"] == pytest.approx(0.75)  # HHIs 1, 1, 0.5, 0.5
    champ = items["champions"].figures
    assert (champ["company"], champ["total_usd"], champ["foreign_share"]) == (
        "Hana Robotics",
        100.0,
        0.5,
    )
    skipped = {s.rule: s.reason for s in res.skipped}
    assert set(skipped) == {
        "gravity_partner",
        "rank_gap",
        "syndicate",
        "typology",
        "scale_up",
        "home_big_tech",
    }
    assert "no early-stage or no late-stage" in skipped["scale_up"]  # every round is early
    assert "no big-tech group of KOR" in skipped["home_big_tech"]  # fictional investors
    assert "rank 2" in skipped["rank_gap"] and "deals_in+deals_out" in skipped["typology"]
    json.dumps(res.to_dict(), allow_nan=False)


def test_one_figure_changes_text_figures_and_ranking() -> None:
    # Only rk2's amount differs: KOR's foreign share goes from 50/400 to 50/200.
    big = _by_id(implications_no_gravity(world(300.0)))
    small = _by_id(implications_no_gravity(world(100.0)))
    assert big["foreign_share"].figures["foreign_share_in"] == pytest.approx(0.125)
    assert small["foreign_share"].figures["foreign_share_in"] == pytest.approx(0.25)
    assert big["foreign_share"].text != small["foreign_share"].text
    assert "25.0%" in small["foreign_share"].text and "$200" in small["foreign_share"].text
    # Money at stake: (7/12 - 1/8) x 400 = 183.3 against 400/6 = 66.7, and (7/12 - 1/4) x 200
    # = 66.7 against 200/6 = 33.3 (by weight x shortfall the ranking flipped: 0.571 < 0.7).
    assert big["foreign_share"].amount_usd == pytest.approx(550 / 3)
    assert small["foreign_share"].amount_usd == pytest.approx(200 / 3)
    assert small["foreign_corporate"].amount_usd == pytest.approx(100 / 3)
    # ... and the champions' 50 foreign dollars now come before the corporate gap.
    assert [small[k].rank for k in ("foreign_share", "champions", "foreign_corporate")] == [
        1,
        2,
        3,
    ]
    # Figures that do not depend on rk2 stay put.
    assert big["foreign_corporate"].figures == small["foreign_corporate"].figures


def implications_no_gravity(con: duckdb.DuckDBPyConnection) -> list:
    return assess(con, "KOR", FlowOptions(), with_gravity=False).implications


def _gaps() -> pd.DataFrame:
    rows = [  # partner, direction, actual, expected
        ("FRA", "inbound", 5.0, 100.0),
        ("DEU", "inbound", 10.0, 50.0),
        ("GBR", "inbound", 0.0, 30.0),
        ("JPN", "inbound", 40.0, 60.0),  # 2/3 of expected: not under-invested enough
        ("USA", "outbound", 0.0, 500.0),  # outbound: not a source of co-investment
    ]
    df = pd.DataFrame(rows, columns=["partner", "direction", "actual_usd", "expected_usd"])
    df["ratio"] = df["actual_usd"] / df["expected_usd"]
    df["gap_usd"] = df["expected_usd"] - df["actual_usd"]
    return df


def test_gravity_partners_and_the_headline_partner() -> None:
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    inputs.gravity_gaps = _gaps()
    inputs.missing.pop("gravity")
    res = run_rules(inputs)
    items = _by_id(res.implications)
    # FRA, DEU and GBR are under-invested; the headline names FRA (the largest dollar gap
    # with an observed flow), with its amounts, and the gravity rule does not repeat it.
    assert {k for k in items if k.startswith("gravity")} == {
        "gravity_partner:DEU",
        "gravity_partner:GBR",
    }
    deu = items["gravity_partner:DEU"]
    assert deu.figures["multiple"] == pytest.approx(5.0)
    assert deu.priority == pytest.approx(0.9 * 0.8)
    assert "expects 5.0× the observed flow from Germany into South Korea" in deu.text
    assert "$50 expected against $10 observed" in deu.text
    gbr = items["gravity_partner:GBR"]
    assert "multiple" not in gbr.figures and "where no flow is observed" in gbr.text
    assert "from the United Kingdom into South Korea" in gbr.text
    fs = items["foreign_share"]
    assert (fs.figures["partner"], fs.figures["expected_usd"], fs.figures["actual_usd"]) == (
        "FRA",
        100.0,
        5.0,
    )
    assert fs.text.endswith(
        "attract co-investment from France, where the gravity model expects 20.0× the observed "
        "flow ($100 against $5)."
    )
    # USD at stake: foreign share 183.3, foreign corporate 66.7, champions 50, DEU 50 - 10,
    # GBR 30 - 0, partner concentration 12.5 (by priority GBR came first: 0.9)
    assert [i.id for i in res.implications] == [
        "foreign_share",
        "foreign_corporate",
        "champions",
        "gravity_partner:DEU",
        "gravity_partner:GBR",
        "partner_concentration",
    ]
    assert items["gravity_partner:DEU"].amount_usd == 40.0
    assert items["gravity_partner:GBR"].amount_usd == 30.0
    assert res.notes == []


def test_gravity_names_the_headline_partner_when_foreign_share_is_silent() -> None:
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    inputs.gravity_gaps = _gaps()
    inputs.missing.pop("gravity")
    # Peers at KOR's foreign share: no shortfall, so the headline names no partner.
    ind = inputs.profile.indicators
    ind.loc[ind["country"].isin(inputs.peers), "foreign_share_in"] = 0.1
    items = _by_id(run_rules(inputs).implications)
    assert "foreign_share" not in items
    assert {k for k in items if k.startswith("gravity")} == {
        "gravity_partner:FRA",
        "gravity_partner:DEU",
        "gravity_partner:GBR",
    }


@pytest.mark.parametrize("amount", [300.0, 100.0])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_number_in_text_is_a_figure(amount: float, lang: str) -> None:
    inputs = gather(world(amount), "KOR", FlowOptions(), with_gravity=False)
    inputs.gravity_gaps = _gaps()
    res = run_rules(inputs, lang)
    assert len(res.implications) >= 6
    for item in res.implications:
        assert unmatched_numbers(item.text, item.figures) == [], item.text
        assert item.queries and item.queries[0].startswith("opts = FlowOptions(")


def test_queries_reproduce_the_figures() -> None:
    con = world(300.0)
    item = _by_id(implications_no_gravity(con))["foreign_share"]
    from vcflows.flows import FlowOptions as _FlowOptions
    from vcflows.indicators import profile

    ns: dict[str, object] = {"con": con, "FlowOptions": _FlowOptions, "profile": profile}
    *setup, focus_q, median_q = item.queries
    for line in setup:
        exec(line, ns)
    row = eval(focus_q, ns)
    assert float(row["foreign_share_in"]) == item.figures["foreign_share_in"]
    assert float(row["invested_in_usd"]) == item.figures["invested_in_usd"]
    assert eval(median_q, ns) == pytest.approx(item.figures["peer_median"])


def test_gravity_skips_cleanly_on_tiny_data(caplog: pytest.LogCaptureFixture) -> None:
    con = build(
        {"k1": ("Solo", "KOR", True), "u1": ("Duo", "USA", True), "g1": ("Trio", "GBR", True)},
        {
            "kv": ("Han VC", "KOR", "vc"),
            "uv": ("Sand Hill", "USA", "vc"),
            "gv": ("Thames", "GBR", "vc"),
        },
        [  # three cross-border pairs to estimate from: too few for the gravity model
            ("r1", "k1", "2020-01-01", "seed", 100.0, ["kv", "uv"]),
            ("r2", "u1", "2020-01-01", "seed", 300.0, ["uv", "gv"]),
            ("r3", "g1", "2020-01-01", "seed", 50.0, ["gv"]),
        ],
    )
    with caplog.at_level(logging.INFO, logger="vcflows.policy"):
        res = assess(con, "KOR", FlowOptions())
    assert "GravityError" in res.missing["gravity"]
    skipped = {s.rule: s.reason for s in res.skipped}
    assert skipped["gravity_partner"].startswith("gravity model unavailable (GravityError")
    assert any("gravity_partner skipped" in r.getMessage() for r in caplog.records)
    # The other rules still run: KOR's foreign share (0.5) is above the peer median (USA 0.5,
    # GBR 0 -> 0.25), so that rule skips with its reason, and the champions rule speaks.
    assert skipped["foreign_share"].startswith("at or above the peer median")
    assert [i.id for i in res.implications] == ["champions"]


def test_options_and_errors() -> None:
    con = world(300.0)
    with pytest.raises(OptionError, match="lang"):
        assess(con, "KOR", lang="fr", with_gravity=False)
    with pytest.raises(OptionError, match="no flows"):
        implications(con, "FRA")
    ko = assess(con, "KOR", with_gravity=False, lang="ko").implications
    assert "해외" in ko[0].text and ko[0].figures == implications_no_gravity(con)[0].figures
    d = ko[0].to_dict()
    assert d["query"] == "; ".join(d["queries"]) and not math.isnan(d["priority"])


def _stages(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    """stage_shares-shaped frame from (country, early share, late share)."""
    out = []
    for country, early, late in rows:
        out += [(country, "early", early), (country, "late", late)]
    frame = pd.DataFrame(out, columns=["country", "stage_group", "share"])
    frame["amount_usd"] = frame["share"] * 1000.0  # 1,000 dollars in each stage group
    return frame


def test_scale_up_gap_by_hand() -> None:
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    # late/early: KOR 0.1/0.4 = 0.25; peers DEU 1.0, GBR 0.5, JPN 2.0, USA 1.5 -> median 1.25.
    inputs.stages = _stages(
        [
            ("KOR", 0.4, 0.1),
            ("DEU", 0.1, 0.1),
            ("GBR", 0.2, 0.1),
            ("JPN", 0.05, 0.1),
            ("USA", 0.2, 0.3),
            ("CHN", 0.05, 0.3),  # not a peer of this world: left out of the median
        ]
    )
    items = _by_id(run_rules(inputs).implications)
    item = items["scale_up"]
    assert item.figures["ratio"] == pytest.approx(0.25)
    assert item.figures["peer_median"] == pytest.approx(1.25)
    assert item.figures["n_peers"] == 4
    assert item.priority == pytest.approx(0.6 * (1.25 - 0.25) / 1.25)
    assert item.text.startswith(
        "South Korea's AI companies drew 40.0% of global early-stage AI venture capital and "
        "10.0% of late-stage (late-to-early ratio 0.25 against a peer median of 1.25)"
    )
    # At the peer ratio KOR's late share would be 1.25 x 0.4 = 0.5 of the late money (the late
    # shares add up to 1: 1,000 dollars), against 0.1 now: (0.5 - 0.1) x 1,000 at stake.
    assert item.amount_usd == pytest.approx(400.0)
    assert unmatched_numbers(item.text, item.figures) == []
    ko = _by_id(run_rules(inputs, "ko").implications)["scale_up"].text
    assert "초기 단계 AI 벤처투자의 40.0%, 후기 단계의 10.0%" in ko
    # At the peers' ratio there is nothing to say.
    inputs.stages = _stages([("KOR", 0.4, 0.5), ("DEU", 0.1, 0.1), ("GBR", 0.2, 0.1)])
    res = run_rules(inputs)
    assert "scale_up" not in _by_id(res.implications)
    assert "at or above the peer median" in {s.rule: s.reason for s in res.skipped}["scale_up"]


def test_scale_up_queries_agree_when_a_peer_lacks_a_stage() -> None:
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    # DEU has no late-stage row (ratio 0), JPN no early-stage money (no ratio).
    stages = pd.DataFrame(
        [
            ("KOR", "early", 0.4),
            ("KOR", "late", 0.1),
            ("DEU", "early", 0.2),
            ("GBR", "early", 0.2),
            ("GBR", "late", 0.4),
            ("JPN", "late", 0.2),
            ("USA", "early", 0.2),
            ("USA", "late", 0.3),
        ],
        columns=["country", "stage_group", "share"],
    )
    inputs.stages = stages
    item = _by_id(run_rules(inputs).implications)["scale_up"]
    assert item.figures["n_peers"] == 3 and item.figures["peer_median"] == pytest.approx(1.5)
    ns: dict[str, object] = {"FlowOptions": FlowOptions, "con": None}
    ns["stage_shares"] = lambda con, opts: stages
    *setup, focus_q, median_q = item.queries
    for line in setup:
        exec(line, ns)
    assert eval(median_q, ns) == pytest.approx(item.figures["peer_median"])
    assert eval(focus_q.split("; ")[1], ns) == pytest.approx(item.figures["ratio"])


def _groups(rows: list[tuple[str, str, float, float, float]]) -> pd.DataFrame:
    """A groups table: (group, home country, amount, home_usd, abroad_usd)."""
    return pd.DataFrame(
        rows, columns=["corporate_group", "group_country", "amount_usd", "home_usd", "abroad_usd"]
    )


def test_home_big_tech_by_hand() -> None:
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    # KOR's groups: Samsung 10 home + 90 abroad (+ 5 into unknown countries), Naver 20 + 10.
    groups = _groups(
        [
            ("Samsung", "KOR", 105.0, 10.0, 90.0),
            ("Naver", "KOR", 30.0, 20.0, 10.0),
            ("Alphabet", "USA", 500.0, 400.0, 100.0),  # another country's: not read
        ]
    )
    inputs.groups = groups
    item = _by_id(run_rules(inputs).implications)["home_big_tech"]
    assert item.figures["abroad_share"] == pytest.approx(100 / 130)
    assert (item.figures["abroad_usd"], item.figures["home_usd"]) == (100.0, 30.0)
    assert item.figures["groups"] == "Samsung, Naver"  # largest first
    assert item.priority == pytest.approx(0.5 * (100 / 130 - 0.5) / 0.5)
    assert item.text.startswith(
        "South Korea's own big-tech groups (Samsung, Naver) placed 76.9% of their AI venture "
        "investment abroad ($100, against $30 at home)"
    )
    assert unmatched_numbers(item.text, item.figures) == []
    ko = _by_id(run_rules(inputs, "ko").implications)["home_big_tech"].text
    assert "빅테크 그룹(Samsung, Naver)은 AI 벤처투자의 76.9%" in ko
    # The queries, run against this table, give the figures.
    ns: dict[str, object] = {"FlowOptions": FlowOptions, "con": None}
    ns["corporate_network"] = lambda con, opts: SimpleNamespace(groups=groups)
    opts_q, table_q, share_q, usd_q = item.queries
    exec(opts_q, ns)
    exec(table_q, ns)
    assert eval(share_q, ns) == pytest.approx(item.figures["abroad_share"])
    assert eval(usd_q, ns) == (100.0, 30.0)
    # Mostly at home, or no group of the focus: nothing to say.
    inputs.groups = _groups([("Samsung", "KOR", 100.0, 60.0, 40.0)])
    res = run_rules(inputs)
    assert "home_big_tech" not in _by_id(res.implications)
    assert "invest mostly at home" in {s.rule: s.reason for s in res.skipped}["home_big_tech"]
    inputs.groups = _groups([("Alphabet", "USA", 500.0, 400.0, 100.0)])
    reasons = {s.rule: s.reason for s in run_rules(inputs).skipped}
    assert "no big-tech group of KOR" in reasons["home_big_tech"]
