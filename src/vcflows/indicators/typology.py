"""Typology of countries by how their AI VC is integrated across borders.

Documented thresholds on the country indicators give each country a label; a k-means
clustering of the standardized indicators cross-checks the labels, and their agreement is
reported (adjusted Rand index, and the share of countries whose cluster maps to their label
under the best one-to-one mapping of clusters to labels).

Rules, applied in order (the first that holds gives the label). Apart from size, they split
countries by the two directions of openness: the foreign share of what their companies
receive (open inward: ``foreign_share_in`` >= ``open_in``) and the share their investors place
abroad (open outward: ``overseas_share_out`` >= ``open_out``):

0. ``insufficient data``: deals_in + deals_out < ``min_deals``.
1. ``domestic powerhouse``: share_global >= ``powerhouse_share_global`` and
   domestic_share_in >= ``powerhouse_domestic_share_in`` (a large market funded mostly at home).
2. ``foreign-capital hub``: open inward, not outward (draws foreign money; its investors stay
   mostly at home).
3. ``mutual cooperator``: open both ways.
4. ``outward investor``: open outward, not inward (its investors place money abroad; its
   companies are funded at home).
5. ``weakly integrated``: open neither way.

An undefined share (NaN: nothing received, or nothing invested) counts as "not open" that way:
nothing flows. The default openness thresholds sit in the wide gaps the indicators show on the
demo universe (inbound foreign shares below 0.14 or above 0.39; overseas shares below 0.32 or
above 0.43); on other data, check the shares in ``labels`` beside each label.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from vcflows.exports import to_records
from vcflows.flows import columns as c

INSUFFICIENT = "insufficient data"
POWERHOUSE = "domestic powerhouse"
HUB = "foreign-capital hub"
MUTUAL = "mutual cooperator"
OUTWARD = "outward investor"
WEAK = "weakly integrated"
LABELS: tuple[str, ...] = (INSUFFICIENT, POWERHOUSE, HUB, MUTUAL, OUTWARD, WEAK)

#: Standardized indicators k-means clusters on.
CLUSTER_FEATURES: tuple[str, ...] = (
    c.FOREIGN_SHARE_IN,
    c.OVERSEAS_SHARE_OUT,
    "log_share_global",
)

_EVIDENCE_COLUMNS = (
    c.SHARE_GLOBAL,
    c.DOMESTIC_SHARE_IN,
    c.FOREIGN_SHARE_IN,
    c.OVERSEAS_SHARE_OUT,
    c.FOREIGN_IN_USD,
    c.OVERSEAS_OUT_USD,
    c.DEALS_IN,
    c.DEALS_OUT,
)


@dataclass(frozen=True)
class TypologyThresholds:
    """Thresholds of the typology rules (see the module docstring)."""

    min_deals: float = 5.0
    powerhouse_share_global: float = 0.05
    powerhouse_domestic_share_in: float = 0.6
    open_in: float = 0.25
    open_out: float = 0.4


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


def _open(x: float, t: float) -> bool:
    return bool(np.isfinite(x) and x >= t)


def _label(row: pd.Series, th: TypologyThresholds) -> tuple[str, str]:
    """Label of one country and the rule with its numbers."""
    sg, dom = row[c.SHARE_GLOBAL], row[c.DOMESTIC_SHARE_IN]
    fin, out = row[c.FOREIGN_SHARE_IN], row[c.OVERSEAS_SHARE_OUT]
    deals = row[c.DEALS_IN] + row[c.DEALS_OUT]
    if deals < th.min_deals:
        return INSUFFICIENT, f"deals_in+deals_out {deals:.1f} < {th.min_deals:g}"
    if _open(sg, th.powerhouse_share_global) and _open(dom, th.powerhouse_domestic_share_in):
        return POWERHOUSE, (
            f"share_global {sg:.3f} >= {th.powerhouse_share_global:g} and "
            f"domestic_share_in {dom:.3f} >= {th.powerhouse_domestic_share_in:g}"
        )
    inward, outward = _open(fin, th.open_in), _open(out, th.open_out)
    text = (
        f"foreign_share_in {fin:.3f} {'>=' if inward else '<'} {th.open_in:g}, "
        f"overseas_share_out {out:.3f} {'>=' if outward else '<'} {th.open_out:g}"
    )
    quadrant = {
        (True, False): HUB,
        (True, True): MUTUAL,
        (False, True): OUTWARD,
        (False, False): WEAK,
    }
    return quadrant[(inward, outward)], text


def cluster_features(indicators: pd.DataFrame) -> pd.DataFrame:
    """The (unstandardized) features k-means uses, one row per country.

    ``log_share_global`` = log10(share_global + 1e-4) (size on a log scale);
    ``net_foreign_balance`` = (foreign_in_usd − overseas_out_usd) / (foreign_in_usd +
    overseas_out_usd) in [-1, 1]. Undefined shares count as 0 (nothing flows that way).
    """
    fi, oo = (
        indicators[c.FOREIGN_IN_USD].astype(float),
        indicators[c.OVERSEAS_OUT_USD].astype(float),
    )
    tot = (fi + oo).where(fi + oo > 0)
    return pd.DataFrame(
        {
            c.FOREIGN_SHARE_IN: indicators[c.FOREIGN_SHARE_IN].astype(float).fillna(0.0),
            c.OVERSEAS_SHARE_OUT: indicators[c.OVERSEAS_SHARE_OUT].astype(float).fillna(0.0),
            "log_share_global": np.log10(
                indicators[c.SHARE_GLOBAL].astype(float).fillna(0.0) + 1e-4
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
    from scipy.optimize import linear_sum_assignment  # slow to import; needed only here

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
        # scikit-learn takes seconds to import: load it only when a cross-check runs.
        from sklearn.cluster import KMeans
        from sklearn.metrics import adjusted_rand_score
        from sklearn.preprocessing import StandardScaler

        feats = cluster_features(ind.loc[enough])
        x = StandardScaler().fit_transform(feats[list(CLUSTER_FEATURES)].to_numpy())
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
