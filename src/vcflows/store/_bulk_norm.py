"""Normalization of one export file's distinct entity tuples (for :mod:`vcflows.store.bulk`).

A participation-shaped export repeats each company and round on every participation row and
each investor on every row it appears in. Normalizing per *distinct tuple* of raw fields (one
GROUP BY per entity) instead of per row keeps the work proportional to the number of entities:
each field's distinct raw values go once through the generic adapter's own normalizers, and
the results are joined to the (small) tuple tables.

Tables made for file ``i`` (all temporary):

``_bulk_co_i``, ``_bulk_rd_i``, ``_bulk_iv_i``
    Distinct raw tuples of company, round and investor(+lead) fields with ``rn``, the smallest
    ``_rn`` of their rows, and ``n``, the number of their rows (the weight of the tuple's
    record in the order-free merge).
``_bulk_con_i``, ``_bulk_rdn_i``, ``_bulk_ivn_i``
    The same tuples with canonical values, IDs, ``err``, the first failing required field of
    the tuple in the adapter's order (the company's name and ID, then the date and amounts),
    which rejects the row, and ``flags``, the optional fields that failed (the row is loaded
    with them unknown), each with its field, value, reason and target table ``tbl``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import duckdb
import pyarrow as pa

from vcflows import schema as s
from vcflows.normalize import (
    NormalizeError,
    clean_categories,
    parse_date,
    to_investor_type,
    to_stage,
)
from vcflows.sources import generic
from vcflows.sources.mappings import Mapping

_ERR = pa.struct([("field", pa.string()), ("value", pa.string()), ("reason", pa.string())])
_AMOUNTS = pa.struct(
    [
        ("usd", pa.float64()),
        ("original", pa.float64()),
        ("currency", pa.string()),
        ("flag", _ERR),
    ]
)

#: Raw key columns of each entity tuple (names of the rows view of :mod:`vcflows.store.bulk`).
#: A round's company part is the company ID, plus its name and country when the ID may be
#: blank after stripping (what the derived company ID is made of).
COMPANY_KEYS = ("cid", "cname", "cc", "isai", "founded", "cats", "descr")
ROUND_KEYS = ("rid", "dt", "st", "stc", "ausd", "amt", "cur", "cid", "cname2", "cc2")
INVESTOR_KEYS = ("iid", "iname", "icc", "ity", "lead")
#: Only a value starting with a byte <= 32 or a non-ASCII character can strip to ''. Byte-wise
#: comparisons (DuckDB compares strings by bytes): v >= U+0080 iff v's first character is not
#: ASCII, v < '!' iff v is empty or starts with a byte <= 32.
_MAYBE_BLANK = "({r}cid < '!' OR {r}cid >= '\u0080')"
_ROUND_EXPRS = {
    "cname2": f"CASE WHEN {_MAYBE_BLANK} THEN {{r}}cname ELSE '' END",
    "cc2": f"CASE WHEN {_MAYBE_BLANK} THEN {{r}}cc ELSE '' END",
}
#: Python's str.strip() whitespace, as an RE2 class (Unicode separators included).
_WS = r"[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]"


def strip(expr: str) -> str:
    """SQL: ``expr`` with Python's ``str.strip()``."""
    # The regular expression only for values starting or ending with a byte <= 32 or a
    # non-ASCII character (cheap byte-wise tests first: most values need no stripping).
    edge = (
        f"{expr} <> '' AND ({expr} < '!' OR {expr} >= '\u0080' "
        f"OR right({expr}, 1) NOT BETWEEN '!' AND '~')"
    )
    return (
        f"CASE WHEN {edge} THEN regexp_replace({expr}, '^{_WS}+|{_WS}+$', '', 'g') ELSE {expr} END"
    )


def stripped(table: str, columns: Sequence[str]) -> str:
    """SQL relation: ``table`` plus ``s<col>``, each of ``columns`` stripped.

    Stripping per distinct tuple rather than per row: the adapter strips these fields, and
    the tuples keep the raw values so that rows can be matched to them without stripping.
    """
    return f"(SELECT *, {', '.join(f'{strip(c)} AS s{c}' for c in columns)} FROM {table})"


def co_s(i: int) -> str:
    """Company tuples of file ``i`` with stripped ID, name and description."""
    return stripped(f"_bulk_co_{i}", ("cid", "cname", "descr"))


def rd_s(i: int) -> str:
    """Round tuples of file ``i`` with stripped round ID, company ID and name."""
    return stripped(f"_bulk_rd_{i}", ("rid", "cid", "cname2"))


def iv_s(i: int) -> str:
    """Investor tuples of file ``i`` with stripped ID and name."""
    return stripped(f"_bulk_iv_{i}", ("iid", "iname"))


def key_exprs(keys: Sequence[str]) -> list[str]:
    """SQL select expressions of ``keys`` over the rows view."""
    return [f"{_ROUND_EXPRS[k].format(r='')} AS {k}" if k in _ROUND_EXPRS else k for k in keys]


