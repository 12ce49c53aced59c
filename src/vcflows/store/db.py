"""DuckDB store: schema creation, transactional idempotent ingest, and a summary.

Merge rule (documented for users in the README): records are keyed by their primary key
(``company_id``, ``round_id``, ``(round_id, investor_id)``, ``investor_id``; for the optional
people tables ``person_id``, ``role_id``, ``degree_id``). Within one batch
each field is chosen among its non-null values by a rule that does not depend on row order:
the value of the best-ranked rows (an adapter may rank a file above another, see
:data:`vcflows.schema.MERGE_RANK`), then the value given by the most rows, then, on a tie, the
smallest value (text in UTF-8 byte order, numbers and dates by value, false before true). The
placeholder "unknown" of ``stage`` and ``investor_type`` counts as NULL here, so a known value
always wins over it. Every field on which the rows disagreed is recorded in the ``conflicts``
table with each value, its row count and the value kept. Across ingests the value already
stored wins and only NULL (or placeholder) fields are filled from the new source; a later
ingest's value that disagrees with the stored one is recorded as a conflict too (scope
"stored"). Re-ingesting the same file therefore adds nothing.

The keys are not declared as PRIMARY KEY constraints (their indexes dominated large ingests):
every ingest writes through :func:`merge_staged`, which keeps them unique. Stores created with
the constraints by earlier versions work unchanged.
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
from vcflows.files import explain_message
from vcflows.sources import FileAccount, SourceBatch
from vcflows.store import _conflicts, busy, link, touched
from vcflows.store._sql import has_column, has_table, keep_stored, rollback

_LOG_DDL = f"""
CREATE TABLE IF NOT EXISTS {s.INGEST_LOG} (
    source VARCHAR, source_file VARCHAR, sha256 VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_quarantined BIGINT, rows_skipped BIGINT,
    note VARCHAR
)
"""
#: Columns added since the first version, added to stores created before them.
_ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = ((s.QUARANTINE, s.Q_ROW_KEPT, "BOOLEAN"),)


def _ddl(table: str) -> str:
    # No PRIMARY KEY constraint: its index cost more than the whole rest of a large ingest
    # (10M participations: 81 s, 3.5 GB). The keys of s.PRIMARY_KEYS stay unique because
    # every write goes through merge_staged, which groups by them and anti-joins the stored keys.
    cols = ", ".join(
        f"{c.name} {c.sql_type}{'' if c.nullable else ' NOT NULL'}" for c in s.TABLES[table]
    )
    return f"CREATE TABLE IF NOT EXISTS {table} ({cols})"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the canonical tables, the quarantine, the conflicts and the ingest log if absent."""
    for table in (*s.MERGED_TABLES, s.QUARANTINE, s.CONFLICTS):
        con.execute(_ddl(table))
    con.execute(_LOG_DDL)
    for table, column, sql_type in _ADDED_COLUMNS:  # stores of earlier versions
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {sql_type}")


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
        if busy.is_lock_error(str(exc)):
            raise StoreError(busy.busy_message(path, str(exc))) from exc
        cause = explain_message(str(exc))
        if cause is not None:  # e.g. a new database in a read-only folder
            raise StoreError(f"cannot open {path}: {cause[0]}: {cause[1]}") from exc
        raise StoreError(f"{path}: cannot open as a DuckDB database ({exc})") from exc
    if read_only:
        missing = [t for t in s.CANONICAL_TABLES if not has_table(con, t)]
        if missing:
            con.close()
            raise StoreError(
                f"{path}: not a vcflows database (missing tables: {', '.join(missing)})"
            )
    else:
        create_schema(con)
    return con


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    # fetchall, not fetchone: DuckDB 2 refuses new work while a result is unfinished.
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def _stage(con: duckdb.DuckDBPyConnection, table: str, df: pd.DataFrame) -> str:
    """Register ``df`` as a staged relation (canonical columns, ``_n``, ``_rank``); its name."""
    cols = s.TABLES[table]
    frame = df.reindex(columns=[c.name for c in cols]).reset_index(drop=True)
    frame = frame.astype(object).where(frame.notna(), None)
    if table == s.QUARANTINE:  # a record without the flag rejected its whole row
        frame[s.Q_ROW_KEPT] = frame[s.Q_ROW_KEPT].map(lambda v: v is not None and bool(v))
    for column, default in ((s.MERGE_WEIGHT, 1), (s.MERGE_RANK, 0)):
        given = df[column].reset_index(drop=True) if column in df.columns else None
        frame[column] = default if given is None else given.fillna(default).astype("int64")
    view = f"_stg_{table}"
    con.register(view, frame)
    return view


