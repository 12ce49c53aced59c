"""Sensitivity in the main text: ranges across attribution methods and the mega-round variant."""

from __future__ import annotations

import math
from typing import Any

import pytest
from deals import make_db

from vcflows.findings import FindingOptions
from vcflows.findings.sensitivity import method_range, without_mega_rounds
from vcflows.flows import FlowOptions
from vcflows.indicators import country_indicators
from vcflows.presentation.i18n import Text
from vcflows.report._compute import _sensitivity
from vcflows.report._summary import _Builder, _mega_rounds, _method_ranges

OPTS = FlowOptions(sector="all")
ONE = FindingOptions(min_rounds=1)


def test_method_range_is_wide_only_beyond_five_points() -> None:
    wide = method_range({"equal": 0.10, "full": 0.16, "lead": 0.12})
    assert (wide.low, wide.low_method, wide.high, wide.high_method) == (0.10, "equal", 0.16, "full")
    assert wide.wide
    assert not method_range({"equal": 0.10, "full": 0.14, "lead": 0.12}).wide
    assert not method_range({"equal": 0.3, "full": 0.3, "lead": 0.3}).wide
    nan = method_range({"equal": float("nan"), "full": None, "lead": float("nan")})  # type: ignore[dict-item]
    assert math.isnan(nan.width) and not nan.wide
    tie = method_range({"equal": 0.2, "full": 0.5, "lead": 0.2})
    assert tie.low_method == "equal"  # ties: the first method in equal, full, lead order


def _range_sentences(rounds: list[tuple[Any, ...]], lang: str = "en") -> list[str]:
    con = make_db(rounds)
    ind = country_indicators(con, OPTS)
    data = {"tables": {"sensitivity": _sensitivity(con, OPTS, "KOR", ind)}, "meta": {}}
    b = _Builder(data, Text(lang))
    return [s.text for s in _method_ranges(b, "KOR", ("share_global", "foreign_share_in"))]


def test_range_sentence_when_the_methods_differ_by_more_than_five_points() -> None:
    # One Korean round of 90 with two Korean investors and a US lead: the foreign share is
    # 1/3 split equally, 90 / (90 + 90) = 1/2 with full credit, 1 by the lead.
    wide = [
        ("k1", "k1", "KOR", 2021, 90.0, [("kr_a", "KOR"), ("kr_b", "KOR"), ("us_a", "USA", True)])
    ]
    (sentence,) = _range_sentences(wide)  # KOR's share of the world is 100% under every method
    assert sentence == (
        "Its foreign share depends on how a round is split among investor countries: "
        "33.3% by equal split, 100.0% by lead investor."
    )
    (ko,) = _range_sentences(wide, "ko")
    assert "33.3%" in ko and "100.0%" in ko and "균등 배분" in ko and "리드 투자자" in ko


@pytest.mark.parametrize(
    "rounds",
    [
        # 50% foreign under every method (no lead: lead falls back to equal)
        [("k1", "k1", "KOR", 2021, 90.0, [("kr_a", "KOR"), ("us_a", "USA")])],
        # 50 / 1100 = 4.5% split equally, 100 / 1200 = 8.3% with full credit: 3.8 points
        [
            ("k1", "k1", "KOR", 2021, 100.0, [("kr_a", "KOR"), ("us_a", "USA")]),
            ("k2", "k2", "KOR", 2021, 1000.0, [("kr_a", "KOR")]),
        ],
    ],
)
def test_no_range_sentence_within_five_points(rounds: list[tuple[Any, ...]]) -> None:
    assert _range_sentences(rounds) == []


def _world(extra: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Peers: USA 50% foreign (100 of 200 from GBR), GBR 100%, CHN 0%: median 50%."""
    return [
        ("u1", "u1", "USA", 2021, 100.0, [("us_a", "USA")]),
        ("u2", "u2", "USA", 2021, 100.0, [("gb_a", "GBR")]),
        ("g1", "g1", "GBR", 2021, 100.0, [("us_a", "USA")]),
        ("n1", "n1", "CHN", 2021, 100.0, [("cn_a", "CHN")]),
        *[(f"k{i}", f"k{i}", "KOR", 2021, 10.0, [("kr_a", "KOR")]) for i in (2, 3, 4)],
        *extra,
    ]


MEGA_KOREAN = ("k1", "k1", "KOR", 2021, 1000.0, [("us_b", "USA")])


def test_removing_the_mega_round_changes_the_focus_verdict() -> None:
    con = make_db(_world([MEGA_KOREAN]))
    v = without_mega_rounds(con, OPTS, "KOR", ONE)
    # 8 rounds with an amount: ceil(1% of 8) = 1 round removed, the Korean 1,000.
    assert (v.rounds_removed, v.min_amount_usd, v.removed_usd) == (1, 1000.0, 1000.0)
    (low,) = [x for x in v.verdicts if x.claim == "focus_low_foreign"]
    assert low.value == pytest.approx(1000 / 1030) and low.threshold == pytest.approx(0.5)
    assert low.holds is False  # 97.1% foreign: not below the peers' 50%
    assert low.value_without == 0.0 and low.threshold_without == pytest.approx(0.5)
    assert low.holds_without is True
    assert v.changed == (low,)
    frame = v.frame()
    (sentence,) = _mega_rounds(_Builder({"tables": {"mega_rounds": frame}, "meta": {}}, Text("en")))
    assert sentence.text == (
        "Without the largest 1.0% of rounds by amount (1 of $1.0 k or more, $1.0 k in all), the "
        'finding "Its foreign share is below its peers\' median" for South Korea reads '
        "supported instead of not supported (0.0% against 50.0%)."
    )
    (ko,) = _mega_rounds(_Builder({"tables": {"mega_rounds": frame}, "meta": {}}, Text("ko")))
    assert "지지되지 않음에서 지지됨으로" in ko.text


def test_no_mega_sentence_when_the_verdict_stands() -> None:
    # The largest round is now a US domestic 5,000: USA's foreign share falls to 100 / 5,200 and
    # the peers' median to 1.9% with it, 50% without; Korea's 97.1% is above both.
    con = make_db(_world([MEGA_KOREAN, ("u3", "u3", "USA", 2021, 5000.0, [("us_a", "USA")])]))
    v = without_mega_rounds(con, OPTS, "KOR", ONE)
    assert (v.rounds_removed, v.min_amount_usd) == (1, 5000.0)
    (low,) = [x for x in v.verdicts if x.claim == "focus_low_foreign"]
    assert low.threshold == pytest.approx(100 / 5200) and low.threshold_without == pytest.approx(
        0.5
    )
    assert low.holds is False and low.holds_without is False and not v.changed
    b = _Builder({"tables": {"mega_rounds": v.frame()}, "meta": {}}, Text("en"))
    assert _mega_rounds(b) == []


def test_the_coverage_guard_applies_on_both_sides() -> None:
    con = make_db(_world([MEGA_KOREAN]))
    v = without_mega_rounds(con, OPTS, "KOR", FindingOptions(min_rounds=4))
    (low,) = [x for x in v.verdicts if x.claim == "focus_low_foreign"]
    # 4 Korean rounds with the mega-round, 3 without: decided, then undetermined.
    assert low.holds is False and low.holds_without is None and low.changed
