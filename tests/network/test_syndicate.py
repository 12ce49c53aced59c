"""Syndicate network on the hand-built store (edges and shares worked out by hand)."""

from __future__ import annotations

import math

import duckdb
import pytest

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.network.syndicate import syndicate_network

# In-scope AI rounds r1-r5 give these ties (rounds):
# g1-v2 2, g1-v1 2, g1-u1 1, u1-v1 1, u1-v2 1, v1-v2 1, g2-v2 1, v1-v3 1.


def test_edges_and_pairs(tiny_db: duckdb.DuckDBPyConnection) -> None:
    res = syndicate_network(tiny_db, FlowOptions())
    assert res.n_ties == 8 and res.n_investors == 6
    top = res.pairs.head(2)
    assert list(zip(top["investor_a"], top["investor_b"], strict=True)) == [
        ("g1", "v1"),
        ("g1", "v2"),
    ]
    assert list(top["rounds"]) == [2, 2]
    assert list(top["cross_border"]) == [False, True]
    # Known-country ties: g1-v2 x, g1-v1, v1-v2 x, g2-v2, v1-v3 x -> 3 of 5 cross borders.
    assert res.cross_border_share == pytest.approx(3 / 5)


def test_country_cross_border_shares(tiny_db: duckdb.DuckDBPyConnection) -> None:
    c = syndicate_network(tiny_db, FlowOptions()).country_ties.set_index("country")
    assert list(c.index) == ["USA", "KOR", "GBR"]
    # USA ties: g1-v2 x, g1-v1, v1-v2 x, v1-v3 x; rounds 2, 2, 1, 1.
    assert (c.loc["USA", "ties"], c.loc["USA", "cross_border_ties"]) == (4, 3)
    assert c.loc["USA", "cross_border_share"] == pytest.approx(0.75)
    assert c.loc["USA", "cross_border_round_share"] == pytest.approx(4 / 6)
    assert c.loc["USA", "top_partner"] == "KOR" and c.loc["USA", "investors"] == 2
    # KOR ties: g1-v2 x, v1-v2 x, g2-v2; rounds 2, 1, 1.
    assert c.loc["KOR", "cross_border_share"] == pytest.approx(2 / 3)
    assert c.loc["KOR", "cross_border_round_share"] == pytest.approx(3 / 4)
    assert c.loc["GBR", "cross_border_share"] == 1.0 and c.loc["GBR", "top_partner"] == "USA"


def test_investor_degree_and_capped_pagerank(tiny_db: duckdb.DuckDBPyConnection) -> None:
    res = syndicate_network(tiny_db, FlowOptions(), top_n=3)
    inv = res.investors.set_index("investor_id")
    assert list(res.investors["investor_id"]) == ["v1", "v2", "g1", "u1", "g2", "v3"]
    assert (inv.loc["v1", "degree"], inv.loc["v1", "strength"]) == (4, 5)
    assert (inv.loc["g1", "degree"], inv.loc["g1", "strength"]) == (3, 5)
    assert inv.loc["g1", "foreign_partner_share"] == pytest.approx(1 / 2)  # v2 foreign, v1 not
    assert inv.loc["v1", "foreign_partner_share"] == pytest.approx(2 / 3)
    # Top-3 subgraph: triangle g1-v1 (2), g1-v2 (2), v1-v2 (1): g1 central, v1 = v2.
    pr = inv["pagerank"]
    assert pr["g1"] > pr["v1"] == pytest.approx(pr["v2"])
    assert pr[["g1", "v1", "v2"]].sum() == pytest.approx(1.0)
    assert all(math.isnan(pr[i]) for i in ("u1", "g2", "v3"))


def test_filters_and_validation(tiny_db: duckdb.DuckDBPyConnection) -> None:
    res = syndicate_network(tiny_db, FlowOptions(year_from=2021, year_to=2021))
    # r2 (4 investors -> 6 ties) and r3 (1 tie).
    assert res.n_ties == 7
    assert syndicate_network(tiny_db, FlowOptions(sector="all")).n_ties == 8  # r6 repeats g1-v2
    with pytest.raises(OptionError):
        syndicate_network(tiny_db, FlowOptions(), top_n=0)
    assert set(res.to_dict()) >= {"investors", "pairs", "country_ties", "n_ties"}


def test_ties_only_and_shared_participations(tiny_db: duckdb.DuckDBPyConnection) -> None:
    from pandas.testing import assert_frame_equal

    from vcflows.network import participations_table, syndicate_ties

    ties = syndicate_ties(tiny_db, FlowOptions())
    # Same hand count as test_edges_and_pairs: 8 ties, 3 of the 5 known-country ties cross.
    assert ties.n_ties == 8
    assert ties.cross_border_share == pytest.approx(3 / 5)
    c = ties.country_ties.set_index("country")
    assert (c.loc["USA", "ties"], c.loc["USA", "cross_border_ties"]) == (4, 3)
    assert c.loc["KOR", "cross_border_round_share"] == pytest.approx(3 / 4)
    full = syndicate_network(tiny_db, FlowOptions())
    assert_frame_equal(ties.country_ties, full.country_ties)
    opts = FlowOptions(year_from=2021, year_to=2021)
    with participations_table(tiny_db, opts) as table:
        shared = syndicate_network(tiny_db, opts, participations=table)
        shared_ties = syndicate_ties(tiny_db, opts, participations=table)
    assert shared.n_ties == shared_ties.n_ties == 7  # r2 (6 ties) and r3 (1 tie)
    assert_frame_equal(shared.country_ties, syndicate_network(tiny_db, opts).country_ties)
    # The temporary table is dropped on exit.
    left = tiny_db.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_vcf_participations_%'"
    ).fetchall()
    assert left == [(0,)]
