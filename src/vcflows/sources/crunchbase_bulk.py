"""Adapter for Crunchbase's bulk-export layout (a folder of CSVs, or some of its files).

Files used (recognized by name, case-insensitive, any of them may be absent):

* ``organizations.csv`` -> companies (``uuid``, ``name``/``company_name``, ``country_code``,
  ``category_list``, ``short_description``, ``founded_on``);
* ``funding_rounds.csv`` -> rounds, plus a company record from the round's company columns
  (``company_uuid``/``org_uuid``, ``company_name``/``org_name``, ``country_code``,
  ``company_category_list``/``category_list``). ``raised_amount_usd`` is Crunchbase's own USD
  figure; when it is blank and ``raised_amount`` + ``raised_amount_currency_code`` are given,
  the amount is converted with :func:`vcflows.normalize.to_usd` at the announcement date.
  The stage comes from ``funding_round_type``/``investment_type`` and ``funding_round_code``;
* ``investments.csv`` -> participations (``is_lead_investor`` ``t``/``f``);
* ``investors.csv`` -> investors (``uuid``, ``investor_name``/``name``, ``country_code``,
  ``investor_type``/``investor_types``);
* ``people.csv`` -> people (``uuid``, ``name`` or ``first_name`` + ``last_name``,
  ``country_code``);
* ``jobs.csv`` -> roles (``person_uuid``, ``org_uuid`` required; ``uuid``, ``org_name``,
  ``title``, ``started_on``, ``ended_on``). A role's ``is_founder`` follows its title
  (:func:`vcflows.normalize.is_founder_title`); its organisation's name is the row's
  ``org_name``, else the name another file of the export gives that organisation
  (``organizations.csv``, the company columns of ``funding_rounds.csv``, people's
  ``primary_organization_uuid`` / ``primary_affiliation_organization``). Without a ``uuid``
  a role's ID is derived from its person, organisation, title and dates, so exact repeats
  are one role;
* ``degrees.csv`` -> degrees (``person_uuid`` required; ``uuid``, ``institution_name``,
  ``degree_type_name``/``degree_type``, ``subject``, ``completed_on``).

A person named by ``jobs.csv`` or ``degrees.csv`` but absent from ``people.csv`` gets a record
with unknown country (named when the row carries ``person_name``), said in a note.

An investment whose investor is not in ``investors.csv`` (most of them in a sample) still
loads: the adapter creates an investor record with NULL country and type ``unknown`` (named
when ``investments.csv`` carries ``investor_name``) and says how many in a note.
Files of the layout the model has no place for (``investment_partners``,
``category_groups``, ``acquisitions``, ``org_parents``, ...) are read and their
rows counted as skipped, with a note. IDs are ``cb:<uuid>``. A row whose required field
fails (an ID, the announcement date, an amount) goes to the quarantine with its file, line,
field, value and reason. An unrecognized optional value (a country, a currency code, a lead
flag, a founding date, categories) keeps the row with that field unknown and is recorded in
the quarantine too (``row_kept``; the file's ``flagged`` count). ``organizations.csv`` ranks
above the company copies carried by ``funding_rounds.csv`` (:data:`vcflows.schema.MERGE_RANK`):
where both know a field, the organization's value is kept (and a disagreement recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from vcflows import schema as s
from vcflows.errors import InputFileError
from vcflows.normalize import (
    NormalizeError,
    clean_categories,
    parse_amount,
    parse_date,
    to_investor_type,
    to_iso3,
    to_stage,
    to_usd,
)
from vcflows.normalize.currency import currencies
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.sources._files import CSV_SUFFIXES, LINE, PROBLEM, read_table_file

SOURCE = "crunchbase-bulk"
PREFIX = "cb:"

#: Files of the bulk layout that the canonical model has no place for (rows are skipped).
UNMODELLED: dict[str, str] = {
    "investment_partners": "partners of investor firms; no place in the model",
    "category_groups": "category taxonomy; no place in the model",
    "acquisitions": "acquisitions are not financing rounds",
    "org_parents": "corporate parent links; no place in the model",
    "ipos": "IPOs are not venture rounds",
    "funds": "investor funds; no place in the model",
    "events": "events; no place in the model",
    "event_appearances": "events; no place in the model",
    "organization_descriptions": "long descriptions; no place in the model",
    "people_descriptions": "people; no place in the model",
    "checksum": "export checksums",
}
_MODELLED = (
    "organizations", "funding_rounds", "investments", "investors", "people", "jobs", "degrees",
)  # fmt: skip


class _RowError(Exception):
    """A row fails: names the field and value to blame."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value, self.reason = field, value, reason