def _typed(table: str, view: str) -> str:
    """SQL relation: ``view``'s rows with a key, typed as the canonical columns, + _n, _rank."""
    typed = ", ".join(f"TRY_CAST({c.name} AS {c.sql_type}) AS {c.name}" for c in s.TABLES[table])
    not_null = " AND ".join(f"{k} IS NOT NULL" for k in s.PRIMARY_KEYS[table])
    extra = f"{s.MERGE_WEIGHT}::BIGINT AS _n, {s.MERGE_RANK}::INTEGER AS _rank"
    return f"(SELECT * FROM (SELECT {typed}, {extra} FROM {view}) WHERE {not_null})"


def _dup_hashes(con: duckdb.DuckDBPyConnection, table: str, rows: str) -> int:
    """Temp table ``_merge_dup``: key hashes occurring more than once in ``rows``; their number.

    ``rows`` has the key columns of ``table``. Sorting the hashes and comparing neighbours
    costs about 40 % less CPU than a hash GROUP BY ... HAVING count(*) > 1, whose hash table
    holds every distinct key (10M participations: 2.7 s against 4.5 s).
    """
    h = f"hash({', '.join(s.PRIMARY_KEYS[table])})"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _merge_dup AS SELECT DISTINCT h FROM "
        f"(SELECT h, lag(h) OVER (ORDER BY h) AS prev FROM (SELECT {h} AS h FROM {rows})) "
        "WHERE h = prev"
    ).fetchall()
    return _count(con, "_merge_dup")


def _one_per_key(con: duckdb.DuckDBPyConnection, table: str, view: str) -> str:
    """SQL yielding one typed row per key of staged relation ``view``, by the merge rule.

    Grouping millions of rows by string keys is costly (10M participations: ~40 s), and most
    keys occur once, where the row *is* the merged record. So only the keys whose hash occurs
    more than once are grouped (a hash collision merely groups a few more rows); the other
    rows pass as they are. Conflicts among the grouped rows are recorded.
    """
    names = ", ".join(c.name for c in s.TABLES[table])
    h = f"hash({', '.join(s.PRIMARY_KEYS[table])})"
    rows = _typed(table, view)
    if not _dup_hashes(con, table, rows):
        return f"SELECT {names} FROM {rows}"
    dup = f"(SELECT * FROM {rows} WHERE {h} IN (SELECT h FROM _merge_dup))"
    return (
        f"SELECT {names} FROM {rows} WHERE {h} NOT IN (SELECT h FROM _merge_dup) "
        f"UNION ALL SELECT {names} FROM ({_conflicts.resolved(con, table, dup, record=True)})"
    )


