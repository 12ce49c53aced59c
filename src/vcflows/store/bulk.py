"""Vectorized ingest of generic deal exports: the generic adapter's rules, at bulk speed.

:mod:`vcflows.sources.generic` normalizes row by row in Python (about 1 ms per row: a 10M-row
export would take hours). This module gives the same result for the common case, a
participation-shaped export in well-formed UTF-8 CSV or string-typed Parquet: DuckDB reads the
file (Parquet in place, CSV into a temp table), companies, rounds and investors are normalized
per distinct tuple of raw fields (:mod:`vcflows.store._bulk_norm`: each field's distinct values
go once through the very same normalizers), rows are searched for quarantine only when some
tuple failed, and the entities plus the participations (read from the file, ids as given) are
merged with the store's rule (:func:`vcflows.store.db.merge_staged`).

Same semantics as ``generic.read`` + ``ingest_batch``: same IDs, values, quarantine rows
(first failing required field in the adapter's order, same field/value/reason; one record per
row and failing optional field of a loaded row), per-file accounting, merge (each tuple's
record weighs as many rows as it stands for, so the order-free rule counts rows), conflicts
and ingest log, in one transaction. A CSV in another encoding (named by ``encoding`` or the
mapping's ``options.encoding``, or detected as by the reader: CP949, ...) is read from a
UTF-8 copy (DuckDB reads UTF-8 only). Anything else — the round shape, a multi-file mapping
(participations file, investor list), Excel, a BOM, line breaks inside quoted cells, blank or
ragged lines, non-string Parquet columns, a header the mapping's check refuses (the adapter
then names the problem) — falls back to the row-by-row adapter, so the result never depends
on which path ran. The mapping's constants enter as SQL literals, its country aliases and
``zero_amount`` through the adapter's own functions, and the rows whose stated amount of 0
became unknown are counted in the same note.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vcflows import schema as s
from vcflows.errors import VcflowsError
from vcflows.normalize import RATES_SOURCE
from vcflows.sources import (  # the reader's own header and encoding rules
    MAX_CELL_CHARS,
    FileAccount,
    check_encoding,
    generic,
    sniff_delimiter,
    summarize_engine_error,
    unique_column_names,
    utf8_copy,
)
from vcflows.sources.mappings import Mapping, load_mapping
from vcflows.store import _bulk_norm as nb
from vcflows.store import _conflicts
from vcflows.store._sql import rollback
from vcflows.store.db import (
    IngestResult,
    ingest_batch,
    log_accounts,
    merge_staged,
    relink,
)

_ROW_BITS = 40  # _rn = file index << 40 | row: file order, then row order
#: Files with more columns go to the row-by-row reader (the long-cell check is one term each).
_MAX_CHECKED_COLUMNS = 1_000


def _scan(path: Path) -> tuple[str, int, bytes, bytes]:
    """SHA-256, number of b'\\n', first 4 bytes and last byte of a file (one pass)."""
    digest, lines, head, last = hashlib.sha256(), 0, b"", b""
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 24), b""):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            head = head or chunk[:4]
            last = chunk[-1:]
    return digest.hexdigest(), lines, head, last


class _Fallback(Exception):
    """The file needs the row-by-row adapter."""


def _load_raw(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    m: Mapping,
    i: int,
    scan: Callable[[], tuple[Any, ...]],
    preserve_order: str,
    encoding: tuple[str | None, Path],
    transcode: bool = False,
) -> tuple[dict[str, str], dict[str, str], str]:
    """Make file ``i`` readable as relation ``_bulk_src_i`` (f0, f1, ... as text, _rn).

    Parquet is read in place (a view: each pass reads only its columns); CSV is loaded into
    a temp table once (DuckDB spills it to disk beyond its memory limit). Returns the field ->
    SQL map (a column ``fN``, or a constant's literal), the field -> column map and the
    relation's name.
    ``encoding`` is the named encoding (or None) and a folder for UTF-8 copies of CSVs in
    other encodings.
    """
    suffix = path.suffix.lower()
    file = _q(str(path))
    if suffix == ".csv":
        with open(path, "rb") as fh:
            first = fh.readline()
        if first.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\0" in first:
            raise _Fallback("byte-order mark or binary header")
        named, folder = encoding
        if transcode or named not in (None, "utf-8") or not _is_utf8(first):
            copy, _ = utf8_copy(path, named, folder)
            file = _q(str(copy))
            with open(copy, "rb") as fh:
                first = fh.readline()
        header_text = first.decode("utf-8").rstrip("\r\n")
        delim = _q(sniff_delimiter(header_text))
        src = (
            f"read_csv('{file}', header = true, all_varchar = true, delim = '{delim}', "
            "quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
            "auto_detect = true)"
        )
    elif suffix in (".parquet", ".pq"):
        src = f"read_parquet('{file}', file_row_number = true)"
    else:
        raise _Fallback("not CSV or Parquet")
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    except duckdb.Error as exc:
        if _not_utf8(exc) and not transcode:  # bytes past the header line: detect, copy
            return _load_raw(con, path, m, i, scan, preserve_order, encoding, transcode=True)
        raise _Fallback(str(exc)) from exc
    if suffix != ".csv":  # the last column is the reader's row number
        if [r[0].lower() for r in desc].count("file_row_number") != 1:
            raise _Fallback("a column named file_row_number")
        desc = desc[:-1]
    if any(row[1] != "VARCHAR" for row in desc):
        raise _Fallback("non-text columns")
    names = unique_column_names([row[0] for row in desc])
    try:
        m.rounds.check(names, str(path), m.origin)
    except VcflowsError as exc:  # the adapter reads the header itself and names the problem
        raise _Fallback("header refused by the mapping") from exc
    cols = m.resolve(names)
    wanted = sorted({c for k, c in cols.items() if k not in m.constants})
    select = ", ".join(
        f"coalesce(\"{_ident(desc[names.index(col)][0])}\", '') AS f{j}"
        for j, col in enumerate(wanted)
    )
    fields = {
        field: f"'{_q(m.constants[field])}'" if field in m.constants else f"f{wanted.index(col)}"
        for field, col in cols.items()
    }
    first_rn = f"({i}::BIGINT << {_ROW_BITS})"
    if len(desc) > _MAX_CHECKED_COLUMNS:
        raise _Fallback(f"more than {_MAX_CHECKED_COLUMNS:,} columns")
    # The row-by-row reader quarantines a row with a cell longer than MAX_CELL_CHARS (in any
    # column); flagged in the same pass, such a file goes to it.
    long = " OR ".join(
        f"length(coalesce(\"{_ident(row[0])}\", '')) > {MAX_CELL_CHARS}" for row in desc
    )
    if suffix != ".csv":
        if con.execute(f"SELECT 1 FROM {src} WHERE {long} LIMIT 1").fetchall():
            raise _Fallback(f"a cell longer than {MAX_CELL_CHARS:,} characters")
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _bulk_src_{i} AS SELECT {select}, "
            f"{first_rn} + file_row_number AS _rn FROM {src}"
        ).fetchall()
        return fields, cols, f"_bulk_src_{i}"
    try:  # rowid = file order needs preserve_insertion_order while loading
        con.execute("SET preserve_insertion_order = true").fetchall()
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _bulk_raw_{i} AS SELECT {select}, ({long}) AS _long "
            f"FROM {src}"
        ).fetchall()
    except duckdb.Error as exc:  # ragged rows, invalid UTF-8, unterminated quotes ...
        if not _not_utf8(exc) or transcode:
            raise _Fallback(str(exc)) from exc
        retry = True
    else:
        retry = False
    finally:
        con.execute(f"SET preserve_insertion_order = {preserve_order}").fetchall()
    if retry:  # invalid UTF-8 beyond the engine's sniffing sample
        return _load_raw(con, path, m, i, scan, preserve_order, encoding, transcode=True)
    if con.execute(f"SELECT 1 FROM _bulk_raw_{i} WHERE _long LIMIT 1").fetchall():
        raise _Fallback(f"a cell longer than {MAX_CELL_CHARS:,} characters")
    rows = int(con.execute(f"SELECT count(*) FROM _bulk_raw_{i}").fetchall()[0][0])
    _, newlines, _, last = scan()
    lines = newlines + (0 if last == b"\n" else 1)
    if lines != rows + 1:  # quoted line breaks or blank lines: physical lines differ
        raise _Fallback("line numbers need the row-by-row reader")
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW _bulk_src_{i} AS SELECT * EXCLUDE (_long), "
        f"{first_rn} + rowid AS _rn FROM _bulk_raw_{i}"
    ).fetchall()
    return fields, cols, f"_bulk_src_{i}"


def _ident(name: str) -> str:
    return name.replace('"', '""')


def _rows_view(con: duckdb.DuckDBPyConnection, i: int, f: dict[str, str], relation: str) -> str:
    """Temp view ``_bulk_rows_i``: the adapter's raw fields of each row (not yet stripped)."""

    def raw(field: str) -> str:
        return f.get(field, "''")

    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _bulk_rows_{i} AS SELECT _rn,
            {raw("company_country")} AS cc, {raw("company_name")} AS cname,
            {raw("company_id")} AS cid, {raw("company_is_ai")} AS isai,
            {raw("company_founded")} AS founded, {raw("company_categories")} AS cats,
            {raw("company_description")} AS descr, {raw("date")} AS dt,
            {raw("stage")} AS st, {raw("stage_code")} AS stc, {raw("amount_usd")} AS ausd,
            {raw("amount")} AS amt, {raw("currency")} AS cur, {raw("round_id")} AS rid,
            {raw("investor_name")} AS iname, {raw("investor_id")} AS iid,
            {raw("investor_country")} AS icc, {raw("investor_type")} AS ity, {raw("lead")} AS lead
        FROM {relation}"""
    ).fetchall()
    return f"_bulk_rows_{i}"


def _count_where(con: duckdb.DuckDBPyConnection, relation: str, where: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {relation} WHERE {where}").fetchall()[0][0])


#: The per-file tables of distinct tuples (company, round, investor) and the keys rows join on.
_TUPLE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("con", nb.COMPANY_KEYS),
    ("rdn", nb.ROUND_KEYS),
    ("ivn", nb.INVESTOR_KEYS),
)


def _bad_rows(con: duckdb.DuckDBPyConnection, i: int, rows: str) -> bool:
    """Temp table ``_bulk_bad_i`` (_rn, err) of the rows to quarantine; whether there are any.

    Errors are known per distinct tuple first; only when a tuple failed are the rows searched,
    by a join against the (small) sets of failed tuples.
    """
    joins, errs = [], []
    for kind, keys in _TUPLE_KINDS:
        table = f"_bulk_{kind}_{i}"
        if not _count_where(con, table, "err IS NOT NULL"):
            continue
        on = " AND ".join(f"{kind}.{k} = {nb.row_key(k, 'r')}" for k in keys)
        failed = f"SELECT {', '.join(keys)}, err FROM {table} WHERE err IS NOT NULL"
        joins.append(f"LEFT JOIN ({failed}) {kind} ON {on}")
        errs.append(f"{kind}.err")
    if not joins:
        return False
    err = f"coalesce({', '.join(errs)})" if len(errs) > 1 else errs[0]
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bulk_bad_{i} AS SELECT r._rn, {err} AS err
        FROM {rows} r {" ".join(joins)} WHERE {err} IS NOT NULL"""
    ).fetchall()
    return True


