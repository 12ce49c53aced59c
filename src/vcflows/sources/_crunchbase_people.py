"""The people files of Crunchbase's bulk export: ``people.csv``, ``jobs.csv``, ``degrees.csv``.

Part of :mod:`vcflows.sources.crunchbase_bulk` (its docstring lists the columns read). Every
row is loaded or quarantined with its reason; an unrecognized optional value (a country, a
date) keeps the row with that field unknown and is recorded in the quarantine (``row_kept``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from vcflows import schema as s
from vcflows.normalize import is_founder_title, parse_date, to_iso3
from vcflows.sources._base import FileAccount
from vcflows.sources._files import LINE, read_table_file
from vcflows.sources.crunchbase_bulk import (
    PREFIX,
    _check_sound,
    _Collector,
    _get,
    _pick,
    _required_id,
    _RowError,
    _rows,
    _soft,
)


def _derived_id(kind: str, *parts: str) -> str:
    """A deterministic ID from a row's fields (exact repeats share it)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"{PREFIX}{kind}:{digest}"


def _people(path: Path, out: _Collector) -> tuple[FileAccount, dict[str, str]]:
    """People; also the organisation names people.csv gives (org_id -> name)."""
    frame = read_table_file(path, required=["uuid"])
    acc = FileAccount(path.name, read=len(frame))
    name_col = _pick(frame, "name", "person_name")
    first, last = _pick(frame, "first_name"), _pick(frame, "last_name")
    org_col = _pick(frame, "primary_organization_uuid")
    org_name_col = _pick(frame, "primary_affiliation_organization")
    orgs: dict[str, str] = {}
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        try:
            _check_sound(row)
            person_id = _required_id(row, "uuid")
            country = _soft(_pick(frame, "country_code"), row, to_iso3, s.PEOPLE, flags)
        except _RowError as err:
            out.quarantine(path, row[LINE], s.PEOPLE, err)
            acc.quarantined += 1
            continue
        name = _get(row, name_col).strip() or " ".join(
            p for p in (_get(row, first).strip(), _get(row, last).strip()) if p
        )
        out.add(s.PEOPLE, **{s.PERSON_ID: person_id, s.NAME: name or None, s.COUNTRY: country})
        org, org_name = _get(row, org_col).strip(), _get(row, org_name_col).strip()
        if org and org_name:
            orgs.setdefault(PREFIX + org, org_name)
        acc.flagged += out.flags(path, row[LINE], flags)
        acc.loaded += 1
    return acc, orgs


def _jobs(path: Path, out: _Collector, stubs: dict[str, str | None]) -> FileAccount:
    frame = read_table_file(path, required=["person_uuid", "org_uuid"])
    acc = FileAccount(path.name, read=len(frame))
    id_col, title_col = _pick(frame, "uuid"), _pick(frame, "title")
    start_col, end_col = _pick(frame, "started_on"), _pick(frame, "ended_on")
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        r = s.ROLES
        try:
            _check_sound(row)
            person_id = _required_id(row, "person_uuid")
            org_id = _required_id(row, "org_uuid")
        except _RowError as err:
            out.quarantine(path, row[LINE], s.ROLES, err)
            acc.quarantined += 1
            continue
        started = _soft(start_col, row, parse_date, r, flags)
        ended = _soft(end_col, row, parse_date, r, flags)
        title = _get(row, title_col).strip() or None
        given = _get(row, id_col).strip()
        role_id = (
            PREFIX + given
            if given
            else _derived_id(
                "job", person_id, org_id, title or "", _get(row, start_col), _get(row, end_col)
            )
        )
        out.add(
            s.ROLES,
            **{
                s.ROLE_ID: role_id,
                s.PERSON_ID: person_id,
                s.ORG_ID: org_id,
                s.ORG_NAME: _get(row, _pick(frame, "org_name")).strip() or None,
                s.TITLE: title,
                s.IS_FOUNDER: is_founder_title(title),
                s.STARTED_ON: started,
                s.ENDED_ON: ended,
            },
        )
        stubs.setdefault(person_id, _get(row, _pick(frame, "person_name")).strip() or None)
        acc.flagged += out.flags(path, row[LINE], flags)
        acc.loaded += 1
    return acc


