"""The order-free merge rule and the conflicts it records (SQL for :mod:`vcflows.store.db`).

Within one batch, each non-key field of a key is chosen among its non-null values by, in
order: not a placeholder ("unknown" of ``stage`` and ``investor_type``), the best (lowest)
:data:`vcflows.schema.MERGE_RANK`, the most rows (:data:`vcflows.schema.MERGE_WEIGHT` summed),
the smallest value (text in UTF-8 byte order, numbers and dates by value, false before true).
Nothing depends on the order of the rows.

A field whose rows of one key give two or more different known values is a conflict: one row
of the connection-local table ``_vcf_conflicts`` (the columns of
:data:`vcflows.schema.CONFLICTS`) per key and field. So is a field whose value in a later
ingest differs from the known value stored before (which is kept). :func:`flush` moves the
ingest's conflicts into the ``conflicts`` table.
"""

from __future__ import annotations

import duckdb

from vcflows import schema as s

FOUND = "_vcf_conflicts"


def _fields(table: str) -> list[str]:
    """Non-key fields of ``table`` whose disagreements are conflicts (not the provenance)."""
    pk = s.PRIMARY_KEYS[table]
    return [c for c in s.columns(table) if c not in pk and c != s.SOURCE]


def _is_placeholder(col: str, expr: str = "v") -> str:
    """SQL: whether ``expr`` (a value of ``col``) is the column's placeholder."""
    if col not in s.PLACEHOLDERS:
        return "false"
    return f"({expr} = '{s.PLACEHOLDERS[col]}')"


def _order(col: str) -> str:
    """ORDER BY of the rule over per-value rows (v, n, rk): the kept value first."""
    first = f"{_is_placeholder(col)}, " if col in s.PLACEHOLDERS else ""
    return f"{first}rk, n DESC, v"


def _key_text(table: str, alias: str = "") -> str:
    """SQL: the record's key as text ("round_id|investor_id" for participations)."""
    keys = [f"{alias}{k}" for k in s.PRIMARY_KEYS[table]]
    return keys[0] if len(keys) == 1 else f"concat_ws('|', {', '.join(keys)})"


def _values(table: str, col: str, rows: str) -> str:
    """SQL: per key and known value of ``col`` in ``rows``: v, n (rows), rk (best rank)."""
    keys = ", ".join(s.PRIMARY_KEYS[table])
    return (
        f"(SELECT {keys}, {col} AS v, sum(_n)::BIGINT AS n, min(_rank) AS rk FROM {rows} "
        f"WHERE {col} IS NOT NULL GROUP BY ALL)"
    )


def resolved(con: duckdb.DuckDBPyConnection, table: str, rows: str, *, record: bool) -> str:
    """SQL of one row per key of typed ``rows`` (canonical columns, ``_n``, ``_rank``).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The ingest's connection (conflicts are recorded through it).
    table : str
        A canonical table, the quarantine or the conflicts.
    rows : str
        A relation whose keys may repeat.
    record : bool
        Record the fields on which a key's rows disagree in ``_vcf_conflicts``.

    Returns
    -------
    str
        SQL with the canonical columns of ``table``, in order.
    """
    pk = s.PRIMARY_KEYS[table]
    keys = ", ".join(pk)
    picks, joins = [], []
    for j, col in enumerate(c for c in s.columns(table) if c not in pk):
        picks.append(f"p{j}.{col}")
        joins.append(
            f"LEFT JOIN (SELECT {keys}, first(v ORDER BY {_order(col)}) AS {col} "
            f"FROM {_values(table, col, rows)} GROUP BY ALL) p{j} USING ({keys})"
        )
        if record and table in s.MERGED_TABLES and col in _fields(table):
            _record_batch(con, table, col, rows)
    names = [f"k.{k}" if k in pk else picks.pop(0) for k in s.columns(table)]
    return f"SELECT {', '.join(names)} FROM (SELECT DISTINCT {keys} FROM {rows}) k " + " ".join(
        joins
    )


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """Start collecting an ingest's conflicts (an empty ``_vcf_conflicts``)."""
    defs = ", ".join(f"{c.name} {c.sql_type}" for c in s.TABLES[s.CONFLICTS])
    con.execute(f"CREATE OR REPLACE TEMP TABLE {FOUND} ({defs})").fetchall()


def _collecting(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND temporary", [FOUND]
    ).fetchall()
    return bool(rows[0][0])


def _record_batch(con: duckdb.DuckDBPyConnection, table: str, col: str, rows: str) -> None:
    """Conflicts of ``col`` among ``rows``: keys with two or more known values."""
    if not _collecting(con):
        return
    keys = ", ".join(s.PRIMARY_KEYS[table])
    entry = "{'value': v::VARCHAR, 'rows': n}"
    con.execute(
        f"""INSERT INTO {FOUND} SELECT '{table}', {_key_text(table)}, '{col}',
            to_json(list({entry} ORDER BY {_order(col)})),
            first(v::VARCHAR ORDER BY {_order(col)}), 'ingest', min(src)
        FROM (SELECT x.*, o.src FROM {_values(table, col, rows)} x
              JOIN (SELECT {keys}, min({s.SOURCE}) AS src FROM {rows} GROUP BY ALL) o
              USING ({keys})
              WHERE NOT {_is_placeholder(col)})
        GROUP BY ALL HAVING count(*) > 1"""
    ).fetchall()


def record_stored(con: duckdb.DuckDBPyConnection, table: str, new: str, on: str) -> None:
    """Conflicts between stored records (``t``) and the batch's one row per key (``n``)."""
    if table not in s.MERGED_TABLES or not _collecting(con):
        return
    for col in _fields(table):
        known = (
            f"t.{col} IS NOT NULL AND n.{col} IS NOT NULL AND t.{col} <> n.{col} "
            f"AND NOT {_is_placeholder(col, f't.{col}')} "
            f"AND NOT {_is_placeholder(col, f'n.{col}')}"
        )
        values = (
            f"to_json([{{'value': t.{col}::VARCHAR, 'rows': NULL::BIGINT}}, "
            f"{{'value': n.{col}::VARCHAR, 'rows': NULL::BIGINT}}])"
        )
        con.execute(
            f"""INSERT INTO {FOUND} SELECT '{table}', {_key_text(table, "t.")}, '{col}',
                {values}, t.{col}::VARCHAR, 'stored', n.{s.SOURCE}
            FROM {table} t JOIN {new} n ON {on} WHERE {known}"""
        ).fetchall()


def flush(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Store the ingest's conflicts (each once); return (found, new to the table)."""
    if not _collecting(con):
        return 0, 0
    found = int(con.execute(f"SELECT count(*) FROM {FOUND}").fetchall()[0][0])
    before = int(con.execute(f"SELECT count(*) FROM {s.CONFLICTS}").fetchall()[0][0])
    pk = s.PRIMARY_KEYS[s.CONFLICTS]
    names = ", ".join(s.columns(s.CONFLICTS))
    on = " AND ".join(f"c.{k} = f.{k}" for k in pk)
    con.execute(
        f"""INSERT INTO {s.CONFLICTS} ({names}) SELECT DISTINCT ON ({", ".join(pk)}) {names}
        FROM {FOUND} f WHERE NOT EXISTS (SELECT 1 FROM {s.CONFLICTS} c WHERE {on})
        ORDER BY ALL"""
    ).fetchall()
    con.execute(f"DROP TABLE {FOUND}").fetchall()
    after = int(con.execute(f"SELECT count(*) FROM {s.CONFLICTS}").fetchall()[0][0])
    return found, after - before
