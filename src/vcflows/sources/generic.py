"""Generic adapter: any CSV / Parquet / Excel deal export plus a TOML column mapping.

The mapping (format in :mod:`vcflows.sources.mappings`) says which column holds what, and
whether the file has one row per round (investors listed in one cell, split on
``list_separator``, with optional parallel investor-country / investor-type lists and a
list of lead investors) or one row per investor participation (a lead flag column).
Shipped mappings: ``dealroom`` (round shape), ``pitchbook`` (participation shape) and
``crunchbase-pro`` (Crunchbase's web export of a funding-rounds search, with an investors search
as its investor list).

A mapping may describe an export of several files (see :mod:`vcflows.sources.mappings`): the
rounds file, a participations file (deal–investor rows, joined to the rounds by round ID) and an
investor list (joined by investor ID, or by name key when the export has no investor IDs).
Every file's header is checked, and every file given its role, before any row is read; each
file has its own row accounting.

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
from vcflows.errors import InputFileError, MappingError
from vcflows.normalize import (
    RATES_SOURCE,
    NormalizeError,
    clean_categories,
    name_key,
    parse_amount,
    parse_date,
    parse_money,
    to_investor_type,
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
from vcflows.sources.mappings import CONSTANT_LABEL, FileSpec, Mapping, load_mapping

_TABLE_SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES
_ZERO = "_zero"  # a round's key (not a column): its stated amount of 0 became unknown
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
        if x is None or (x == 0 and m.zero_amount == "unknown"):
            return None  # a stated 0 is an undisclosed amount (options.zero_amount)
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


def stated_zero(usd: str, amount: str) -> bool:
    """Whether either amount cell of a row states an amount of exactly 0."""
    for text, parse in ((usd, parse_amount), (amount, lambda v: parse_money(v)[0])):
        try:
            if parse(text) == 0:
                return True
        except NormalizeError:
            continue
    return False


def zero_note(rounds: int) -> str:
    """The ingest note counting rounds whose stated amount of 0 was stored as unknown."""
    return (
        f"{rounds:,} round(s) with an amount of 0 stored as undisclosed (amount unknown; "
        'mapping option zero_amount = "unknown")'
    )


def _company(row: _Row, m: Mapping) -> dict[str, Any]:
    name = row.raw("company_name").strip() or None
    country = row.soft("company_country", m.country("company_country"), s.COMPANIES)
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
    zero = usd is None and m.zero_amount == "unknown"
    return {
        s.ROUND_ID: round_id,
        s.COMPANY_ID: company_id,
        s.ANNOUNCED_ON: on,
        s.STAGE: stage,
        s.AMOUNT_USD: usd,
        s.AMOUNT_ORIGINAL: original,
        s.CURRENCY: currency,
        _ZERO: zero and stated_zero(row.raw("amount_usd"), row.raw("amount")),
    }


def investor_id(m: Mapping, given: str, name: str) -> str:
    """An investor's ID: the given one, or from its name (its name key when joined by name)."""
    if m.investor_key == "name" and name:
        return f"{m.source}:inv:{name_key(name) or _slug(name)}"
    return f"{m.source}:{given}" if given else f"{m.source}:inv:{_slug(name)}"


