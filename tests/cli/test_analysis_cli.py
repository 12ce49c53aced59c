"""`vcflows flows`, `indicators`, `profile`: outputs, formats, options and errors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vcflows.cli import app

if "deals" not in sys.modules:  # the small-database builder of tests/flows
    _spec = importlib.util.spec_from_file_location(
        "deals", Path(__file__).resolve().parents[1] / "flows" / "deals.py"
    )
    assert _spec is not None and _spec.loader is not None
    sys.modules["deals"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["deals"])
from deals import make_db

runner = CliRunner()

ROUNDS = [
    ("r1", "k1", "KOR", 2020, 40.0, [("kor_a", "KOR"), ("us_a", "USA")]),
    ("r2", "k2", "KOR", 2021, 60.0, [("kor_a", "KOR")]),
    ("r3", "u1", "USA", 2021, 500.0, [("us_a", "USA")]),
    ("r4", "g1", "GBR", 2021, 200.0, [("us_a", "USA", True), ("gb_a", "GBR", False)]),
    ("r5", "n1", "GBR", 2021, 70.0, [("gb_a", "GBR")]),  # not AI: only with --sector all
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "deals.duckdb"
    con = make_db(ROUNDS, path=str(path), companies={"n1": {"is_ai": False}})
    con.close()
    return path


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def test_indicators_json_is_one_record_per_country(db: Path) -> None:
    recs = json.loads(_run("indicators", "--db", str(db), "--format", "json"))
    by = {r["country"]: r for r in recs}
    assert [r["country"] for r in recs] == ["USA", "GBR", "KOR"]
    assert by["GBR"]["invested_in_usd"] == 200.0 and by["GBR"]["us_share_in"] == 0.5
    assert by["KOR"]["top_sources"] == [{"partner": "USA", "amount_usd": 20.0, "share": 0.2}]
    assert by["USA"]["domestic_share_in"] == 1.0


def test_sector_attribution_and_years_are_applied(db: Path) -> None:
    all_sectors = json.loads(_run("indicators", "--db", str(db), "--sector", "all", "-f", "json"))
    assert {r["country"]: r["invested_in_usd"] for r in all_sectors}["GBR"] == 270.0
    lead = json.loads(_run("indicators", "--db", str(db), "--attribution", "lead", "-f", "json"))
    assert {r["country"]: r["us_share_in"] for r in lead}["GBR"] == 1.0
    y2020 = json.loads(
        _run("indicators", "--db", str(db), "--from", "2020", "--to", "2020", "-f", "json")
    )
    assert {r["country"] for r in y2020} == {"KOR", "USA"}


def test_flows_csv_and_files(db: Path, tmp_path: Path) -> None:
    out = _run("flows", "--db", str(db), "--format", "csv", "--by", "year")
    lines = out.splitlines()
    assert lines[0] == "investor_country,company_country,year,amount_usd,deals"
    assert "USA,GBR,2021,100.0,0.5" in lines
    target = tmp_path / "ind.parquet"
    _run("indicators", "--db", str(db), "--format", "parquet", "--out", str(target))
    assert pd.read_parquet(target)["country"].tolist() == ["USA", "GBR", "KOR"]
    xlsx = tmp_path / "flows.xlsx"
    _run("flows", "--db", str(db), "--format", "xlsx", "--out", str(xlsx))
    assert len(pd.read_excel(xlsx)) == 5


def test_unattributed_and_table_output(db: Path) -> None:
    out = _run("flows", "--db", str(db), "--unattributed", "--format", "json")
    assert json.loads(out) == []  # every share here has both countries
    table = _run("indicators", "--db", str(db), "--typology")
    assert "Country indicators" in table
    labelled = _run("indicators", "--db", str(db), "--typology", "--format", "csv")
    header = labelled.splitlines()[0].split(",")
    assert header[-2:] == ["label", "rule"]


def test_profile_json_and_table(db: Path) -> None:
    prof = json.loads(
        _run("profile", "KOR", "--db", str(db), "--format", "json", "--scenario-peer", "GBR")
    )
    assert prof["focus"] == "KOR" and prof["rank"] == 3
    assert prof["scenario"]["target_foreign_share_in"] == 0.5
    # (20 + x) / (100 + x) = 0.5  ->  x = 60
    assert prof["scenario"]["extra_foreign_usd"] == pytest.approx(60.0)
    assert prof["companies_from_abroad"][0]["company_id"] == "k1"
    text = _run("profile", "KOR", "--db", str(db), "--target-rank", "1")
    assert "rank 3 of 3" in text and "Scenario" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["indicators", "--attribution", "half"], "attribution"),
        (["indicators", "--from", "2022", "--to", "2020"], "--from 2022"),
        (["flows", "--by", "colour"], "by"),
        (["indicators", "--format", "pdf"], "--format"),
        (["profile", "Narnia"], "ISO 3166"),
        (["flows", "--stage", "series_z"], "series_z"),
    ],
)
def test_bad_options_exit_2_with_a_message(db: Path, args: list[str], message: str) -> None:
    res = runner.invoke(app, [*args, "--db", str(db)])
    assert res.exit_code == 2
    assert message in " ".join(res.output.split())


def test_missing_database_is_a_clean_error(tmp_path: Path) -> None:
    res = runner.invoke(app, ["indicators", "--db", str(tmp_path / "nope.duckdb")])
    assert res.exit_code == 2 and "no such database" in " ".join(res.output.split())


@pytest.mark.parametrize("command", ["flows", "indicators", "profile"])
def test_every_command_help_has_an_example(command: str) -> None:
    res = runner.invoke(app, [command, "--help"])
    assert res.exit_code == 0 and "Example: vcflows " + command in res.output


def test_table_output_reads_like_the_report(db: Path) -> None:
    # Issue 21: tables printed with labels, percentages, money units and country names, the
    # raw values staying in json/csv.
    wide = runner.invoke(app, ["indicators", "--db", str(db)], env={"COLUMNS": "400"})
    assert wide.exit_code == 0, wide.output
    out = wide.stdout
    assert "Foreign share" in out and "foreign_share_in" not in out
    korea = next(line for line in out.splitlines() if "Korea" in line)
    assert "20.0%" in korea  # 20 of Korea's 100 came from the US investor
    assert "0.200" not in out


def test_table_output_notes_fractional_deal_counts(db: Path) -> None:
    res = runner.invoke(app, ["flows", "--db", str(db)], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    # r1's two investor countries each count half a deal: the note says why.
    assert "0.5" in res.stdout
    assert "Deal counts weight each round" in res.stdout
