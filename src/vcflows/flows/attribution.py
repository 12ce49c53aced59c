"""Attribution of each round's amount to investor countries, in one DuckDB query.

Methods (``FlowOptions.attribution``):

``equal`` (default)
    A round's amount is split equally among its participations (its rows naming an
    investor): a participation gets ``amount / n``. Investor countries collect the shares of
    their investors; the deal weight follows the same split (``k / n`` for a country with ``k``
    of the ``n`` participations), so deal counts are conserved too.
``lead``
    Only lead participations count, equally (``amount / n_lead``); a round with no lead
    marked falls back to ``equal``.
``full``
    Every distinct investor country of a round is credited with the whole amount and one
    deal: an upper bound, useful for counts ("rounds with a US investor"). Not conserved.

A share is attributed only when both the company's country and its investor's country are
known. Everything else goes to an explicit *unattributed* bucket with a reason, in this
precedence: ``no_investor`` (the round has no participation), ``company_country_unknown``,
``investor_country_unknown`` (the investor's country is NULL or the investor is not in the
investors table). Rounds with an unknown (NULL) amount keep a NULL amount but count in deal
weights. For ``equal`` and ``lead``, attributed + unattributed amounts equal the total known
amount of the selected rounds (conservation); under ``full`` each unattributed reason is
charged the whole round once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.flows import columns as c
from vcflows.flows.base import base_relation, counts_ctes, round_columns
from vcflows.flows.options import FlowOptions
from vcflows.flows.taxonomy import sector_predicate

#: Columns of the shares relation, in order.
SHARE_COLUMNS: tuple[str, ...] = (
    s.ROUND_ID,
    s.COMPANY_ID,
    c.YEAR,
    s.STAGE,
    c.COMPANY_COUNTRY,
    c.INVESTOR_COUNTRY,
    s.AMOUNT_USD,
    c.DEALS,
    c.REASON,
)


def _weight_sql(method: str) -> str:
    """Share of a round going to one (round, investor country) group; 1 for no-investor rounds."""
    equal = "g.k::DOUBLE / g.n"
    if method == "equal":
        return f"coalesce({equal}, 1.0)"
    if method == "lead":
        return f"coalesce(CASE WHEN g.nl > 0 THEN g.kl::DOUBLE / g.nl ELSE {equal} END, 1.0)"
    return "1.0"  # full: every distinct investor country gets the whole round


def selected_rounds_sql(
    opts: FlowOptions, base: str | None = None, *, counts: bool = False
) -> tuple[str, list[object]]:
    """SQL selecting the rounds ``opts`` keeps, with year and company country.

    Parameters
    ----------
    opts : FlowOptions
        Selection.
    base : str, optional
        The store's current flow base (``base_relation(con)``): read the rounds from it
        instead of joining rounds and companies (same rows, faster on large stores).
    counts : bool
        Add ``n`` and ``nl``, the round's participations and lead participations (NULL
        without any): read from the flow base, else counted.

    Returns
    -------
    tuple of (str, list)
        A query with columns round_id, company_id, year, stage, amount_usd, company_country
        (and n, nl), and its bound parameters.
    """
    if base is not None:
        cond, fparams = _filters(opts, "g")
        return _base_rounds(base, cond, counts=counts), fparams
    if counts:
        rounds, params = selected_rounds_sql(opts)
        per_round = (
            f"SELECT {s.ROUND_ID}, count(*) AS {c.N}, "
            f"count(*) FILTER (WHERE {s.IS_LEAD}) AS {c.N_LEAD} "
            f"FROM {s.PARTICIPATIONS} GROUP BY {s.ROUND_ID}"
        )
        sql = f"""
        SELECT g.*, pc.{c.N}, pc.{c.N_LEAD} FROM ({rounds}) g
        LEFT JOIN ({per_round}) pc ON g.{s.ROUND_ID} = pc.{s.ROUND_ID}"""
        return sql, params
    pred, params = sector_predicate(opts, "co")
    # Rounds whose company is missing from the companies table are kept only without a
    # sector filter (their sector is unknown); their company country is then unknown.
    join = "LEFT JOIN" if opts.sector == "all" else "JOIN"
    cond, cparams = _period_stage_filters(opts, "g")
    sql = f"""
        SELECT * FROM (
            SELECT {round_columns("r")}, co.{s.COUNTRY} AS {c.COMPANY_COUNTRY}
            FROM {s.ROUNDS} r
            {join} (SELECT * FROM {s.COMPANIES} co WHERE {pred}) co
                ON r.{s.COMPANY_ID} = co.{s.COMPANY_ID}
        ) g WHERE {cond}
    """
    return sql, [*params, *cparams]


def _base_rounds(base: str, cond: str, *, counts: bool = False) -> str:
    """The selected rounds (one row each) from the flow base ``base`` aliased ``g``."""
    # BIGINT as counted inline (the base's sums are HUGEINT)
    extra = f", g.{c.N}::BIGINT AS {c.N}, g.{c.N_LEAD}::BIGINT AS {c.N_LEAD}" if counts else ""
    return f"""
            SELECT g.{s.ROUND_ID}, g.{s.COMPANY_ID}, g.{c.YEAR}, g.{s.STAGE}, g.{s.AMOUNT_USD},
                   g.{c.COMPANY_COUNTRY}{extra}
            FROM {base} g WHERE {cond} AND g.{c.FIRST_ROW}
    """


def _period_stage_filters(opts: FlowOptions, alias: str) -> tuple[str, list[object]]:
    """SQL condition on the year and stage columns of a flow row ``alias``, and parameters."""
    where = ["TRUE"]
    params: list[object] = []
    if opts.year_from is not None:
        where.append(f"{alias}.{c.YEAR} >= {int(opts.year_from)}")
    if opts.year_to is not None:
        where.append(f"{alias}.{c.YEAR} <= {int(opts.year_to)}")
    if opts.stages is not None:
        where.append(f"list_contains(?::VARCHAR[], {alias}.{s.STAGE})")
        params.append(list(opts.stages))
    return " AND ".join(where), params


def _filters(opts: FlowOptions, alias: str) -> tuple[str, list[object]]:
    """SQL condition selecting ``opts``' rounds on a flow base row ``alias``, and parameters."""
    sector = "TRUE"
    params: list[object] = []
    if opts.sector == "ai":
        sector = f"{alias}.{c.AI}"
    elif opts.sector != "all":
        pred, params = sector_predicate(opts, "co")
        sector = (
            f"{alias}.{s.COMPANY_ID} IN (SELECT co.{s.COMPANY_ID} FROM {s.COMPANIES} co "
            f"WHERE {pred})"
        )
    cond, cparams = _period_stage_filters(opts, alias)
    return f"{sector} AND {cond}", [*params, *cparams]