def row_key(key: str, alias: str) -> str:
    """SQL of tuple key ``key`` computed on a row of the rows view aliased ``alias``."""
    if key not in _ROUND_EXPRS:
        return f"{alias}.{key}"
    return _ROUND_EXPRS[key].format(r=f"{alias}.")


def _mapped(
    con: duckdb.DuckDBPyConnection,
    name: str,
    keys: Sequence[str],
    func: Callable[..., Any],
    value_type: pa.DataType,
    source: str,
) -> None:
    """Temp table ``name``(k0.., value, err): ``func`` applied once per distinct key tuple.

    ``func`` returns the value or raises ``generic._RowError`` (field, value, reason).
    """
    exprs = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    result = con.sql(f"SELECT DISTINCT {exprs} FROM {source}").to_arrow_table()
    values: list[Any] = []
    errors: list[dict[str, Any] | None] = []
    for key in result.to_pylist():
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


def _q(text: str) -> str:
    return text.replace("'", "''")


def build_tuples(con: duckdb.DuckDBPyConnection, i: int, rows: str) -> None:
    """The distinct raw tuples of each entity in relation ``rows``, with their first ``_rn``."""
    for kind, keys in (("co", COMPANY_KEYS), ("rd", ROUND_KEYS), ("iv", INVESTOR_KEYS)):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _bulk_{kind}_{i} AS SELECT "
            f"{', '.join(key_exprs(keys))}, min(_rn) AS rn, count(*) AS n FROM {rows} GROUP BY ALL"
        ).fetchall()


def build_maps(con: duckdb.DuckDBPyConnection, i: int, m: Mapping, cols: dict[str, str]) -> None:
    """The ``_m_*`` value maps: each field's distinct raw values of file ``i``, normalized."""
    co, rd, iv = co_s(i), rd_s(i), iv_s(i)

    def date(value: str) -> Any:
        return parse_date(value, m.date_format)

    def slug(value: str) -> str:
        return generic._slug(value or "")

    country = _norm(cols, "company_country", m.country("company_country"))  # aliases, locations
    _mapped(con, f"_m{i}_cc", ["cc"], country, pa.string(), co)
    flag = generic._flag(generic._AI_VALUES)
    _mapped(con, f"_m{i}_ai", ["isai"], _norm(cols, "company_is_ai", flag), pa.bool_(), co)
    _mapped(con, f"_m{i}_fd", ["founded"], _norm(cols, "company_founded", date), pa.date32(), co)
    cats = _norm(cols, "company_categories", clean_categories)
    _mapped(con, f"_m{i}_cat", ["cats"], cats, pa.string(), co)
    _mapped(con, f"_m{i}_cs", ["scname"], slug, pa.string(), f"{co} WHERE scid = ''")
    _mapped(con, f"_m{i}_dt", ["dt"], _norm(cols, "date", date), pa.date32(), rd)
    _mapped(con, f"_m{i}_st", ["st", "stc"], to_stage, pa.string(), rd)
    lead = _norm(cols, "lead", generic._flag(m.lead_values))
    _mapped(con, f"_m{i}_lead", ["lead"], lead, pa.bool_(), iv)
    icountry = _norm(cols, "investor_country", m.country("investor_country"))
    _mapped(con, f"_m{i}_icc", ["icc"], icountry, pa.string(), iv)
    _mapped(con, f"_m{i}_ity", ["ity"], to_investor_type, pa.string(), iv)
    _mapped(con, f"_m{i}_is", ["siname"], slug, pa.string(), f"{iv} WHERE siid = ''")

    def amounts(usd: str, amount: str, currency: str, on_text: str) -> dict[str, Any]:
        on = None
        if on_text:  # only a conversion needs the date; a bad date was quarantined before
            try:
                on = parse_date(on_text, m.date_format)
            except NormalizeError:
                on = None
        cells = {
            cols[k]: v
            for k, v in (("amount_usd", usd), ("amount", amount), ("currency", currency))
            if k in cols
        }
        row = generic._Row(cells, cols)
        u, o, c = generic._amounts(row, m, on)
        flag = None
        if row.flags:  # the currency, unrecognized: the amount in USD is unknown
            field, value, reason, _ = row.flags[0]
            flag = {"field": field, "value": str(value)[:500], "reason": reason}
        return {"usd": u, "original": o, "currency": c, "flag": flag}

    keys = ["ausd", "amt", "cur", "CASE WHEN amt <> '' THEN dt ELSE '' END"]
    _mapped(con, f"_m{i}_amt", keys, amounts, _AMOUNTS, rd)


def _company_id(src: str, t: str) -> str:
    """SQL: the company ID of a tuple ``t`` with ``scid`` and (joined) ``cs`` slug, ``cc`` map."""
    return (
        f"CASE WHEN {t}.scid <> '' THEN '{src}:' || {t}.scid "
        f"ELSE '{src}:co:' || cs.value || ':' || coalesce(cc.value, '-') END"
    )


