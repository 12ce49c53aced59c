"""The flow matrix: investor country × company country, optionally by year and stage."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows import columns as c
from vcflows.flows.attribution import shares_sql
from vcflows.flows.base import base_relation
from vcflows.flows.options import FlowOptions


def _check_by(by: Sequence[str]) -> list[str]:
    dims = [by] if isinstance(by, str) else list(by)
    bad = [d for d in dims if d not in c.BY_DIMENSIONS]
    if bad or len(set(dims)) != len(dims):
        raise OptionError(
            f"by: expected distinct values among {', '.join(c.BY_DIMENSIONS)}, got {', '.join(dims)}"
        )
    return dims


def matrix_sql(relation: str, by: Sequence[str] = ()) -> str:
    """SQL aggregating the attributed rows of a shares relation (table name or ``(query)``).

    Plain SQL text over the relation (DuckDB dialect): DuckDB runs it as is, the Spark
    engine (:mod:`vcflows.engines.spark`) transpiles it.
    """
    dims = _check_by(by)
    keys = ", ".join([c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, *dims])
    order = ", ".join([f"{k} NULLS LAST" for k in (c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, *dims)])
    # fsum (compensated summation) makes the result independent of DuckDB's parallel
    # summation order, so the same input gives byte-identical output.
    return f"""
        SELECT {keys},
               coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {s.AMOUNT_USD},
               fsum({c.DEALS}) AS {c.DEALS}
        FROM {relation} WHERE {c.REASON} IS NULL
        GROUP BY {keys}
        ORDER BY {order}
        """


def matrix_from(
    con: duckdb.DuckDBPyConnection, relation: str, params: list[object], by: Sequence[str] = ()
) -> pd.DataFrame:
    """Aggregate the attributed rows of a shares relation (table name or ``(query)``)."""
    return con.execute(matrix_sql(relation, by), params).fetchdf()


def flow_matrix(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, by: Sequence[str] = ()
) -> pd.DataFrame:
    """Attributed flows by (investor country, company country[, year][, stage]).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection and attribution method.
    by : sequence of {"year", "stage"}
        Extra breakdown dimensions.

    Returns
    -------
    pd.DataFrame
        Columns investor_country, company_country, *by, amount_usd (sum of attributed known
        amounts; 0 when every amount is unknown) and deals (sum of deal weights), sorted by
        the key columns. The domestic diagonal is included (investor_country ==
        company_country).
    """
    sql, params = shares_sql(opts, base_relation(con))
    return matrix_from(con, f"({sql})", params, by)
