"""The flow base: what every flow query starts from, kept materialized beside the store.

Every flow query needs, for each selected round, its company's country and AI verdict and
its participations counted per investor country (``k`` of ``n``, leads ``kl`` of ``nl``).
Counting means scanning every participation and joining every investor, and the AI verdict
runs the taxonomy's regular expressions over every company: on a large store that is most
of a query's time, and the same for every selection (years, sector, stages only pick rows).

:func:`refresh` materializes that relation once, as table :data:`vcflows.schema.FLOW_BASE`
(one row per round and investor country; a round without participations has one row with
NULL counts), after every ingest and demo build. The flow queries read it when it is
*current* (:func:`base_relation`) and otherwise compute the same relation inline from the
canonical tables, for the selected rounds only: the numbers are identical either way.

Current means built, by this version of the definition (its SQL text, which embeds the AI
taxonomy), from the tables as they are: the table records a fingerprint of the row counts
of the canonical tables and of the ingest log (every ingest appends to it). Edits by other
means than vcflows' ingest that keep every row count are not detected: run
``vcflows reindex`` (:func:`refresh`) after editing a store by hand.

After ingests through the same connection into a store whose flow base was current, the
refresh rebuilds only the rounds their merged records reach (:mod:`vcflows.store.touched`
keeps them): adding a monthly export to a store of millions of participations then costs
seconds, not a whole rebuild, with the same resulting table.
"""

from __future__ import annotations

import hashlib

import duckdb

from vcflows import schema as s
from vcflows.flows import columns as c
from vcflows.flows.taxonomy import is_ai_sql
from vcflows.store import has_table, rollback, touched

#: Largest share of the rounds rebuilt in place; beyond it the whole rebuild is cheaper.
INCREMENTAL_MAX_SHARE = 0.2

_META_DDL = f"CREATE TABLE IF NOT EXISTS {s.DERIVED_META} (name VARCHAR, {s.FINGERPRINT} VARCHAR)"


def counts_ctes(name: str, round_filter: str = "") -> str:
    """Common table expressions defining ``name``: per-(round, investor country) counts.

    Parameters
    ----------
    name : str
        Name of the resulting CTE (``{name}_g`` is defined too).
    round_filter : str
        Optional SQL condition on ``p.round_id`` restricting the rounds counted.

    Returns
    -------
    str
        ``{name}_g AS (...), {name} AS (...)``; ``name`` has columns round_id,
        investor_country (NULL when unknown or the investor is not in the investors table),
        k and kl (that country's participations and lead participations in the round), n and
        nl (the round's), and first_row (true on exactly one row per round).
    """
    where = f"WHERE {round_filter}" if round_filter else ""
    g = f"{name}_g"
    # n, nl and first_row by a group-by joined back: at 10M participations 6.8 s against
    # 9.8 s for a window over the round (min() over a string window is the slow part). Countries are distinct within a round, so
    # exactly one row per round is first.
    return f"""
        {g} AS (
            SELECT p.{s.ROUND_ID}, i.{s.COUNTRY} AS {c.INVESTOR_COUNTRY},
                   count(*) AS {c.K}, count(*) FILTER (WHERE p.{s.IS_LEAD}) AS {c.K_LEAD}
            FROM {s.PARTICIPATIONS} p
            LEFT JOIN {s.INVESTORS} i ON p.{s.INVESTOR_ID} = i.{s.INVESTOR_ID}
            {where}
            GROUP BY p.{s.ROUND_ID}, i.{s.COUNTRY}
        ),
        {name} AS (
            SELECT {g}.*, t.{c.N}, t.{c.N_LEAD},
                   {g}.{c.INVESTOR_COUNTRY} IS NOT DISTINCT FROM t.c0 AS {c.FIRST_ROW}
            FROM {g} JOIN (
                SELECT {s.ROUND_ID}, sum({c.K}) AS {c.N}, sum({c.K_LEAD}) AS {c.N_LEAD},
                       min({c.INVESTOR_COUNTRY}) AS c0
                FROM {g} GROUP BY {s.ROUND_ID}
            ) t ON {g}.{s.ROUND_ID} = t.{s.ROUND_ID}
        )"""


def round_columns(alias: str) -> str:
    """The round columns every flow relation carries, from a rounds row ``alias``."""
    return (
        f"{alias}.{s.ROUND_ID}, {alias}.{s.COMPANY_ID}, "
        f"CAST(year({alias}.{s.ANNOUNCED_ON}) AS INTEGER) AS {c.YEAR}, "
        f"{alias}.{s.STAGE}, {alias}.{s.AMOUNT_USD}"
    )


def build_sql(rounds: str | None = None) -> str:
    """SQL of the flow base: every round, or only those listed in table ``rounds``."""
    where_r = where_co = p_filter = ""
    if rounds is not None:
        listed = f"(SELECT {s.ROUND_ID} FROM {rounds})"
        where_r = f" WHERE r.{s.ROUND_ID} IN {listed}"
        where_co = (
            f" WHERE co.{s.COMPANY_ID} IN (SELECT {s.COMPANY_ID} FROM {s.ROUNDS} "
            f"WHERE {s.ROUND_ID} IN {listed})"
        )
        p_filter = f"p.{s.ROUND_ID} IN {listed}"
    return f"""
        WITH co AS MATERIALIZED (
            -- the taxonomy's regular expressions once per company, not once per round
            SELECT co.{s.COMPANY_ID}, co.{s.COUNTRY}, {is_ai_sql("co")} AS {c.AI}
            FROM {s.COMPANIES} co{where_co}
        ),
        ra AS (
            SELECT {round_columns("r")}, co.{s.COUNTRY} AS {c.COMPANY_COUNTRY}, co.{c.AI}
            FROM {s.ROUNDS} r LEFT JOIN co ON r.{s.COMPANY_ID} = co.{s.COMPANY_ID}{where_r}
        ),
        {counts_ctes("rc", p_filter)}
        SELECT ra.*, rc.{c.INVESTOR_COUNTRY}, rc.{c.K}, rc.{c.K_LEAD}, rc.{c.N}, rc.{c.N_LEAD},
               coalesce(rc.{c.FIRST_ROW}, TRUE) AS {c.FIRST_ROW}
        FROM ra LEFT JOIN rc ON ra.{s.ROUND_ID} = rc.{s.ROUND_ID}
    """


