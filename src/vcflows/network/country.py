"""The country network of AI venture flows: strengths, centrality, reciprocity and blocs.

Nodes are countries; a directed edge i -> j weighs the USD that investors of country i put into
AI companies of country j (cross-border only: domestic money, i -> i, is reported per country as
``domestic_usd`` but kept out of the graph so it does not dominate centrality).

Metrics (for the methods appendix)
----------------------------------
out_strength / in_strength
    Sum of outgoing / incoming cross-border edge weights (USD).
out_degree / in_degree
    Number of partner countries with a positive flow out / in.
pagerank
    Weighted PageRank (damping 0.85) of the directed graph: a country ranks high when it
    receives money from countries that themselves receive a lot.
eigenvector
    Weighted eigenvector centrality on incoming edges (networkx convention for directed graphs).
    On a graph that is not strongly connected it may not converge; the numpy eigen-solver is
    then tried, and if that fails too the column is NaN and a note says so.
reciprocity (binary)
    Share of a country's edges (in and out) that are reciprocated (networkx ``reciprocity``);
    the global value is the share of all directed edges whose reverse edge exists.
reciprocity_weighted
    Reciprocated strength over mean strength: sum_j min(w_ij, w_ji) / ((s_out + s_in) / 2), in
    [0, 1]; 1 means every partner sends back as much as it receives. Globally:
    sum_ij min(w_ij, w_ji) / sum_ij w_ij (Squartini et al. 2013, Phys. Rev. E 88).
community
    Louvain communities (networkx ``louvain_communities``, fixed seed) of the undirected graph
    whose weight is w_ij + w_ji: groups of countries that invest more among themselves than
    the weights would predict at random (modularity). Numbered 1.. by total internal flow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx
import numpy as np
import pandas as pd

from vcflows.errors import OptionError
from vcflows.exports import to_records

SEED: Final = 42  # Louvain is randomized; a fixed seed makes blocs reproducible
_IN_COLS: Final = ("investor_country", "company_country", "amount_usd")
NODE_COLUMNS: Final = (
    "country",
    "out_strength",
    "in_strength",
    "domestic_usd",
    "out_degree",
    "in_degree",
    "pagerank",
    "eigenvector",
    "reciprocity",
    "reciprocity_weighted",
    "community",
)


@dataclass(frozen=True)
class CountryNetworkResult:
    """The country network and its metrics.

    Attributes
    ----------
    nodes : DataFrame
        One row per country, columns :data:`NODE_COLUMNS`, sorted by in_strength desc.
    edges : DataFrame
        source, target, amount_usd, reverse_usd (flow target -> source), share_of_source_out,
        share_of_target_in; sorted by amount desc.
    communities : DataFrame
        community, size, members (list of ISO3), internal_usd (flows among members),
        total_usd (all flows touching members).
    reciprocity : float
        Global binary reciprocity (share of edges reciprocated).
    reciprocity_weighted : float
        Global weighted reciprocity.
    modularity : float
        Modularity of the community partition (undirected, weighted).
    notes : list of str
        Decisions and fallbacks (rows dropped, non-convergence).
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    communities: pd.DataFrame
    reciprocity: float
    reciprocity_weighted: float
    modularity: float
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every table and scalar."""
        return {
            "nodes": to_records(self.nodes),
            "edges": to_records(self.edges),
            "communities": to_records(self.communities),
            "reciprocity": _clean(self.reciprocity),
            "reciprocity_weighted": _clean(self.reciprocity_weighted),
            "modularity": _clean(self.modularity),
            "notes": list(self.notes),
        }


def _clean(x: float) -> float | None:
    return None if x is None or np.isnan(x) else float(x)


def _aggregate(flows: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    missing = [c for c in _IN_COLS if c not in flows.columns]
    if missing:
        raise OptionError(f"country_network: flows lack columns {', '.join(missing)}")
    df = flows.loc[:, list(_IN_COLS)].copy()
    df["amount_usd"] = pd.to_numeric(df["amount_usd"]).astype(float)
    unknown = df["investor_country"].isna() | df["company_country"].isna()
    if unknown.any():
        notes.append(
            f"{int(unknown.sum())} flow rows with an unknown country left out "
            f"(USD {df.loc[unknown, 'amount_usd'].sum():,.0f})"
        )
    df = df[~unknown & (df["amount_usd"].fillna(0) > 0)]
    df = df.astype({"investor_country": str, "company_country": str})
    agg = df.groupby(["investor_country", "company_country"])["amount_usd"].sum().reset_index()
    return agg.sort_values(["investor_country", "company_country"], ignore_index=True)


def _weighted(g: nx.Graph[str], nbunch: list[str] | None = None) -> list[tuple[str, str, float]]:
    """The edges of ``g`` (touching ``nbunch`` when given) with their weights, in edge order."""
    return [(a, b, float(d["weight"])) for a, b, d in g.edges(nbunch, data=True)]


def _strength(g: nx.Graph[str], node: str) -> float:
    """Weighted degree of ``node``."""
    return float(g.degree(node, weight="weight"))


def _graph(cross: pd.DataFrame, countries: list[str]) -> nx.DiGraph[str]:
    g: nx.DiGraph[str] = nx.DiGraph()
    g.add_nodes_from(countries)  # sorted insertion: algorithms iterate in a fixed order
    for o, d, w in cross.itertuples(index=False):
        g.add_edge(o, d, weight=float(w))
    return g


def _eigenvector(g: nx.DiGraph[str], notes: list[str]) -> dict[str, float]:
    if g.number_of_edges() == 0:
        return {n: np.nan for n in g}
    try:
        return dict(nx.eigenvector_centrality(g, weight="weight", max_iter=1000, tol=1e-9))
    except nx.PowerIterationFailedConvergence:
        pass
    try:
        cent = dict(nx.eigenvector_centrality_numpy(g, weight="weight"))
        notes.append("eigenvector centrality: power iteration did not converge; used numpy solver")
        return cent
    except (nx.NetworkXException, ArithmeticError, ValueError, TypeError) as exc:
        notes.append(f"eigenvector centrality not defined on this graph ({exc}); left empty")
        return {n: np.nan for n in g}


def _reciprocity_table(
    g: nx.DiGraph[str], countries: list[str]
) -> tuple[pd.DataFrame, float, float]:
    rec_w = dict.fromkeys(countries, 0.0)
    total = mutual = 0.0
    for u, v, w in _weighted(g):
        back = g[v][u]["weight"] if g.has_edge(v, u) else 0.0
        m = min(w, back)
        rec_w[u] += m
        total += w
        mutual += m
    rows = []
    for cty in countries:
        s_out = float(g.out_degree(cty, weight="weight"))
        s_in = float(g.in_degree(cty, weight="weight"))
        mean_s = (s_out + s_in) / 2
        has_edges = g.degree(cty) > 0
        # One node gives a number (a dict only for several); undefined for an isolated node.
        rec = nx.reciprocity(g, cty) if has_edges else np.nan
        rows.append(
            {
                "country": cty,
                "reciprocity": np.nan if isinstance(rec, dict) else float(rec),
                "reciprocity_weighted": rec_w[cty] / mean_s if mean_s > 0 else np.nan,
            }
        )
    glob = float(nx.overall_reciprocity(g)) if g.number_of_edges() else np.nan
    frame = pd.DataFrame(rows, columns=["country", "reciprocity", "reciprocity_weighted"])
    return frame, glob, (mutual / total if total > 0 else np.nan)


def _modularity(u: nx.Graph[str], comms: list[list[str]]) -> float:
    """Weighted modularity Q = sum_c [L_c / m - (d_c / 2m)^2] (Newman 2004).

    Same value as networkx's ``modularity``, but summed with ``math.fsum`` (exactly rounded):
    networkx iterates sets, whose order follows per-process string hashing, so its last digits
    vary from run to run.
    """
    m = math.fsum(w for _, _, w in _weighted(u))
    if m == 0:
        return float("nan")
    q = []
    for members in comms:
        inside = set(members)
        l_c = math.fsum(w for a, b, w in _weighted(u, members) if a in inside and b in inside)
        d_c = math.fsum(_strength(u, n) for n in members)
        q.append(l_c / m - (d_c / (2 * m)) ** 2)
    return math.fsum(q)


def _communities(g: nx.DiGraph[str], countries: list[str]) -> tuple[list[list[str]], float]:
    u: nx.Graph[str] = nx.Graph()
    u.add_nodes_from(countries)
    for a, b, w in _weighted(g):
        prev = u[a][b]["weight"] if u.has_edge(a, b) else 0.0
        u.add_edge(a, b, weight=prev + w)
    if u.number_of_edges() == 0:
        return [[c] for c in countries], np.nan
    parts = nx.algorithms.community.louvain_communities(u, weight="weight", seed=SEED)
    comms = [sorted(p) for p in parts]
    modularity = _modularity(u, comms)
    strength = dict(u.degree(weight="weight"))

    def internal(members: list[str]) -> float:
        return float(u.subgraph(members).size(weight="weight"))

    comms.sort(key=lambda m: (-internal(m), -sum(strength[c] for c in m), m[0]))
    return comms, modularity


def country_network(flows: pd.DataFrame) -> CountryNetworkResult:
    """Build the weighted directed country network of flows and compute its metrics.

    Parameters
    ----------
    flows : DataFrame
        Columns investor_country, company_country, amount_usd (e.g. ``flow_matrix`` output).
        Repeated pairs are summed; domestic pairs feed ``domestic_usd`` only; rows with an
        unknown country or no positive amount are left out.

    Returns
    -------
    CountryNetworkResult
        Node metrics, edges, communities, global reciprocity and modularity.
    """
    notes: list[str] = []
    agg = _aggregate(flows, notes)
    countries = sorted(set(agg["investor_country"]) | set(agg["company_country"]))
    if not countries:  # e.g. a filter that selects no round: an empty, well-formed result
        notes.append("no attributed flows in the selection: the network is empty")
        return CountryNetworkResult(
            nodes=pd.DataFrame(columns=list(NODE_COLUMNS)),
            edges=_edges(agg, pd.DataFrame(columns=["country", "out_strength", "in_strength"])),
            communities=_community_table(nx.DiGraph(), []),
            reciprocity=np.nan,
            reciprocity_weighted=np.nan,
            modularity=np.nan,
            notes=notes,
        )
    domestic = agg[agg["investor_country"] == agg["company_country"]]
    cross = agg[agg["investor_country"] != agg["company_country"]]
    g = _graph(cross, countries)
    dom = dict(zip(domestic["investor_country"], domestic["amount_usd"], strict=True))
    pagerank = (
        nx.pagerank(g, alpha=0.85, weight="weight", max_iter=1000, tol=1e-10)
        if g.number_of_edges()
        else dict.fromkeys(countries, np.nan)
    )
    eig = _eigenvector(g, notes)
    rec, rec_glob, rec_w_glob = _reciprocity_table(g, countries)
    comms, modularity = _communities(g, countries)
    community_of = {c: i + 1 for i, members in enumerate(comms) for c in members}
    nodes = pd.DataFrame(
        {
            "country": countries,
            "out_strength": [float(g.out_degree(c, weight="weight")) for c in countries],
            "in_strength": [float(g.in_degree(c, weight="weight")) for c in countries],
            "domestic_usd": [float(dom.get(c, 0.0)) for c in countries],
            "out_degree": [int(g.out_degree(c)) for c in countries],
            "in_degree": [int(g.in_degree(c)) for c in countries],
            "pagerank": [float(pagerank[c]) for c in countries],
            "eigenvector": [float(eig[c]) for c in countries],
        }
    ).merge(rec, on="country")
    nodes["community"] = nodes["country"].map(community_of).astype(int)
    nodes = nodes.loc[:, list(NODE_COLUMNS)].sort_values(
        ["in_strength", "country"], ascending=[False, True], ignore_index=True
    )
    return CountryNetworkResult(
        nodes=nodes,
        edges=_edges(cross, nodes),
        communities=_community_table(g, comms),
        reciprocity=rec_glob,
        reciprocity_weighted=rec_w_glob,
        modularity=modularity,
        notes=notes,
    )


def _edges(cross: pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    e = cross.rename(columns={"investor_country": "source", "company_country": "target"})
    rev = e.rename(columns={"source": "target", "target": "source", "amount_usd": "reverse_usd"})
    e = e.merge(rev, on=["source", "target"], how="left").fillna({"reverse_usd": 0.0})
    out_s = nodes.set_index("country")["out_strength"]
    in_s = nodes.set_index("country")["in_strength"]
    e["share_of_source_out"] = e["amount_usd"] / e["source"].map(out_s).astype(float)
    e["share_of_target_in"] = e["amount_usd"] / e["target"].map(in_s).astype(float)
    return e.sort_values(
        ["amount_usd", "source", "target"], ascending=[False, True, True], ignore_index=True
    )


def _community_table(g: nx.DiGraph[str], comms: list[list[str]]) -> pd.DataFrame:
    rows = []
    for i, members in enumerate(comms):
        member_set = set(members)
        internal = sum(w for a, b, w in _weighted(g) if a in member_set and b in member_set)
        touching = sum(w for a, b, w in _weighted(g) if a in member_set or b in member_set)
        rows.append(
            {
                "community": i + 1,
                "size": len(members),
                "members": members,
                "internal_usd": float(internal),
                "total_usd": float(touching),
            }
        )
    return pd.DataFrame(rows, columns=["community", "size", "members", "internal_usd", "total_usd"])
