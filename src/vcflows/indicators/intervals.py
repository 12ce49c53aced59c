"""Bootstrap intervals of the country share indicators, over rounds, seeded and reproducible.

Every share indicator of :mod:`vcflows.indicators.country` is a ratio of two sums over the
selected rounds (money or deal weights of some cells of the flow matrix). A resample weighs
every round by a Poisson(1) count (the Poisson bootstrap: a round drawn 0, 1, 2, … times),
so a resampled share is the ratio of the two weighted sums.

The work is one DuckDB reduction and one product:

1. DuckDB reduces the attributed and unattributed shares of the selection to one row per
   (round, country[, year]) with the eight sums the shares need (:data:`MEASURES`), the
   selected rounds (dated ones, by year) numbered ``0 … R−1`` in ``round_id`` order;
2. those rows become a sparse ``R × (groups · 8)`` matrix ``S``; the weights of a block of
   resamples are a dense ``b × R`` matrix ``W``, and ``W @ S`` gives every group's eight sums
   in every resample of the block at once.

The interval of a share is the central ``level`` percentile interval of its resampled values
(resamples in which the share is undefined, a zero denominator, are left out), widened where
needed to contain the point value: with few rounds the resampled values can fall on one side
of it. The weights are drawn by inverse-CDF sampling from one ``numpy`` generator seeded with
``seed``, in a fixed order of rounds, so one seed gives byte-identical intervals.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions, base_relation, shares_with
from vcflows.flows import columns as c

#: The share indicators that get an interval, in the order of ``INDICATOR_COLUMNS``.
SHARE_INDICATORS: Final[tuple[str, ...]] = (
    "share_global",
    "share_global_deals",
    "domestic_share_in",
    "foreign_share_in",
    "us_share_in",
    "domestic_share_in_deals",
    "foreign_share_in_deals",
    "overseas_share_out",
    "overseas_share_out_deals",
    "unattributed_in_share",
)
CI_LOW_SUFFIX: Final = "_ci_low"
CI_HIGH_SUFFIX: Final = "_ci_high"

#: Per-(round, group) sums the shares are ratios of (inbound: the group is the company
#: country; outbound: the investor country).
MEASURES: Final[tuple[str, ...]] = (
    "in_usd",
    "in_deals",
    "domestic_usd",
    "domestic_deals",
    "us_usd",
    "lost_usd",
    "out_usd",
    "out_deals",
)
_Q = len(MEASURES)
#: Resamples drawn and multiplied at a time (bounds the memory of the weights).
_BLOCK = 25
#: Poisson(1) cumulative probabilities below 1 in double precision (inverse-CDF sampling).
_CDF_TERMS = np.cumsum([math.exp(-1.0) / math.factorial(k) for k in range(30)], dtype=np.float64)
_POISSON_CDF: Final = _CDF_TERMS[_CDF_TERMS < 1.0]


def ci_low(name: str) -> str:
    """Column of the lower bound of indicator ``name`` (``foreign_share_in_ci_low``)."""
    return f"{name}{CI_LOW_SUFFIX}"


def ci_high(name: str) -> str:
    """Column of the upper bound of indicator ``name`` (``foreign_share_in_ci_high``)."""
    return f"{name}{CI_HIGH_SUFFIX}"


def with_ci_columns(columns: tuple[str, ...] | list[str]) -> list[str]:
    """``columns`` with each share's ``_ci_low`` and ``_ci_high`` right after it."""
    out: list[str] = []
    for col in columns:
        out.append(col)
        if col in SHARE_INDICATORS:
            out += [ci_low(col), ci_high(col)]
    return out