@dataclass
class _Collector:
    """Rows of the canonical tables and the quarantine, accumulated across files."""

    tables: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {t: [] for t in (*s.MERGED_TABLES, s.QUARANTINE)}
    )

    def add(self, table: str, **values: Any) -> None:
        self.tables[table].append({**values, s.SOURCE: SOURCE})

    def quarantine(
        self, path: Path, line: object, table: str, err: _RowError, *, kept: bool = False
    ) -> None:
        self.add(
            s.QUARANTINE,
            **{
                s.Q_SOURCE_FILE: str(path.resolve()),
                s.Q_SOURCE_ROW: str(line),
                s.Q_TABLE: table,
                s.Q_FIELD: err.field,
                s.Q_VALUE: None if err.value is None else str(err.value)[:500],
                s.Q_REASON: err.reason,
                s.Q_ROW_KEPT: kept,
            },
        )

    def flags(self, path: Path, line: object, flags: list[tuple[str, _RowError]]) -> int:
        """Record a loaded row's field-level errors (table, error); return their number."""
        for table, err in flags:
            self.quarantine(path, line, table, err, kept=True)
        return len(flags)

    def frame(self, table: str) -> pd.DataFrame:
        extra = [s.MERGE_RANK] if table in s.MERGED_TABLES else []
        return pd.DataFrame(self.tables[table], columns=[*s.columns(table), *extra])


def _pick(frame: pd.DataFrame, *names: str) -> str | None:
    """First of ``names`` present as a column."""
    return next((n for n in names if n in frame.columns), None)


def _get(row: dict[str, str], column: str | None) -> str:
    return row.get(column, "") if column else ""


def _norm(column: str | None, row: dict[str, str], func: Callable[[str], Any]) -> Any:
    """Apply a normalizer to a cell; turn its NormalizeError into a _RowError for the column."""
    value = _get(row, column)
    try:
        return func(value)
    except NormalizeError as exc:
        raise _RowError(column or "(row)", value, str(exc)) from None


def _soft(
    column: str | None,
    row: dict[str, str],
    func: Callable[[str], Any],
    table: str,
    flags: list[tuple[str, _RowError]],
) -> Any:
    """An optional cell normalized; None, with its error appended to ``flags``, if it fails."""
    try:
        return _norm(column, row, func)
    except _RowError as err:
        flags.append((table, err))
        return None


