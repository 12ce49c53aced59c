"""Vectorized ingest of generic deal exports: the generic adapter's rules, at bulk speed.

:mod:`vcflows.sources.generic` normalizes row by row in Python (about 1 ms per row: a 10M-row
export would take hours). This module gives the same result for the common case, a
participation-shaped export in well-formed UTF-8 CSV or string-typed Parquet: DuckDB reads the
file, each field's *distinct* raw values go once through the very same normalizers (a few
thousand calls instead of millions), the results are joined back, and the staged tables are
merged with the store's rule (:func:`vcflows.store.db.merge_staged`).

Same semantics as ``generic.read`` + ``ingest_batch``: same IDs, values, quarantine rows
(first failing field in the adapter's order, same field/value/reason), per-file accounting,
merge order ("first non-null wins" in file order) and ingest log, in one transaction. Anything
else — the round shape, Excel, a BOM or non-UTF-8 bytes, line breaks inside quoted cells,
blank or ragged lines, non-string Parquet columns — falls back to the row-by-row adapter, so
the result never depends on which path ran.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from vcflows import schema as s
from vcflows.normalize import (
    RATES_SOURCE,
    NormalizeError,
    clean_categories,
    parse_date,
    to_investor_type,
    to_iso3,
    to_stage,
)
from vcflows.sources import generic
from vcflows.sources._base import FileAccount
from vcflows.sources._files import _delimiter, _names  # the reader's own header rules
from vcflows.sources.mappings import Mapping, load_mapping
from vcflows.store.db import IngestResult, ingest_batch, merge_staged

#: Python's str.strip() whitespace, as an RE2 class (Unicode separators included).
_WS = r"[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]"
_ERR = pa.struct([("field", pa.string()), ("value", pa.string()), ("reason", pa.string())])
_AI_FLAG = ("yes", "y", "true", "t", "1", "x", "ai")
_ROW_BITS = 40  # _rn = file index << 40 | row: file order, then row order


def _strip(expr: str) -> str:
    # The regular expression only for values starting or ending with a byte <= 32 or a
    # non-ASCII character (cheap test first: most values need no stripping).
    edge = f"unicode({expr}) <= 32 OR unicode(right({expr}, 1)) <= 32 OR unicode({expr}) > 127 OR unicode(right({expr}, 1)) > 127"
    return (
        f"CASE WHEN {edge} THEN regexp_replace({expr}, '^{_WS}+|{_WS}+$', '', 'g') ELSE {expr} END"
    )


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
    con: duckdb.DuckDBPyConnection, path: Path, m: Mapping, scan: Callable[[], tuple[Any, ...]]
) -> dict[str, str]:
    """Read ``path`` into temp table ``_bulk_raw`` (f0, f1, ... as text, _row); field -> column."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with open(path, "rb") as fh:
            first = fh.readline()
        if first.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\0" in first:
            raise _Fallback("byte-order mark or binary header")
        try:
            header_text = first.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raise _Fallback("header not UTF-8") from exc
        delim = _delimiter(header_text)
        src = (
            f"read_csv('{path}', header = true, all_varchar = true, delim = '{delim}', "
            "quote = '\"', escape = '\"', strict_mode = true, null_padding = false, "
            "auto_detect = true)"
        )
    elif suffix in (".parquet", ".pq"):
        src = f"read_parquet('{path}')"
    else:
        raise _Fallback("not CSV or Parquet")
    try:
        desc = con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()
    except duckdb.Error as exc:
        raise _Fallback(str(exc)) from exc
    if any(row[1] != "VARCHAR" for row in desc):
        raise _Fallback("non-text columns")
    names = _names([row[0] for row in desc])
    cols = m.resolve(names)
    if any(c not in names for c in m.columns.values()):
        raise _Fallback("missing required columns (the adapter names them)")
    wanted = sorted(set(cols.values()))
    select = ", ".join(
        f"coalesce(\"{desc[names.index(col)][0]}\", '') AS f{i}" for i, col in enumerate(wanted)
    )
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _bulk_raw AS SELECT {select} FROM {src}"
        ).fetchall()
    except duckdb.Error as exc:  # ragged rows, invalid UTF-8, unterminated quotes ...
        raise _Fallback(str(exc)) from exc
    rows = int(con.execute("SELECT count(*) FROM _bulk_raw").fetchall()[0][0])
    if suffix == ".csv":
        _, newlines, _, last = scan()
        lines = newlines + (0 if last == b"\n" else 1)
        if lines != rows + 1:  # quoted line breaks or blank lines: physical lines differ
            raise _Fallback("line numbers need the row-by-row reader")
    return {field: f"f{wanted.index(col)}" for field, col in cols.items()}


