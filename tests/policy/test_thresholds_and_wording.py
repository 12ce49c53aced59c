"""Gravity-gap floor, champions' minimum foreign share, the pipeline predicate, sector words."""

from __future__ import annotations

import pandas as pd
import pytest
from dealbook import build
from textcheck import unmatched_numbers
from world import world

from vcflows.cases import champions
from vcflows.flows import FlowOptions
from vcflows.policy import PolicySettings, assess, fund_scenario, gather, run_rules


def _gaps(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["partner", "actual_usd", "expected_usd"])
    df["direction"] = "inbound"
    df["ratio"] = df["actual_usd"] / df["expected_usd"]
    df["gap_usd"] = df["expected_usd"] - df["actual_usd"]
    return df


def _with_gaps(gaps: pd.DataFrame, settings: PolicySettings | None = None) -> object:
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False, settings=settings)
    inputs.gravity_gaps = gaps
    inputs.missing.pop("gravity")
    return inputs


def test_gravity_gaps_under_one_percent_of_inbound_are_dropped_and_counted() -> None:
    # KOR's inbound money is 400: the floor is 4. ITA (gap 3) and ESP (gap 3.9) are dropped;
    # FRA (the headline partner of foreign_share) and DEU (gap 40) are kept.
    gaps = _gaps([("FRA", 5.0, 100.0), ("DEU", 10.0, 50.0), ("ITA", 0.0, 3.0), ("ESP", 0.1, 4.0)])
    res = run_rules(_with_gaps(gaps))
    ids = [i.id for i in res.implications]
    assert "gravity_partner:DEU" in ids
    assert "gravity_partner:ITA" not in ids and "gravity_partner:ESP" not in ids
    assert res.notes == [
        "2 gravity gaps under 1.0% of KOR's inbound money (USD 4) left out, together USD 7"
    ]
    assert res.to_dict()["notes"] == res.notes
    # A lower floor (0.5%: USD 2) keeps both; ESP is among the three largest gaps (FRA, DEU,
    # ESP), ITA is not.
    low = run_rules(_with_gaps(gaps, PolicySettings(min_gap_share=0.005)))
    assert "gravity_partner:ESP" in {i.id for i in low.implications}
    assert low.notes == []


def test_a_small_gap_is_not_the_headline_partner() -> None:
    # The only under-invested partner with an observed flow has a gap of 1 (< 4): the foreign
    # share sentence names no partner.
    res = run_rules(_with_gaps(_gaps([("FRA", 0.5, 1.5)])))
    fs = next(i for i in res.implications if i.id == "foreign_share")
    assert "partner" not in fs.figures and "gravity" not in fs.text
    assert len(res.notes) == 1 and res.notes[0].startswith("1 gravity gap under 1.0%")


def test_a_gap_worth_under_one_percent_is_not_stated() -> None:
    # Peers at 13.0% foreign against KOR's 12.5%: (0.13 - 0.125) x 400 = USD 2 at stake, under
    # the floor of USD 4 (the shares would both read 12.5%/13.0%, the money is trivial).
    inputs = gather(world(300.0), "KOR", FlowOptions(), with_gravity=False)
    ind = inputs.profile.indicators
    ind.loc[ind["country"].isin(inputs.peers), "foreign_share_in"] = 0.13
    res = run_rules(inputs)
    assert "foreign_share" not in {i.id for i in res.implications}
    assert {s.rule: s.reason for s in res.skipped}["foreign_share"] == (
        "USD 2 at stake, under 1.0% of KOR's inbound money (USD 4)"
    )
    ind.loc[ind["country"].isin(inputs.peers), "foreign_share_in"] = 0.14  # USD 6: stated
    item = next(i for i in run_rules(inputs).implications if i.id == "foreign_share")
    assert item.amount_usd == pytest.approx(6.0)


# k1 raised 1,250: 10 with a US co-investor (5 foreign), 1,240 domestic: 0.4% foreign.
# k2 raised 100, half American. USA and GBR companies give the peers.
_COMPANIES = {
    "k1": ("Big Korea", "KOR", True),
    "k2": ("Small Korea", "KOR", True),
    "u1": ("Yankee", "USA", True),
    "g1": ("Albion", "GBR", True),
}
_INVESTORS = {
    "kv": ("Han VC", "KOR", "vc"),
    "uv": ("Sand Hill", "USA", "vc"),
    "gv": ("Thames", "GBR", "vc"),
}
_ROUNDS = [
    ("r1", "k1", "2020-03-01", "seed", 10.0, ["kv", "uv"]),
    ("r2", "k1", "2021-03-01", "series_a", 1240.0, ["kv"]),
    ("r3", "k2", "2021-03-01", "seed", 100.0, ["kv", "uv"]),
    ("r4", "u1", "2021-03-01", "seed", 500.0, ["uv"]),
    ("r5", "g1", "2021-03-01", "seed", 200.0, ["gv", "uv"]),
]


