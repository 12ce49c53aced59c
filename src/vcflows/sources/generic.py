"""Generic adapter: any CSV / Parquet / Excel deal export plus a TOML column mapping.

The mapping (format in :mod:`vcflows.sources.mappings`) says which column holds what, and
whether the file has one row per round (investors listed in one cell, split on
``list_separator``, with optional parallel investor-country / investor-type lists and a
list of lead investors) or one row per investor participation (a lead flag column).
Shipped mappings: ``dealroom`` (round shape) and ``pitchbook`` (participation shape).

A row is quarantined whole (with the field, the value and the reason) only when a required
field fails: the company's name and ID both missing, the date, an amount, a currency that
contradicts the amount's own sign, list lengths that disagree. An unrecognized value of an
optional field (a country, the currency code, the AI or lead flag, the founding date, the
categories) keeps the row with that field unknown and records the field, the value and the
reason in the quarantine (``row_kept`` true, counted as ``flagged``); an unknown currency
leaves the amount in US dollars unknown. In the round shape, a bad entry of the investor
country list affects that investor only (its field is named ``column[k]``, k from 1); the
investor still counts in its round, its share unattributed. IDs are ``<source>:<value>`` when the
mapping names an ID column, otherwise derived deterministically (see the mapping docs).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from vcflows import schema as s
from vcflows.normalize import (
    RATES_SOURCE,
    NormalizeError,
    clean_categories,
    parse_amount,
    parse_date,
    parse_money,
    to_investor_type,
    to_iso3,
    to_stage,
    to_usd,
)
from vcflows.normalize.amounts import MAX_AMOUNT
from vcflows.normalize.currency import currencies
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.sources._files import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    LINE,
    PARQUET_SUFFIXES,
    PROBLEM,
    read_table_file,
)
from vcflows.sources.mappings import Mapping, load_mapping

_TABLE_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES
_FALSE = frozenset({"no", "n", "false", "f", "0"})
#: Values of the company_is_ai column that mean yes.
_AI_VALUES = ("yes", "y", "true", "t", "1", "x", "ai")


class _RowError(Exception):
    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


def _slug(text: str) -> str:
    return " ".join(text.casefold().split())


class _Row:
    """One input row with the mapping's field -> column resolution.

    ``flags`` collects the row's field-level errors: (field, value, reason, target table).
    """

    def __init__(self, cells: dict[Any, Any], cols: dict[str, str]) -> None:
        self.cells, self.cols = cells, cols
        self.flags: list[tuple[str, str, str, str]] = []

    def soft(self, field: str, func: Callable[[str], Any], table: str) -> Any:
        """``func`` on an optional field's value; None (a flag recorded) when it fails."""
        value = self.raw(field)
        try:
            return func(value)
        except NormalizeError as exc:
            self.flags.append((self.cols.get(field, field), value, str(exc), table))
            return None

    def raw(self, field: str) -> str:
        column = self.cols.get(field)
        return str(self.cells.get(column, "")) if column else ""

    def norm(self, field: str, func: Callable[[str], Any]) -> Any:
        value = self.raw(field)
        try:
            return func(value)
        except NormalizeError as exc:
            raise _RowError(self.cols.get(field, field), value, str(exc)) from None


def _split(value: str, sep: str) -> list[str]:
    return [p.strip() for p in value.split(sep) if p.strip()]


def _amounts(row: _Row, m: Mapping, on: Any) -> tuple[float | None, float | None, str | None]:
    """(amount_usd, amount_original, currency) of a row."""

    def scaled(x: float | None, field: str) -> float | None:
        if x is None:
            return None
        x *= m.amount_multiplier
        if x > MAX_AMOUNT:
            raise _RowError(row.cols[field], row.raw(field), f"absurd amount {row.raw(field)!r}")
        return x

    usd = scaled(row.norm("amount_usd", parse_amount), "amount_usd")
    original, written = row.norm("amount", parse_money)
    original = scaled(original, "amount")
    column = row.raw("currency").strip().upper() or None
    if column and written and column != written:
        raise _RowError(
            row.cols["currency"],
            column,
            f"currency {column} contradicts amount {row.raw('amount')!r}",
        )
    currency = column or written or (m.default_currency if original is not None else None)
    if usd is None and original is not None:
        usd = row.soft("currency", lambda _: to_usd(original, currency, on), s.ROUNDS)
        if usd is None and currency not in currencies():  # unrecognized: unknown, not kept
            currency = None
    if original is None and usd is not None:
        return usd, usd, "USD"
    return usd, original, currency


