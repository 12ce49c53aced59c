"""DuckDB store: schema creation, transactional idempotent ingest, and a summary.

Merge rule (documented for users in the README): records are keyed by their primary key
(``company_id``, ``round_id``, ``(round_id, investor_id)``, ``investor_id``). Within one batch the
first non-null value of each field wins; across ingests the value already stored wins and only
NULL fields are filled from the new source. The placeholder "unknown" of ``stage`` and
``investor_type`` counts as NULL here, so a later source that knows the value fills it. Re-ingesting the same file therefore adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import StoreError
from vcflows.sources._base import FileAccount, SourceBatch

_LOG_DDL = f"""
CREATE TABLE IF NOT EXISTS {s.INGEST_LOG} (
    source VARCHAR, source_file VARCHAR, sha256 VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, rows_skipped BIGINT,
    note VARCHAR
)
"""


def _ddl(table: str) -> str:
    cols = ", ".join(
        f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in s.TABLES[table]
    )
    pk = ", ".join(s.PRIMARY_KEYS[table])
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({pk}))"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical tables, the quarantine and the ingest log if absent."""
    for table in (*s.CANONICAL_TABLES, s.QUARANTINE):
        con.execute(_ddl(table))
    con.execute(_LOG_DDL)


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and if needed create) a vcflows database.

    Parameters
    ----------
    path : str or Path
        DuckDB database file; ``":memory:"`` for an in-memory store.
    read_only : bool
        Open read-only; the file must exist and hold the vcflows tables.

    Returns
    -------
    duckdb.DuckDBPyConnection
        A connection with the schema in place.
    """
    if read_only and str(path) != ":memory:" and not Path(path).exists():
        raise StoreError(
            f"{path}: no such database; create it with `vcflows ingest` or `vcflows demo`"
        )
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:  # e.g. not a DuckDB file, or locked by another process
        raise StoreError(f"{path}: cannot open as a DuckDB database ({exc})") from exc
    if read_only:
        missing = [t for t in s.CANONICAL_TABLES if not _has_table(con, t)]
        if missing:
            con.close()
            raise StoreError(
                f"{path}: not a vcflows database (missing tables: {', '.join(missing)})"
            )
    else:
        create_schema(con)
    return con


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchall()
    return bool(rows[0][0])


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # fetchall, not fetchone: DuckDB 2 refuses new work while a result is unfinished.
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _stage(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> str:
    """Register ``df`` and return a SQL query yielding one typed row per primary key."""
    cols = s.TABLES[table]
    frame = df.reindex(columns=[c.name for c in cols]).reset_index(drop=True)
    frame = frame.astype(object).where(frame.notna(), None)
    frame["_rn"] = range(len(frame))
    view = f"_stg_{table}"
    con.register(view, frame)
    return _staged_query(table, view)


def _staged_query(table: str, view: str) -> str:
    """SQL yielding one typed row per primary key of a staged relation (canonical cols + _rn)."""
    cols = s.TABLES[table]
    pk = s.PRIMARY_KEYS[table]
    typed = ", ".join(f"TRY_CAST({c.name} AS {c.sql_type}) AS {c.name}" for c in cols)
    # First non-null value of each non-key field wins within the batch.
    agg = ", ".join(f"{_first_known(c.name)} AS {c.name}" for c in cols if c.name not in pk)
    keys = ", ".join(pk)
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in pk)
    return (
        f"SELECT {keys}, {agg} FROM (SELECT {typed}, _rn FROM {view}) "
        f"WHERE {not_null} GROUP BY {keys}"
    )


def _first_known(col: str) -> str:
    """SQL aggregate: the first non-null value of ``col``, preferring non-placeholder values."""
    first = f"arg_min({col}, _rn) FILTER (WHERE {col} IS NOT NULL)"
    if col not in s.PLACEHOLDERS:
        return first
    ph = s.PLACEHOLDERS[col]
    return f"coalesce(arg_min({col}, _rn) FILTER (WHERE {col} IS NOT NULL AND {col} <> '{ph}'), {first})"


def _keep_stored(table: str, col: str) -> str:
    """SQL for the merged value: the stored one unless it is NULL or a placeholder."""
    if col not in s.PLACEHOLDERS:
        return f"COALESCE({table}.{col}, EXCLUDED.{col})"
    ph = s.PLACEHOLDERS[col]
    return f"CASE WHEN {table}.{col} IS NULL OR {table}.{col} = '{ph}' THEN EXCLUDED.{col} ELSE {table}.{col} END"


def _merge(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> int:
    """Upsert ``df`` into ``table`` with the module's merge rule; return new record count."""
    if df.empty:
        return 0
    new = merge_staged(con, table, f"_stg_{table}", frame=df)
    con.unregister(f"_stg_{table}")
    return new