def _lead_expr(con: duckdb.DuckDBPyConnection, i: int) -> str | None:
    """SQL CASE mapping a row's raw lead flag to is_lead (few distinct values), else None."""
    pairs = con.execute(f"SELECT k0, value FROM _m{i}_lead WHERE err IS NULL").fetchall()
    if len(pairs) > 64:
        return None
    whens = " ".join(
        f"WHEN '{_q(k)}' THEN {'NULL' if v is None else str(v).upper()}" for k, v in pairs
    )
    return f"CASE r.lead {whens} END" if whens else "NULL::BOOLEAN"


def _participations(
    con: duckdb.DuckDBPyConnection, i: int, m: Mapping, rows: str, label: str
) -> str:
    """SQL of file ``i``'s participations (good rows with an investor), ready to stage.

    With plain IDs in the file (given, nothing to strip: the common case) no row needs a
    join, the IDs are the file's. Otherwise rows join their tuples to get them.
    """
    src = _q(m.source)
    joins = []
    round_id = f"'{src}:' || r.rid"
    if _count_where(con, f"_bulk_rdn_{i}", "srid = '' OR srid <> rid"):
        on = " AND ".join(f"d.{k} = {nb.row_key(k, 'r')}" for k in nb.ROUND_KEYS)
        joins.append(f"JOIN _bulk_rdn_{i} d ON {on}")
        round_id = "d.round_id"
    investor_id = f"'{src}:' || r.iid"
    has_investor = "r.iid <> ''"  # plain: an investor has an ID
    lead = _lead_expr(con, i)
    plain = "siid = iid AND siname = iname AND (iid <> '' OR iname = '')"
    if lead is None or _count_where(con, f"_bulk_ivn_{i}", f"NOT ({plain})"):
        on = " AND ".join(f"v.{k} = r.{k}" for k in nb.INVESTOR_KEYS)
        joins.append(f"JOIN _bulk_ivn_{i} v ON {on}")
        investor_id, has_investor, lead = "v.investor_id", "v.has_investor", "v.is_lead"
    return (
        f"SELECT {round_id} AS {s.ROUND_ID}, {investor_id} AS {s.INVESTOR_ID}, "
        f"{lead} AS {s.IS_LEAD}, '{_q(label)}' AS {s.SOURCE}, 1 AS {s.MERGE_WEIGHT}, "
        f"0 AS {s.MERGE_RANK}, r._rn FROM {rows} r "
        f"{' '.join(joins)} WHERE {has_investor}"
    )