def _company(row: _Row, m: Mapping) -> dict[str, Any]:
    name = row.raw("company_name").strip() or None
    country = row.soft("company_country", to_iso3, s.COMPANIES)
    given = row.raw("company_id").strip()
    if not given and name is None:
        raise _RowError(
            row.cols.get("company_name", "company_name"), "", "missing company name and id"
        )
    company_id = (
        f"{m.source}:{given}" if given else f"{m.source}:co:{_slug(name or '')}:{country or '-'}"
    )
    is_ai = row.soft("company_is_ai", _flag(_AI_VALUES), s.COMPANIES)
    return {
        s.COMPANY_ID: company_id,
        s.NAME: name,
        s.COUNTRY: country,
        s.FOUNDED_ON: row.soft(
            "company_founded", lambda v: parse_date(v, m.date_format), s.COMPANIES
        ),
        s.CATEGORIES: row.soft("company_categories", clean_categories, s.COMPANIES),
        s.DESCRIPTION: row.raw("company_description").strip() or None,
        s.IS_AI: is_ai,
    }


def _flag(true_values: tuple[str, ...]) -> Callable[[str], bool | None]:
    def parse(value: str) -> bool | None:
        key = value.strip().lower()
        if not key:
            return None
        if key in true_values:
            return True
        if key in _FALSE:
            return False
        raise NormalizeError(
            f"unrecognized flag {value!r} (expected one of {', '.join(true_values)} or no)"
        )

    return parse


def _round(row: _Row, m: Mapping, company_id: str) -> dict[str, Any]:
    on = row.norm("date", lambda v: parse_date(v, m.date_format))
    stage = to_stage(row.raw("stage"), row.raw("stage_code"))
    usd, original, currency = _amounts(row, m, on)
    given = row.raw("round_id").strip()
    if given:
        round_id = f"{m.source}:{given}"
    else:  # deterministic: same company, date, stage and amounts -> same round
        key = "|".join(map(str, (company_id, on, stage, usd, original, currency)))
        round_id = f"{m.source}:r:{hashlib.sha256(key.encode()).hexdigest()[:20]}"
    return {
        s.ROUND_ID: round_id,
        s.COMPANY_ID: company_id,
        s.ANNOUNCED_ON: on,
        s.STAGE: stage,
        s.AMOUNT_USD: usd,
        s.AMOUNT_ORIGINAL: original,
        s.CURRENCY: currency,
    }


def _investor_lists(row: _Row, m: Mapping) -> list[dict[str, Any]]:
    """Investors of a row: one for the participation shape, a parallel list for the round shape."""
    if m.shape == "participation":
        names, ids = [row.raw("investor_name").strip()], [row.raw("investor_id").strip()]
        countries, types = [row.raw("investor_country")], [row.raw("investor_type")]
        leads = [row.soft("lead", _flag(m.lead_values), s.PARTICIPATIONS)]
        if not names[0] and not ids[0]:
            return []
    else:
        sep = m.list_separator
        names, ids = _split(row.raw("investor_name"), sep), _split(row.raw("investor_id"), sep)
        n = max(len(names), len(ids))
        countries, types = (
            _split(row.raw("investor_country"), sep),
            _split(row.raw("investor_type"), sep),
        )
        for field, values in (
            ("investor_name", names),
            ("investor_id", ids),
            ("investor_country", countries),
            ("investor_type", types),
        ):
            if values and len(values) != n:
                raise _RowError(
                    row.cols[field],
                    row.raw(field),
                    f"{n} investors but {len(values)} entries in {row.cols[field]!r}",
                )
        lead_names = {_slug(x) for x in _split(row.raw("lead"), sep)}
        names, ids = names or [""] * n, ids or [""] * n
        countries, types = countries or [""] * n, types or [""] * n
        leads = [(_slug(x) in lead_names) if "lead" in row.cols else None for x in names]
    out = []
    entries = zip(names, ids, countries, types, leads, strict=True)
    for k, (name, given, country, kind, lead) in enumerate(entries, start=1):
        try:
            iso3 = to_iso3(country)
        except NormalizeError as exc:  # this investor's country is unknown; it still counts
            iso3 = None
            column = row.cols["investor_country"]
            field = column if m.shape == "participation" else f"{column}[{k}]"
            row.flags.append((field, country, str(exc), s.INVESTORS))
        investor_id = f"{m.source}:{given}" if given else f"{m.source}:inv:{_slug(name)}"
        out.append(
            {
                s.INVESTOR_ID: investor_id,
                s.NAME: name or None,
                s.COUNTRY: iso3,
                s.INVESTOR_TYPE: to_investor_type(kind),
                s.IS_LEAD: lead,
            }
        )
    return out


