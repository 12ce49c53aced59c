"""Which companies were founded by AI talent, and the evidence (founder, organisation or degree).

Rule (documented for users in the README):

- A company's *founders* are the people with a founder role at it: ``roles.is_founder``
  (a title such as "Founder", "Co-Founder | CTO", see :func:`vcflows.normalize.is_founder_title`)
  whose organisation is the company (``org_id``, followed through ``vcflows link``'s company
  links).
- A company's *reference date* is its founding date, else the date of its first round (it
  existed by then); the evidence says which.
- A founder is AI talent when

  * a role at a listed organisation (:mod:`vcflows.talent.catalogue`, matched by name key of
    the role's organisation name, else of the store's name of its ``org_id``) ended before
    the reference date; a role with no end date counts when it started before the reference
    date or its start is unknown too (a founder list's "previous employer"), and the evidence
    says "no end date"; a role that ended (or started) on or after it does not count;
  * or the founder holds a listed degree (a doctorate in a listed subject), whenever earned.

  With no reference date at all (no founding date, no round), a role counts whatever its
  dates, and the evidence says the founding date is unknown.
- A company is *talent-founded* when one of its founders is AI talent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.store import has_table
from vcflows.talent import columns as t
from vcflows.talent.catalogue import TalentList, load_talent_list

#: Columns of :attr:`TalentFlags.companies`, in order.
COMPANY_COLUMNS: tuple[str, ...] = (
    s.COMPANY_ID,
    s.NAME,
    s.COUNTRY,
    t.REFERENCE_DATE,
    t.REFERENCE,
    t.FOUNDERS,
    t.TALENT_FOUNDERS,
    t.TALENT_FOUNDED,
    t.EVIDENCE,
)
#: Columns of :attr:`TalentFlags.evidence`, in order.
EVIDENCE_COLUMNS: tuple[str, ...] = (
    s.COMPANY_ID,
    s.PERSON_ID,
    t.FOUNDER,
    t.MATCH,
    t.MATCHED,
    t.DETAIL,
)


@dataclass(frozen=True)
class TalentFlags:
    """Talent flags of the companies that have founder records.

    Attributes
    ----------
    companies : pandas.DataFrame
        One row per company with at least one founder record: :data:`COMPANY_COLUMNS`,
        sorted by company_id.
    evidence : pandas.DataFrame
        One row per matched organisation role or degree of a founder: :data:`EVIDENCE_COLUMNS`.
    has_people : bool
        Whether the store holds any role records at all (else nothing can be flagged).
    talent_list : tuple of str
        The AI-talent list files used, shipped first.
    """

    companies: pd.DataFrame
    evidence: pd.DataFrame
    has_people: bool
    talent_list: tuple[str, ...] = field(default=())


def has_people(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store holds role records (stores of earlier versions have no such table)."""
    if not has_table(con, s.ROLES):
        return False
    return bool(con.execute(f"SELECT count(*) FROM {s.ROLES}").fetchall()[0][0])


