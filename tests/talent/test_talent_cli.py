"""`vcflows talent`: JSON, CSV, xlsx and screen output on a small fixture, and its errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from deals import make_db  # type: ignore[import-not-found]
from talent_people import add_people  # type: ignore[import-not-found]
from test_finding import N, _world  # type: ignore[import-not-found]
from typer.testing import CliRunner

from vcflows.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    rounds, people = _world(True)
    path = tmp_path / "talent.duckdb"
    con = make_db(rounds, path=str(path))
    add_people(con, people)
    con.close()
    return path


def test_json_has_every_table_and_the_comparison(db: Path) -> None:
    res = runner.invoke(app, ["talent", "--db", str(db), "--format", "json", "--seed", "3"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["has_people"] is True and doc["talent_list"] == ["data/ai_talent.toml"]
    kor = next(r for r in doc["countries"] if r["country"] == "KOR")
    assert kor["talent_companies"] == N and kor["talent_foreign_share"] == pytest.approx(0.5)
    assert kor["ci_low"] <= kor["difference"] <= kor["ci_high"]
    flagged = {r["company_id"] for r in doc["companies"] if r["talent_founded"]}
    assert flagged == {f"t{i}" for i in range(N)} | {"j1"}
    assert {r["matched"] for r in doc["evidence"]} == {"OpenAI", "PhD, Statistics"}
    again = runner.invoke(app, ["talent", "--db", str(db), "--format", "json", "--seed", "3"])
    assert again.stdout == res.stdout  # seeded: byte-identical


def test_csv_table_and_xlsx(db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["talent", "--db", str(db), "--format", "csv", "--table", "evidence"])
    assert res.exit_code == 0, res.output
    evidence = pd.read_csv(io.StringIO(res.stdout))
    assert len(evidence) == N + 1 and set(evidence["match"]) == {"organisation", "degree"}
    out = tmp_path / "talent.xlsx"
    res = runner.invoke(app, ["talent", "--db", str(db), "--format", "xlsx", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert set(pd.read_excel(out)["country"]) == {"KOR", "JPN"}


def test_screen_and_errors(db: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["talent", "--db", str(db)])
    # The table reads like the report's: the column's words, not its raw name.
    assert res.exit_code == 0, res.output
    assert "talent-founded" in res.stdout and "talent_foreign_share" not in res.stdout
    bad = runner.invoke(app, ["talent", "--db", str(db), "--table", "people"])
    assert bad.exit_code == 2 and "--table" in bad.output
    missing = runner.invoke(
        app, ["talent", "--db", str(db), "--talent-list", str(tmp_path / "nope.toml")]
    )
    assert missing.exit_code == 2 and "nope.toml" in missing.output


def test_findings_take_the_talent_list(db: Path, tmp_path: Path) -> None:
    # Without OpenAI on the list no Korean company is talent-founded: undetermined.
    mine = tmp_path / "mine.toml"
    mine.write_text('exclude = ["OpenAI"]\n', encoding="utf-8")
    args = ["findings", "--db", str(db), "--min-rounds", "1", "--format", "json"]
    shipped = runner.invoke(app, args)
    edited = runner.invoke(app, [*args, "--talent-list", str(mine)])
    assert shipped.exit_code == edited.exit_code == 0, edited.output

    def kor(out: str) -> dict[str, object]:
        return next(
            r
            for r in json.loads(out)
            if r["claim"] == "talent_draws_foreign" and r["subject"] == "KOR"
        )

    assert kor(shipped.stdout)["holds"] is True
    assert kor(edited.stdout)["holds"] is None and "0 talent-founded" in str(
        kor(edited.stdout)["reason"]
    )