def merge_staged(
    con: duckdb.DuckDBPyConnection, table: str, relation: str, *, frame: pd.DataFrame | None = None
) -> int:
    """Upsert a staged relation into ``table`` with the module's merge rule.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open, writable vcflows database (inside the caller's transaction).
    table : str
        A canonical table or the quarantine.
    relation : str
        A table/view with the canonical columns of ``table`` (any types: values are
        ``TRY_CAST``) plus ``_rn``, the batch order that decides "first non-null wins". Used
        by the vectorized ingest (:mod:`vcflows.store.bulk`).
    frame : pd.DataFrame, optional
        Internal: register this DataFrame as ``relation`` first.

    Returns
    -------
    int
        Records added to ``table``.
    """
    before = _count(con, table)
    query = _stage(con, table, frame) if frame is not None else _staged_query(table, relation)
    pk = s.PRIMARY_KEYS[table]
    names = [c.name for c in s.TABLES[table]]
    others = [n for n in names if n not in pk]
    ordered = ", ".join(names)
    if others:
        sets = ", ".join(f"{n} = {_keep_stored(table, n)}" for n in others)
        conflict = f"ON CONFLICT ({', '.join(pk)}) DO UPDATE SET {sets}"
    else:
        conflict = "ON CONFLICT DO NOTHING"
    if before == 0:
        conflict = ""  # empty table: the grouped keys are unique, nothing can conflict
    con.execute(f"INSERT INTO {table} ({ordered}) SELECT {ordered} FROM ({query}) {conflict}")
    return _count(con, table) - before


@dataclass
class IngestResult:
    """What one ingest did: per-file row accounting and new records per table."""

    source: str
    accounts: list[FileAccount]
    new_records: dict[str, int]
    notes: list[str]

    @property
    def balanced(self) -> bool:
        """Whether every file's rows are all accounted for."""
        return all(a.balanced for a in self.accounts)

    def to_frame(self) -> pd.DataFrame:
        """Per-file accounting as a DataFrame (file, read, loaded, quarantined, skipped)."""
        return pd.DataFrame(
            [
                {
                    "file": a.file,
                    "read": a.read,
                    "loaded": a.loaded,
                    "quarantined": a.quarantined,
                    "skipped": a.skipped,
                    "note": a.note,
                }
                for a in self.accounts
            ],
            columns=["file", "read", "loaded", "quarantined", "skipped", "note"],
        )


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 hex digest of a file (recorded in the ingest log)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_batch(
    con: duckdb.DuckDBPyConnection,
    batch: SourceBatch,
    *,
    files: Iterable[str | Path] = (),
) -> IngestResult:
    """Load a :class:`SourceBatch` into the store in one transaction.

    Either everything is stored or, on any error, nothing is (the database is as before).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open, writable vcflows database.
    batch : SourceBatch
        The adapter's output.
    files : iterable of path
        The input files, whose SHA-256 goes into the ingest log.

    Returns
    -------
    IngestResult
        Per-file accounting and the number of new records per table.
    """
    hashes = {Path(f).name: file_sha256(f) for f in files if Path(f).is_file()}
    con.execute("BEGIN TRANSACTION")
    try:
        new = {t: _merge(con, t, batch.table(t)) for t in (*s.CANONICAL_TABLES, s.QUARANTINE)}
        for a in batch.accounts:
            con.execute(
                f"INSERT INTO {s.INGEST_LOG} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    batch.source,
                    a.file,
                    hashes.get(Path(a.file).name),
                    a.read,
                    a.loaded,
                    a.quarantined,
                    a.skipped,
                    a.note,
                ],
            )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return IngestResult(batch.source, list(batch.accounts), new, list(batch.notes))


def info(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Summarize a store: record counts, year range, countries, quarantine reasons.

    Returns
    -------
    dict
        Keys ``counts``, ``years`` (min, max), ``rounds_with_amount``, ``total_usd``,
        ``company_countries`` (top 15 by rounds), ``investor_countries``, ``quarantine``
        (reason → rows) and ``ingests`` (the ingest log).
    """
    counts = {t: _count(con, t) for t in (*s.CANONICAL_TABLES, s.QUARANTINE)}
    yr = con.execute(
        f"SELECT min(year({s.ANNOUNCED_ON})), max(year({s.ANNOUNCED_ON})), "
        f"count({s.AMOUNT_USD}), coalesce(sum({s.AMOUNT_USD}), 0) FROM {s.ROUNDS}"
    ).fetchall()[0]
    comp = con.execute(
        f"SELECT coalesce(c.{s.COUNTRY}, '(unknown)') AS country, count(*) AS rounds "
        f"FROM {s.ROUNDS} r LEFT JOIN {s.COMPANIES} c USING ({s.COMPANY_ID}) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 15"
    ).fetchall()
    inv = con.execute(
        f"SELECT coalesce(i.{s.COUNTRY}, '(unknown)') AS country, count(*) AS participations "
        f"FROM {s.PARTICIPATIONS} p LEFT JOIN {s.INVESTORS} i USING ({s.INVESTOR_ID}) "
        "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 15"
    ).fetchall()
    quarantine = con.execute(
        f"SELECT {s.Q_REASON}, count(*) FROM {s.QUARANTINE} GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    ingests = con.execute(f"SELECT * FROM {s.INGEST_LOG}").fetchdf()
    return {
        "counts": counts,
        "years": (yr[0], yr[1]),
        "rounds_with_amount": int(yr[2]),
        "total_usd": float(yr[3]),
        "company_countries": comp,
        "investor_countries": inv,
        "quarantine": quarantine,
        "ingests": ingests,
    }