def _degrees(path: Path, out: _Collector, stubs: dict[str, str | None]) -> FileAccount:
    frame = read_table_file(path, required=["person_uuid"])
    acc = FileAccount(path.name, read=len(frame))
    inst_col = _pick(frame, "institution_name", "institution")
    type_col = _pick(frame, "degree_type_name", "degree_type")
    subject_col = _pick(frame, "subject", "subject_name")
    done_col = _pick(frame, "completed_on")
    for row in _rows(frame):
        flags: list[tuple[str, _RowError]] = []
        try:
            _check_sound(row)
            person_id = _required_id(row, "person_uuid")
        except _RowError as err:
            out.quarantine(path, row[LINE], s.DEGREES, err)
            acc.quarantined += 1
            continue
        record = {
            s.PERSON_ID: person_id,
            s.INSTITUTION: _get(row, inst_col).strip() or None,
            s.DEGREE_TYPE: _get(row, type_col).strip() or None,
            s.SUBJECT: _get(row, subject_col).strip() or None,
            s.COMPLETED_ON: _soft(done_col, row, parse_date, s.DEGREES, flags),
        }
        given = _get(row, _pick(frame, "uuid")).strip()
        fields = (str(record[k] or "") for k in (s.INSTITUTION, s.DEGREE_TYPE, s.SUBJECT))
        degree_id = (
            PREFIX + given
            if given
            else _derived_id("degree", person_id, *fields, _get(row, done_col))
        )
        out.add(s.DEGREES, **{s.DEGREE_ID: degree_id, **record})
        stubs.setdefault(person_id, _get(row, _pick(frame, "person_name")).strip() or None)
        acc.flagged += out.flags(path, row[LINE], flags)
        acc.loaded += 1
    return acc


def _org_names(out: _Collector, from_people: dict[str, str]) -> dict[str, str]:
    """Organisation ID -> a name given by another file (companies first, then people.csv)."""
    names = dict(from_people)
    by_company: dict[str, set[str]] = {}
    for company in out.tables[s.COMPANIES]:
        if company.get(s.NAME):
            by_company.setdefault(company[s.COMPANY_ID], set()).add(company[s.NAME])
    # Order-free: the smallest of a company's names (the store's merge rule picks among them).
    names.update({k: min(v) for k, v in by_company.items()})
    return names


def read_people(found: dict[str, Path], out: _Collector) -> tuple[list[FileAccount], list[str]]:
    """Read the export's people, jobs and degrees files (those present) into ``out``.

    Parameters
    ----------
    found : dict
        Layout table name -> file, as found by the bulk adapter.
    out : _Collector
        The adapter's collector, already holding the companies (their names name roles).

    Returns
    -------
    tuple
        One :class:`FileAccount` per file read, and the notes (stub people, named roles).
    """
    accounts: list[FileAccount] = []
    notes: list[str] = []
    orgs: dict[str, str] = {}
    if "people" in found:
        account, orgs = _people(found["people"], out)
        accounts.append(account)
    stubs: dict[str, str | None] = {}
    if "jobs" in found:
        accounts.append(_jobs(found["jobs"], out, stubs))
    if "degrees" in found:
        accounts.append(_degrees(found["degrees"], out, stubs))
    names = _org_names(out, orgs)
    unnamed = 0
    for role in out.tables[s.ROLES]:
        if role[s.ORG_NAME] is None:
            role[s.ORG_NAME] = names.get(role[s.ORG_ID])
            unnamed += role[s.ORG_NAME] is None
    if unnamed:
        notes.append(
            f"{unnamed} job row(s) name an organisation no file of the export names "
            "(org_name unknown: such a role cannot match the AI-talent list)"
        )
    known = {p[s.PERSON_ID] for p in out.tables[s.PEOPLE]}
    missing = sorted(set(stubs) - known)
    for person_id in missing:
        out.add(s.PEOPLE, **{s.PERSON_ID: person_id, s.NAME: stubs[person_id], s.COUNTRY: None})
    if missing:
        notes.append(
            f"{len(missing)} person(s) named in jobs.csv/degrees.csv are not in people.csv: "
            "created with unknown country (their roles and degrees are kept)"
        )
    return accounts, notes


__all__ = ["read_people"]
