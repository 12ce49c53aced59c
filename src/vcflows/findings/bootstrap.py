"""A seeded bootstrap over rounds for ratio findings, on per-round aggregates.

The attributed money of the selection is first reduced to one row per (round, investor
country, company country) in DuckDB. A ratio claim is a numerator and a denominator mask over
those cells; both are summed per round (``np.bincount``), and each resample weighs every round
by a Poisson(1) count, so a resample is one matrix product over rounds (fast on 40,000 rounds).
The weights and the percentile interval are those of the indicators' intervals
(:mod:`vcflows.indicators.intervals`): one sampler, one interval rule.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import numpy as np
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions, base_relation, shares_with
from vcflows.flows import columns as c
from vcflows.indicators.intervals import percentile_interval, poisson_weights

#: A mask over the cells' rows (investor_country, company_country arrays) -> bool array.
CellMask = Callable[[np.ndarray, np.ndarray], np.ndarray]


def round_cells(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """Attributed amounts per (round, investor country, company country) for ``opts``.

    Returns
    -------
    pd.DataFrame
        round_id, investor_country, company_country, amount_usd (unknown amounts as 0).
    """
    with_clause, params = shares_with(opts, base_relation(con))
    sql = f"""{with_clause}
        SELECT {s.ROUND_ID}, {c.INVESTOR_COUNTRY}, {c.COMPANY_COUNTRY},
               coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {s.AMOUNT_USD}
        FROM shares WHERE {c.REASON} IS NULL
        GROUP BY ALL ORDER BY ALL
    """
    return con.execute(sql, params).fetchdf()


class RoundBootstrap:
    """Poisson bootstrap weights over the rounds of ``cells``, drawn once for a seed."""

    def __init__(self, cells: pd.DataFrame, resamples: int, seed: int) -> None:
        codes, uniques = pd.factorize(cells[s.ROUND_ID], sort=True)
        self._round = codes.astype(np.int64)
        self._n_rounds = len(uniques)
        self._ic = cells[c.INVESTOR_COUNTRY].astype(str).to_numpy()
        self._cc = cells[c.COMPANY_COUNTRY].astype(str).to_numpy()
        self._amount = cells[s.AMOUNT_USD].astype(float).to_numpy()
        blocks = list(poisson_weights(self._n_rounds, resamples, seed))
        self._weights = np.vstack([np.empty((0, self._n_rounds)), *blocks])

    def rounds_where(self, mask: CellMask) -> int:
        """Number of distinct rounds with a cell matching ``mask``."""
        hit = mask(self._ic, self._cc)
        return int(np.unique(self._round[hit]).size)

    def ratio(self, num: CellMask, den: CellMask) -> np.ndarray:
        """The ratio Σ num / Σ den in every resample (NaN where the denominator is 0)."""
        if self._weights.shape[0] == 0 or self._n_rounds == 0:
            return np.empty(0)
        per_num = np.bincount(
            self._round, weights=self._amount * num(self._ic, self._cc), minlength=self._n_rounds
        )
        per_den = np.bincount(
            self._round, weights=self._amount * den(self._ic, self._cc), minlength=self._n_rounds
        )
        top = self._weights @ per_num
        bottom = self._weights @ per_den
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def interval(samples: np.ndarray, level: float) -> tuple[float | None, float | None]:
    """The central ``level`` percentile interval of ``samples`` (None when there are none)."""
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return None, None
    low, high = percentile_interval(finite[:, None], level)
    return float(low[0]), float(high[0])
