"""`vcflows link`: dry run, merge, the links file, and `vcflows info` after it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.sources._base import SourceBatch
from vcflows.store import connect, ingest_batch

runner = CliRunner()


def _source(source: str, company: str, on: str, usd: float) -> SourceBatch:
    b = SourceBatch(source=source)
    cid, rid, iid = f"{source}:c", f"{source}:r", f"{source}:i"
    b.companies = pd.DataFrame(
        [{s.COMPANY_ID: cid, s.NAME: company, s.COUNTRY: "CAN", s.SOURCE: source}]
    )
    b.rounds = pd.DataFrame(
        [
            {
                s.ROUND_ID: rid,
                s.COMPANY_ID: cid,
                s.ANNOUNCED_ON: on,
                s.STAGE: "series_a",
                s.AMOUNT_USD: usd,
                s.SOURCE: source,
            }
        ]
    )
    b.investors = pd.DataFrame(
        [
            {
                s.INVESTOR_ID: iid,
                s.NAME: "Radical Ventures",
                s.COUNTRY: "CAN",
                s.INVESTOR_TYPE: "vc",
                s.SOURCE: source,
            }
        ]
    )
    b.participations = pd.DataFrame(
        [{s.ROUND_ID: rid, s.INVESTOR_ID: iid, s.IS_LEAD: True, s.SOURCE: source}]
    )
    return b


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "two.duckdb"
    con = connect(path)
    ingest_batch(con, _source("dealroom", "Cohere Inc.", "2021-09-08", 40e6))
    ingest_batch(con, _source("pitchbook", "Cohere", "2021-09-01", 40e6))
    con.close()
    return path


def _rounds(path: Path) -> int:
    con = connect(path, read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM rounds").fetchall()[0][0])
    finally:
        con.close()


def test_dry_run_then_link(db: Path, tmp_path: Path) -> None:
    dry = runner.invoke(app, ["link", "--db", str(db), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would merge" in dry.output and "USD 40,000,000 in 1 round(s)" in dry.output
    assert _rounds(db) == 2
    out = tmp_path / "links.csv"
    done = runner.invoke(app, ["link", "--db", str(db), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "no longer counted twice" in done.output
    assert _rounds(db) == 1
    links = pd.read_csv(out)
    assert links["kind"].tolist() == ["company", "round", "investor", "participation"]
    assert links.loc[links["kind"] == "round", "canonical_id"].tolist() == ["dealroom:r"]
    info = runner.invoke(app, ["info", "--db", str(db)])
    assert "flow base: current" in info.output
    assert "merged across sources (vcflows link): company 1, round 1" in info.output


def test_prefer_and_bad_options(db: Path) -> None:
    ok = runner.invoke(app, ["link", "--db", str(db), "--prefer", "pitchbook"])
    assert ok.exit_code == 0, ok.output
    con = connect(db, read_only=True)
    assert con.execute("SELECT round_id FROM rounds").fetchall() == [("pitchbook:r",)]
    con.close()
    bad = runner.invoke(app, ["link", "--db", str(db), "--days", "-1"])
    assert bad.exit_code != 0 and "days must be >= 0" in bad.output
    wide = {"COLUMNS": "300"}  # the message on one line of rich's error box
    missing = runner.invoke(app, ["link", "--db", str(db.parent / "none.duckdb")], env=wide)
    assert missing.exit_code != 0 and "no such database" in missing.output


def test_the_second_source_points_to_link(
    bulk_sample: Path, open2014_sample: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "cb.duckdb")
    wide = {"COLUMNS": "400"}  # the tables' widths; notes still wrap: compare words
    first = runner.invoke(
        app, ["ingest", str(open2014_sample), "--format", "crunchbase-open", "--db", db], env=wide
    )
    assert first.exit_code == 0, first.output
    assert "vcflows link" not in first.output  # one source: nothing to link
    second = runner.invoke(
        app, ["ingest", str(bulk_sample), "--format", "crunchbase-bulk", "--db", db], env=wide
    )
    assert second.exit_code == 0, second.output
    said = " ".join(second.output.split())
    assert "rounds of 2 sources" in said
    assert f"`vcflows link --db {db} --dry-run`" in said
    linked = runner.invoke(app, ["link", "--db", db], env=wide)
    assert linked.exit_code == 0, linked.output
    assert "round         │     25" in linked.output.replace("┃", "│")
    again = runner.invoke(
        app, ["ingest", str(bulk_sample), "--format", "crunchbase-bulk", "--db", db], env=wide
    )
    assert again.exit_code == 0, again.output
    assert "vcflows link --db" not in again.output  # linked already
    assert "merged again into the records they were linked to" in " ".join(again.output.split())
