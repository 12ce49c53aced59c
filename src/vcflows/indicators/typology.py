"""Typology of countries by how their AI VC is integrated across borders.

Documented thresholds on the country indicators give each country a label; a k-means
clustering of the standardized indicators cross-checks the labels, and their agreement is
reported (adjusted Rand index, and the share of countries whose cluster maps to their label
under the best one-to-one mapping of clusters to labels).

Rules, applied in order (the first that holds gives the label):

0. ``insufficient data``: deals_in + deals_out < ``min_deals``.
1. ``domestic powerhouse``: share_global ≥ ``powerhouse_share_global`` and
   domestic_share_in ≥ ``powerhouse_domestic_share_in`` (a large market funded mostly at home).
2. ``foreign-capital hub``: foreign_share_in ≥ ``hub_foreign_share_in`` and foreign_in_usd ≥
   ``net_ratio`` × overseas_out_usd (draws much foreign money, a net importer of AI capital).
3. ``outward investor``: overseas_share_out ≥ ``open_overseas_share_out`` and overseas_out_usd ≥
   ``net_ratio`` × foreign_in_usd (its investors place money abroad, a net exporter).
4. ``mutual cooperator``: foreign_share_in ≥ ``open_foreign_share_in`` and
   overseas_share_out ≥ ``open_overseas_share_out`` (open both ways, roughly balanced).
5. ``weakly integrated``: foreign_share_in < ``open_foreign_share_in`` and
   overseas_share_out < ``open_overseas_share_out`` (mostly domestic both ways).
6. ``intermediate``: anything else (open one way without being a net importer or exporter).

A share that is undefined (NaN: nothing received or nothing invested) fails every test
that uses it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from vcflows.exports import to_records
from vcflows.flows import columns as c

INSUFFICIENT = "insufficient data"
POWERHOUSE = "domestic powerhouse"
HUB = "foreign-capital hub"
OUTWARD = "outward investor"
MUTUAL = "mutual cooperator"
WEAK = "weakly integrated"
INTERMEDIATE = "intermediate"
LABELS: tuple[str, ...] = (INSUFFICIENT, POWERHOUSE, HUB, OUTWARD, MUTUAL, WEAK, INTERMEDIATE)

#: Standardized indicators k-means clusters on.
CLUSTER_FEATURES: tuple[str, ...] = (
    "foreign_share_in",
    "overseas_share_out",
    "log_share_global",
    "net_foreign_balance",
)

_EVIDENCE_COLUMNS = (
    "share_global",
    "domestic_share_in",
    "foreign_share_in",
    "overseas_share_out",
    "foreign_in_usd",
    "overseas_out_usd",
    "deals_in",
    "deals_out",
)


@dataclass(frozen=True)
class TypologyThresholds:
    """Thresholds of the typology rules (see the module docstring)."""

    min_deals: float = 5.0
    powerhouse_share_global: float = 0.05
    powerhouse_domestic_share_in: float = 0.6
    hub_foreign_share_in: float = 0.4
    open_foreign_share_in: float = 0.25
    open_overseas_share_out: float = 0.4
    net_ratio: float = 2.0


@dataclass
class TypologyResult:
    """Labels per country with the numbers behind them, and the k-means cross-check."""

    labels: pd.DataFrame
    thresholds: TypologyThresholds
    clusters: pd.DataFrame
    adjusted_rand: float
    match_share: float
    n_clusters: int
    features: tuple[str, ...] = CLUSTER_FEATURES
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the whole result."""
        return {
            "labels": to_records(self.labels),
            "thresholds": asdict(self.thresholds),
            "clusters": to_records(self.clusters),
            "adjusted_rand": None if np.isnan(self.adjusted_rand) else self.adjusted_rand,
            "match_share": None if np.isnan(self.match_share) else self.match_share,
            "n_clusters": self.n_clusters,
            "features": list(self.features),
            "notes": list(self.notes),
        }


def _ge(x: float, t: float) -> bool:
    return bool(np.isfinite(x) and x >= t)


def _lt(x: float, t: float) -> bool:
    return bool(np.isfinite(x) and x < t)


def _label(row: pd.Series, th: TypologyThresholds) -> tuple[str, str]:
    """Label of one country and the rule with its numbers."""
    sg, dom, fin = row["share_global"], row["domestic_share_in"], row["foreign_share_in"]
    out, fi, oo = row["overseas_share_out"], row["foreign_in_usd"], row["overseas_out_usd"]
    deals = row["deals_in"] + row["deals_out"]
    if deals < th.min_deals:
        return INSUFFICIENT, f"deals_in+deals_out {deals:.1f} < {th.min_deals:g}"
    if _ge(sg, th.powerhouse_share_global) and _ge(dom, th.powerhouse_domestic_share_in):
        return POWERHOUSE, (
            f"share_global {sg:.3f} >= {th.powerhouse_share_global:g} and "
            f"domestic_share_in {dom:.3f} >= {th.powerhouse_domestic_share_in:g}"
        )
    if _ge(fin, th.hub_foreign_share_in) and fi >= th.net_ratio * oo and fi > 0:
        return HUB, (
            f"foreign_share_in {fin:.3f} >= {th.hub_foreign_share_in:g} and foreign_in_usd "
            f"{fi:,.0f} >= {th.net_ratio:g} x overseas_out_usd {oo:,.0f}"
        )
    if _ge(out, th.open_overseas_share_out) and oo >= th.net_ratio * fi and oo > 0:
        return OUTWARD, (
            f"overseas_share_out {out:.3f} >= {th.open_overseas_share_out:g} and overseas_out_usd "
            f"{oo:,.0f} >= {th.net_ratio:g} x foreign_in_usd {fi:,.0f}"
        )
    if _ge(fin, th.open_foreign_share_in) and _ge(out, th.open_overseas_share_out):
        return MUTUAL, (
            f"foreign_share_in {fin:.3f} >= {th.open_foreign_share_in:g} and "
            f"overseas_share_out {out:.3f} >= {th.open_overseas_share_out:g}"
        )
    if _lt(fin, th.open_foreign_share_in) and _lt(out, th.open_overseas_share_out):
        return WEAK, (
            f"foreign_share_in {fin:.3f} < {th.open_foreign_share_in:g} and "
            f"overseas_share_out {out:.3f} < {th.open_overseas_share_out:g}"
        )
    return INTERMEDIATE, (
        f"foreign_share_in {fin:.3f}, overseas_share_out {out:.3f}: open one way only, "
        "neither net importer nor net exporter"
    )