def shares_with(opts: FlowOptions, base: str | None = None) -> tuple[str, list[object]]:
    """A ``WITH`` clause defining ``r`` (selected rounds) and ``shares`` for ``opts``.

    Append a ``SELECT ... FROM shares`` (and/or ``FROM r``) to it: one query then yields
    several aggregates while the rounds are selected and attributed once.

    Parameters
    ----------
    opts : FlowOptions
        Selection and attribution method.
    base : str, optional
        The store's current flow base table (:func:`vcflows.flows.base.base_relation`
        gives it); None computes the same relation inline from the canonical tables, for
        the selected rounds only (the Spark engine's path).

    Returns
    -------
    tuple of (str, list)
        The clause (``r`` has the columns of :func:`selected_rounds_sql`, ``shares`` those of
        :data:`SHARE_COLUMNS`) and its bound parameters.
    """
    w = _weight_sql(opts.attribution)
    if opts.attribution == "full":
        lost_amount, lost_deals = f"any_value({s.AMOUNT_USD})", "1.0"
    else:
        lost_amount, lost_deals = f"sum({s.AMOUNT_USD} * w)", "sum(w)"

    def x_cols(rnd: str) -> str:  # the round columns come from ``rnd``, the counts from g
        return f"""{rnd}.{s.ROUND_ID}, {rnd}.{s.COMPANY_ID}, {rnd}.{c.YEAR}, {rnd}.{s.STAGE},
                   {rnd}.{s.AMOUNT_USD}, {rnd}.{c.COMPANY_COUNTRY}, g.{c.INVESTOR_COUNTRY},
                   CASE WHEN g.{c.K} IS NULL THEN '{c.NO_INVESTOR}'
                        WHEN {rnd}.{c.COMPANY_COUNTRY} IS NULL THEN '{c.COMPANY_COUNTRY_UNKNOWN}'
                        WHEN g.{c.INVESTOR_COUNTRY} IS NULL THEN '{c.INVESTOR_COUNTRY_UNKNOWN}'
                   END AS {c.REASON},
                   {w} AS w"""

    if base is None:
        rounds, params = selected_rounds_sql(opts)
        counts = counts_ctes("g0", f"p.{s.ROUND_ID} IN (SELECT {s.ROUND_ID} FROM r)")
        head = f"""
        WITH r AS ({rounds}),
        {counts},
        x AS (
            SELECT {x_cols("r")}
            FROM r LEFT JOIN g0 g ON r.{s.ROUND_ID} = g.{s.ROUND_ID}
        ),"""
    else:
        cond, fparams = _filters(opts, "g")
        params = [*fparams, *fparams]
        head = f"""
        WITH r AS ({_base_rounds(base, cond)}),
        x AS (SELECT {x_cols("g")} FROM {base} g WHERE {cond}),"""
    sql = f"""{head}
        shares AS (
            SELECT {s.ROUND_ID}, {s.COMPANY_ID}, {c.YEAR}, {s.STAGE}, {c.COMPANY_COUNTRY},
                   {c.INVESTOR_COUNTRY}, {s.AMOUNT_USD} * w AS {s.AMOUNT_USD}, w AS {c.DEALS},
                   {c.REASON}
            FROM x WHERE {c.REASON} IS NULL AND w > 0
            UNION ALL
            SELECT {s.ROUND_ID}, any_value({s.COMPANY_ID}), any_value({c.YEAR}),
                   any_value({s.STAGE}), any_value({c.COMPANY_COUNTRY}), NULL::VARCHAR,
                   {lost_amount}, {lost_deals}, {c.REASON}
            FROM x WHERE {c.REASON} IS NOT NULL AND w > 0
            GROUP BY {s.ROUND_ID}, {c.REASON}
        )
    """
    return sql, params