def _mapped(
    con: duckdb.DuckDBPyConnection,
    name: str,
    keys: Sequence[str],
    func: Callable[..., Any],
    value_type: pa.DataType,
    source: str = "_bulk_rows0",
) -> None:
    """Temp table ``name``(k0.., value, err): ``func`` applied once per distinct key tuple.

    ``func`` returns the value or raises ``generic._RowError`` (field, value, reason).
    """
    exprs = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    result = con.sql(f"SELECT DISTINCT {exprs} FROM {source}").to_arrow_table()
    distinct = result.to_pylist()
    values: list[Any] = []
    errors: list[dict[str, Any] | None] = []
    for key in distinct:
        try:
            values.append(func(*key.values()))
            errors.append(None)
        except generic._RowError as err:
            values.append(None)
            value = None if err.value is None else str(err.value)[:500]
            errors.append({"field": err.field, "value": value, "reason": err.reason})
    table = result.append_column("value", pa.array(values, value_type)).append_column(
        "err", pa.array(errors, _ERR)
    )
    con.register(f"{name}_arrow", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_arrow").fetchall()
    con.unregister(f"{name}_arrow")


def _norm(cols: dict[str, str], field: str, func: Callable[[str], Any]) -> Callable[[str], Any]:
    """``func`` on a raw value, NormalizeError -> _RowError naming the column (as _Row.norm)."""

    def run(value: str) -> Any:
        try:
            return func(value)
        except NormalizeError as exc:
            raise generic._RowError(cols.get(field, field), value, str(exc)) from None

    return run


_AMOUNTS = pa.struct([("usd", pa.float64()), ("original", pa.float64()), ("currency", pa.string())])


def _stage_file(
    con: duckdb.DuckDBPyConnection, path: Path, m: Mapping, f: dict[str, str], index: int
) -> FileAccount:
    """Normalize ``_bulk_raw`` and append its rows to the ``_bulk_stg_*`` tables."""
    # The reader's line numbers: CSV physical lines (header = line 1), Parquet rows from 1.
    first_line = 2 if path.suffix.lower() == ".csv" else 1
    cols = m.resolve(list(m.columns.values()) + list(m.optional_columns.values()))
    cols = {k: v for k, v in cols.items() if k in f}  # the columns this file has

    def raw(field: str) -> str:
        return f.get(field, "''")

    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _bulk_rows0 AS SELECT
            ({index}::BIGINT << {_ROW_BITS}) + rowid AS _rn, rowid + {first_line} AS _row,
            {raw("company_country")} AS cc, {_strip(raw("company_name"))} AS cname,
            {_strip(raw("company_id"))} AS cid, {raw("company_is_ai")} AS isai,
            {raw("company_founded")} AS founded, {raw("company_categories")} AS cats,
            {_strip(raw("company_description"))} AS descr, {raw("date")} AS dt,
            {raw("stage")} AS st, {raw("stage_code")} AS stc, {raw("amount_usd")} AS ausd,
            {raw("amount")} AS amt, {raw("currency")} AS cur, {_strip(raw("round_id"))} AS rid,
            {_strip(raw("investor_name"))} AS iname, {_strip(raw("investor_id"))} AS iid,
            {raw("investor_country")} AS icc, {raw("investor_type")} AS ity, {raw("lead")} AS lead
        FROM _bulk_raw"""
    ).fetchall()
    dates = (lambda v: parse_date(v, m.date_format), pa.date32())
    _mapped(con, "_m_cc", ["cc"], _norm(cols, "company_country", to_iso3), pa.string())
    _mapped(
        con, "_m_ai", ["isai"], _norm(cols, "company_is_ai", generic._flag(_AI_FLAG)), pa.bool_()
    )
    _mapped(con, "_m_fd", ["founded"], _norm(cols, "company_founded", dates[0]), dates[1])
    _mapped(
        con, "_m_cat", ["cats"], _norm(cols, "company_categories", clean_categories), pa.string()
    )
    _mapped(con, "_m_dt", ["dt"], _norm(cols, "date", dates[0]), dates[1])
    _mapped(con, "_m_st", ["st", "stc"], to_stage, pa.string())
    _mapped(con, "_m_lead", ["lead"], _norm(cols, "lead", generic._flag(m.lead_values)), pa.bool_())
    _mapped(con, "_m_icc", ["icc"], _norm(cols, "investor_country", to_iso3), pa.string())
    _mapped(con, "_m_ity", ["ity"], to_investor_type, pa.string())
    slug = (lambda v: generic._slug(v or ""), pa.string())
    _mapped(con, "_m_cs", ["CASE WHEN cid = '' THEN cname END"], slug[0], slug[1])
    _mapped(con, "_m_is", ["CASE WHEN iid = '' THEN iname END"], slug[0], slug[1])

    def amounts(usd: str, amount: str, currency: str, date: str) -> dict[str, Any]:
        on = None
        if date:  # only a conversion needs the date; a bad date was quarantined before
            try:
                on = parse_date(date, m.date_format)
            except NormalizeError:
                on = None
        cells = {
            cols[k]: v
            for k, v in (("amount_usd", usd), ("amount", amount), ("currency", currency))
            if k in cols
        }
        u, o, c = generic._amounts(generic._Row(cells, cols), m, on)
        return {"usd": u, "original": o, "currency": c}

    _mapped(
        con,
        "_m_amt",
        ["ausd", "amt", "cur", "CASE WHEN amt <> '' THEN dt ELSE '' END"],
        amounts,
        _AMOUNTS,
    )
    missing = (
        f"{{'field': '{_q(cols.get('company_name', 'company_name'))}', 'value': '', "
        "'reason': 'missing company name and id'}"
    )
    src = _q(m.source)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bulk_rows1 AS SELECT b._rn, b._row,
            coalesce(cc.err, CASE WHEN b.cid = '' AND b.cname = '' THEN {missing} END, ai.err,
                     fd.err, cat.err, dt.err, st.err, amt.err, ld.err,
                     CASE WHEN b.iname <> '' OR b.iid <> '' THEN icc.err END) AS err,
            CASE WHEN b.cid <> '' THEN '{src}:' || b.cid
                 ELSE '{src}:co:' || cs.value || ':' || coalesce(cc.value, '-') END AS company_id,
            nullif(b.cname, '') AS cname, cc.value AS country, fd.value AS founded,
            cat.value AS categories, nullif(b.descr, '') AS description, ai.value AS is_ai,
            b.rid, dt.value AS announced_on, st.value AS stage, amt.value.usd AS amount_usd,
            amt.value.original AS amount_original, amt.value.currency AS currency,
            b.iname <> '' OR b.iid <> '' AS has_investor,
            CASE WHEN b.iid <> '' THEN '{src}:' || b.iid ELSE '{src}:inv:' || isl.value END
                AS investor_id,
            nullif(b.iname, '') AS iname, icc.value AS icountry, ity.value AS itype,
            ld.value AS is_lead
        FROM _bulk_rows0 b
        LEFT JOIN _m_cc cc ON b.cc = cc.k0 LEFT JOIN _m_ai ai ON b.isai = ai.k0
        LEFT JOIN _m_fd fd ON b.founded = fd.k0 LEFT JOIN _m_cat cat ON b.cats = cat.k0
        LEFT JOIN _m_dt dt ON b.dt = dt.k0 LEFT JOIN _m_st st ON b.st = st.k0 AND b.stc = st.k1
        LEFT JOIN _m_lead ld ON b.lead = ld.k0 LEFT JOIN _m_icc icc ON b.icc = icc.k0
        LEFT JOIN _m_ity ity ON b.ity = ity.k0
        LEFT JOIN _m_cs cs ON (CASE WHEN b.cid = '' THEN b.cname END) IS NOT DISTINCT FROM cs.k0
        LEFT JOIN _m_is isl ON (CASE WHEN b.iid = '' THEN b.iname END) IS NOT DISTINCT FROM isl.k0
        LEFT JOIN _m_amt amt ON b.ausd = amt.k0 AND b.amt = amt.k1 AND b.cur = amt.k2
            AND (CASE WHEN b.amt <> '' THEN b.dt ELSE '' END) = amt.k3"""
    ).fetchall()

    con.execute("DROP VIEW _bulk_rows0").fetchall()
    con.execute("DROP TABLE _bulk_raw").fetchall()  # memory: only the normalized rows remain

    def round_id(*key: Any) -> str:
        text = "|".join(map(str, key))
        return f"{m.source}:r:{hashlib.sha256(text.encode()).hexdigest()[:20]}"

    rkeys = ["company_id", "announced_on", "stage", "amount_usd", "amount_original", "currency"]
    ok = "err IS NULL AND rid = ''"
    _mapped(con, "_m_rid", rkeys, round_id, pa.string(), source=f"_bulk_rows1 WHERE {ok}")
    on = " AND ".join(f"r.{k} IS NOT DISTINCT FROM x.k{i}" for i, k in enumerate(rkeys))
    label = _q(f"generic/{m.source}")
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _bulk_rows2 AS SELECT r.*,
            CASE WHEN r.rid <> '' THEN '{src}:' || r.rid ELSE x.value END AS round_id
        FROM _bulk_rows1 r LEFT JOIN _m_rid x ON r.rid = '' AND {on}
        WHERE r.err IS NULL"""
    ).fetchall()
    ins = {
        s.COMPANIES: "company_id, cname, country, founded, categories, description, is_ai",
        s.ROUNDS: "round_id, company_id, announced_on, stage, amount_usd, amount_original, currency",
        s.PARTICIPATIONS: "round_id, investor_id, is_lead",
        s.INVESTORS: "investor_id, iname, icountry, itype",
    }
    for table, exprs in ins.items():
        where = "WHERE has_investor" if table in (s.PARTICIPATIONS, s.INVESTORS) else ""
        con.execute(
            f"INSERT INTO _bulk_stg_{table} SELECT {exprs}, '{label}', _rn FROM _bulk_rows2 {where}"
        ).fetchall()
    file = _q(str(path.resolve()))
    con.execute(
        f"""INSERT INTO _bulk_stg_{s.QUARANTINE} SELECT '{file}', CAST(_row AS VARCHAR),
            '{s.ROUNDS}', err.field, err.value, err.reason, '{label}', _rn
        FROM _bulk_rows1 WHERE err IS NOT NULL"""
    ).fetchall()
    read, bad = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE err IS NOT NULL) FROM _bulk_rows1"
    ).fetchall()[0]
    for view in ("_bulk_rows2", "_bulk_rows0"):
        con.execute(f"DROP VIEW IF EXISTS {view}").fetchall()
    for table in ("_bulk_rows1", "_bulk_raw"):
        con.execute(f"DROP TABLE IF EXISTS {table}").fetchall()
    return FileAccount(path.name, read=int(read), loaded=int(read - bad), quarantined=int(bad))


def _q(text: str) -> str:
    return text.replace("'", "''")


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for kind in ("VIEW", "TABLE"):
        catalog = "duckdb_views()" if kind == "VIEW" else "duckdb_tables()"
        names = con.execute(
            f"SELECT {kind.lower()}_name FROM {catalog} WHERE temporary AND "
            f"(starts_with({kind.lower()}_name, '_bulk_') OR starts_with({kind.lower()}_name, '_m_'))"
        ).fetchall()
        for (name,) in names:
            con.execute(f"DROP {kind} IF EXISTS {name}").fetchall()


def ingest_generic(
    con: duckdb.DuckDBPyConnection, paths: list[Path], *, mapping: str | Path | None
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
    mapping : str or Path
        The column mapping (file or shipped name).

    Returns
    -------
    IngestResult
        Per-file accounting and new records per table; ``notes`` say which path ran.
    """
    m = load_mapping(mapping)
    files = generic._inputs([Path(p) for p in paths])
    if m.shape != "participation":
        return _slow(con, paths, mapping, files, "round-shaped mapping")
    current = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()
    con.execute("SET preserve_insertion_order = true").fetchall()  # rowid = file order
    pool = ThreadPoolExecutor(max_workers=1)  # hashing (and line counting) beside DuckDB
    scans = {f: pool.submit(_scan, f) for f in files}
    accounts: list[FileAccount] = []
    try:
        for table in (*s.CANONICAL_TABLES, s.QUARANTINE):
            defs = ", ".join(f"{c.name} {c.sql_type}" for c in s.TABLES[table])
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _bulk_stg_{table} ({defs}, _rn BIGINT)"
            ).fetchall()
        for i, path in enumerate(files):
            try:
                fields = _load_raw(con, path, m, scans[path].result)
            except _Fallback as why:
                _drop_temp(con)
                return _slow(con, paths, mapping, files, f"{path.name}: {why}")
            accounts.append(_stage_file(con, path, m, fields, i))
        hashes = {Path(f).name: scans[f].result()[0] for f in files}
        con.execute("BEGIN TRANSACTION")
        try:
            new = {
                t: merge_staged(con, t, f"_bulk_stg_{t}")
                for t in (*s.CANONICAL_TABLES, s.QUARANTINE)
            }
            for a in accounts:
                con.execute(
                    f"INSERT INTO {s.INGEST_LOG} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        f"generic/{m.source}",
                        a.file,
                        hashes.get(a.file),
                        a.read,
                        a.loaded,
                        a.quarantined,
                        a.skipped,
                        a.note,
                    ],
                ).fetchall()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        pool.shutdown(wait=True)
        _drop_temp(con)
        con.execute(f"SET preserve_insertion_order = {str(current[0][0]).lower()}").fetchall()
    note = f"mapping {m.name} ({m.shape} shape); vectorized ingest; currencies converted with {RATES_SOURCE}"
    return IngestResult(f"generic/{m.source}", accounts, new, [note])


def _slow(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    mapping: str | Path | None,
    files: list[Path],
    why: str,
) -> IngestResult:
    """The row-by-row adapter (same result), with a note saying why it ran."""
    result = ingest_batch(con, generic.read(list(paths), mapping=mapping), files=files)
    result.notes.append(f"row-by-row ingest ({why})")
    return result
