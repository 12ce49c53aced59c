"""What ingests changed since the derived tables were last refreshed (connection-local).

Derived tables (the flow base of :mod:`vcflows.flows.base`) are rebuilt after every ingest.
Rebuilding everything after adding a small export to a large store would cost as much as the
first build, so every merge records here, in a temporary table of the connection, the keys it
merged (a superset of what it changed) and, once, the store's state before the first of them.
A refresh that finds its table built from exactly that state updates only the records those
keys reach; in any other case (an empty table was filled, the table is older, another
connection wrote, the counts changed after the last merge) it rebuilds everything.

The record is written inside the ingest's transaction, so a rolled-back ingest leaves none.
"""

from __future__ import annotations

import duckdb

from vcflows import schema as s
from vcflows.store._sql import has_table

#: The rows of :data:`vcflows.schema.TOUCHED` that are not keys.
BEFORE = "#before"  # id: store_state() before the first merge
AFTER = "#after"  # id: store_state(log=False) after the last merge
ALL = "*"  # a table was filled from empty: no key list (everything is new)


def store_state(con: duckdb.DuckDBPyConnection, *, log: bool = True) -> str:
    """Row counts of the canonical tables and the ingest log (every ingest appends to it).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    log : bool
        Include the ingest log.

    Returns
    -------
    str
        ``table=count`` pairs joined by ``:``, for the tables that exist.
    """
    names = (*s.CANONICAL_TABLES, s.INGEST_LOG) if log else s.CANONICAL_TABLES
    tables = [t for t in names if has_table(con, t)]
    if not tables:
        return ""
    counts = ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)
    n = con.execute(f"SELECT {counts}").fetchall()[0]
    return ":".join(f"{t}={int(v)}" for t, v in zip(tables, n, strict=True))


def has_record(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether this connection holds a record of merges (:data:`vcflows.schema.TOUCHED`)."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary",
        [s.TOUCHED],
    ).fetchall()
    return bool(rows[0][0])


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """Start the record with the store's state, unless a merge since the last refresh did."""
    if has_record(con):
        return
    state = store_state(con)
    con.execute(f"CREATE TEMP TABLE {s.TOUCHED} (tbl VARCHAR, id VARCHAR)").fetchall()
    con.execute(f"INSERT INTO {s.TOUCHED} VALUES (?, ?)", [BEFORE, state]).fetchall()


def record(con: duckdb.DuckDBPyConnection, table: str, keys: str | None) -> None:
    """Record the merged keys of ``table``: column 1 of relation ``keys``, None for all.

    Only the first key column is kept (a participation's round); the quarantine is not
    recorded (no derived table reads it).
    """
    if table not in s.CANONICAL_TABLES:
        return
    if keys is None:
        con.execute(f"INSERT INTO {s.TOUCHED} VALUES (?, NULL)", [ALL]).fetchall()
        return
    key = s.PRIMARY_KEYS[table][0]
    con.execute(f"INSERT INTO {s.TOUCHED} SELECT DISTINCT '{table}', {key} FROM {keys}").fetchall()


def finish(con: duckdb.DuckDBPyConnection) -> None:
    """Note the canonical tables' counts after a merge: a later change of them (an edit by
    other means before the refresh) then calls for a whole rebuild."""
    con.execute(f"DELETE FROM {s.TOUCHED} WHERE tbl = ?", [AFTER]).fetchall()
    con.execute(
        f"INSERT INTO {s.TOUCHED} VALUES (?, ?)", [AFTER, store_state(con, log=False)]
    ).fetchall()


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the record (after a refresh)."""
    con.execute(f"DROP TABLE IF EXISTS {s.TOUCHED}").fetchall()
