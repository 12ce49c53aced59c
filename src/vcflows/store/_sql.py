"""SQL the store's modules share: what a database holds, and the merge rule's column values.

The lowest module of the store: the ingest (:mod:`vcflows.store.db`), the links between sources
(:mod:`vcflows.store.link`) and the record of touched keys (:mod:`vcflows.store.touched`) all
stand on it, so none of them imports another for these.
"""

from __future__ import annotations

import duckdb

from vcflows import schema as s


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, if any.

    A COMMIT that failed (e.g. the disk filled while writing) has already ended the
    transaction; DuckDB's "no transaction is active" must not replace the real error then.
    """
    try:
        con.execute("ROLLBACK")
    except duckdb.TransactionException as exc:
        if "no transaction is active" not in str(exc):
            raise


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the connection's own database holds a (non-temporary) table named ``table``."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE table_name = ? AND NOT temporary AND database_name = current_database()",
        [table],
    ).fetchall()
    return bool(rows[0][0])


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether the connection's own table ``table`` has ``column`` (older stores may lack it)."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ? "
        "AND database_name = current_database()",
        [table, column],
    ).fetchall()
    return bool(rows[0][0])


def first_known(col: str) -> str:
    """SQL aggregate: the first non-null value of ``col`` by ``_rn``, preferring non-placeholders.

    Not the ingest's merge rule (see :mod:`vcflows.store._conflicts`): :mod:`vcflows.store.link`
    merges linked records by source rank with it.
    """
    first = f"arg_min({col}, _rn) FILTER (WHERE {col} IS NOT NULL)"
    if col not in s.PLACEHOLDERS:
        return first
    ph = s.PLACEHOLDERS[col]
    return f"coalesce(arg_min({col}, _rn) FILTER (WHERE {col} IS NOT NULL AND {col} <> '{ph}'), {first})"


def keep_stored(col: str, stored: str = "t", new: str = "n") -> str:
    """SQL for the merged value: the stored one unless it is NULL or a placeholder."""
    if col not in s.PLACEHOLDERS:
        return f"COALESCE({stored}.{col}, {new}.{col})"
    ph = s.PLACEHOLDERS[col]
    return f"CASE WHEN {stored}.{col} IS NULL OR {stored}.{col} = '{ph}' THEN {new}.{col} ELSE {stored}.{col} END"