def _stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    m: Mapping,
    loaded: tuple[dict[str, str], dict[str, str], str],
    i: int,
) -> tuple[FileAccount, str]:
    """Normalize file ``i`` (relation ``src``); stage its entities and quarantine rows.

    Returns the file's accounting and the SQL of its participations (too many to stage: the
    merge reads them from the file).
    """
    # The reader's line numbers: CSV physical lines (header = line 1), Parquet rows from 1.
    first_line = 2 if path.suffix.lower() == ".csv" else 1
    f, cols, src = loaded
    label = f"generic/{m.source}"
    rows = _rows_view(con, i, f, src)
    nb.build_tuples(con, i, rows)
    nb.build_maps(con, i, m, cols)
    nb.normalize(con, i, m, cols)
    bad = 0
    if _bad_rows(con, i, rows):
        bad = int(con.execute(f"SELECT count(*) FROM _bulk_bad_{i}").fetchall()[0][0])
        file = _q(str(path.resolve()))
        con.execute(
            f"""INSERT INTO _bulk_stg_{s.QUARANTINE} SELECT '{file}',
                CAST((_rn & {(1 << _ROW_BITS) - 1}) + {first_line} AS VARCHAR),
                '{s.ROUNDS}', err.field, err.value, err.reason, '{_q(label)}', false, 1, 0, _rn
            FROM _bulk_bad_{i}"""
        ).fetchall()
        # A quarantined row stages nothing: the tuples and their first rows again, from the
        # other rows only (the value maps stay valid: their keys are a superset).
        con.execute(
            f"""CREATE OR REPLACE TEMP VIEW _bulk_good_{i} AS SELECT * FROM {rows} r
            WHERE NOT EXISTS (SELECT 1 FROM _bulk_bad_{i} b WHERE b._rn = r._rn)"""
        ).fetchall()
        rows = f"_bulk_good_{i}"
        nb.build_tuples(con, i, rows)
        nb.normalize(con, i, m, cols)
    read = int(con.execute(f"SELECT count(*) FROM {src}").fetchall()[0][0])
    flagged = _flag_rows(con, i, rows, str(path.resolve()), first_line, label)
    stage = {
        s.COMPANIES: (
            f"_bulk_con_{i}",
            "company_id, name, country, founded_on, categories, description, is_ai",
            "",
        ),
        s.ROUNDS: (
            f"_bulk_rdn_{i}",
            "round_id, company_id, announced_on, stage, amount_usd, amount_original, currency",
            "",
        ),
        s.INVESTORS: (
            f"_bulk_ivn_{i}",
            "investor_id, name, country, investor_type",
            "AND has_investor",
        ),
    }
    for table, (tuples, exprs, where) in stage.items():
        con.execute(
            f"INSERT INTO _bulk_stg_{table} SELECT {exprs}, '{_q(label)}', n, 0, rn FROM {tuples} "
            f"WHERE err IS NULL {where}"
        ).fetchall()
    parts = _participations(con, i, m, rows, label)
    account = FileAccount(path.name, read=read, loaded=read - bad, quarantined=bad)
    account.flagged = flagged
    return account, parts


