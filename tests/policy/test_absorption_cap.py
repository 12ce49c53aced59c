"""The fund scenario's absorption cap: hand-computed allocations and a conservation property."""

from __future__ import annotations

import math

import numpy as np
import pytest
from dealbook import build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from world import world

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.policy import fund_scenario
from vcflows.policy.scenario import capped_allocation

# Two Korean companies, equal attribution:
#   k1 raised 100 (kv, uv): foreign 50        k2 raised 400 (kv, kw, kx, uv): foreign 100
# Pro rata to foreign money: k1 1/3, k2 2/3.
COMPANIES = {
    "k1": ("One", "KOR", True),
    "k2": ("Two", "KOR", True),
    "u1": ("Yankee", "USA", True),
}
INVESTORS = {
    "kv": ("Han VC", "KOR", "vc"),
    "kw": ("Dul VC", "KOR", "vc"),
    "kx": ("Set VC", "KOR", "vc"),
    "uv": ("Sand Hill", "USA", "vc"),
}
ROUNDS = [
    ("r1", "k1", "2021-03-01", "seed", 100.0, ["kv", "uv"]),
    ("r2", "k2", "2021-03-01", "series_a", 400.0, ["kv", "kw", "kx", "uv"]),
    ("r3", "u1", "2021-03-01", "seed", 1000.0, ["uv"]),
]


def _two() -> object:
    return build(COMPANIES, INVESTORS, ROUNDS)


def test_the_cap_moves_the_excess_to_the_others() -> None:
    # Fund alone (ratio 0), cap 2: k1 may take 200, k2 800. Fund 900: pro rata k1 300 > 200,
    # so k1 gets 200 and k2 the other 700.
    res = fund_scenario(_two(), "KOR", fund_usd=900.0, co_invest_ratio=0.0, absorption_cap=2.0)
    alloc = res.allocation.set_index("company_id")
    assert alloc.loc["k1", "fund_usd"] == pytest.approx(200.0)
    assert alloc.loc["k2", "fund_usd"] == pytest.approx(700.0)
    assert alloc["capped"].to_dict() == {"k2": False, "k1": True}
    assert (res.fund_placed_usd, res.fund_unplaced_usd) == pytest.approx((900.0, 0.0))
    assert res.value("invested_in_usd") == pytest.approx(500.0 + 900.0)
    assert any("more than 2× what it has raised" in a for a in res.assumptions)


def test_what_no_company_can_absorb_is_unplaced() -> None:
    # Ratio 1, cap 2: each fund dollar brings one foreign dollar, so k1 takes at most 100 of
    # the fund and k2 400. Fund 1,200: both capped, 700 unplaced.
    res = fund_scenario(_two(), "KOR", fund_usd=1200.0, co_invest_ratio=1.0, absorption_cap=2.0)
    alloc = res.allocation.set_index("company_id")
    assert alloc["fund_usd"].to_dict() == pytest.approx({"k2": 400.0, "k1": 100.0})
    assert alloc["foreign_usd"].to_dict() == pytest.approx({"k2": 400.0, "k1": 100.0})
    assert (alloc["fund_usd"] + alloc["foreign_usd"]).to_dict() == pytest.approx(
        (2.0 * alloc["raised_usd"]).to_dict()
    )
    assert (res.fund_placed_usd, res.fund_unplaced_usd) == pytest.approx((500.0, 700.0))
    assert res.value("invested_in_usd") == pytest.approx(500.0 + 1000.0)
    assert res.value("foreign_in_usd") == pytest.approx(150.0 + 500.0)
    assert any("USD 700 of the fund cannot be placed" in a for a in res.assumptions)


def test_default_cap_is_three_times_what_was_raised() -> None:
    # world(): k1 (raised 100) is KOR's only foreign-backed company. Fund 500 with ratio 1
    # would put 1,000 into it; the default cap lets it take 300 (150 fund + 150 foreign).
    res = fund_scenario(world(300.0), "KOR", fund_usd=500.0)
    assert res.absorption_cap == 3.0
    assert res.allocation.loc[0, "fund_usd"] == pytest.approx(150.0)
    assert res.fund_unplaced_usd == pytest.approx(350.0)
    assert res.value("invested_in_usd") == pytest.approx(400.0 + 300.0)
    free = fund_scenario(world(300.0), "KOR", fund_usd=500.0, absorption_cap=None)
    assert free.fund_unplaced_usd == 0.0 and math.isnan(free.allocation.loc[0, "cap_usd"])
    with pytest.raises(OptionError, match="absorption_cap"):
        fund_scenario(world(300.0), "KOR", fund_usd=500.0, absorption_cap=0.0)


@settings(max_examples=200, deadline=None)
@given(
    weights=st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 1e6)), min_size=1, max_size=8),
    caps=st.lists(st.floats(0.0, 1e6), min_size=8, max_size=8),
    total=st.floats(0.0, 5e6),
)
def test_capped_allocation_conserves_money(
    weights: list[float], caps: list[float], total: float
) -> None:
    w = np.array(weights)
    cap = np.array(caps[: len(weights)])
    parts, unplaced = capped_allocation(w, cap, total)
    assert parts.sum() + unplaced == pytest.approx(total, rel=1e-9, abs=1e-6)
    assert np.all(parts >= 0) and np.all(parts <= cap * (1 + 1e-12) + 1e-9)
    assert np.all(parts[w == 0] == 0)
    takers = (w > 0) & (cap > 0)
    if unplaced > 1e-6 * max(total, 1.0):  # money left over: every taker is full
        assert np.allclose(parts[takers], cap[takers])
    free = takers & (parts < cap * (1 - 1e-9))
    if free.sum() > 1:  # the uncapped parts keep the weights' proportions
        ratio = parts[free] / w[free]
        assert np.allclose(ratio, ratio[0], rtol=1e-6)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(st.floats(1.0, 1e4), min_size=1, max_size=5),
    foreign=st.lists(st.integers(1, 3), min_size=5, max_size=5),
    fund=st.floats(1.0, 1e5),
    ratio=st.floats(0.0, 3.0),
    cap=st.floats(0.5, 5.0),
)
def test_scenario_conserves_the_fund_and_respects_the_cap(
    amounts: list[float], foreign: list[int], fund: float, ratio: float, cap: float
) -> None:
    # Company i has one round of amounts[i] with one Korean and foreign[i] American investors.
    companies = {f"k{i}": (f"K{i}", "KOR", True) for i in range(len(amounts))}
    investors = {"kv": ("Han", "KOR", "vc")} | {f"u{j}": (f"U{j}", "USA", "vc") for j in range(3)}
    rounds = [
        (f"r{i}", f"k{i}", "2021-03-01", "seed", a, ["kv", *[f"u{j}" for j in range(foreign[i])]])
        for i, a in enumerate(amounts)
    ]
    res = fund_scenario(
        build(companies, investors, rounds),
        "KOR",
        FlowOptions(),
        fund_usd=fund,
        co_invest_ratio=ratio,
        absorption_cap=cap,
    )
    alloc = res.allocation
    assert alloc["fund_usd"].sum() + res.fund_unplaced_usd == pytest.approx(fund, rel=1e-9)
    assert alloc["foreign_usd"].sum() == pytest.approx(ratio * alloc["fund_usd"].sum(), rel=1e-9)
    received = alloc["fund_usd"] + alloc["foreign_usd"]
    assert (received <= cap * alloc["raised_usd"] * (1 + 1e-9)).all()
    added = res.value("invested_in_usd") - res.value("invested_in_usd", "baseline")
    assert added == pytest.approx(received.sum(), rel=1e-9)