def _quarantine_record(
    path: Path, line: object, label: str, flag: tuple[str, object, str, str], kept: bool
) -> dict[str, Any]:
    field, value, reason, table = flag
    return {
        s.Q_SOURCE_FILE: str(path.resolve()),
        s.Q_SOURCE_ROW: str(line),
        s.Q_TABLE: table,
        s.Q_FIELD: field,
        s.Q_VALUE: None if value is None else str(value)[:500],
        s.Q_REASON: reason,
        s.SOURCE: label,
        s.Q_ROW_KEPT: kept,
    }


def _read_file(
    path: Path, m: Mapping, tables: dict[str, list[dict[str, Any]]], encoding: str | None = None
) -> FileAccount:
    frame = read_table_file(
        path, required=sorted(set(m.columns.values())), sheet=m.sheet, encoding=encoding
    )
    cols = m.resolve([str(c) for c in frame.columns])
    account = FileAccount(path.name, read=len(frame))
    label = f"generic/{m.source}"
    for cells in frame.to_dict("records"):
        row = _Row(cells, cols)
        try:
            if cells.get(PROBLEM):
                raise _RowError("(row)", None, str(cells[PROBLEM]))
            company = _company(row, m)
            rnd = _round(row, m, company[s.COMPANY_ID])
            investors = _investor_lists(row, m)
        except _RowError as err:  # a required field: the whole row, its flags with it
            flag = (err.field, err.value, err.reason, s.ROUNDS)
            tables[s.QUARANTINE].append(_quarantine_record(path, cells[LINE], label, flag, False))
            account.quarantined += 1
            continue
        for flag in row.flags:
            tables[s.QUARANTINE].append(_quarantine_record(path, cells[LINE], label, flag, True))
        account.flagged += len(row.flags)
        tables[s.COMPANIES].append({**company, s.SOURCE: label})
        tables[s.ROUNDS].append({**rnd, s.SOURCE: label})
        for inv in investors:
            tables[s.PARTICIPATIONS].append(
                {
                    s.ROUND_ID: rnd[s.ROUND_ID],
                    s.INVESTOR_ID: inv[s.INVESTOR_ID],
                    s.IS_LEAD: inv[s.IS_LEAD],
                    s.SOURCE: label,
                }
            )
            tables[s.INVESTORS].append({**inv, s.SOURCE: label})
        account.loaded += 1
    return account


def _inputs(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(
                sorted(
                    q for q in p.iterdir() if q.is_file() and q.suffix.lower() in _TABLE_SUFFIXES
                )
            )
        else:
            files.append(p)
    return files


def read(
    paths: list[Path], *, mapping: str | Path | None = None, encoding: str | None = None
) -> SourceBatch:
    """Read deal exports described by a column mapping.

    Parameters
    ----------
    paths : list of Path
        CSV / Parquet / Excel files, or folders holding them (all read with one mapping).
    mapping : str or Path
        A TOML mapping file or the name of a shipped mapping (``dealroom``, ``pitchbook``).
    encoding : str, optional
        Text encoding of the CSV files (``"cp949"``, ...); default: detected per file
        (:mod:`vcflows.sources._encoding`).

    Returns
    -------
    SourceBatch
        Canonical tables, quarantine and one :class:`FileAccount` per file.

    Raises
    ------
    MappingError
        For a missing or invalid mapping (the message names the key).
    InputFileError
        For a file that lacks a column named in ``[columns]`` or cannot be read.
    """
    m = load_mapping(mapping)
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in (*s.CANONICAL_TABLES, s.QUARANTINE)}
    batch = SourceBatch(source=f"generic/{m.source}")
    for path in _inputs(paths):
        batch.accounts.append(_read_file(path, m, tables, encoding))
    frames = {t: pd.DataFrame(rows, columns=s.columns(t)) for t, rows in tables.items()}
    batch.companies, batch.rounds = frames[s.COMPANIES], frames[s.ROUNDS]
    batch.participations, batch.investors = frames[s.PARTICIPATIONS], frames[s.INVESTORS]
    batch.quarantine = frames[s.QUARANTINE]
    batch.notes.append(
        f"mapping {m.name} ({m.shape} shape); currencies converted with {RATES_SOURCE}"
    )
    return batch