def _definition() -> str:
    return hashlib.sha256(build_sql().encode()).hexdigest()[:16]


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the flow base was built from: definition and row counts (milliseconds to get)."""
    return f"{_definition()}:{touched.store_state(con)}"


def _stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    if not (has_table(con, s.FLOW_BASE) and has_table(con, s.DERIVED_META)):
        return None
    rows = con.execute(
        f"SELECT {s.FINGERPRINT} FROM {s.DERIVED_META} WHERE name = ?", [s.FLOW_BASE]
    ).fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


def _affected_rounds(con: duckdb.DuckDBPyConnection) -> int | None:
    """Temp table ``_vcf_affected``: rounds the recorded merges reach; their number.

    None when the flow base must be rebuilt whole: no record, a table filled from empty, a
    base not built from the store as it was before the merges, or counts changed since.
    """
    if not touched.has_record(con):
        return None
    marks = dict(
        con.execute(
            f"SELECT tbl, id FROM {s.TOUCHED} WHERE tbl IN (?, ?, ?)",
            [touched.BEFORE, touched.AFTER, touched.ALL],
        ).fetchall()
    )
    if (
        touched.ALL in marks
        or _stored_fingerprint(con) != f"{_definition()}:{marks.get(touched.BEFORE)}"
        or touched.store_state(con, log=False) != marks.get(touched.AFTER)
    ):
        return None
    t = s.TOUCHED
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _vcf_affected AS
        SELECT id AS {s.ROUND_ID} FROM {t} WHERE tbl IN ('{s.ROUNDS}', '{s.PARTICIPATIONS}')
        UNION  -- a company's country or AI verdict reaches all its rounds
        SELECT r.{s.ROUND_ID} FROM {s.ROUNDS} r JOIN {t} ON tbl = '{s.COMPANIES}'
            AND r.{s.COMPANY_ID} = id
        UNION  -- an investor's country reaches every round it took part in
        SELECT p.{s.ROUND_ID} FROM {s.PARTICIPATIONS} p JOIN {t} ON tbl = '{s.INVESTORS}'
            AND p.{s.INVESTOR_ID} = id"""
    ).fetchall()
    return int(con.execute("SELECT count(*) FROM _vcf_affected").fetchall()[0][0])


def refresh(con: duckdb.DuckDBPyConnection) -> str:
    """Bring the flow base up to date with the canonical tables, atomically.

    Called after every ingest and demo build; call it after editing a store by other means.
    After ingests through this connection into a store whose flow base was current, only
    the rounds the merged records reach are rebuilt (:mod:`vcflows.store.touched`); the
    result is the same as a whole rebuild, which runs in every other case.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable vcflows database, outside any open transaction.

    Returns
    -------
    str
        ``"incremental"`` or ``"full"``: what was rebuilt.
    """
    progress = con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0]
    con.execute("SET enable_progress_bar = false").fetchall()  # callers show their own status
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(_META_DDL).fetchall()
        affected = _affected_rounds(con)
        rounds = _count_rows(con, s.ROUNDS)
        if affected is not None and affected <= rounds * INCREMENTAL_MAX_SHARE:
            mode = "incremental"
            con.execute(
                f"DELETE FROM {s.FLOW_BASE} WHERE {s.ROUND_ID} IN "
                f"(SELECT {s.ROUND_ID} FROM _vcf_affected)"
            ).fetchall()
            con.execute(f"INSERT INTO {s.FLOW_BASE} {build_sql('_vcf_affected')}").fetchall()
        else:
            mode = "full"
            con.execute(f"CREATE OR REPLACE TABLE {s.FLOW_BASE} AS {build_sql()}").fetchall()
        con.execute(f"DELETE FROM {s.DERIVED_META} WHERE name = ?", [s.FLOW_BASE]).fetchall()
        con.execute(
            f"INSERT INTO {s.DERIVED_META} VALUES (?, ?)", [s.FLOW_BASE, fingerprint(con)]
        ).fetchall()
        con.execute("DROP TABLE IF EXISTS _vcf_affected").fetchall()
        touched.clear(con)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    finally:
        con.execute(f"SET enable_progress_bar = {str(progress).lower()}").fetchall()
    return mode


def _count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def base_relation(con: duckdb.DuckDBPyConnection) -> str | None:
    """The flow base table's name when it is current, else None (the queries go inline).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database (read-only connections too).

    Returns
    -------
    str or None
        :data:`vcflows.schema.FLOW_BASE`, or None when absent or out of date.
    """
    stored = _stored_fingerprint(con)
    if stored is None or stored != fingerprint(con):
        return None
    return s.FLOW_BASE
