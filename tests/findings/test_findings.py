"""The catalogue of findings: hand-computed values, inverted world, coverage, bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pytest
from deals import make_db  # type: ignore[import-not-found]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from worlds import U, inverted_world, reported_world  # type: ignore[import-not-found]

from vcflows import FindingOptions, country_indicators, evaluate_findings
from vcflows.findings import Finding
from vcflows.findings.evaluate import ONE_COUNTRY
from vcflows.flows import FlowOptions

LOOSE = FindingOptions(min_rounds=1, resamples=50, seed=1)


def _by(found: tuple[Finding, ...]) -> dict[tuple[str, str], Finding]:
    return {(f.claim, f.subject): f for f in found}


def test_reported_world_hand_computed() -> None:
    f = _by(evaluate_findings(make_db(reported_world()), FlowOptions(), "KOR", LOOSE))
    # inbound: USA 800 + 100 (GBR) + 100 (DEU); GBR, CAN, ISR, CHN 100 each; KOR 103
    total = 1000 + 4 * 100 + 103
    assert f["us_dominant", "USA"].value == pytest.approx(1000 / total)
    assert f["us_dominant", "USA"].holds is True
    assert f["us_dominant", "USA"].figures["rank"] == 1
    # US investors: 800 at home; 2/3 of GBR, CAN, ISR rounds; half of kr2
    us_out = 800 + 3 * 200 / 3 + 1.5
    assert f["home_focus", "USA"].value == pytest.approx(800 / us_out)
    assert f["home_focus", "USA"].amount_usd == pytest.approx(us_out * U)
    assert f["home_focus", "CHN"].value == pytest.approx(1.0)
    for hub in ("GBR", "CAN", "ISR"):
        assert f["foreign_hub", hub].value == pytest.approx(2 / 3)
        assert f["foreign_hub", hub].figures["top_source"] == "USA"
        assert f["foreign_hub", hub].holds is True
    gb_out = 100 / 3 + 100
    assert f["outward", "GBR"].value == pytest.approx(100 / gb_out)
    assert f["outward", "DEU"].value == pytest.approx(1.0)
    assert f["outward", "EU27"].value == pytest.approx(1.0)
    kor = f["focus_low_foreign", "KOR"]
    assert kor.value == pytest.approx(1.5 / 103)
    # peers' foreign shares: USA 0.2, GBR/CAN/ISR 2/3, CHN 0 (DEU received nothing)
    assert kor.threshold == pytest.approx(float(np.median([0.2, 2 / 3, 2 / 3, 2 / 3, 0.0])))
    assert kor.holds is True
    champ = f["champions_abroad", "KOR"]  # k2: USD 15 m foreign, 50% foreign
    assert champ.value == 1 and champ.figures["companies"] == "k2" and champ.holds is True
    # No founder data in these worlds: talent_draws_foreign is undetermined, every other holds.
    talent = f.pop(("talent_draws_foreign", "KOR"))
    assert talent.holds is None and talent.reason is not None and "jobs.csv" in talent.reason
    assert all(x.holds is True for x in f.values()), [k for k, x in f.items() if not x.holds]


def test_inverted_world_holds_no_claim() -> None:
    found = evaluate_findings(make_db(inverted_world()), FlowOptions(), "KOR", LOOSE)
    by = _by(found)
    assert {x.claim for x in found} == {
        "us_dominant", "home_focus", "foreign_hub", "outward", "focus_low_foreign",
        "champions_abroad", "talent_draws_foreign",
    }  # fmt: skip
    assert by.pop(("talent_draws_foreign", "KOR")).holds is None  # no founder data
    assert ("outward", "DEU") in by and ("outward", "EU27") in by
    assert [k for k, x in by.items() if x.holds is not False] == []
    assert by["us_dominant", "USA"].figures["rank"] != 1
    assert by["home_focus", "USA"].value == pytest.approx(0.0)
    assert by["focus_low_foreign", "KOR"].value == pytest.approx(1.0)


def test_thresholds_change_the_verdict_and_are_echoed() -> None:
    con = make_db(reported_world())
    strict = FindingOptions(thresholds={"home_focus": 0.9}, min_rounds=1, resamples=0)
    by = _by(evaluate_findings(con, FlowOptions(), "KOR", strict))
    assert by["home_focus", "USA"].threshold == 0.9 and by["home_focus", "USA"].holds is False
    assert by["home_focus", "CHN"].holds is True


def test_coverage_guard_on_one_country_store() -> None:
    rounds = [
        (f"r{i}", f"k{i % 7}", "KOR", 2021, 5 * U, [("kr_a", "KOR"), (f"x{i % 3}", "USA")])
        for i in range(40)
    ]
    found = evaluate_findings(make_db(rounds), FlowOptions(), "KOR", FindingOptions(resamples=20))
    by = _by(found)
    assert by["us_dominant", "USA"].holds is None
    assert by["us_dominant", "USA"].reason == ONE_COUNTRY
    # US investors took part in 40 rounds: home_focus is decided (on outbound rounds) ...
    assert by["home_focus", "USA"].n_rounds == 40 and by["home_focus", "USA"].holds is False
    # ... GBR has no inbound round, CHN no outbound one
    assert by["foreign_hub", "GBR"].reason == "GBR: 0 inbound rounds, fewer than 30"
    assert by["home_focus", "CHN"].reason == "CHN: 0 outbound rounds, fewer than 30"
    assert by["foreign_hub", "GBR"].holds is None and by["home_focus", "CHN"].holds is None
    assert by["focus_low_foreign", "KOR"].n_rounds == 40


def _spread_world(n: int) -> list[tuple[object, ...]]:
    rng = np.random.default_rng(3)
    out = []
    for i in range(n):
        cc = ["USA", "GBR", "KOR"][i % 3]
        inv = [("us_a", "USA")] if rng.random() < 0.6 else [(f"{cc}_a", cc)]
        out.append((f"r{i}", f"c{i}", cc, 2021, float(rng.integers(1, 50)) * U, inv))
    return out


def test_bootstrap_is_reproducible_and_brackets_the_value() -> None:
    con = make_db(_spread_world(300))
    opts = FindingOptions(min_rounds=1, resamples=200, seed=7)
    a, b = (
        evaluate_findings(con, FlowOptions(), "KOR", opts),
        evaluate_findings(con, FlowOptions(), "KOR", opts),
    )
    assert a == b
    other = evaluate_findings(con, FlowOptions(), "KOR", FindingOptions(min_rounds=1, seed=8))
    intervals = [(x.ci_low, x.ci_high) for x in a if x.ci_low is not None]
    assert intervals and intervals != [(x.ci_low, x.ci_high) for x in other if x.ci_low is not None]
    for x in a:
        if x.ci_low is None or x.value is None:
            continue
        assert x.ci_high is not None and x.ci_low <= x.value <= x.ci_high, x
        if 0.0 < x.value < 1.0:  # a share strictly inside (0, 1) varies across resamples
            assert x.ci_low < x.ci_high, x
        t = x.threshold
        if x.robust:
            assert t is not None and (x.ci_low >= t or x.ci_high < t)


_COUNTRIES = ["USA", "CHN", "GBR", "CAN", "ISR", "DEU", "FRA", "KOR"]
_round = st.tuples(
    st.sampled_from(_COUNTRIES),
    st.floats(min_value=1.0, max_value=100.0),
    st.lists(st.sampled_from(_COUNTRIES), min_size=1, max_size=3),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_round, min_size=1, max_size=25))
def test_holds_is_its_predicate_on_country_indicators(spec: list) -> None:  # type: ignore[type-arg]
    rounds = [
        (f"r{i}", f"c{i}", cc, 2021, amt * U, [(f"{ic}_{j}", ic) for j, ic in enumerate(invs)])
        for i, (cc, amt, invs) in enumerate(spec)
    ]
    con = make_db(rounds)
    options = FindingOptions(min_rounds=0, resamples=0)
    found = evaluate_findings(con, FlowOptions(), "KOR", options)
    ind = country_indicators(con, FlowOptions()).set_index("country")
    th = options.thresholds

    def col(country: str, name: str) -> float:
        return float(ind.loc[country, name]) if country in ind.index else math.nan

    for f in found:
        if f.claim == "us_dominant":
            value = col("USA", "share_global")
            want = value >= th["us_dominant"] and ind.index[0] == "USA"
        elif f.claim == "home_focus":
            value = 1 - col(f.subject, "overseas_share_out")
            want = value >= th["home_focus"]
        elif f.claim == "foreign_hub":
            value = col(f.subject, "foreign_share_in")
            srcs = ind.loc[f.subject, "top_sources"] if f.subject in ind.index else []
            want = value >= th["foreign_hub"] and bool(srcs) and srcs[0]["partner"] == "USA"
        elif f.claim == "outward" and f.subject != "EU27":
            value = col(f.subject, "overseas_share_out")
            want = value >= th["outward"]
        elif f.claim == "focus_low_foreign":
            value = col("KOR", "foreign_share_in")
            want = f.threshold is not None and value < f.threshold
        else:
            continue
        if math.isnan(value) or (f.claim == "focus_low_foreign" and f.threshold is None):
            assert f.holds is None and f.reason, f
            continue
        if f.claim == "us_dominant" and (ind["rounds_in"] >= 1).sum() < 2:
            assert f.holds is None
            continue
        assert f.value == pytest.approx(value, abs=1e-12), f
        assert f.holds is bool(want), f
