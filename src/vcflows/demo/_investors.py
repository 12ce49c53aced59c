"""The demo's investor population and the vectorized draw of investors for participations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vcflows.demo import _model as m
from vcflows.demo._names import NAMED_INVESTORS, investor_names

#: Share of its country's draws that each named (big-tech-like or public) investor gets, before
#: the stage affinities: a handful of very active corporate and public investors.
_NAMED_DRAW_SHARE = 0.006
#: Attempts at replacing an investor drawn twice for one round.
_REDRAWS = 8


@dataclass(frozen=True)
class InvestorPool:
    """All demo investors plus, per (country, stage group, lead), cumulative draw weights.

    Attributes
    ----------
    country : numpy.ndarray
        Country index (into the calibration's countries) of each investor.
    kind : numpy.ndarray
        Investor-type index (into :data:`_model.INVESTOR_TYPE_NAMES`) of each investor.
    names : pandas.Series
        Fictional name of each investor.
    pools : dict
        ``(country, stage_group, lead) -> (investor indices, cumulative weights)``.
    """

    country: np.ndarray
    kind: np.ndarray
    names: pd.Series
    pools: dict[tuple[int, int, bool], tuple[np.ndarray, np.ndarray]]

    def __len__(self) -> int:
        return len(self.country)

    def draw(
        self,
        rng: np.random.Generator,
        country: np.ndarray,
        group: np.ndarray,
        lead: np.ndarray,
    ) -> np.ndarray:
        """Draw one investor per participation from the matching country/stage/lead pool.

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.
        country, group, lead : numpy.ndarray
            Investor country index, stage group (0 early, 1 late, 2 other) and lead flag of
            each participation.

        Returns
        -------
        numpy.ndarray
            Investor index of each participation.
        """
        out = np.empty(len(country), dtype=np.int64)
        u = rng.random(len(country))
        # One vectorized draw per pool (countries x 3 groups x 2), never one per row.
        key = (country * 3 + group) * 2 + lead.astype(np.int64)
        order = np.argsort(key, kind="stable")
        bounds = np.searchsorted(key[order], np.arange(key.max() + 2 if len(key) else 1))
        for k in range(len(bounds) - 1):
            idx = order[bounds[k] : bounds[k + 1]]
            if len(idx) == 0:
                continue
            c, rest = divmod(k, 6)
            g, is_lead = divmod(rest, 2)
            ids, cum = self.pools[(c, g, bool(is_lead))]
            pos = np.searchsorted(cum, u[idx] * cum[-1], side="right")
            out[idx] = ids[np.minimum(pos, len(ids) - 1)]
        return out

    def draw_distinct(
        self,
        rng: np.random.Generator,
        round_: np.ndarray,
        country: np.ndarray,
        group: np.ndarray,
        lead: np.ndarray,
    ) -> np.ndarray:
        """Like :meth:`draw`, redrawing an investor already drawn earlier for the same round.

        Keeps syndicates at their drawn size, and so each participation's share of the round's
        money: a duplicate still left after :data:`_REDRAWS` random redraws (a pool dominated
        by one investor) takes the next investor of the same country, cyclically. A round
        never holds more participations of one country than that country has investors.

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.
        round_ : numpy.ndarray
            Round of each participation, participations of a round contiguous, lead first.
        country, group, lead : numpy.ndarray
            As for :meth:`draw`.

        Returns
        -------
        numpy.ndarray
            Investor index of each participation.
        """
        out = self.draw(rng, country, group, lead)
        todo = np.arange(len(out))  # participations of rounds that may hold a duplicate
        for attempt in range(_REDRAWS + len(self)):
            key = round_[todo] * len(self) + out[todo]
            order = np.argsort(key, kind="stable")  # stable: the earlier draw comes first
            again = np.zeros(len(todo), dtype=bool)
            again[order[1:]] = key[order[1:]] == key[order[:-1]]
            if not again.any():
                break
            redo = todo[again]
            if attempt < _REDRAWS:
                out[redo] = self.draw(rng, country[redo], group[redo], lead[redo])
            else:  # a pool dominated by one investor: step to the next one of the country
                out[redo] = self._next_of_country(out[redo])
            todo = todo[np.isin(round_[todo], round_[redo])]
        return out

    def _next_of_country(self, investor: np.ndarray) -> np.ndarray:
        """The investor after each of ``investor`` among those of its country (cyclically)."""
        order = np.argsort(self.country, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        size = np.bincount(self.country)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        c = self.country[investor]
        nxt: np.ndarray = order[start[c] + (rank[investor] - start[c] + 1) % size[c]]
        return nxt


def build_investors(
    rng: np.random.Generator,
    countries: tuple[str, ...],
    participation_weight: np.ndarray,
    total: int,
) -> InvestorPool:
    """Create the investors: the named ones first, then generic ones per country.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    countries : tuple of str
        ISO3 codes, indexed by country index.
    participation_weight : numpy.ndarray
        Expected participations of each investor country (relative): sizes its population.
    total : int
        Number of generic investors to create (at least a minimum per country).
    """
    code = {c: k for k, c in enumerate(countries)}
    type_idx = {t: k for k, t in enumerate(m.INVESTOR_TYPE_NAMES)}
    named_country = np.array([code[c] for _, c, _ in NAMED_INVESTORS], dtype=np.int64)
    named_kind = np.array([type_idx[t] for _, _, t in NAMED_INVESTORS], dtype=np.int64)

    share = participation_weight / participation_weight.sum()
    per_country = np.maximum(m.MIN_INVESTORS_PER_COUNTRY, np.round(share * total)).astype(np.int64)
    generic_country = np.repeat(np.arange(len(countries)), per_country)
    generic_kind = rng.choice(
        len(m.INVESTOR_TYPE_NAMES), size=len(generic_country), p=m.INVESTOR_TYPE_PROB
    )
    activity = 1.0 + rng.pareto(m.ACTIVITY_PARETO_INDEX, size=len(generic_country))

    country = np.concatenate([named_country, generic_country])
    kind = np.concatenate([named_kind, generic_kind])
    country_activity = np.bincount(generic_country, weights=activity, minlength=len(countries))
    named_activity = _NAMED_DRAW_SHARE * country_activity[named_country]
    activity = np.concatenate([named_activity, activity])
    n_named = len(NAMED_INVESTORS)
    types = np.asarray(m.INVESTOR_TYPE_NAMES, dtype=object)[kind]
    names = investor_names(np.arange(len(country)) - n_named, types)
    names.iloc[:n_named] = [n for n, _, _ in NAMED_INVESTORS]

    pools: dict[tuple[int, int, bool], tuple[np.ndarray, np.ndarray]] = {}
    for c in range(len(countries)):
        ids = np.flatnonzero(country == c)
        for g in range(3):
            base = activity[ids] * m.TYPE_STAGE_AFFINITY[kind[ids], g]
            for is_lead in (False, True):
                w = base * m.TYPE_LEAD_WEIGHT[kind[ids]] if is_lead else base
                pools[(c, g, is_lead)] = (ids, np.cumsum(w))
    return InvestorPool(country=country, kind=kind, names=names, pools=pools)
