"""SQL shared by the investor-level networks: in-scope participations with their weights.

The flow engine attributes rounds to investor *countries*; the corporate and syndicate networks
need investor-level shares, so the same rule is restated here per participation (see
:mod:`vcflows.flows.attribution`): ``equal`` gives each participation ``1 / n`` of the round,
``lead`` gives each lead ``1 / n_lead`` (all participations equally when no lead is marked),
``full`` gives every participation the whole round. Round selection (years, stages, AI sector)
is the flow engine's own :func:`~vcflows.flows.selected_rounds_sql`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from vcflows import schema as s
from vcflows.flows import FlowOptions, base_relation, selected_rounds_sql
from vcflows.network.groups import with_groups

#: Investor types counted as corporate investors (big-tech-like and corporate VC arms).
CORPORATE_TYPES: tuple[str, ...] = ("cvc", "corporate")


def _weight(method: str) -> str:
    if method == "equal":
        return "1.0 / n"
    if method == "lead":
        return (
            "CASE WHEN nl > 0 THEN (CASE WHEN is_lead THEN 1.0 / nl ELSE 0.0 END) ELSE 1.0 / n END"
        )
    return "1.0"


def participations_sql(opts: FlowOptions, base: str | None = None) -> tuple[str, list[object]]:
    """SQL of the selected rounds' participations, one row per (round, investor).

    Returns
    -------
    tuple of (str, list)
        A query with columns round_id, company_id, company_country, round_usd (NULL when the
        amount is unknown), investor_id, investor_name, investor_country, investor_type,
        is_lead, w (the participation's share of the round under ``opts.attribution``), and
        its bound parameters.
    """
    # n and nl (the weights' denominators) come with the rounds: from the flow base when
    # current, which spares a window over every participation (10M: 3.5 s against 1.9 s).
    rounds, params = selected_rounds_sql(opts, base, counts=True)
    sql = f"""
        WITH r AS ({rounds})
        SELECT p.{s.ROUND_ID}, r.{s.COMPANY_ID}, r.company_country,
               r.{s.AMOUNT_USD} AS round_usd, p.{s.INVESTOR_ID}, i.{s.NAME} AS investor_name,
               i.{s.COUNTRY} AS investor_country,
               coalesce(i.{s.INVESTOR_TYPE}, 'unknown') AS investor_type,
               coalesce(p.{s.IS_LEAD}, FALSE) AS is_lead, {_weight(opts.attribution)} AS w
        FROM {s.PARTICIPATIONS} p JOIN r ON p.{s.ROUND_ID} = r.{s.ROUND_ID}
        LEFT JOIN {s.INVESTORS} i ON p.{s.INVESTOR_ID} = i.{s.INVESTOR_ID}
    """
    return sql, params


@contextmanager
def participations_table(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> Iterator[str]:
    """Materialize :func:`participations_sql` in a temporary table; yield its name, then drop it.

    The corporate and syndicate networks each scan the participations several times; reading
    them from one table computes the round selection and the weights once. The table also
    names each investor's big-tech group (``corporate_group``, ``group_country``; see
    :mod:`vcflows.network.groups`). Temporary tables work on read-only connections too.
    """
    name = f"_vcf_participations_{uuid.uuid4().hex[:12]}"
    sql, params = participations_sql(opts, base_relation(con))
    con.execute(f"CREATE TEMP TABLE {name} AS {sql}", params).fetchall()
    try:
        with_groups(con, name)
        yield name
    finally:
        con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()


def relation(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, table: str | None
) -> tuple[str, list[object]]:
    """The participations as a query: from ``table`` (see :func:`participations_table`) if given."""
    if table is not None:
        return f"SELECT * FROM {table}", []
    return participations_sql(opts, base_relation(con))
