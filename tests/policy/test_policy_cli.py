"""`vcflows company`, `champions`, `implications`, `scenario` on the five-country world."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner
from world import world

from vcflows.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("policy") / "world.duckdb"
    world(300.0, path=str(path)).close()
    return path


def _run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.stdout


def test_company(db: Path) -> None:
    d = json.loads(_run("company", "hana robotics", "--db", str(db), "--format", "json"))
    assert (d["company_id"], d["country"], d["total_usd"]) == ("k1", "KOR", 100.0)
    assert d["foreign_share"] == 0.5 and d["foreign_countries"] == ["USA"]
    assert [i["investor_id"] for i in d["rounds"][0]["investors"]] == ["kv", "uv"]
    screen = _run("company", "k1", "--db", str(db))
    assert "Hana Robotics (k1, KOR): 1 round, USD 100 raised, foreign share 50.0%" in screen
    bad = runner.invoke(app, ["company", "nope", "--db", str(db)])
    assert bad.exit_code == 2 and "no company id or name matches 'nope'" in bad.output


def test_champions_csv(db: Path) -> None:
    df = pd.read_csv(
        io.StringIO(_run("champions", "--country", "KOR", "--db", str(db), "-f", "csv"))
    )
    assert df["company_id"].tolist() == ["k1"] and df.loc[0, "foreign_share"] == 0.5


def test_implications(db: Path) -> None:
    d = json.loads(_run("implications", "KOR", "--db", str(db), "--no-gravity", "-f", "json"))
    assert [i["id"] for i in d["implications"]][:2] == ["foreign_share", "foreign_corporate"]
    assert d["implications"][0]["figures"]["foreign_share_in"] == 0.125
    assert {s["rule"] for s in d["skipped"]} >= {"gravity_partner", "rank_gap"}
    screen = _run("implications", "KOR", "--db", str(db), "--no-gravity")
    assert (
        "1. Foreign investors supplied 12.5% of South Korea's inbound AI venture capital" in screen
    )
    assert "query: p = profile(con, 'KOR', opts)" in screen
    assert "skipped rank_gap: rank 2 already within the target rank 3" in screen


def test_scenario(db: Path, tmp_path: Path) -> None:
    d = json.loads(_run("scenario", "KOR", "--fund-usd", "100", "--db", str(db), "-f", "json"))
    rows = {r["indicator"]: r for r in d["comparison"]}
    assert rows["foreign_share_in"]["baseline"] == pytest.approx(50 / 400)
    assert rows["foreign_share_in"]["scenario"] == pytest.approx(150 / 600)  # (F + f) / (T + 2f)
    out = tmp_path / "scenario.csv"
    _run(
        "scenario",
        "KOR",
        "--fund-usd",
        "1e2",
        "--co-invest-ratio",
        "0",
        "--db",
        str(db),
        "-f",
        "csv",
        "-o",
        str(out),
    )
    table = pd.read_csv(out).set_index("indicator")
    assert table.loc["foreign_share_in", "scenario"] == pytest.approx(50 / 500)
    assert "assumption:" in _run("scenario", "KOR", "--fund-usd", "100", "--db", str(db))


def test_profile_lists_champions(db: Path) -> None:
    screen = _run("profile", "KOR", "--db", str(db))
    assert "Champions" in screen and "Hana Robotics" in screen
