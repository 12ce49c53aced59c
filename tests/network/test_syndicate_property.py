"""The syndicate network against a plain-Python count of co-investment pairs (hypothesis).

The network numbers investors and rounds internally; whatever the ids look like (their
order, lengths, investors missing from the investors table), its ties, degrees, strengths,
top pairs and country ties must be those of the pairs counted with itertools.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcflows.flows import FlowOptions, refresh_flow_base
from vcflows.network import syndicate_network, syndicate_ties
from vcflows.store import connect

# Ids whose string order differs from their creation order and whose lengths vary.
IDS = ["b", "a10", "a9", "Z", "zz-long-investor-identifier-0001", "m", "ä", "a1"]
COUNTRIES = st.sampled_from(["USA", "KOR", "GBR", None])


@st.composite
def worlds(draw: st.DrawFn) -> tuple[dict[str, str | None], set[str], dict[str, list[str]]]:
    pool = draw(st.lists(st.sampled_from(IDS), unique=True, min_size=2, max_size=len(IDS)))
    country = {i: draw(COUNTRIES) for i in pool}
    # some investors take part in rounds without a row in the investors table
    missing = set(draw(st.lists(st.sampled_from(pool), unique=True, max_size=2)))
    rounds = {
        f"r{k}": draw(st.lists(st.sampled_from(pool), unique=True, max_size=5))
        for k in range(draw(st.integers(min_value=1, max_value=8)))
    }
    return country, missing, rounds


def _val(x: object) -> object:
    """A table cell with pandas' missing values as None."""
    return None if pd.isna(x) else x  # type: ignore[call-overload]


def _store(
    country: dict[str, str | None], missing: set[str], rounds: dict[str, list[str]]
) -> duckdb.DuckDBPyConnection:
    con = connect(":memory:")
    con.execute(
        "INSERT INTO companies (company_id, name, country_iso3, is_ai, source) "
        "VALUES ('c', 'c', 'KOR', TRUE, 't')"
    ).fetchall()
    for iid, cc in country.items():
        if iid not in missing:
            con.execute(
                "INSERT INTO investors VALUES (?, ?, ?, 'vc', 't')", [iid, f"name {iid}", cc]
            ).fetchall()
    for rid, members in rounds.items():
        con.execute(
            "INSERT INTO rounds (round_id, company_id, announced_on, stage, amount_usd, source) "
            "VALUES (?, 'c', DATE '2021-01-01', 'seed', 1.0, 't')",
            [rid],
        ).fetchall()
        for iid in members:
            con.execute(
                "INSERT INTO participations VALUES (?, ?, NULL, 't')", [rid, iid]
            ).fetchall()
    return con


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), base=st.booleans())
def test_network_equals_counted_pairs(
    world: tuple[dict[str, str | None], set[str], dict[str, list[str]]], base: bool
) -> None:
    country, missing, rounds = world
    con = _store(country, missing, rounds)
    if base:  # the flow-base path and the inline path must agree with the count
        refresh_flow_base(con)
    known = {i: (None if i in missing else c) for i, c in country.items()}
    pairs: Counter[tuple[str, str]] = Counter()
    for members in rounds.values():
        pairs.update(itertools.combinations(sorted(members), 2))

    res = syndicate_network(con, FlowOptions(), top_pairs=1000)
    assert res.n_ties == len(pairs)
    got = {
        (a, b): n
        for a, b, n in zip(
            res.pairs["investor_a"], res.pairs["investor_b"], res.pairs["rounds"], strict=True
        )
    }
    assert got == dict(pairs)
    # strongest first, then by the ids' own order
    want_order = sorted(pairs, key=lambda p: (-pairs[p], p))
    assert list(zip(res.pairs["investor_a"], res.pairs["investor_b"], strict=True)) == want_order
    for a, b, cross, ca, cb in zip(
        res.pairs["investor_a"],
        res.pairs["investor_b"],
        res.pairs["cross_border"],
        res.pairs["country_a"],
        res.pairs["country_b"],
        strict=True,
    ):
        assert (_val(ca), _val(cb)) == (known[a], known[b])
        assert bool(cross) == (known[a] is not None and known[b] is not None and ca != cb)

    degree: Counter[str] = Counter()
    strength: Counter[str] = Counter()
    for (a, b), n in pairs.items():
        degree.update([a, b])
        strength[a] += n
        strength[b] += n
    inv = res.investors.set_index("investor_id")
    assert set(inv.index) == set(degree)
    for i in degree:
        assert (inv.loc[i, "degree"], inv.loc[i, "strength"]) == (degree[i], strength[i])
        assert _val(inv.loc[i, "investor_name"]) == (None if i in missing else f"name {i}")

    # country ties: a tie counts for each end's (known) country, a domestic tie once
    ties: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (a, b), n in pairs.items():
        ca, cb = known[a], known[b]
        if ca is None or cb is None:
            continue
        ties[ca].append((cb, n))
        if ca != cb:
            ties[cb].append((ca, n))
    c = res.country_ties.set_index("country")
    assert set(c.index) == set(ties)
    for cc, ends in ties.items():
        cross = [n for partner, n in ends if partner != cc]
        members = {i for pair in pairs for i in pair if known[i] == cc}  # any partner
        assert c.loc[cc, "investors"] == len(members)
        assert c.loc[cc, "ties"] == len(ends)
        assert c.loc[cc, "cross_border_ties"] == len(cross)
        assert c.loc[cc, "tie_rounds"] == sum(n for _, n in ends)
        assert c.loc[cc, "cross_border_round_share"] == pytest.approx(
            sum(cross) / sum(n for _, n in ends)
        )
    assert syndicate_ties(con, FlowOptions()).n_ties == len(pairs)