def _required_id(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise _RowError(column, value, f"missing {column}")
    return PREFIX + value


def _rows(frame: pd.DataFrame) -> list[dict[str, str]]:
    return frame.to_dict("records")  # type: ignore[return-value]


def _check_sound(row: dict[str, str]) -> None:
    if row.get(PROBLEM):
        raise _RowError("(row)", None, str(row[PROBLEM]))


def _organizations(path: Path, out: _Collector) -> FileAccount:
    frame = read_table_file(path, required=["uuid"])
    name = _pick(frame, "name", "company_name")
    acc = FileAccount(path.name, read=len(frame))
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        c = s.COMPANIES
        try:
            _check_sound(row)
            record = {
                s.COMPANY_ID: _required_id(row, "uuid"),
                s.NAME: _get(row, name).strip() or None,
                s.COUNTRY: _soft(_pick(frame, "country_code"), row, to_iso3, c, flags),
                s.FOUNDED_ON: _soft(_pick(frame, "founded_on"), row, parse_date, c, flags),
                s.CATEGORIES: _soft(_pick(frame, "category_list"), row, clean_categories, c, flags),
                s.DESCRIPTION: _get(row, _pick(frame, "short_description")).strip() or None,
                s.IS_AI: None,
            }
        except _RowError as err:
            out.quarantine(path, row[LINE], s.COMPANIES, err)
            acc.quarantined += 1
            continue
        out.add(s.COMPANIES, **record)
        acc.flagged += out.flags(path, row[LINE], flags)
        acc.loaded += 1
    return acc


def _amounts(
    row: dict[str, str], frame: pd.DataFrame, on: Any, flags: list[tuple[str, _RowError]]
) -> tuple[float | None, float | None, str | None]:
    """(amount_usd, amount_original, currency) of a funding round row.

    A currency that cannot be converted leaves the amount in USD unknown (a flag); an
    unrecognized code is not kept.
    """
    usd = _norm(_pick(frame, "raised_amount_usd"), row, parse_amount)
    original = _norm(_pick(frame, "raised_amount"), row, parse_amount)
    cur_col = _pick(frame, "raised_amount_currency_code", "raised_amount_currency")
    currency = _get(row, cur_col).strip().upper() or None
    if original is None:
        return usd, usd, ("USD" if usd is not None else None)
    if usd is None and currency is not None:
        usd = _soft(cur_col, row, lambda c: to_usd(original, c, on), s.ROUNDS, flags)
        if usd is None and currency not in currencies():
            currency = None
    return usd, original, currency


def _funding_rounds(path: Path, out: _Collector) -> FileAccount:
    frame = read_table_file(path)
    round_col = _pick(frame, "funding_round_uuid", "uuid")
    company_col = _pick(frame, "company_uuid", "org_uuid")
    if round_col is None or company_col is None:
        raise InputFileError(
            str(path),
            "missing required column(s): funding_round_uuid (or uuid), company_uuid (or org_uuid)",
        )
    type_col = _pick(frame, "funding_round_type", "investment_type")
    acc = FileAccount(path.name, read=len(frame))
    country_col = _pick(frame, "country_code", "company_country_code")
    categories_col = _pick(frame, "company_category_list", "category_list")
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        try:
            _check_sound(row)
            round_id = _required_id(row, round_col)
            company_id = _required_id(row, company_col)
            country = _soft(country_col, row, to_iso3, s.COMPANIES, flags)
            categories = _soft(categories_col, row, clean_categories, s.COMPANIES, flags)
            on = _norm(_pick(frame, "announced_on"), row, parse_date)
            usd, original, currency = _amounts(row, frame, on, flags)
        except _RowError as err:
            out.quarantine(path, row[LINE], s.ROUNDS, err)
            acc.quarantined += 1
            continue
        acc.flagged += out.flags(path, row[LINE], flags)
        name = _get(row, _pick(frame, "company_name", "org_name")).strip() or None
        out.add(
            s.COMPANIES,
            **{
                s.COMPANY_ID: company_id,
                s.NAME: name,
                s.COUNTRY: country,
                s.FOUNDED_ON: None,
                s.CATEGORIES: categories,
                s.DESCRIPTION: None,
                s.IS_AI: None,
                s.MERGE_RANK: 1,  # a copy: organizations.csv knows the company better
            },
        )
        out.add(
            s.ROUNDS,
            **{
                s.ROUND_ID: round_id,
                s.COMPANY_ID: company_id,
                s.ANNOUNCED_ON: on,
                s.STAGE: to_stage(
                    _get(row, type_col), _get(row, _pick(frame, "funding_round_code"))
                ),
                s.AMOUNT_USD: usd,
                s.AMOUNT_ORIGINAL: original,
                s.CURRENCY: currency,
            },
        )
        acc.loaded += 1
    return acc


_LEAD = {
    "t": True,
    "true": True,
    "1": True,
    "yes": True,
    "y": True,
    "f": False,
    "false": False,
    "0": False,
    "no": False,
    "n": False,
    "": None,
}


def _lead(value: str) -> bool | None:
    key = value.strip().lower()
    if key not in _LEAD:
        raise NormalizeError(f"unrecognized lead flag {value!r} (expected t/f)")
    return _LEAD[key]


def _investments(
    path: Path, out: _Collector
) -> tuple[FileAccount, dict[str, list[dict[str, Any]]]]:
    """Participations; returns investor stubs (id -> one (name, type) per row) named by the
    investments."""
    frame = read_table_file(path, required=["funding_round_uuid", "investor_uuid"])
    acc = FileAccount(path.name, read=len(frame))
    stubs: dict[str, list[dict[str, Any]]] = {}
    name_col = _pick(frame, "investor_name")
    type_col = _pick(frame, "investor_type", "investor_types")
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        try:
            _check_sound(row)
            round_id = _required_id(row, "funding_round_uuid")
            investor_id = _required_id(row, "investor_uuid")
            lead = _soft(_pick(frame, "is_lead_investor"), row, _lead, s.PARTICIPATIONS, flags)
        except _RowError as err:
            out.quarantine(path, row[LINE], s.PARTICIPATIONS, err)
            acc.quarantined += 1
            continue
        acc.flagged += out.flags(path, row[LINE], flags)
        out.add(
            s.PARTICIPATIONS, **{s.ROUND_ID: round_id, s.INVESTOR_ID: investor_id, s.IS_LEAD: lead}
        )
        # One stub per row: the store's merge rule picks among the rows' names and types.
        stubs.setdefault(investor_id, []).append(
            {
                s.NAME: _get(row, name_col).strip() or None,
                s.INVESTOR_TYPE: to_investor_type(_get(row, type_col)),
            }
        )
        acc.loaded += 1
    return acc, stubs


def _investors(path: Path, out: _Collector) -> FileAccount:
    frame = read_table_file(path)
    id_col = _pick(frame, "uuid", "investor_uuid")
    if id_col is None:
        raise InputFileError(str(path), "missing required column(s): uuid (or investor_uuid)")
    name = _pick(frame, "investor_name", "name")
    type_col = _pick(frame, "investor_type", "investor_types")
    acc = FileAccount(path.name, read=len(frame))
    country_col = _pick(frame, "country_code")
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        try:
            _check_sound(row)
            record = {
                s.INVESTOR_ID: _required_id(row, id_col),
                s.NAME: _get(row, name).strip() or None,
                s.COUNTRY: _soft(country_col, row, to_iso3, s.INVESTORS, flags),
                s.INVESTOR_TYPE: to_investor_type(_get(row, type_col)),
            }
        except _RowError as err:
            out.quarantine(path, row[LINE], s.INVESTORS, err)
            acc.quarantined += 1
            continue
        out.add(s.INVESTORS, **record)
        acc.flagged += out.flags(path, row[LINE], flags)
        acc.loaded += 1
    return acc


def _skipped(path: Path, kind: str, note: str) -> FileAccount:
    rows = len(read_table_file(path))
    return FileAccount(path.name, read=rows, skipped=rows, note=note)


def _files(paths: Sequence[Path]) -> tuple[dict[str, Path], list[Path]]:
    """Map layout table name -> file; also return the other (non-table) files seen."""
    found: dict[str, Path] = {}
    others: list[Path] = []
    for p in paths:
        candidates = sorted(q for q in p.iterdir() if q.is_file()) if p.is_dir() else [p]
        for f in candidates:
            stem = f.stem.lower()
            if f.suffix.lower() not in CSV_SUFFIXES:
                others.append(f)
                continue
            if stem in found:
                raise InputFileError(
                    str(f), f"a second {stem} file ({found[stem]}); ingest one export at a time"
                )
            found[stem] = f
    return found, others


def read(paths: list[Path], *, mapping: str | Path | None = None) -> SourceBatch:
    """Read a Crunchbase bulk export into the canonical tables.

    Parameters
    ----------
    paths : list of Path
        Folders holding the export's CSVs, or the CSV files themselves.
    mapping : str or Path, optional
        Unused (the layout is fixed); accepted for the common adapter signature.

    Returns
    -------
    SourceBatch
        Canonical tables, quarantine, one :class:`FileAccount` per CSV file, and notes
        (unresolved investors, skipped files).

    Raises
    ------
    InputFileError
        When no file of the layout is found, or a file lacks its key columns.
    """
    found, others = _files(paths)
    if not any(k in found for k in _MODELLED):
        names = ", ".join(f"{k}.csv" for k in _MODELLED)
        raise InputFileError(
            ", ".join(str(p) for p in paths), f"no Crunchbase bulk file found (expected {names})"
        )
    out = _Collector()
    batch = SourceBatch(source=SOURCE)
    stubs: dict[str, list[dict[str, Any]]] = {}
    # The company copies carried by funding_rounds rank below organizations' records.
    readers: dict[str, Callable[[Path, _Collector], FileAccount]] = {
        "organizations": _organizations,
        "funding_rounds": _funding_rounds,
        "investors": _investors,
    }
    for kind in ("organizations", "funding_rounds", "investors"):
        if kind in found:
            batch.accounts.append(readers[kind](found[kind], out))
    if "investments" in found:
        account, stubs = _investments(found["investments"], out)
        batch.accounts.append(account)
    from vcflows.sources._crunchbase_people import read_people  # builds on this module

    accounts, notes = read_people(found, out)
    batch.accounts.extend(accounts)
    batch.notes.extend(notes)
    for kind in sorted(k for k in found if k not in _MODELLED):
        note = UNMODELLED.get(kind, "not a file of the Crunchbase bulk layout")
        batch.accounts.append(_skipped(found[kind], kind, note))
        batch.notes.append(f"{found[kind].name}: {batch.accounts[-1].read} rows skipped ({note})")
    known = {r[s.INVESTOR_ID] for r in out.tables[s.INVESTORS]}
    missing = sorted(set(stubs) - known)
    for investor_id in missing:
        for stub in stubs[investor_id]:
            out.add(s.INVESTORS, **{s.INVESTOR_ID: investor_id, s.COUNTRY: None, **stub})
    if missing:
        batch.notes.append(
            f"{len(missing)} investor(s) named in investments.csv are not in investors.csv: "
            "created with unknown country and type (their participations are kept)"
        )
    round_ids = {r[s.ROUND_ID] for r in out.tables[s.ROUNDS]}
    orphans = sum(p[s.ROUND_ID] not in round_ids for p in out.tables[s.PARTICIPATIONS])
    if orphans and "funding_rounds" in found:
        batch.notes.append(f"{orphans} participation(s) refer to rounds not in funding_rounds.csv")
    if others:
        batch.notes.append("ignored non-CSV file(s): " + ", ".join(sorted(p.name for p in others)))
    batch.companies = out.frame(s.COMPANIES)
    batch.rounds = out.frame(s.ROUNDS)
    batch.participations = out.frame(s.PARTICIPATIONS)
    batch.investors = out.frame(s.INVESTORS)
    batch.people = out.frame(s.PEOPLE)
    batch.roles = out.frame(s.ROLES)
    batch.degrees = out.frame(s.DEGREES)
    batch.quarantine = out.frame(s.QUARANTINE)
    return batch
