"""Country indicators per stage group: the whole-period definitions on each rung of the ladder.

Stage groups are :data:`vcflows.schema.STAGE_GROUP`'s (``early``: pre-seed to series A;
``late``: series B on and growth; ``other``: grants, debt, other and unknown), as in
:mod:`vcflows.indicators.stages`. The row for country ``k`` and group ``g`` equals the row for
``k`` of ``country_indicators(con, FlowOptions(stages=<g's stages>, ...))``: ``share_global``
is a share of that group's money, ``growth`` the group's growth over the period. A round has
one stage, so the groups partition the rounds: amounts, deals and unattributed amounts of a
country summed over its groups are its whole-period ones.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions, base_relation, shares_with
from vcflows.flows import columns as c
from vcflows.indicators.country import (
    INDICATOR_COLUMNS,
    SELECTED_ROUNDS,
    indicators_from_aggregates,
)

#: The stage-group key of :func:`country_indicators_by_stage`'s rows.
STAGE_GROUP: Final = "stage_group"

#: Output columns of :func:`country_indicators_by_stage`, in order.
INDICATOR_BY_STAGE_COLUMNS: tuple[str, ...] = (c.COUNTRY, STAGE_GROUP, *INDICATOR_COLUMNS[1:])


def stage_aggregates(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """:func:`vcflows.indicators.country.flow_aggregates`, also grouped by stage.

    Returns
    -------
    pd.DataFrame
        investor_country, company_country, year, stage, reason, amount_usd, deals, n.
    """
    with_clause, params = shares_with(opts, base_relation(con))
    sql = f"""{with_clause}
        SELECT {c.INVESTOR_COUNTRY}, {c.COMPANY_COUNTRY}, {c.YEAR}, {s.STAGE}, {c.REASON},
               fsum({s.AMOUNT_USD}) AS {s.AMOUNT_USD}, fsum({c.DEALS}) AS {c.DEALS},
               count(*) AS n
        FROM shares GROUP BY ALL
        UNION ALL
        SELECT NULL, {c.COMPANY_COUNTRY}, {c.YEAR}, {s.STAGE}, '{SELECTED_ROUNDS}',
               fsum({s.AMOUNT_USD}), count(*), count(*)
        FROM r GROUP BY ALL
        ORDER BY ALL
        """
    return con.execute(sql, params).fetchdf()


def indicators_by_stage_from_aggregates(
    agg: pd.DataFrame, opts: FlowOptions, top_n: int = 5
) -> pd.DataFrame:
    """Country indicators per stage group from :func:`stage_aggregates` (module docstring)."""
    group = agg[s.STAGE].map(s.STAGE_GROUP).fillna("other")
    frames = []
    for g in s.STAGE_GROUPS:  # three groups, on the small aggregate table: no new query
        part = agg[group == g]
        if part.empty:
            continue
        stages = tuple(st for st, grp in s.STAGE_GROUP.items() if grp == g)
        if opts.stages is not None:
            stages = tuple(st for st in stages if st in opts.stages)
        one = replace(opts, stages=stages)
        ind = indicators_from_aggregates(part.drop(columns=[s.STAGE]), one, top_n)
        frames.append(ind.assign(**{STAGE_GROUP: g}))
    if not frames:
        return pd.DataFrame({col: pd.Series(dtype=object) for col in INDICATOR_BY_STAGE_COLUMNS})
    return pd.concat(frames, ignore_index=True)[list(INDICATOR_BY_STAGE_COLUMNS)]


def country_indicators_by_stage(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions | None = None, top_n: int = 5
) -> pd.DataFrame:
    """Indicators of every country in every stage group of the selection ``opts``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Selection and attribution; a stage filter leaves only its groups (and stages).
    top_n : int
        Number of partners in ``top_sources`` / ``top_destinations``.

    Returns
    -------
    pd.DataFrame
        One row per country and stage group in which the country received, invested or lost
        money (or deals), columns :data:`INDICATOR_BY_STAGE_COLUMNS` (definitions in
        :mod:`vcflows.indicators.country`); sorted by group (early, late, other), then
        invested_in_usd descending, then country.
    """
    opts = opts or FlowOptions()
    return indicators_by_stage_from_aggregates(stage_aggregates(con, opts), opts, top_n)