@dataclass(frozen=True)
class IntervalOptions:
    """How the bootstrap intervals are drawn.

    Parameters
    ----------
    level : float
        Coverage of the central percentile interval (0 < level < 1), e.g. 0.9.
    resamples : int
        Poisson-weighted resamples of the rounds (≥ 1).
    seed : int
        Seed of the weights: one seed, one result.
    """

    level: float = 0.9
    resamples: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or not isinstance(self.level, int | float):
            raise OptionError(f"ci level: expected a number, got {self.level!r}")
        if not 0.0 < float(self.level) < 1.0:
            raise OptionError(f"ci level: expected a level between 0 and 1, got {self.level}")
        if isinstance(self.resamples, bool) or not isinstance(self.resamples, int):
            raise OptionError(f"resamples: expected an integer, got {self.resamples!r}")
        if self.resamples < 1:
            raise OptionError(f"resamples: expected ≥ 1, got {self.resamples}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise OptionError(f"seed: expected a non-negative integer, got {self.seed!r}")


def poisson_weights(n_rounds: int, resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Poisson(1) weights of ``n_rounds`` rounds in ``resamples`` resamples, block by block.

    Yields ``float64`` arrays of shape ``(b, n_rounds)`` (``b`` ≤ 25), whose rows stacked are
    the ``resamples × n_rounds`` weights of ``seed``: the same whatever the block size.
    """
    rng = np.random.default_rng(seed)
    for start in range(0, resamples, _BLOCK):
        u = rng.random((min(_BLOCK, resamples - start), n_rounds))
        yield np.searchsorted(_POISSON_CDF, u, side="right").astype(np.float64)


def percentile_interval(samples: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval of each column of ``samples`` (NaNs left out; all-NaN → NaN).

    The quantiles of ``np.nanquantile`` (linear interpolation), computed for all columns at
    once by one sort (``nanquantile`` loops over columns).
    """
    tail = (1.0 - level) / 2.0
    n_cols = samples.shape[1]
    if samples.shape[0] == 0 or n_cols == 0:
        empty = np.full(n_cols, np.nan)
        return empty, empty.copy()
    ordered = np.sort(samples, axis=0)  # NaNs sort last
    n = np.isfinite(samples).sum(axis=0)
    cols = np.arange(n_cols)
    bounds = []
    for q in (tail, 1.0 - tail):
        pos = q * np.maximum(n - 1, 0)
        below = np.floor(pos).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(n - 1, 0))
        frac = pos - below
        a, b = ordered[below, cols], ordered[above, cols]
        value = np.where(frac > 0, a + (b - a) * frac, a)
        bounds.append(np.where(n > 0, value, np.nan))
    return bounds[0], bounds[1]


def _reduction_sql(opts: FlowOptions, base: str | None, by_year: bool) -> tuple[str, list[object]]:
    """Per-(round, country[, year]) sums of :data:`MEASURES`, rounds numbered in id order."""
    with_clause, params = shares_with(opts, base)
    ic, cc, yr, amt, dl = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, c.YEAR, s.AMOUNT_USD, c.DEALS
    dated = f"WHERE {yr} IS NOT NULL" if by_year else ""
    # Rounds are numbered among the selected rounds (``r``), not only those with shares, so
    # the weights of a round do not depend on how the attribution treats the others.
    att = f"{c.REASON} IS NULL"

    def total(expr: str, cond: str) -> str:
        return f"coalesce(fsum({expr}) FILTER (WHERE {cond}), 0.0)"

    sql = f"""{with_clause},
        numbered AS (
            SELECT {s.ROUND_ID}, row_number() OVER (ORDER BY {s.ROUND_ID}) - 1 AS rk
            FROM r {dated}
        ),
        ranked AS (
            SELECT n.rk, x.{yr}, x.{cc}, x.{ic}, x.{c.REASON},
                   coalesce(x.{amt}, 0.0) AS a, coalesce(x.{dl}, 0.0) AS d
            FROM shares x JOIN numbered n ON x.{s.ROUND_ID} = n.{s.ROUND_ID}
        )
        SELECT (SELECT count(*) FROM numbered) AS n_rounds, rk, {yr}, {cc} AS {c.COUNTRY},
               {total("a", att)} AS in_usd, {total("d", att)} AS in_deals,
               {total("a", f"{att} AND {ic} = {cc}")} AS domestic_usd,
               {total("d", f"{att} AND {ic} = {cc}")} AS domestic_deals,
               {total("a", f"{att} AND {ic} = 'USA'")} AS us_usd,
               {total("a", f"{c.REASON} IS NOT NULL")} AS lost_usd,
               0.0 AS out_usd, 0.0 AS out_deals
        FROM ranked WHERE {cc} IS NOT NULL GROUP BY rk, {yr}, {cc}
        UNION ALL
        SELECT (SELECT count(*) FROM numbered), rk, {yr}, {ic}, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
               fsum(a), fsum(d)
        FROM ranked WHERE {att} GROUP BY rk, {yr}, {ic}
    """
    return sql, params


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def _shares(sums: np.ndarray, period: np.ndarray, n_periods: int) -> dict[str, np.ndarray]:
    """Every share of :data:`SHARE_INDICATORS` from sums of shape ``(b, groups, 8)``."""
    m = {name: sums[:, :, q] for q, name in enumerate(MEASURES)}
    tot = np.zeros((sums.shape[0], n_periods, 2))
    for p_col, name in enumerate(("in_usd", "in_deals")):
        for p in range(n_periods):
            tot[:, p, p_col] = m[name][:, period == p].sum(axis=1)
    return {
        "share_global": _ratio(m["in_usd"], tot[:, period, 0]),
        "share_global_deals": _ratio(m["in_deals"], tot[:, period, 1]),
        "domestic_share_in": _ratio(m["domestic_usd"], m["in_usd"]),
        "foreign_share_in": _ratio(m["in_usd"] - m["domestic_usd"], m["in_usd"]),
        "us_share_in": _ratio(m["us_usd"], m["in_usd"]),
        "domestic_share_in_deals": _ratio(m["domestic_deals"], m["in_deals"]),
        "foreign_share_in_deals": _ratio(m["in_deals"] - m["domestic_deals"], m["in_deals"]),
        "overseas_share_out": _ratio(m["out_usd"] - m["domestic_usd"], m["out_usd"]),
        "overseas_share_out_deals": _ratio(m["out_deals"] - m["domestic_deals"], m["out_deals"]),
        "unattributed_in_share": _ratio(m["lost_usd"], m["lost_usd"] + m["in_usd"]),
    }


def share_intervals(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    ci: IntervalOptions,
    *,
    by_year: bool = False,
) -> pd.DataFrame:
    """Bootstrap intervals of every share indicator of every country (see the module docstring).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection and attribution method, as for :func:`~vcflows.indicators.country_indicators`.
    ci : IntervalOptions
        Level, resamples and seed.
    by_year : bool
        One interval per country and year (rounds without a date left out), as for
        :func:`~vcflows.indicators.country_indicators_by_year`.

    Returns
    -------
    pd.DataFrame
        ``country`` (and ``year``), then ``<share>_ci_low`` and ``<share>_ci_high`` for every
        share of :data:`SHARE_INDICATORS` (not yet widened to the point value: see
        :func:`add_intervals`). NaN where the share is undefined in every resample.
    """
    sql, params = _reduction_sql(opts, base_relation(con), by_year)
    rows = con.execute(sql, params).fetchdf()
    keys = [c.COUNTRY, c.YEAR] if by_year else [c.COUNTRY]
    cols = [ci_col for name in SHARE_INDICATORS for ci_col in (ci_low(name), ci_high(name))]
    if rows.empty:
        empty = {k: pd.Series(dtype="int64" if k == c.YEAR else object) for k in keys}
        return pd.DataFrame({**empty, **{col: pd.Series(dtype=float) for col in cols}})
    group_keys = rows[keys].drop_duplicates().sort_values(keys, kind="mergesort")
    group_keys = group_keys.reset_index(drop=True)
    group = (
        rows[keys]
        .merge(group_keys.reset_index(names="g"), on=keys, how="left", validate="many_to_one")["g"]
        .to_numpy()
    )
    if by_year:
        period_codes, _ = pd.factorize(group_keys[c.YEAR], sort=True)
        period, n_periods = period_codes.astype(np.int64), int(period_codes.max()) + 1
    else:
        period, n_periods = np.zeros(len(group_keys), dtype=np.int64), 1
    n_rounds, n_groups = int(rows["n_rounds"].iloc[0]), len(group_keys)
    values = rows[list(MEASURES)].to_numpy(dtype=np.float64)
    rk = rows["rk"].to_numpy(dtype=np.int64)
    cells = sparse.coo_matrix(
        (
            values.ravel(),
            (np.repeat(rk, _Q), (group[:, None] * _Q + np.arange(_Q)[None, :]).ravel()),
        ),
        shape=(n_rounds, n_groups * _Q),
    ).tocsr()
    cells.eliminate_zeros()
    cells_t = cells.T.tocsr()  # (groups · 8) × rounds: the product reads rows
    samples: dict[str, list[np.ndarray]] = {name: [] for name in SHARE_INDICATORS}
    for weights in poisson_weights(n_rounds, ci.resamples, ci.seed):
        sums = np.asarray(cells_t @ weights.T).T.reshape(weights.shape[0], n_groups, _Q)
        for name, value in _shares(sums, period, n_periods).items():
            samples[name].append(value)
    out = group_keys.copy()
    for name in SHARE_INDICATORS:
        low, high = percentile_interval(np.vstack(samples[name]), float(ci.level))
        out[ci_low(name)], out[ci_high(name)] = low, high
    if by_year:
        out[c.YEAR] = out[c.YEAR].astype("int64")
    out[c.COUNTRY] = out[c.COUNTRY].astype(object)
    return out


def add_intervals(indicators: pd.DataFrame, intervals: pd.DataFrame) -> pd.DataFrame:
    """``indicators`` with the interval of each share beside it (see :func:`with_ci_columns`).

    Rows keep their order; a bound is widened to the point value where the resampled values
    fall on one side of it, and is NaN where the point value is NaN (an undefined share has
    no interval).
    """
    keys = [k for k in (c.COUNTRY, c.YEAR) if k in indicators.columns and k in intervals.columns]
    intervals = intervals.astype({k: indicators[k].dtype for k in keys})
    out = indicators.merge(intervals, on=keys, how="left", validate="one_to_one", sort=False)
    for name in SHARE_INDICATORS:
        if name not in out.columns:
            continue
        point = out[name].astype(float)
        low = out[ci_low(name)].astype(float)
        high = out[ci_high(name)].astype(float)
        out[ci_low(name)] = pd.Series(np.fmin(low, point), index=out.index).where(point.notna())
        out[ci_high(name)] = pd.Series(np.fmax(high, point), index=out.index).where(point.notna())
    return out[with_ci_columns(list(indicators.columns))]