def cluster_features(indicators: pd.DataFrame) -> pd.DataFrame:
    """The (unstandardized) features k-means uses, one row per country.

    ``log_share_global`` = log10(share_global + 1e-4) (size on a log scale);
    ``net_foreign_balance`` = (foreign_in_usd − overseas_out_usd) / (foreign_in_usd +
    overseas_out_usd) in [-1, 1]. Undefined shares count as 0 (nothing flows that way).
    """
    fi, oo = (
        indicators["foreign_in_usd"].astype(float),
        indicators["overseas_out_usd"].astype(float),
    )
    tot = (fi + oo).where(fi + oo > 0)
    return pd.DataFrame(
        {
            "foreign_share_in": indicators["foreign_share_in"].astype(float).fillna(0.0),
            "overseas_share_out": indicators["overseas_share_out"].astype(float).fillna(0.0),
            "log_share_global": np.log10(
                indicators["share_global"].astype(float).fillna(0.0) + 1e-4
            ),
            "net_foreign_balance": ((fi - oo) / tot).fillna(0.0),
        },
        index=indicators.index,
    )


def _agreement(rule: np.ndarray, cluster: np.ndarray) -> tuple[float, dict[int, str]]:
    """Share of countries matched after the best one-to-one cluster→label mapping."""
    labels = sorted(set(rule))
    clusters = sorted(set(cluster))
    conf = np.array([[np.sum((cluster == k) & (rule == lab)) for lab in labels] for k in clusters])
    rows, cols = linear_sum_assignment(-conf)
    mapping = {int(clusters[r]): labels[col] for r, col in zip(rows, cols, strict=True)}
    return float(conf[rows, cols].sum()) / len(rule), mapping


def typology(
    indicators: pd.DataFrame,
    thresholds: TypologyThresholds | None = None,
    *,
    random_state: int = 0,
) -> TypologyResult:
    """Label each country and cross-check the labels with k-means.

    Parameters
    ----------
    indicators : pd.DataFrame
        Output of :func:`vcflows.indicators.country_indicators`.
    thresholds : TypologyThresholds, optional
        Rule thresholds (defaults documented in :class:`TypologyThresholds`).
    random_state : int
        Seed of k-means (fixed so results are reproducible).

    Returns
    -------
    TypologyResult
        ``labels``: country, label, rule (the test that decided, with the numbers), and the
        indicators behind it; ``clusters``: country, cluster, cluster_label (the label the
        cluster maps to); agreement measures over the countries with sufficient data.
    """
    th = thresholds or TypologyThresholds()
    ind = indicators.reset_index(drop=True)
    decided = [_label(row, th) for _, row in ind.iterrows()]  # one row per country: small
    labels = pd.DataFrame(
        {
            c.COUNTRY: ind[c.COUNTRY].astype(object),
            "label": [d[0] for d in decided],
            "rule": [d[1] for d in decided],
        }
    )
    for col in _EVIDENCE_COLUMNS:
        labels[col] = ind[col].astype(float)
    notes: list[str] = []
    enough = labels["label"] != INSUFFICIENT
    rule = labels.loc[enough, "label"].to_numpy(dtype=object)
    k = len(set(rule))
    clusters = pd.DataFrame(
        {c.COUNTRY: labels.loc[enough, c.COUNTRY], "cluster": -1, "cluster_label": ""}
    )
    ari = match = float("nan")
    if k >= 2 and len(rule) > k:
        feats = cluster_features(ind.loc[enough])
        x = StandardScaler().fit_transform(feats.to_numpy())
        km = KMeans(n_clusters=k, random_state=random_state, n_init=10).fit(x)
        assigned = km.labels_.astype(int)
        ari = float(adjusted_rand_score(rule, assigned))
        match, mapping = _agreement(rule, assigned)
        clusters["cluster"] = assigned
        clusters["cluster_label"] = [mapping.get(int(a), "(unmatched)") for a in assigned]
    else:
        notes.append(f"k-means skipped: {len(rule)} countries with sufficient data, {k} labels")
    return TypologyResult(
        labels=labels,
        thresholds=th,
        clusters=clusters.reset_index(drop=True),
        adjusted_rand=ari,
        match_share=match,
        n_clusters=k,
        notes=notes,
    )
