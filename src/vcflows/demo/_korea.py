"""Korea in the demo: a mostly domestic market whose foreign money goes to a few startups.

The calibration gives Korea's foreign share of inbound AI money; public reports add that a few
Korean AI startups raise from overseas investors while the rest hardly ever do. The demo
reproduces both: the largest raisers of each chunk are the "global" companies, each taking up to
``KOR_GLOBAL_FOREIGN_SHARE`` of its money from abroad, the others at least
``KOR_OTHER_FOREIGN_SHARE`` and whatever the global ones cannot hold, so that Korea as a whole
lands on its calibrated share. Participations are first split domestic / foreign per company
group, then the foreign ones of all Korean AI companies are placed together on Korea's foreign
mix (pooled, so small partner countries still get their part).
"""

from __future__ import annotations

import numpy as np

from vcflows.demo import _model as m
from vcflows.demo._countries import assign_countries


def global_companies(money: np.ndarray, kor_ai: np.ndarray, foreign: float) -> np.ndarray:
    """The Korean AI companies foreign investors back: the largest raisers of the chunk.

    Parameters
    ----------
    money : numpy.ndarray
        Money raised by each company of the chunk.
    kor_ai : numpy.ndarray
        Indices of the Korean AI companies.
    foreign : float
        Korea's calibrated foreign share of inbound money.

    Returns
    -------
    numpy.ndarray
        Company indices, largest raiser first: at least ``KOR_GLOBAL_COMPANIES_PER_CHUNK``,
        and as many more as it takes for them to hold Korea's foreign money at
        ``KOR_GLOBAL_FOREIGN_SHARE``.
    """
    order = kor_ai[np.argsort(-money[kor_ai], kind="stable")]
    held = np.cumsum(money[order])
    need = foreign / m.KOR_GLOBAL_FOREIGN_SHARE * (held[-1] if len(held) else 0.0)
    enough = int(np.searchsorted(held, need, side="left")) + 1
    return order[: max(m.KOR_GLOBAL_COMPANIES_PER_CHUNK, enough)]


def foreign_targets(foreign: float, global_share: float) -> tuple[float, float]:
    """Foreign share of the other and of the global Korean AI companies' money.

    ``global_share`` is the global companies' part of Korea's AI money; the two shares,
    weighted by it, average to ``foreign`` whenever the bounds allow.
    """
    if not 0.0 < global_share < 1.0:
        return foreign, foreign
    other = max(
        min(m.KOR_OTHER_FOREIGN_SHARE, foreign),
        (foreign - global_share * m.KOR_GLOBAL_FOREIGN_SHARE) / (1.0 - global_share),
    )
    top = min(1.0, (foreign - (1.0 - global_share) * other) / global_share)
    return other, top


def country_groups(
    rng: np.random.Generator,
    shares: np.ndarray,
    kor: int,
    group: np.ndarray,
    rank: np.ndarray,
    weight: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Groups and target rows for :func:`assign_countries`, with Korea's AI money split.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source (for the domestic / foreign split).
    shares : numpy.ndarray
        Inbound shares, ``shares[company_country, investor_country]``.
    kor : int
        Country index of Korea.
    group : numpy.ndarray
        ``2 * company country + AI flag`` of each participation.
    rank : numpy.ndarray
        Position of each participation's company among the global ones, -1 for the others.
    weight : numpy.ndarray
        Money of each participation.

    Returns
    -------
    tuple of numpy.ndarray
        The group of each participation and the rows: ``2 * country + ai`` follow their
        company country's shares, except Korean AI participations, which go to row
        ``2 * n_countries`` (Korea's foreign mix) or ``2 * n_countries + 1`` (Korea).
    """
    n = len(shares)
    mix = shares[kor].copy()
    mix[kor] = 0.0
    home = np.zeros(n)
    home[kor] = 1.0
    rows = np.vstack([np.repeat(shares, 2, axis=0), mix / max(mix.sum(), 1e-300), home])
    out = group.copy()
    korean = np.flatnonzero(group == 2 * kor + 1)
    if len(korean) == 0:
        return out, rows
    w, r = weight[korean], rank[korean]
    n_global = int(r.max()) + 1
    total = w.sum()
    other, top = foreign_targets(1.0 - shares[kor, kor], w[r >= 0].sum() / total if total else 0.0)
    split = np.array([[1.0 - top, top]] * n_global + [[1.0 - other, other]])
    abroad = assign_countries(rng, np.where(r >= 0, r, n_global), w, split) == 1
    out[korean] = np.where(abroad, 2 * n, 2 * n + 1)
    return out, rows