def _has_key_constraint(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether ``table`` has a PRIMARY KEY or UNIQUE constraint (stores of older versions)."""
    rows = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? "
        "AND constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND database_name = current_database()",
        [table],
    ).fetchall()
    return bool(rows[0][0])


def _insert_fresh(con: duckdb.DuckDBPyConnection, table: str, relation: str) -> None:
    """Fill the empty ``table`` from staged ``relation``, one row per key (as _one_per_key).

    Every row is inserted first and the duplicated keys are looked for in the stored table
    afterwards: the staged relation (for the vectorized ingest, a view over the export
    file) is read once, and the stored key columns are cheaper to read again than the
    file's (10M participations: ~0.5 s against ~1.3 s). Rows of duplicated keys are then
    replaced by one merged row per key.
    """
    names = ", ".join(c.name for c in s.TABLES[table])
    rows = _typed(table, relation)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {rows}").fetchall()
    if not _dup_hashes(con, table, table):
        return
    h = f"hash({', '.join(s.PRIMARY_KEYS[table])})"
    dup = f"(SELECT * FROM {rows} WHERE {h} IN (SELECT h FROM _merge_dup))"
    merged = _conflicts.resolved(con, table, dup, record=True)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _merge_one AS {merged}").fetchall()
    con.execute(f"DELETE FROM {table} WHERE {h} IN (SELECT h FROM _merge_dup)").fetchall()
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _merge_one").fetchall()
    con.execute("DROP TABLE _merge_one").fetchall()


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

    Uniqueness of the keys (:data:`vcflows.schema.PRIMARY_KEYS`) is enforced here, not by a
    constraint: the batch is grouped by key, stored keys are updated (only their NULL or
    placeholder fields) and the other keys inserted. Works the same on databases created with
    the PRIMARY KEY constraints of earlier versions.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open, writable vcflows database (inside the caller's transaction).
    table : str
        A canonical table or the quarantine.
    relation : str
        A table/view with the canonical columns of ``table`` (any types: values are
        ``TRY_CAST``) plus ``_n`` (rows each record stands for) and ``_rank`` (lower wins),
        see :data:`vcflows.schema.MERGE_WEIGHT`. Used by the vectorized ingest
        (:mod:`vcflows.store.bulk`).
    frame : pd.DataFrame, optional
        Internal: register this DataFrame as ``relation`` first.

    Returns
    -------
    int
        Records added to ``table``.
    """
    touched.begin(con)  # what the derived tables must catch up with (vcflows.store.touched)
    before = _count(con, table)
    if frame is not None:
        relation = _stage(con, table, frame)
    if before == 0 and not _has_key_constraint(con, table):  # no stored key to update
        touched.record(con, table, None)
        _insert_fresh(con, table, relation)
        con.execute("DROP TABLE IF EXISTS _merge_dup").fetchall()
        touched.finish(con)
        return _count(con, table) - before
    query = _one_per_key(con, table, relation)
    names = [c.name for c in s.TABLES[table]]
    ordered = ", ".join(names)
    pk = s.PRIMARY_KEYS[table]
    on = " AND ".join(f"t.{k} = n.{k}" for k in pk)
    # Created inside the caller's transaction: a failure rolls it back with everything else.
    con.execute(f"CREATE OR REPLACE TEMP TABLE _merge_new AS {query}").fetchall()
    touched.record(con, table, "_merge_new")
    _conflicts.record_stored(con, table, "_merge_new", on)
    others = [n for n in names if n not in pk]
    if others:  # stored keys: fill only the fields that are NULL (or a placeholder) and known now
        sets = ", ".join(f"{n} = {keep_stored(n)}" for n in others)
        changed = " OR ".join(f"({keep_stored(n)}) IS DISTINCT FROM t.{n}" for n in others)
        con.execute(
            f"UPDATE {table} AS t SET {sets} FROM _merge_new n WHERE {on} AND ({changed})"
        ).fetchall()
    con.execute(
        f"INSERT INTO {table} ({ordered}) SELECT {', '.join(f'n.{x}' for x in names)} "
        f"FROM _merge_new n WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {on})"
    ).fetchall()
    con.execute("DROP TABLE _merge_new").fetchall()
    con.execute("DROP TABLE IF EXISTS _merge_dup").fetchall()
    touched.finish(con)
    return _count(con, table) - before


def relink(con: duckdb.DuckDBPyConnection, new: dict[str, int]) -> list[str]:
    """Merge again the linked records an ingest brought back; correct ``new`` for them.

    Every ingest calls this inside its transaction (see :func:`vcflows.store.link.reapply`),
    so that re-ingesting a file whose records were linked to another source's adds nothing.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The ingest's connection, inside its transaction.
    new : dict
        New records per table, as merged; decreased in place by the records merged again.

    Returns
    -------
    list of str
        A note for the ingest result when something was merged again.
    """
    again = link.reapply(con)
    for table, n in again.items():
        new[table] -= n
    if not again:
        return []
    counts = ", ".join(f"{t}: {n:,}" for t, n in again.items())
    return [f"merged again into the records they were linked to (vcflows link): {counts}"]


_ACCOUNT_COLUMNS = ["file", "read", "loaded", "quarantined", "skipped", "flagged", "note"]


@dataclass
class IngestResult:
    """What one ingest did: per-file row accounting, new records per table, conflicts.

    ``conflicts`` counts the fields on which this ingest's rows disagreed with each other or
    with the stored records (each recorded once in the ``conflicts`` table, so re-ingesting a
    file finds them again but adds none).
    """

    source: str
    accounts: list[FileAccount]
    new_records: dict[str, int]
    notes: list[str]
    conflicts: int = 0

    @property
    def balanced(self) -> bool:
        """Whether every file's rows are all accounted for."""
        return all(a.balanced for a in self.accounts)

    @property
    def flagged(self) -> int:
        """Field-level quarantine records of loaded rows, over all files."""
        return sum(a.flagged for a in self.accounts)

    def to_frame(self) -> pd.DataFrame:
        """Per-file accounting as a DataFrame (file, read, loaded, quarantined, skipped,
        flagged, note)."""
        return pd.DataFrame(
            [{c: getattr(a, c) for c in _ACCOUNT_COLUMNS} for a in self.accounts],
            columns=_ACCOUNT_COLUMNS,
        )


def log_accounts(
    con: duckdb.DuckDBPyConnection,
    source: str,
    accounts: Iterable[FileAccount],
    hashes: dict[str, str],
) -> None:
    """Append one ingest-log row per file (inside the ingest's transaction).

    The log keeps its columns of earlier versions (other tools append to it by position); a
    file's flagged fields are its quarantine records with ``row_kept``.
    """
    for a in accounts:
        con.execute(
            f"INSERT INTO {s.INGEST_LOG} (source, source_file, sha256, rows_read, rows_loaded, "
            "rows_quarantined, rows_skipped, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source,
                a.file,
                hashes.get(Path(a.file).name),
                a.read,
                a.loaded,
                a.quarantined,
                a.skipped,
                a.note,
            ],
        ).fetchall()


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
        _conflicts.begin(con)
        new = {t: _merge(con, t, batch.table(t)) for t in (*s.CANONICAL_TABLES, s.QUARANTINE)}
        for table in s.PEOPLE_TABLES:  # counted only when the source carries people
            if not batch.table(table).empty:
                new[table] = _merge(con, table, batch.table(table))
        found, _ = _conflicts.flush(con)
        notes = list(batch.notes) + relink(con, new)
        log_accounts(con, batch.source, batch.accounts, hashes)
        con.execute("COMMIT")
    except BaseException:
        rollback(con)
        raise
    return IngestResult(batch.source, list(batch.accounts), new, notes, conflicts=found)