def test_a_company_barely_foreign_is_no_champion() -> None:
    con = build(_COMPANIES, _INVESTORS, _ROUNDS)
    assert champions(con, FlowOptions(), country="KOR")["company_id"].tolist() == ["k2"]
    every = champions(con, FlowOptions(), country="KOR", min_foreign_share=0.0)
    assert every["company_id"].tolist() == ["k1", "k2"]
    assert every.loc[0, "foreign_share"] == pytest.approx(5 / 1250)
    item = next(
        i for i in assess(con, "KOR", with_gravity=False).implications if i.rule == "champions"
    )
    assert (item.figures["company"], item.figures["n_champions"]) == ("Small Korea", 1.0)
    assert item.figures["min_foreign_share"] == 0.2
    assert "at least 20.0% foreign money" in item.text
    low = assess(
        con, "KOR", with_gravity=False, settings=PolicySettings(champion_min_foreign_share=0.001)
    )
    item = next(i for i in low.implications if i.rule == "champions")
    assert (item.figures["company"], item.figures["n_champions"]) == ("Big Korea", 2.0)


def test_pipeline_words_only_when_the_rest_lacks_foreign_money() -> None:
    # world(300): KOR's champion k1 is half foreign; the rest (k2, 300) has no foreign money,
    # against a peer median foreign share of 7/12: the pipeline clause holds.
    item = next(
        i
        for i in assess(world(300.0), "KOR", with_gravity=False).implications
        if i.rule == "champions"
    )
    assert item.figures["rest_foreign_share"] == 0.0
    assert item.figures["peer_median"] == pytest.approx(7 / 12)
    assert "where foreign money is missing" in item.text
    # Six Korean companies, all American-funded (85%+ of KOR's money foreign): the top five
    # are the champions, the sixth is the rest, 100% foreign: no "missing" words.
    companies = {f"k{i}": (f"K{i}", "KOR", True) for i in range(6)} | {
        "u1": ("Yankee", "USA", True),
        "g1": ("Albion", "GBR", True),
    }
    rounds = [(f"r{i}", f"k{i}", "2021-03-01", "seed", 100.0 * (i + 1), ["uv"]) for i in range(6)]
    rounds += [
        ("ru", "u1", "2021-03-01", "seed", 500.0, ["uv"]),
        ("rg", "g1", "2021-03-01", "seed", 200.0, ["gv", "uv"]),
    ]
    con = build(companies, _INVESTORS, rounds)
    for lang in ("en", "ko"):
        res = assess(con, "KOR", with_gravity=False, lang=lang)
        item = next(i for i in res.implications if i.rule == "champions")
        assert item.figures["rest_foreign_share"] == 1.0  # k0: 100 of 100 foreign
        assert item.figures["company"] == "K5"
        assert "missing" not in item.text and "부족" not in item.text, item.text
        assert unmatched_numbers(item.text, item.figures) == []
        if lang == "en":
            assert "drew 100.0% of their money from foreign investors, against" in item.text


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("sector", ["all"])
def test_sentences_follow_the_sector(lang: str, sector: str) -> None:
    inputs = gather(world(300.0), "KOR", FlowOptions(sector=sector), with_gravity=False)
    inputs.gravity_gaps = _gaps([("FRA", 5.0, 100.0), ("DEU", 10.0, 50.0), ("GBR", 0.0, 30.0)])
    inputs.missing.pop("gravity")
    res = run_rules(inputs, lang)
    assert len(res.implications) >= 4
    for item in res.implications:
        assert "AI" not in item.text, item.text
    for skipped in res.skipped:
        assert "AI" not in skipped.reason, skipped.reason
    scen = fund_scenario(world(300.0), "KOR", FlowOptions(sector=sector), fund_usd=100.0)
    assert scen.assumptions and not any("AI" in a for a in scen.assumptions)
    ai = run_rules(_with_gaps(inputs.gravity_gaps), lang)
    assert any("AI" in i.text for i in ai.implications)