def _investor_lists(row: _Row, m: Mapping, listed: bool) -> list[dict[str, Any]]:
    """Investors of a row: one per row (``listed`` False), else parallel lists in cells."""
    if not listed:
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
    country_of = m.country("investor_country")  # aliases of the mapping, locations
    entries = zip(names, ids, countries, types, leads, strict=True)
    for k, (name, given, country, kind, lead) in enumerate(entries, start=1):
        try:
            iso3 = country_of(country)
        except NormalizeError as exc:  # this investor's country is unknown; it still counts
            iso3 = None
            column = row.cols["investor_country"]
            field = f"{column}[{k}]" if listed else column
            row.flags.append((field, country, str(exc), s.INVESTORS))
        out.append(
            {
                s.INVESTOR_ID: investor_id(m, given, name),
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


class _File:
    """One input file, read, with its role in the export and its field -> column map."""

    def __init__(
        self, path: Path, spec: FileSpec, frame: pd.DataFrame, cols: dict[str, str]
    ) -> None:
        self.path, self.spec, self.frame, self.cols = path, spec, frame, cols


class _Batch:
    """What the files of one read add up to: table rows, and what later files look up."""

    def __init__(self, m: Mapping) -> None:
        self.m, self.label = m, f"generic/{m.source}"
        self.tables: dict[str, list[dict[str, Any]]] = {
            t: [] for t in (*s.MERGED_TABLES, s.QUARANTINE)
        }
        self.rounds: set[str] = set()  # round IDs loaded
        self.bad_rounds: dict[str, str] = {}  # round ID -> where its row was quarantined
        self.zero: set[str] = set()  # rounds whose stated amount of 0 became unknown
        self.listed: set[str] = set()  # investor IDs of the investor list

    def quarantine(self, f: _File, cells: dict[Any, Any], err: _RowError, table: str) -> None:
        """Quarantine a whole row (a required field failed); its field flags go with it."""
        flag = (err.field, err.value, err.reason, table)
        self.tables[s.QUARANTINE].append(
            _quarantine_record(f.path, cells[LINE], self.label, flag, False)
        )

    def flag(self, f: _File, cells: dict[Any, Any], row: _Row, account: FileAccount) -> None:
        """Record a loaded row's field-level errors (``row_kept`` true, counted as flagged)."""
        for flag in row.flags:
            self.tables[s.QUARANTINE].append(
                _quarantine_record(f.path, cells[LINE], self.label, flag, True)
            )
        account.flagged += len(row.flags)

    def add(self, table: str, record: dict[str, Any]) -> None:
        self.tables[table].append({**record, s.SOURCE: self.label})

    def participate(self, round_id: str, investors: list[dict[str, Any]]) -> None:
        for inv in investors:
            self.add(
                s.PARTICIPATIONS,
                {
                    s.ROUND_ID: round_id,
                    s.INVESTOR_ID: inv[s.INVESTOR_ID],
                    s.IS_LEAD: inv[s.IS_LEAD],
                },
            )
            self.add(s.INVESTORS, inv)


def _rows(f: _File) -> Any:
    for cells in f.frame.to_dict("records"):
        yield cells, _Row(cells, f.cols)


def _read_rounds(f: _File, b: _Batch) -> FileAccount:
    m, account = b.m, FileAccount(f.path.name, read=len(f.frame))
    listed = m.shape == "round"
    for cells, row in _rows(f):
        try:
            if cells.get(PROBLEM):
                raise _RowError("(row)", None, str(cells[PROBLEM]))
            company = _company(row, m)
            rnd = _round(row, m, company[s.COMPANY_ID])
            investors = _investor_lists(row, m, listed)
        except _RowError as err:  # a required field: the whole row, its flags with it
            b.quarantine(f, cells, err, s.ROUNDS)
            given = row.raw("round_id").strip()
            if given:
                b.bad_rounds.setdefault(
                    f"{m.source}:{given}", f"row {cells[LINE]} of {f.path.name}"
                )
            account.quarantined += 1
            continue
        b.add(s.COMPANIES, company)
        b.add(s.ROUNDS, rnd)
        b.rounds.add(rnd[s.ROUND_ID])
        if rnd[_ZERO]:
            b.zero.add(rnd[s.ROUND_ID])
        b.flag(f, cells, row, account)
        b.participate(rnd[s.ROUND_ID], investors)
        account.loaded += 1
    return account


def _read_participations(f: _File, b: _Batch) -> FileAccount:
    m, account = b.m, FileAccount(f.path.name, read=len(f.frame))
    for cells, row in _rows(f):
        try:
            if cells.get(PROBLEM):
                raise _RowError("(row)", None, str(cells[PROBLEM]))
            given = row.raw("round_id").strip()
            round_id = f"{m.source}:{given}"
            if round_id not in b.rounds:
                where = b.bad_rounds.get(round_id)
                reason = (
                    "missing round ID"
                    if not given
                    else f"its round was quarantined ({where})"
                    if where
                    else "no round with this ID in the rounds file"
                )
                raise _RowError(row.cols["round_id"], given, reason)
            investors = _investor_lists(row, m, listed=False)
            if not investors:
                column = row.cols.get("investor_name") or row.cols["investor_id"]
                raise _RowError(column, "", "missing investor name and id")
        except _RowError as err:
            b.quarantine(f, cells, err, s.PARTICIPATIONS)
            account.quarantined += 1
            continue
        b.flag(f, cells, row, account)
        b.participate(round_id, investors)
        account.loaded += 1
    return account


def _read_investors(f: _File, b: _Batch) -> FileAccount:
    m, account = b.m, FileAccount(f.path.name, read=len(f.frame))
    country_of = m.country("investor_country")
    for cells, row in _rows(f):
        try:
            if cells.get(PROBLEM):
                raise _RowError("(row)", None, str(cells[PROBLEM]))
            name, given = row.raw("investor_name").strip(), row.raw("investor_id").strip()
            if not name and not given:
                column = row.cols.get("investor_name") or row.cols["investor_id"]
                raise _RowError(column, "", "missing investor name and id")
            country = row.soft("investor_country", country_of, s.INVESTORS)  # kept, unknown
        except _RowError as err:
            b.quarantine(f, cells, err, s.INVESTORS)
            account.quarantined += 1
            continue
        b.flag(f, cells, row, account)
        record = {
            s.INVESTOR_ID: investor_id(m, given, name),
            s.NAME: name or None,
            s.COUNTRY: country,
            s.INVESTOR_TYPE: to_investor_type(row.raw("investor_type")),
        }
        b.add(s.INVESTORS, record)
        b.listed.add(record[s.INVESTOR_ID])
        account.loaded += 1
    return account


_READERS = {
    "rounds": _read_rounds,
    "participations": _read_participations,
    "investors": _read_investors,
}


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


def _open(path: Path, m: Mapping, encoding: str | None) -> _File:
    """Read a file, give it its role and check its header against the mapping."""
    frame = read_table_file(path, sheet=m.sheet, encoding=encoding or m.encoding)
    header = [str(c) for c in frame.columns if c not in (LINE, PROBLEM)]
    specs = m.specs()
    spec = (
        next((x for x in specs if x.claims(path.name, header)), None) if m.multi_file else m.rounds
    )
    if spec is None:
        wanted = "; ".join(
            f"{x.role}: {', '.join(' or '.join(a) for a in x.columns.values())}"
            + (f" (file {x.pattern})" if x.pattern else "")
            for x in specs
        )
        raise InputFileError(
            str(path), f"has the columns of none of the files of mapping {m.origin} ({wanted})"
        )
    spec.check(header, str(path), m.origin)
    if spec.role == "rounds":
        for name, value in m.constants.items():
            frame[CONSTANT_LABEL.format(name)] = value
        return _File(path, spec, frame, m.resolve(header))
    return _File(path, spec, frame, spec.resolve(header))


def read(
    paths: list[Path],
    *,
    mapping: str | Path | Mapping | None = None,
    encoding: str | None = None,
) -> SourceBatch:
    """Read deal exports described by a column mapping.

    Parameters
    ----------
    paths : list of Path
        CSV / Parquet / Excel files, or folders holding them (all read with one mapping).
    mapping : str or Path or Mapping
        A TOML mapping file, the name of a shipped mapping (``crunchbase-pro``, ``dealroom``,
        ``pitchbook``) or a loaded :class:`~vcflows.sources.mappings.Mapping`.
    encoding : str, optional
        Text encoding of the CSV files (``"cp949"``, ...); default: the mapping's
        ``options.encoding``, else detected per file (:mod:`vcflows.sources._encoding`).

    Returns
    -------
    SourceBatch
        Canonical tables, quarantine and one :class:`FileAccount` per file.

    Raises
    ------
    MappingError
        For a missing or invalid mapping, or a file lacking an optional column not declared
        in ``optional`` (the message names the key and the closest headers).
    InputFileError
        For a file that lacks a column named in ``[columns]`` or cannot be read.
    """
    m = load_mapping(mapping)
    files = [_open(path, m, encoding) for path in _inputs(paths)]  # every header before any row
    roles = {f.spec.role for f in files}
    if "participations" in roles and "rounds" not in roles:
        raise MappingError(
            f"mapping {m.origin}: the participations file(s) "
            f"{', '.join(f.path.name for f in files if f.spec.role == 'participations')} "
            "join rounds by round ID, but no input file holds the rounds"
        )
    b = _Batch(m)
    accounts: dict[int, FileAccount] = {}
    if m.shape == "founders":  # one founder list per file (the mapping has one role)
        from vcflows.sources._founders import read_founders

        accounts = {i: read_founders(f, b) for i, f in enumerate(files)}
    for role, reader in _READERS.items():  # rounds first: participations look them up
        for i, f in enumerate(files):
            if f.spec.role == role and m.shape != "founders":
                accounts[i] = reader(f, b)
    batch = SourceBatch(source=b.label)
    batch.accounts = [accounts[i] for i in range(len(files))]
    frames = {t: pd.DataFrame(rows, columns=s.columns(t)) for t, rows in b.tables.items()}
    batch.companies, batch.rounds = frames[s.COMPANIES], frames[s.ROUNDS]
    batch.participations, batch.investors = frames[s.PARTICIPATIONS], frames[s.INVESTORS]
    batch.quarantine = frames[s.QUARANTINE]
    batch.people, batch.roles = frames[s.PEOPLE], frames[s.ROLES]
    batch.degrees = frames[s.DEGREES]
    rates = "" if m.shape == "founders" else f"; currencies converted with {RATES_SOURCE}"
    batch.notes.append(f"mapping {m.name} ({m.shape} shape){rates}")
    if b.zero:
        batch.notes.append(zero_note(len(b.zero)))
    if "investors" in roles:
        named = set(batch.participations[s.INVESTOR_ID])
        batch.notes.append(
            f"investor list: {len(named & b.listed):,} of the {len(named):,} investors named "
            f"in the deals are in it (joined by {'investor ID' if m.investor_key == 'id' else 'name key'})"
        )
    return batch