def _flags(*errs: tuple[str, str]) -> str:
    """SQL: the list of (field, value, reason, tbl) of the non-null error structs ``errs``."""
    items = ", ".join(
        f"CASE WHEN ({e}) IS NOT NULL THEN {{'field': ({e}).field, 'value': ({e}).value, "
        f"'reason': ({e}).reason, 'tbl': '{table}'}} END"
        for e, table in errs
    )
    return f"list_filter([{items}], lambda x: x IS NOT NULL)"


def normalize(con: duckdb.DuckDBPyConnection, i: int, m: Mapping, cols: dict[str, str]) -> None:
    """``_bulk_{con,rdn,ivn}_i``: canonical values, IDs, first error and flags of each tuple."""
    src = _q(m.source)
    missing = (
        f"{{'field': '{_q(cols.get('company_name', 'company_name'))}', 'value': '', "
        "'reason': 'missing company name and id'}"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bulk_con_{i} AS SELECT t.*,
            CASE WHEN t.scid = '' AND t.scname = '' THEN {missing} END AS err,
            {_flags(*((f"{x}.err", s.COMPANIES) for x in ("cc", "ai", "fd", "cat")))} AS flags,
            {_company_id(src, "t")} AS company_id, nullif(t.scname, '') AS name,
            cc.value AS country, fd.value AS founded_on, cat.value AS categories,
            nullif(t.sdescr, '') AS description, ai.value AS is_ai
        FROM {co_s(i)} t LEFT JOIN _m{i}_cc cc ON t.cc = cc.k0
        LEFT JOIN _m{i}_ai ai ON t.isai = ai.k0 LEFT JOIN _m{i}_fd fd ON t.founded = fd.k0
        LEFT JOIN _m{i}_cat cat ON t.cats = cat.k0
        LEFT JOIN _m{i}_cs cs ON t.scid = '' AND t.scname = cs.k0"""
    ).fetchall()
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bulk_rdn_{i} AS SELECT t.*,
            coalesce(dt.err, st.err, amt.err) AS err,
            {_flags(("amt.value.flag", s.ROUNDS))} AS flags,
            {_company_id(src, "t")} AS company_id, dt.value AS announced_on,
            st.value AS stage, amt.value.usd AS amount_usd,
            amt.value.original AS amount_original, amt.value.currency AS currency,
            CASE WHEN t.srid <> '' THEN '{src}:' || t.srid END AS round_id
        FROM {rd_s(i)} t LEFT JOIN _m{i}_dt dt ON t.dt = dt.k0
        LEFT JOIN _m{i}_st st ON t.st = st.k0 AND t.stc = st.k1
        LEFT JOIN _m{i}_amt amt ON t.ausd = amt.k0 AND t.amt = amt.k1 AND t.cur = amt.k2
            AND (CASE WHEN t.amt <> '' THEN t.dt ELSE '' END) = amt.k3
        LEFT JOIN _m{i}_cs cs ON t.scid = '' AND t.scname2 = cs.k0
        LEFT JOIN _m{i}_cc cc ON t.scid = '' AND t.cc2 = cc.k0"""
    ).fetchall()

    def round_id(*key: Any) -> str:  # deterministic: same company, date, stage, amounts
        text = "|".join(map(str, key))
        return f"{m.source}:r:{hashlib.sha256(text.encode()).hexdigest()[:20]}"

    rkeys = ["company_id", "announced_on", "stage", "amount_usd", "amount_original", "currency"]
    derived = f"_bulk_rdn_{i} WHERE srid = ''"
    if int(con.execute(f"SELECT count(*) FROM {derived}").fetchall()[0][0]):
        _mapped(con, f"_m{i}_rid", rkeys, round_id, pa.string(), derived)
        on = " AND ".join(f"r.{k} IS NOT DISTINCT FROM x.k{j}" for j, k in enumerate(rkeys))
        con.execute(
            f"UPDATE _bulk_rdn_{i} AS r SET round_id = x.value FROM _m{i}_rid x "
            f"WHERE r.srid = '' AND {on}"
        ).fetchall()
    has = "(t.siname <> '' OR t.siid <> '')"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _bulk_ivn_{i} AS SELECT t.*, {has} AS has_investor,
            NULL::STRUCT(field VARCHAR, value VARCHAR, reason VARCHAR) AS err,
            {_flags(("ld.err", s.PARTICIPATIONS), (f"CASE WHEN {has} THEN icc.err END", s.INVESTORS))}
                AS flags,
            CASE WHEN t.siid <> '' THEN '{src}:' || t.siid ELSE '{src}:inv:' || isl.value END
                AS investor_id,
            nullif(t.siname, '') AS name, icc.value AS country, ity.value AS investor_type,
            ld.value AS is_lead
        FROM {iv_s(i)} t LEFT JOIN _m{i}_lead ld ON t.lead = ld.k0
        LEFT JOIN _m{i}_icc icc ON t.icc = icc.k0 LEFT JOIN _m{i}_ity ity ON t.ity = ity.k0
        LEFT JOIN _m{i}_is isl ON t.siid = '' AND t.siname = isl.k0"""
    ).fetchall()
