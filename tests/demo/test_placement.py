"""Placing investor countries by money, and drawing distinct investors per round."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from vcflows.demo import _countries
from vcflows.demo._countries import assign_countries
from vcflows.demo._investors import InvestorPool


@settings(max_examples=200, deadline=None)
@given(
    n_groups=st.integers(1, 4),
    n_countries=st.integers(1, 6),
    n_items=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
    greedy_items=st.sampled_from([1, 5, 2_000]),
)
def test_each_country_gets_its_money_within_one_participation(
    n_groups: int, n_countries: int, n_items: int, seed: int, greedy_items: int
) -> None:
    rng = np.random.default_rng(seed)
    rows = rng.random((n_groups, n_countries)) * (rng.random((n_groups, n_countries)) < 0.7)
    rows[:, 0] += 0.01
    rows /= rows.sum(axis=1, keepdims=True)
    group = rng.integers(0, n_groups, n_items)
    # Heavy-tailed money, some participations of undisclosed rounds (no money).
    weight = np.exp(2.0 * rng.standard_normal(n_items)) * (rng.random(n_items) < 0.9)
    before = _countries.GREEDY_ITEMS
    _countries.GREEDY_ITEMS = greedy_items  # also exercise the systematic placement
    try:
        country = assign_countries(np.random.default_rng(seed + 1), group, weight, rows)
    finally:
        _countries.GREEDY_ITEMS = before
    assert country.shape == group.shape
    assert (rows[group, country] > 0).all()  # never a country the group has no share from
    for g in range(n_groups):
        mine = group == g
        if not (weight[mine] > 0).any():
            continue
        got = np.bincount(country[mine], weights=weight[mine], minlength=n_countries)
        want = rows[g] * weight[mine].sum()
        assert np.abs(got - want).max() <= weight[mine].max() * (1 + 1e-9)


def test_placement_is_reproducible_and_random() -> None:
    rows = np.array([[0.5, 0.3, 0.2]])
    group = np.zeros(500, dtype=np.int64)
    weight = np.random.default_rng(0).pareto(1.2, 500) + 1.0
    a, b, c = (assign_countries(np.random.default_rng(s), group, weight, rows) for s in (1, 1, 2))
    assert (a == b).all() and not (a == c).all()


def test_distinct_investors_even_from_a_dominated_pool() -> None:
    # One country, eight investors, one of which carries nearly every draw.
    weights = np.array([1e6, 1, 1, 1, 1, 1, 1, 1], dtype=float)
    ids = np.arange(8)
    pools = {(0, g, lead): (ids, np.cumsum(weights)) for g in range(3) for lead in (False, True)}
    pool = InvestorPool(
        country=np.zeros(8, dtype=np.int64),
        kind=np.zeros(8, dtype=np.int64),
        names=pd.Series([f"i{k}" for k in ids]),
        pools=pools,
    )
    size = np.array([1, 8, 3, 5, 8])
    round_ = np.repeat(np.arange(len(size)), size)
    lead = np.r_[[True], round_[1:] != round_[:-1]]
    zeros = np.zeros(len(round_), dtype=np.int64)
    first = pool.draw(np.random.default_rng(3), zeros, zeros, lead)
    drawn = pool.draw_distinct(np.random.default_rng(3), round_, zeros, zeros, lead)
    per_round = pd.DataFrame({"round": round_, "investor": drawn}).groupby("round")["investor"]
    assert (per_round.nunique().to_numpy() == size).all()  # full rounds: all eight investors
    assert (drawn[lead] == first[lead]).all()  # the lead keeps its draw
    assert (first[~lead] == 0).mean() > 0.9  # the duplicates were there to replace