def shares_sql(opts: FlowOptions, base: str | None = None) -> tuple[str, list[object]]:
    """SQL of the attributed and unattributed shares of every selected round.

    ``base`` as for :func:`shares_with`; the functions taking a connection pass the
    store's current flow base (``base_relation(con)``) themselves.

    Returns
    -------
    tuple of (str, list)
        A query with the columns :data:`SHARE_COLUMNS` (``reason`` NULL for attributed
        shares: one row per (round, investor country); unattributed shares: one row per
        (round, reason) with a NULL investor country), and its bound parameters.
    """
    with_clause, params = shares_with(opts, base)
    return f"{with_clause} SELECT * FROM shares", params


@contextmanager
def shares_table(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> Iterator[str]:
    """Materialize the shares of ``opts`` in a temporary table; yield its name, then drop it.

    Use it when several aggregates are read from the same selection (the indicators do),
    so the attribution runs once. Temporary tables work on read-only connections too.
    """
    name = f"_vcf_shares_{uuid.uuid4().hex[:12]}"
    sql, params = shares_sql(opts, base_relation(con))
    con.execute(f"CREATE TEMP TABLE {name} AS {sql}", params).fetchall()
    try:
        yield name
    finally:
        con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()


def attributed_flows(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """The attributed shares: one row per (round, investor country).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection and attribution method.

    Returns
    -------
    pd.DataFrame
        Columns round_id, company_id, year, stage, company_country, investor_country,
        amount_usd (NULL when the round's amount is unknown) and deals (deal weight), sorted by
        round_id then investor_country. Potentially large: prefer :func:`flow_matrix` for
        aggregates.
    """
    sql, params = shares_sql(opts, base_relation(con))
    cols = ", ".join(SHARE_COLUMNS[:-1])
    return con.execute(
        f"SELECT {cols} FROM ({sql}) WHERE {c.REASON} IS NULL "
        f"ORDER BY {s.ROUND_ID}, {c.INVESTOR_COUNTRY}",
        params,
    ).fetchdf()


def unattributed_sql(relation: str) -> str:
    """SQL aggregating the unattributed rows of a shares relation (table name or ``(query)``).

    Plain SQL text (DuckDB dialect), also transpiled by :mod:`vcflows.engines.spark`.
    """
    return f"""
        SELECT {c.COMPANY_COUNTRY}, {c.REASON},
               coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {s.AMOUNT_USD},
               count(DISTINCT {s.ROUND_ID}) AS {c.ROUNDS},
               coalesce(fsum({c.DEALS}), 0.0) AS {c.DEALS}
        FROM {relation} WHERE {c.REASON} IS NOT NULL
        GROUP BY ALL
        ORDER BY {c.COMPANY_COUNTRY} NULLS LAST, {c.REASON}
        """


def unattributed_from(
    con: duckdb.DuckDBPyConnection, relation: str, params: list[object]
) -> pd.DataFrame:
    """Aggregate the unattributed rows of a shares relation (table name or ``(query)``)."""
    return con.execute(unattributed_sql(relation), params).fetchdf()


def unattributed(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """The unattributed bucket, by company country and reason.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection and attribution method.

    Returns
    -------
    pd.DataFrame
        Columns company_country (NULL when unknown), reason (one of
        :data:`vcflows.flows.columns.REASONS`), amount_usd (known amounts only), rounds
        (distinct rounds concerned) and deals (deal weight), sorted by country then reason.
    """
    sql, params = shares_sql(opts, base_relation(con))
    return unattributed_from(con, f"({sql})", params)


def flow_totals(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> dict[str, float]:
    """Totals of a selection, for data notes and conservation checks.

    Returns
    -------
    dict
        ``rounds``, ``rounds_with_amount``, ``total_usd`` (sum of known round amounts),
        ``attributed_usd`` and ``unattributed_usd`` (under ``opts.attribution``), and
        ``unattributed_share`` (of attributed + unattributed; NaN when both are 0).
    """
    with_clause, params = shares_with(opts, base_relation(con))
    rows = con.execute(
        f"""{with_clause}
        SELECT count(*), count({s.AMOUNT_USD}), coalesce(fsum({s.AMOUNT_USD}), 0.0),
               NULL::DOUBLE, NULL::DOUBLE FROM r
        UNION ALL
        SELECT NULL, NULL, NULL,
               coalesce(fsum({s.AMOUNT_USD}) FILTER (WHERE {c.REASON} IS NULL), 0.0),
               coalesce(fsum({s.AMOUNT_USD}) FILTER (WHERE {c.REASON} IS NOT NULL), 0.0)
        FROM shares
        """,
        params,
    ).fetchall()
    head = next(row for row in rows if row[0] is not None)
    tail = next(row for row in rows if row[0] is None)
    n, n_amt, total = head[:3]
    att, lost = float(tail[3]), float(tail[4])
    both = att + lost
    return {
        "rounds": int(n),
        "rounds_with_amount": int(n_amt),
        "total_usd": float(total),
        "attributed_usd": att,
        "unattributed_usd": lost,
        "unattributed_share": lost / both if both > 0 else float("nan"),
    }