def _flag_rows(
    con: duckdb.DuckDBPyConnection, i: int, rows: str, file: str, first_line: int, label: str
) -> int:
    """Stage one quarantine record per loaded row and failing optional field; their number.

    The flags are known per tuple (:func:`vcflows.store._bulk_norm.normalize`); rows are
    joined only to the (few) tuples that have some.
    """
    total = 0
    for kind, keys in _TUPLE_KINDS:
        table = f"_bulk_{kind}_{i}"
        if not _count_where(con, table, "len(flags) > 0"):
            continue
        on = " AND ".join(f"t.{k} = {nb.row_key(k, 'r')}" for k in keys)
        flagged = f"SELECT {', '.join(keys)}, unnest(flags) AS f FROM {table} WHERE len(flags) > 0"
        inserted = con.execute(
            f"""INSERT INTO _bulk_stg_{s.QUARANTINE} SELECT '{_q(file)}',
                CAST((r._rn & {(1 << _ROW_BITS) - 1}) + {first_line} AS VARCHAR),
                t.f.tbl, t.f.field, t.f.value, t.f.reason, '{_q(label)}', true, 1, 0, r._rn
            FROM {rows} r JOIN ({flagged}) t ON {on}"""
        ).fetchall()
        total += int(inserted[0][0])  # INSERT answers its row count
    return total


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _not_utf8(error: duckdb.Error) -> bool:
    """Whether DuckDB refused a CSV for its encoding (rather than its shape)."""
    return "not utf-8 encoded" in str(error).lower()


