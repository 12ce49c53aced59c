"""People sources: Crunchbase's people.csv / jobs.csv / degrees.csv, and a founders list."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from vcflows import schema as s
from vcflows.errors import MappingError
from vcflows.sources import read_source
from vcflows.sources.crunchbase_bulk import read
from vcflows.sources.generic import read as read_generic
from vcflows.store import connect, ingest_batch
from vcflows.talent import talent_flags


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _count(con, table: str) -> int:  # type: ignore[no-untyped-def]
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def test_bulk_sample_people_and_jobs_exact_accounting(bulk_sample: Path, tmp_path: Path) -> None:
    people, jobs = _rows(bulk_sample / "people.csv"), _rows(bulk_sample / "jobs.csv")
    batch = read_source([bulk_sample], "crunchbase-bulk")
    acc = {a.file: a for a in batch.accounts}
    # Every row of both files is read and loaded (the sample is clean), none skipped.
    assert (acc["people.csv"].read, acc["people.csv"].loaded) == (len(people), len(people))
    assert (acc["jobs.csv"].read, acc["jobs.csv"].loaded) == (len(jobs), len(jobs))
    assert acc["people.csv"].skipped == acc["jobs.csv"].skipped == 0
    assert all(a.balanced for a in batch.accounts)
    con = connect(tmp_path / "t.duckdb")
    try:
        first = ingest_batch(con, batch)
        again = ingest_batch(con, read([bulk_sample]))
        stored_people, stored_roles = _count(con, s.PEOPLE), _count(con, s.ROLES)
        founders = _count(con, f"{s.ROLES} WHERE {s.IS_FOUNDER}")
    finally:
        con.close()
    # The merge rule keeps one record per key: people.csv repeats rows (one record per uuid),
    # jobs.csv's exact repeats are one role each; people named by jobs only get a record.
    distinct_jobs = {tuple(sorted(j.items())) for j in jobs}
    persons = {p["uuid"] for p in people} | {j["person_uuid"] for j in jobs}
    assert stored_people == first.new_records[s.PEOPLE] == len(persons)
    assert stored_roles == first.new_records[s.ROLES] == len(distinct_jobs)
    assert len(distinct_jobs) < len(jobs)  # the sample's repeats were merged, not lost
    assert again.new_records[s.PEOPLE] == again.new_records[s.ROLES] == 0
    word = re.compile(r"[a-z0-9]+")
    is_founder = [
        bool({"founder", "founders", "cofounder", "cofounders"} & set(word.findall(t.lower())))
        for t in (dict(j)["title"] for j in map(dict, distinct_jobs))
    ]
    assert founders == sum(is_founder) > 0


def test_jobs_quarantine_and_flags(tmp_path: Path) -> None:
    (tmp_path / "jobs.csv").write_text(
        "person_uuid,org_uuid,org_name,title,started_on,ended_on\n"
        "p1,o1,OpenAI,Researcher,2015-01-01,2019-01-01\n"
        ",o1,OpenAI,Researcher,2015-01-01,\n"
        "p2,o2,Acme,Founder,someday,\n",
        encoding="utf-8",
    )
    batch = read([tmp_path])
    (account,) = batch.accounts
    assert (account.read, account.loaded, account.quarantined, account.flagged) == (3, 2, 1, 1)
    q = batch.quarantine.set_index(s.Q_SOURCE_ROW)
    assert q.loc["3", s.Q_FIELD] == "person_uuid" and not q.loc["3", s.Q_ROW_KEPT]
    assert q.loc["4", s.Q_FIELD] == "started_on" and q.loc["4", s.Q_ROW_KEPT]
    assert len(batch.people) == 2  # p1 and p2, named by jobs.csv only


FOUNDERS_CSV = """Company,Country,Founded,Founder,Previous employers,Highest degree,Subject
Alpha AI,KOR,2020-03-01,Kim Min,Google DeepMind; Naver Webtoon,PhD,Computer Science
Alpha AI,KOR,2020-03-01,Lee Ha,Samsung,MBA,Business
,KOR,2018-01-01,Nobody,,,
Gamma,XXQ,2021-01-01,Park Jo,OpenAI Alumni Fund,,
Delta,JPN,2019-05-01,Sato Ken,Meta FAIR,,
"""
FOUNDERS_TOML = """shape = "founders"
source = "hand"
[columns]
company_name = "Company"
founder_name = "Founder"
[optional_columns]
company_country = "Country"
company_founded = "Founded"
previous_employers = "Previous employers"
highest_degree = "Highest degree"
degree_subject = "Subject"
[options]
list_separator = ";"
"""


def test_founders_shape_loads_with_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "founders.csv").write_text(FOUNDERS_CSV, encoding="utf-8")
    (tmp_path / "founders.toml").write_text(FOUNDERS_TOML, encoding="utf-8")
    batch = read_generic([tmp_path / "founders.csv"], mapping=tmp_path / "founders.toml")
    (account,) = batch.accounts
    assert (account.read, account.loaded, account.quarantined, account.flagged) == (5, 4, 1, 1)
    assert batch.companies[s.NAME].nunique() == 3 and len(batch.people) == 4
    assert int(batch.roles[s.IS_FOUNDER].sum()) == 4  # one founder role per loaded row
    employers = batch.roles.loc[~batch.roles[s.IS_FOUNDER].astype(bool), s.ORG_NAME]
    assert sorted(employers) == [
        "Google DeepMind", "Meta FAIR", "Naver Webtoon", "OpenAI Alumni Fund", "Samsung",
    ]  # fmt: skip
    con = connect(":memory:")
    ingest_batch(con, batch)
    flags = talent_flags(con).companies.set_index(s.NAME)
    # Alpha: Kim Min's DeepMind role (no dates) and PhD; Gamma: a name containing "OpenAI"
    # is not OpenAI; Delta: Meta FAIR.
    assert flags["talent_founded"].to_dict() == {"Alpha AI": True, "Delta": True, "Gamma": False}
    assert flags.loc["Alpha AI", "founders"] == 2 and flags.loc["Alpha AI", "talent_founders"] == 1


def test_founders_mapping_needs_a_founder_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('shape = "founders"\n[columns]\ncompany_name = "Company"\n', encoding="utf-8")
    with pytest.raises(MappingError, match="founder_name"):
        read_generic([tmp_path / "x.csv"], mapping=bad)
