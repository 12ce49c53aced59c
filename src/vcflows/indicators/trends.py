"""Trends of a few countries: amounts and shares per year, with intervals and a few-deals flag.

What the report's focus chapter and the dashboard's country and focus views draw over time for
the focus country and its peers: the money their companies received each year, the foreign
share of it and the overseas share of their investors' money, each share with its bootstrap
interval (:mod:`vcflows.indicators.intervals`) and a flag on the years with fewer rounds than
a finding needs (``min_rounds``, the findings' :class:`~vcflows.findings.FindingOptions`
default), where a share rests on a handful of deals.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions, base_relation, shares_with
from vcflows.flows import columns as c
from vcflows.indicators.country import flow_aggregates, indicators_by_year_from_aggregates
from vcflows.indicators.intervals import (
    IntervalOptions,
    add_intervals,
    ci_high,
    ci_low,
    share_intervals,
)

#: Rounds of the country's investors in the year (attributed shares only).
ROUNDS_OUT: Final = "rounds_out"
#: True where the year's share rests on fewer than ``min_rounds`` rounds.
FEW_ROUNDS_IN: Final = "few_rounds_in"
FEW_ROUNDS_OUT: Final = "few_rounds_out"
#: The shares drawn over time, each with its rounds column and few-deals flag.
TREND_SHARES: Final[dict[str, tuple[str, str]]] = {
    "foreign_share_in": ("rounds_in", FEW_ROUNDS_IN),
    "overseas_share_out": (ROUNDS_OUT, FEW_ROUNDS_OUT),
}
#: Columns of :func:`country_trends`, in order.
TREND_COLUMNS: Final[tuple[str, ...]] = (
    c.COUNTRY,
    c.YEAR,
    "invested_in_usd",
    "invested_out_usd",
    "rounds_in",
    ROUNDS_OUT,
    "foreign_share_in",
    ci_low("foreign_share_in"),
    ci_high("foreign_share_in"),
    "overseas_share_out",
    ci_low("overseas_share_out"),
    ci_high("overseas_share_out"),
    FEW_ROUNDS_IN,
    FEW_ROUNDS_OUT,
)


def _rounds_out(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """Rounds with attributed money or deals from each investor country, per year."""
    with_clause, params = shares_with(opts, base_relation(con))
    sql = f"""{with_clause}
        SELECT {c.INVESTOR_COUNTRY} AS {c.COUNTRY}, {c.YEAR},
               count(DISTINCT {s.ROUND_ID}) AS {ROUNDS_OUT}
        FROM shares WHERE {c.REASON} IS NULL AND {c.YEAR} IS NOT NULL
        GROUP BY ALL ORDER BY ALL
    """
    return con.execute(sql, params).fetchdf()


def country_trends(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    countries: Sequence[str],
    *,
    ci: IntervalOptions | None = None,
    min_rounds: int = 30,
    aggregates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Amounts and shares per year of ``countries``, with intervals and few-deals flags.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection and attribution method (its years bound the years).
    countries : sequence of str
        ISO3 codes, e.g. the focus country and its peers; absent ones yield no rows.
    ci : IntervalOptions, optional
        The intervals' level, resamples and seed (default: 90%, 200, seed 0).
    min_rounds : int
        A share of a year with fewer rounds in its direction (``rounds_in`` for the
        foreign share of inbound money, ``rounds_out`` for the overseas share of outbound
        money) is flagged (``few_rounds_in`` / ``few_rounds_out``).
    aggregates : pd.DataFrame, optional
        :func:`~vcflows.indicators.country.flow_aggregates` of ``opts``, when the caller has
        them already (the report): the same values without a second pass.

    Returns
    -------
    pd.DataFrame
        Columns :data:`TREND_COLUMNS`: one row per listed country and year in which it
        received, invested or lost money (values as in
        :func:`~vcflows.indicators.country_indicators_by_year`), sorted by the order of
        ``countries``, then year.
    """
    ci = ci or IntervalOptions()
    wanted = list(dict.fromkeys(countries))
    agg = flow_aggregates(con, opts) if aggregates is None else aggregates
    ind = indicators_by_year_from_aggregates(agg, opts)  # = country_indicators_by_year
    ind = add_intervals(ind, share_intervals(con, opts, ci, by_year=True))
    ind = ind[ind[c.COUNTRY].isin(wanted)]
    out = ind.merge(_rounds_out(con, opts), on=[c.COUNTRY, c.YEAR], how="left")
    out[ROUNDS_OUT] = out[ROUNDS_OUT].fillna(0).astype("int64")
    out[FEW_ROUNDS_IN] = out["rounds_in"] < min_rounds
    out[FEW_ROUNDS_OUT] = out[ROUNDS_OUT] < min_rounds
    order = {k: i for i, k in enumerate(wanted)}
    out = out.assign(_order=out[c.COUNTRY].map(order)).sort_values(
        ["_order", c.YEAR], kind="mergesort"
    )
    return out[list(TREND_COLUMNS)].reset_index(drop=True)