def _zero_rounds(con: duckdb.DuckDBPyConnection, i: int, m: Mapping) -> str | None:
    """SQL of file ``i``'s loaded round IDs whose stated amount of 0 became unknown."""
    if m.zero_amount != "unknown":
        return None
    pairs = con.execute(
        f"SELECT DISTINCT ausd, amt FROM _bulk_rdn_{i} WHERE err IS NULL "
        "AND amount_usd IS NULL AND (ausd <> '' OR amt <> '')"
    ).fetchall()
    zero = [(u, a) for u, a in pairs if generic.stated_zero(u, a)]
    if not zero:
        return None
    table = pa.table({"ausd": [u for u, _ in zero], "amt": [a for _, a in zero]})
    con.register(f"_bulk_zero_{i}_arrow", table)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _bulk_zero_{i} AS SELECT * FROM _bulk_zero_{i}_arrow"
    ).fetchall()
    con.unregister(f"_bulk_zero_{i}_arrow")
    return (
        f"SELECT r.round_id FROM _bulk_rdn_{i} r JOIN _bulk_zero_{i} z "
        "ON r.ausd = z.ausd AND r.amt = z.amt WHERE r.err IS NULL AND r.amount_usd IS NULL"
    )


def _q(text: str) -> str:
    return text.replace("'", "''")


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for kind in ("VIEW", "TABLE"):
        catalog = "duckdb_views()" if kind == "VIEW" else "duckdb_tables()"
        names = con.execute(
            f"SELECT {kind.lower()}_name FROM {catalog} WHERE temporary AND "
            f"(starts_with({kind.lower()}_name, '_bulk_') OR regexp_matches({kind.lower()}_name, '^_m[0-9]+_'))"
        ).fetchall()
        for (name,) in names:
            con.execute(f"DROP {kind} IF EXISTS {name}").fetchall()


