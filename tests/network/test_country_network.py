"""Country network metrics on small graphs with hand-computed answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vcflows.errors import OptionError
from vcflows.network.country import NODE_COLUMNS, country_network


def _flows(rows: list[tuple[str | None, str | None, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["investor_country", "company_country", "amount_usd"])


SMALL = _flows(
    [
        ("USA", "GBR", 60.0),
        ("USA", "GBR", 40.0),  # repeated pair: summed to 100
        ("GBR", "USA", 50.0),
        ("USA", "DEU", 30.0),
        ("DEU", "FRA", 20.0),
        ("FRA", "DEU", 20.0),
        ("GBR", "DEU", 10.0),
        ("USA", "USA", 500.0),  # domestic: reported, not an edge
        (None, "USA", 7.0),  # unknown investor country: left out with a note
    ]
)


def test_strengths_degrees_and_domestic() -> None:
    res = country_network(SMALL)
    n = res.nodes.set_index("country")
    # Hand-computed: out/in strengths over cross-border edges only.
    assert n.loc["USA", "out_strength"] == 130 and n.loc["USA", "in_strength"] == 50
    assert n.loc["GBR", "out_strength"] == 60 and n.loc["GBR", "in_strength"] == 100
    assert n.loc["DEU", "out_strength"] == 20 and n.loc["DEU", "in_strength"] == 60
    assert n.loc["FRA", "out_strength"] == 20 and n.loc["FRA", "in_strength"] == 20
    assert n.loc["USA", "domestic_usd"] == 500 and n.loc["GBR", "domestic_usd"] == 0
    assert (n.loc["USA", "out_degree"], n.loc["USA", "in_degree"]) == (2, 1)
    assert (n.loc["DEU", "out_degree"], n.loc["DEU", "in_degree"]) == (1, 3)
    assert list(res.nodes["country"]) == ["GBR", "DEU", "USA", "FRA"]  # by in_strength
    assert len(res.edges) == 6
    e = res.edges.set_index(["source", "target"])
    assert e.loc[("USA", "GBR"), "reverse_usd"] == 50
    assert e.loc[("USA", "DEU"), "reverse_usd"] == 0
    assert e.loc[("USA", "GBR"), "share_of_source_out"] == pytest.approx(100 / 130)
    assert e.loc[("GBR", "DEU"), "share_of_target_in"] == pytest.approx(10 / 60)
    assert any("unknown country" in note for note in res.notes)


def test_reciprocity_binary_and_weighted() -> None:
    res = country_network(SMALL)
    # 6 edges, 4 reciprocated (USA<->GBR, DEU<->FRA).
    assert res.reciprocity == pytest.approx(4 / 6)
    # sum_ij min(w_ij, w_ji) / sum_ij w_ij = (50 + 50 + 20 + 20) / 230.
    assert res.reciprocity_weighted == pytest.approx(140 / 230)
    n = res.nodes.set_index("country")
    # Node: 2 * |pred & succ| / (|pred| + |succ|).
    assert n.loc["USA", "reciprocity"] == pytest.approx(2 / 3)
    assert n.loc["DEU", "reciprocity"] == pytest.approx(2 / 4)
    assert n.loc["FRA", "reciprocity"] == pytest.approx(1.0)
    # Weighted: reciprocated strength / mean strength.
    assert n.loc["USA", "reciprocity_weighted"] == pytest.approx(50 / 90)
    assert n.loc["GBR", "reciprocity_weighted"] == pytest.approx(50 / 80)
    assert n.loc["DEU", "reciprocity_weighted"] == pytest.approx(20 / 40)
    assert n.loc["FRA", "reciprocity_weighted"] == pytest.approx(1.0)


def test_symmetric_cycle_centralities_are_uniform() -> None:
    res = country_network(_flows([("AAA", "BBB", 5.0), ("BBB", "CCC", 5.0), ("CCC", "AAA", 5.0)]))
    assert np.allclose(res.nodes["pagerank"], 1 / 3)
    assert np.allclose(res.nodes["eigenvector"], 1 / math.sqrt(3), atol=1e-6)
    assert res.reciprocity == 0.0


def test_pagerank_favours_the_hub() -> None:
    rows = [(c, "HUB", 10.0) for c in ("AAA", "BBB", "CCC", "DDD")] + [("HUB", "AAA", 1.0)]
    res = country_network(_flows(rows))
    pr = res.nodes.set_index("country")["pagerank"]
    assert pr.idxmax() == "HUB"
    assert pr.sum() == pytest.approx(1.0)
    # AAA is the only one HUB sends money to: it beats the other spokes.
    assert pr["AAA"] > pr["BBB"] == pytest.approx(pr["CCC"])


def test_two_blocs_are_found() -> None:
    bloc1, bloc2 = ("AAA", "BBB", "CCC"), ("XXX", "YYY", "ZZZ")
    rows = [(a, b, 100.0) for a in bloc1 for b in bloc1 if a != b]
    rows += [(a, b, 10.0) for a in bloc2 for b in bloc2 if a != b]
    rows += [("CCC", "XXX", 1.0)]
    res = country_network(_flows(rows))
    comm = res.communities
    assert list(comm["members"]) == [list(bloc1), list(bloc2)]  # ordered by internal flow
    assert list(comm["internal_usd"]) == [600.0, 60.0]
    assert list(comm["total_usd"]) == [601.0, 61.0]
    n = res.nodes.set_index("country")["community"]
    assert {n[c] for c in bloc1} == {1} and {n[c] for c in bloc2} == {2}
    # Q = sum_c L_c/m - (d_c/2m)^2 with m = 661, L = (600, 60), d = (1201, 121).
    q = 600 / 661 - (1201 / 1322) ** 2 + 60 / 661 - (121 / 1322) ** 2
    assert res.modularity == pytest.approx(q)
    # Deterministic: same input, same output.
    again = country_network(_flows(rows))
    pd.testing.assert_frame_equal(res.nodes, again.nodes)


def test_dag_eigenvector_does_not_crash_and_serializes() -> None:
    res = country_network(_flows([("AAA", "BBB", 1.0), ("BBB", "CCC", 2.0)]))
    eig = res.nodes["eigenvector"]
    assert eig.isna().all() or np.isfinite(eig).all()
    d = res.to_dict()
    assert {"nodes", "edges", "communities", "reciprocity", "modularity", "notes"} <= set(d)


def test_empty_and_bad_input() -> None:
    res = country_network(_flows([("USA", "USA", 10.0)]))
    assert list(res.nodes["country"]) == ["USA"]
    assert res.edges.empty and np.isnan(res.reciprocity)
    with pytest.raises(OptionError):
        country_network(pd.DataFrame({"investor_country": ["USA"]}))


def test_empty_flow_matrix_gives_an_empty_network() -> None:
    empty = pd.DataFrame(columns=["investor_country", "company_country", "amount_usd"])
    result = country_network(empty)
    assert result.nodes.empty and result.edges.empty and result.communities.empty
    assert list(result.nodes.columns) == list(NODE_COLUMNS)
    assert any("empty" in n for n in result.notes)
