"""The generic adapter's ``founders`` shape: a hand-built founder list, one row per founder.

Part of :mod:`vcflows.sources.generic` (the mapping format is in
:mod:`vcflows.sources.mappings`). A row gives its company, the founder (a person), the
founder's role at the company (``is_founder`` true: the list names founders), one role per
previous employer (no dates; the title says "previous employer") and a degree when one is
named. A row without a company name and ID, or without a founder name and ID, is quarantined
whole; an unrecognized country or founding date keeps the row with that field unknown.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from vcflows import schema as s
from vcflows.sources._base import FileAccount
from vcflows.sources._files import PROBLEM

if TYPE_CHECKING:
    from vcflows.sources.generic import _Batch, _File, _Row

#: Title of a founder-list role at a previous employer (its dates are not known).
PREVIOUS_EMPLOYER = "previous employer"
DEFAULT_TITLE = "Founder"


def _id(source: str, kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]
    return f"{source}:{kind}:{digest}"


def _person(row: _Row, source: str, company_id: str) -> tuple[str, str | None]:
    """(person_id, name) of a row's founder."""
    from vcflows.sources.generic import _RowError, _slug

    name, given = row.raw("founder_name").strip(), row.raw("founder_id").strip()
    if not name and not given:
        column = row.cols.get("founder_name") or row.cols.get("founder_id", "founder_name")
        raise _RowError(column, "", "missing founder name and id")
    if given:
        return f"{source}:{given}", name or None
    return _id(source, "person", company_id, _slug(name)), name


def _split(value: str, sep: str) -> list[str]:
    return list(dict.fromkeys(p.strip() for p in value.split(sep) if p.strip()))


def read_founders(f: _File, b: _Batch) -> FileAccount:
    """Read a founder list into the batch's companies, people, roles and degrees.

    Parameters
    ----------
    f : _File
        The list, read, with its field -> column map.
    b : _Batch
        The generic adapter's batch.

    Returns
    -------
    FileAccount
        The file's row accounting.
    """
    from vcflows.sources.generic import _company, _RowError, _rows

    m, account = b.m, FileAccount(f.path.name, read=len(f.frame))
    country_of = m.country("company_country")
    for cells, row in _rows(f):
        try:
            if cells.get(PROBLEM):
                raise _RowError("(row)", None, str(cells[PROBLEM]))
            company = _company(row, m)
            person_id, name = _person(row, m.source, company[s.COMPANY_ID])
        except _RowError as err:
            b.quarantine(f, cells, err, s.PEOPLE)
            account.quarantined += 1
            continue
        country = row.soft("founder_country", country_of, s.PEOPLE)
        b.add(s.COMPANIES, company)
        b.add(s.PEOPLE, {s.PERSON_ID: person_id, s.NAME: name, s.COUNTRY: country})
        title = row.raw("founder_title").strip() or DEFAULT_TITLE
        company_id = company[s.COMPANY_ID]
        b.add(s.ROLES, _role(person_id, company_id, company[s.NAME], title, True, m.source))
        for employer in _split(row.raw("previous_employers"), m.list_separator):
            b.add(s.ROLES, _role(person_id, None, employer, PREVIOUS_EMPLOYER, False, m.source))
        degree = {
            s.DEGREE_TYPE: row.raw("highest_degree").strip() or None,
            s.SUBJECT: row.raw("degree_subject").strip() or None,
            s.INSTITUTION: row.raw("degree_institution").strip() or None,
        }
        if any(degree.values()):
            parts = (str(v or "") for v in degree.values())
            degree_id = _id(m.source, "degree", person_id, *parts)
            b.add(
                s.DEGREES,
                {s.DEGREE_ID: degree_id, s.PERSON_ID: person_id, s.COMPLETED_ON: None, **degree},
            )
        b.flag(f, cells, row, account)
        account.loaded += 1
    return account


def _role(
    person_id: str,
    org_id: str | None,
    org_name: str | None,
    title: str,
    founder: bool,
    source: str,
) -> dict[str, Any]:
    return {
        s.ROLE_ID: _id(source, "role", person_id, org_id or "", org_name or "", title),
        s.PERSON_ID: person_id,
        s.ORG_ID: org_id,
        s.ORG_NAME: org_name,
        s.TITLE: title,
        s.IS_FOUNDER: founder,
        s.STARTED_ON: None,
        s.ENDED_ON: None,
    }


__all__ = ["PREVIOUS_EMPLOYER", "read_founders"]