def ingest_generic(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    *,
    mapping: str | Path | Mapping | None,
    encoding: str | None = None,
) -> IngestResult:
    """Ingest deal exports with a column mapping, vectorized where possible.

    Same result as ``ingest_batch(con, generic.read(paths, mapping=mapping), files=...)``
    (see the module docstring for when that row-by-row path runs instead).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open, writable vcflows database.
    paths : list of Path
        Files or folders, as for :func:`vcflows.sources.generic.read`.
    mapping : str or Path or Mapping
        The column mapping (file, shipped name, or a loaded mapping).
    encoding : str, optional
        Text encoding of the CSV files (default: the mapping's ``options.encoding``, else
        detected per file, see :mod:`vcflows.sources._encoding`).

    Returns
    -------
    IngestResult
        Per-file accounting and new records per table; ``notes`` say which path ran.
    """
    m = load_mapping(mapping)
    named = m.encoding if encoding is None else check_encoding(encoding)
    files = generic._inputs([Path(p) for p in paths])
    if m.multi_file:
        return _slow(con, paths, m, files, "multi-file mapping", named)
    if m.shape != "participation":
        return _slow(con, paths, m, files, f"{m.shape}-shaped mapping", named)
    current = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()
    order = str(current[0][0]).lower()
    pool = ThreadPoolExecutor(max_workers=1)  # hashing (and line counting) beside DuckDB
    copies = tempfile.TemporaryDirectory(prefix="vcflows-utf8-")  # CSVs in other encodings
    scans = {f: pool.submit(_scan, f) for f in files}
    accounts: list[FileAccount] = []
    parts: list[str] = []
    zeros: list[str] = []
    try:
        for table in (s.COMPANIES, s.ROUNDS, s.INVESTORS, s.QUARANTINE):
            defs = ", ".join(f"{c.name} {c.sql_type}" for c in s.TABLES[table])
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _bulk_stg_{table} ({defs}, "
                f"{s.MERGE_WEIGHT} BIGINT, {s.MERGE_RANK} INTEGER, _rn BIGINT)"
            ).fetchall()
        path = files[0] if files else Path()
        try:  # every file's header is checked before any row is normalized
            loaded = []
            for i, path in enumerate(files):
                loaded.append(
                    _load_raw(
                        con, path, m, i, scans[path].result, order, (named, Path(copies.name))
                    )
                )
            for i, (path, raw) in enumerate(zip(files, loaded, strict=True)):
                account, part = _stage_file(con, path, m, raw, i)
                accounts.append(account)
                parts.append(part)
                zero = _zero_rounds(con, i, m)
                if zero is not None:
                    zeros.append(zero)
        except (_Fallback, duckdb.Error) as why:  # duckdb.Error: e.g. a corrupt Parquet page
            _drop_temp(con)
            why_line = summarize_engine_error(path, why)  # DuckDB's dumps run to 25 lines
            return _slow(con, paths, m, files, why_line, named)
        # Participations (one per row) are not staged: the merge reads them from the files.
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW _bulk_stg_{s.PARTICIPATIONS} AS "
            + " UNION ALL ".join(parts)
        ).fetchall()
        hashes = {Path(f).name: scans[f].result()[0] for f in files}
        n_zero = 0
        if zeros:
            union = " UNION ".join(zeros)
            n_zero = int(
                con.execute(f"SELECT count(DISTINCT round_id) FROM ({union})").fetchall()[0][0]
            )
        con.execute("BEGIN TRANSACTION")
        try:
            _conflicts.begin(con)
            new = {
                t: merge_staged(con, t, f"_bulk_stg_{t}")
                for t in (*s.CANONICAL_TABLES, s.QUARANTINE)
            }
            found, _ = _conflicts.flush(con)
            relinked = relink(con, new)
            log_accounts(con, f"generic/{m.source}", accounts, hashes)
            con.execute("COMMIT")
        except BaseException:
            rollback(con)
            raise
    finally:
        pool.shutdown(wait=True)
        _drop_temp(con)
        copies.cleanup()
    note = f"mapping {m.name} ({m.shape} shape); vectorized ingest; currencies converted with {RATES_SOURCE}"
    zero_note = [generic.zero_note(n_zero)] if n_zero else []
    notes = [note, *zero_note, *relinked]
    return IngestResult(f"generic/{m.source}", accounts, new, notes, conflicts=found)


def _slow(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    mapping: Mapping,
    files: list[Path],
    why: str,
    encoding: str | None = None,
) -> IngestResult:
    """The row-by-row adapter (same result), with a note saying why it ran."""
    batch = generic.read(list(paths), mapping=mapping, encoding=encoding)
    result = ingest_batch(con, batch, files=files)
    result.notes.append(f"row-by-row ingest ({why})")
    return result