def info(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Summarize a store: record counts, year range, countries, quarantine reasons.

    Returns
    -------
    dict
        Keys ``counts``, ``years`` (min, max), ``rounds_with_amount``, ``total_usd``,
        ``company_countries`` (top 15 by rounds), ``investor_countries``, ``quarantine``
        (reason → rows whose whole row was rejected), ``flagged`` (reason → field-level
        records of rows loaded with that field unknown), ``conflicts`` ((table, field,
        records) of the conflicts table), ``ingests`` (the ingest log) and ``links``
        ((kind, records) merged across sources by ``vcflows link``).
    """
    counts = {t: _count(con, t) for t in (*s.CANONICAL_TABLES, s.QUARANTINE)}
    if has_table(con, s.CONFLICTS):  # stores of earlier versions have none
        counts[s.CONFLICTS] = _count(con, s.CONFLICTS)
    for table in s.PEOPLE_TABLES:  # optional: listed when a source filled them
        if has_table(con, table) and (n := _count(con, table)):
            counts[table] = n
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
    kept = (
        f"coalesce({s.Q_ROW_KEPT}, false)"
        if has_column(con, s.QUARANTINE, s.Q_ROW_KEPT)
        else "false"
    )
    by_reason = con.execute(
        f"SELECT {kept}, {s.Q_REASON}, count(*) FROM {s.QUARANTINE} GROUP BY ALL ORDER BY 3 DESC, 2"
    ).fetchall()
    quarantine = [(reason, int(n)) for flag, reason, n in by_reason if not flag]
    flagged = [(reason, int(n)) for flag, reason, n in by_reason if flag]
    conflicts = (
        [
            (str(table), str(field), int(n))
            for table, field, n in con.execute(
                f"SELECT {s.C_TABLE}, {s.C_FIELD}, count(*) FROM {s.CONFLICTS} "
                "GROUP BY ALL ORDER BY 3 DESC, 1, 2"
            ).fetchall()
        ]
        if has_table(con, s.CONFLICTS)
        else []
    )
    ingests = con.execute(f"SELECT * FROM {s.INGEST_LOG}").fetchdf()
    by_kind = link.summary(con).groupby("link_kind", sort=False)["records"].sum()
    links = [(str(kind), int(n)) for kind, n in by_kind.items()]
    return {
        "counts": counts,
        "years": (yr[0], yr[1]),
        "rounds_with_amount": int(yr[2]),
        "total_usd": float(yr[3]),
        "company_countries": comp,
        "investor_countries": inv,
        "quarantine": quarantine,
        "flagged": flagged,
        "conflicts": conflicts,
        "ingests": ingests,
        "links": links,
    }