def _org_expr(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """(join, expression): a role's organisation ID followed through company links."""
    if not has_table(con, s.LINKS):
        return "", f"r.{s.ORG_ID}"
    join = f"LEFT JOIN {s.LINKS} l ON l.{s.LINK_KIND} = 'company' AND l.{s.LINK_ID} = r.{s.ORG_ID}"
    return join, f"coalesce(l.{s.LINK_CANONICAL}, r.{s.ORG_ID})"


def _founders(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    join, org = _org_expr(con)
    return con.execute(
        f"""
        WITH f AS (
            SELECT DISTINCT {org} AS {s.COMPANY_ID}, r.{s.PERSON_ID}
            FROM {s.ROLES} r {join} WHERE r.{s.IS_FOUNDER} AND r.{s.ORG_ID} IS NOT NULL
        ), first AS (
            SELECT {s.COMPANY_ID}, min({s.ANNOUNCED_ON}) AS first_round FROM {s.ROUNDS}
            WHERE {s.COMPANY_ID} IN (SELECT {s.COMPANY_ID} FROM f) GROUP BY ALL
        )
        SELECT c.{s.COMPANY_ID}, c.{s.NAME}, c.{s.COUNTRY}, c.{s.FOUNDED_ON}, first.first_round,
               f.{s.PERSON_ID}, p.{s.NAME}
        FROM f JOIN {s.COMPANIES} c ON c.{s.COMPANY_ID} = f.{s.COMPANY_ID}
        LEFT JOIN first ON first.{s.COMPANY_ID} = f.{s.COMPANY_ID}
        LEFT JOIN {s.PEOPLE} p ON p.{s.PERSON_ID} = f.{s.PERSON_ID}
        ORDER BY c.{s.COMPANY_ID}, f.{s.PERSON_ID}
        """
    ).fetchall()


def _roles(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """Founders' roles: person -> (organisation ID, organisation name, started, ended)."""
    join, org = _org_expr(con)
    rows = con.execute(
        f"""
        WITH founders AS (SELECT DISTINCT {s.PERSON_ID} FROM {s.ROLES} WHERE {s.IS_FOUNDER})
        SELECT r.{s.PERSON_ID}, {org} AS org, coalesce(r.{s.ORG_NAME}, c.{s.NAME}),
               r.{s.STARTED_ON}, r.{s.ENDED_ON}
        FROM {s.ROLES} r {join}
        LEFT JOIN {s.COMPANIES} c ON c.{s.COMPANY_ID} = {org}
        WHERE r.{s.PERSON_ID} IN (SELECT {s.PERSON_ID} FROM founders)
        ORDER BY ALL
        """
    ).fetchall()
    out: dict[str, list[tuple[Any, ...]]] = {}
    for person, *rest in rows:
        out.setdefault(person, []).append(tuple(rest))
    return out


def _degrees(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    if not has_table(con, s.DEGREES):
        return {}
    rows = con.execute(
        f"SELECT {s.PERSON_ID}, {s.DEGREE_TYPE}, {s.SUBJECT}, {s.INSTITUTION}, "
        f"{s.COMPLETED_ON} FROM {s.DEGREES} ORDER BY ALL"
    ).fetchall()
    out: dict[str, list[tuple[Any, ...]]] = {}
    for person, *rest in rows:
        out.setdefault(person, []).append(tuple(rest))
    return out


def _role_detail(
    started: dt.date | None, ended: dt.date | None, ref: dt.date | None, what: str
) -> str | None:
    """Why a listed organisation's role counts (None when it does not): the module's rule."""
    if ref is None:
        return "founding date unknown: counted whatever its dates"
    if ended is not None:
        return f"ended {ended}, before {what} {ref}" if ended < ref else None
    if started is not None and started >= ref:
        return None
    since = f"started {started}" if started is not None else "no dates"
    return f"no end date ({since}; {what} {ref})"


def _company_evidence(
    company_id: str,
    ref: dt.date | None,
    what: str,
    founders: Iterable[tuple[str, str | None]],
    roles: dict[str, list[tuple[Any, ...]]],
    degrees: dict[str, list[tuple[Any, ...]]],
    talent: TalentList,
) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    for person, name in founders:
        label = name or person
        for org_id, org_name, started, ended in roles.get(person, []):
            if org_id == company_id:
                continue  # the founder role itself
            org = talent.org(org_name)
            detail = None if org is None else _role_detail(started, ended, ref, what)
            if org is not None and detail is not None:
                found.append((company_id, person, label, "organisation", org.name, detail))
        for kind, subject, institution, completed in degrees.get(person, []):
            matched = talent.degree(kind, subject)
            if matched is not None:
                where = f"{institution}, " if institution else ""
                when = f"completed {completed}" if completed else "completion date unknown"
                found.append((company_id, person, label, "degree", matched, f"{where}{when}"))
    return found


def talent_flags(con: duckdb.DuckDBPyConnection, talent: TalentList | None = None) -> TalentFlags:
    """Flag the companies founded by AI talent (rule in the module docstring).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    talent : TalentList, optional
        What counts as AI talent (default: the shipped list).

    Returns
    -------
    TalentFlags
        Empty frames (``has_people`` False) on a store without people data.
    """
    talent = talent or load_talent_list()
    empty = TalentFlags(
        pd.DataFrame(columns=list(COMPANY_COLUMNS)),
        pd.DataFrame(columns=list(EVIDENCE_COLUMNS)),
        has_people=False,
        talent_list=talent.origins,
    )
    if not has_people(con):
        return empty
    roles, degrees = _roles(con), _degrees(con)
    by_company: dict[str, dict[str, Any]] = {}
    for company_id, name, country, founded, first_round, person, pname in _founders(con):
        entry = by_company.setdefault(
            company_id,
            {"name": name, "country": country, "founded": founded, "first": first_round, "f": []},
        )
        entry["f"].append((person, pname))
    rows, evidence = [], []
    for company_id, e in by_company.items():
        ref, reference = (
            (e["founded"], "founded_on")
            if e["founded"] is not None
            else (e["first"], "first_round")
            if e["first"] is not None
            else (None, "unknown")
        )
        what = "founding" if reference == "founded_on" else "first round"
        found = _company_evidence(company_id, ref, what, e["f"], roles, degrees, talent)
        evidence.extend(found)
        text = "; ".join(f"{x[2]}: {x[4]} ({x[5]})" for x in found)
        rows.append(
            (
                company_id, e["name"], e["country"], ref, reference, len(e["f"]),
                len({x[1] for x in found}), bool(found), text or None,
            )
        )  # fmt: skip
    return TalentFlags(
        pd.DataFrame(rows, columns=list(COMPANY_COLUMNS)),
        pd.DataFrame(evidence, columns=list(EVIDENCE_COLUMNS)),
        has_people=True,
        talent_list=talent.origins,
    )
