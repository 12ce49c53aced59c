"""Founders for the talent tests: people, their roles and degrees, ingested as a batch.

A founder is ``Person(person_id, company_id, title, roles, degrees, founded)``: ``roles`` are
``(org_name, started, ended)`` at organisations other than the company, ``degrees`` are
``(degree_type, subject)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.normalize import is_founder_title
from vcflows.sources import SourceBatch
from vcflows.store import ingest_batch

Date = dt.date | None


@dataclass(frozen=True)
class Person:
    person_id: str
    company_id: str
    title: str = "Founder"
    roles: Sequence[tuple[str, Date, Date]] = ()
    degrees: Sequence[tuple[str, str]] = ()
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def add_people(con: duckdb.DuckDBPyConnection, people: Sequence[Person]) -> None:
    """Ingest the people, their founder roles (title as given) and other roles and degrees."""
    persons, roles, degrees = [], [], []
    for p in people:
        persons.append({s.PERSON_ID: p.person_id, s.NAME: p.name or p.person_id})
        roles.append(
            {
                s.ROLE_ID: f"{p.person_id}@{p.company_id}",
                s.PERSON_ID: p.person_id,
                s.ORG_ID: p.company_id,
                s.TITLE: p.title,
                s.IS_FOUNDER: is_founder_title(p.title),
            }
        )
        for k, (org, started, ended) in enumerate(p.roles):
            roles.append(
                {
                    s.ROLE_ID: f"{p.person_id}#{k}",
                    s.PERSON_ID: p.person_id,
                    s.ORG_NAME: org,
                    s.TITLE: "Research Scientist",
                    s.IS_FOUNDER: False,
                    s.STARTED_ON: started,
                    s.ENDED_ON: ended,
                }
            )
        for k, (kind, subject) in enumerate(p.degrees):
            degrees.append(
                {
                    s.DEGREE_ID: f"{p.person_id}%{k}",
                    s.PERSON_ID: p.person_id,
                    s.DEGREE_TYPE: kind,
                    s.SUBJECT: subject,
                }
            )
    batch = SourceBatch(
        source="test-people",
        people=pd.DataFrame(persons, columns=s.columns(s.PEOPLE)),
        roles=pd.DataFrame(roles, columns=s.columns(s.ROLES)),
        degrees=pd.DataFrame(degrees, columns=s.columns(s.DEGREES)),
    )
    ingest_batch(con, batch)
