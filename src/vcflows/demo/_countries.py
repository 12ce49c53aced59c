"""Investor countries of the demo's participations, placed so that money lands on its targets.

The indicators measure cross-border structure in money: with equal attribution a participation
carries ``amount / syndicate size``. Drawing each participation's country at random from the
target shares gets the *deal* shares right but not the money shares, because amounts are
heavy-tailed: a handful of mega-round participations decide a country's foreign share. So the
countries are placed against the money each participation will carry:

1. the largest participations of each group, largest first, go to a country whose remaining
   target money still holds them (chosen at random, in proportion to that remainder; the
   country with the most left when none does);
2. the rest, in random order, are laid along the remaining targets (systematic sampling), so
   each country ends within about one small participation of its target;
3. participations of undisclosed rounds carry no money and are drawn at random from the
   target shares (so deal counts follow them too).

Everything is vectorized over groups or rows; the only loop runs over the ranks of step 1.
"""

from __future__ import annotations

import numpy as np

#: Participations per group placed one by one (step 1); the rest are laid systematically.
GREEDY_ITEMS = 2_000


def _pick(cum: np.ndarray, group: np.ndarray, position: np.ndarray) -> np.ndarray:
    """Country whose interval of ``cum[group]`` (cumulative shares) holds each position."""
    out = np.empty(len(group), dtype=np.int64)
    for g in np.unique(group):  # one search per group, never an items x countries array
        idx = np.flatnonzero(group == g)
        out[idx] = np.searchsorted(cum[g], position[idx], side="right")
    picked: np.ndarray = np.minimum(out, cum.shape[1] - 1)
    return picked


def _draw(rng: np.random.Generator, rows: np.ndarray, group: np.ndarray) -> np.ndarray:
    """One random country per item from its group's row of shares."""
    cum = np.cumsum(rows, axis=1)
    return _pick(cum, group, rng.random(len(group)) * cum[group, -1])


def _place_largest(
    rng: np.random.Generator,
    items: np.ndarray,
    starts: np.ndarray,
    counts: np.ndarray,
    weight: np.ndarray,
    left: np.ndarray,
    out: np.ndarray,
) -> None:
    """Step 1: place the ``counts[g]`` largest items of each group, one rank at a time.

    ``items`` is sorted by group, then weight descending, and group ``g`` starts at
    ``starts[g]``. ``left`` (groups x countries, the money still to place) is updated in place.
    """
    for k in range(int(counts.max()) if len(counts) else 0):
        groups = np.flatnonzero(counts > k)
        idx = items[starts[groups] + k]
        w = weight[idx]
        room = left[groups]
        fits = room >= w[:, None]
        odds = np.where(fits, room, 0.0)
        full = ~fits.any(axis=1)
        odds[full] = room[full] == room[full].max(axis=1, keepdims=True)
        cum = np.cumsum(odds, axis=1)
        u = rng.random(len(groups)) * cum[:, -1]
        pick = np.minimum((cum <= u[:, None]).sum(axis=1), left.shape[1] - 1)
        out[idx] = pick
        left[groups, pick] -= w


def _lay_rest(
    rng: np.random.Generator,
    items: np.ndarray,
    group: np.ndarray,
    weight: np.ndarray,
    left: np.ndarray,
    rows: np.ndarray,
    out: np.ndarray,
) -> None:
    """Step 2: lay the remaining items, in random order, along each group's remaining targets."""
    if len(items) == 0:
        return
    items = rng.permutation(items)
    items = items[np.argsort(group[items], kind="stable")]
    g, w = group[items], weight[items]
    n_groups = left.shape[0]
    total = np.bincount(g, weights=w, minlength=n_groups)
    before = np.cumsum(w) - w  # money laid before each item, all groups together
    first = np.searchsorted(g, np.arange(n_groups))
    offset = before[np.minimum(first, len(items) - 1)]
    # Position of each item's midpoint along its group's money, in [0, 1).
    pos = (before - offset[g] + w / 2) / np.where(total > 0, total, 1.0)[g]
    want = np.clip(left, 0.0, None)
    short = want.sum(axis=1) <= 0  # every target met already: fall back to the shares
    want[short] = rows[short]
    cum = np.cumsum(want / want.sum(axis=1, keepdims=True), axis=1)
    out[items] = _pick(cum, g, pos)


def assign_countries(
    rng: np.random.Generator, group: np.ndarray, weight: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """Give each participation an investor country so each group's money follows its row.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    group : numpy.ndarray
        Group index of each participation (into ``rows``).
    weight : numpy.ndarray
        Money each participation will carry (0 for rounds of undisclosed amount); only the
        proportions within a group matter.
    rows : numpy.ndarray
        ``rows[g, i]``: target share of group ``g``'s money from investor country ``i``
        (non-negative, each row summing to 1).

    Returns
    -------
    numpy.ndarray
        Investor country index of each participation. Per group, the money of each country
        is within about one participation of its target (exactly so for groups of many small
        participations); a country with a zero share never appears in a group.
    """
    out = np.empty(len(group), dtype=np.int64)
    paid = weight > 0
    unpaid = np.flatnonzero(~paid)
    out[unpaid] = _draw(rng, rows, group[unpaid])
    items = np.flatnonzero(paid)
    if len(items) == 0:
        return out
    # By group, in random order (so ties, e.g. the participations of a round, fall randomly).
    items = rng.permutation(items)
    items = items[np.argsort(group[items], kind="stable")]
    n_groups = rows.shape[0]
    total = np.bincount(group[items], weights=weight[items], minlength=n_groups)
    left = rows * total[:, None]
    largest, rest = _split_largest(items, group, weight, n_groups)
    counts = np.bincount(group[largest], minlength=n_groups)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    _place_largest(rng, largest, starts, counts, weight, left, out)
    _lay_rest(rng, rest, group, weight, left, rows, out)
    return out


def _split_largest(
    items: np.ndarray, group: np.ndarray, weight: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """The :data:`GREEDY_ITEMS` largest items of each group, by group and largest first, and
    the others (``items`` come sorted by group). Only the largest are sorted: linear time."""
    size = np.bincount(group[items], minlength=n_groups)
    bounds = np.concatenate([[0], np.cumsum(size)])
    largest, rest = [], []
    for g in np.flatnonzero(size):
        seg = items[bounds[g] : bounds[g + 1]]
        if len(seg) > GREEDY_ITEMS:
            top = np.zeros(len(seg), dtype=bool)
            top[np.argpartition(-weight[seg], GREEDY_ITEMS - 1)[:GREEDY_ITEMS]] = True
            rest.append(seg[~top])
            seg = seg[top]
        largest.append(seg[np.argsort(-weight[seg], kind="stable")])
    empty = np.zeros(0, dtype=np.int64)
    return np.concatenate([empty, *largest]), np.concatenate([empty, *rest])
