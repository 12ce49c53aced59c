"""`vcflows gravity` on a small store with flows among six countries."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vcflows.cli import app
from vcflows.store import connect

runner = CliRunner()
COUNTRIES = ("DEU", "FRA", "GBR", "JPN", "KOR", "USA")


@pytest.fixture
def six_country_db(tmp_path: Path) -> Path:
    """One AI company and one VC per country; one round per ordered pair (some pairs empty)."""
    path = tmp_path / "six.duckdb"
    con = connect(path)
    for c in COUNTRIES:
        con.execute(
            "INSERT INTO companies (company_id, country_iso3, is_ai) VALUES (?, ?, TRUE)",
            [f"co{c}", c],
        )
        con.execute(
            "INSERT INTO investors (investor_id, country_iso3, investor_type) VALUES (?, ?, 'vc')",
            [f"in{c}", c],
        )
    for k, (o, d) in enumerate(itertools.permutations(COUNTRIES, 2)):
        if k % 7 == 3:  # leave some pairs at zero, as in real data
            continue
        rid = f"r{k}"
        con.execute(
            "INSERT INTO rounds (round_id, company_id, announced_on, stage, amount_usd) "
            "VALUES (?, ?, DATE '2021-01-01', 'seed', ?)",
            [rid, f"co{d}", 1e6 * (1 + (k * 37) % 11)],
        )
        con.execute(
            "INSERT INTO participations (round_id, investor_id) VALUES (?, ?)", [rid, f"in{o}"]
        )
    con.close()
    return path


def test_gravity_json_with_focus(six_country_db: Path) -> None:
    res = runner.invoke(
        app, ["gravity", "--db", str(six_country_db), "--focus", "KOR", "-f", "json"]
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.stdout)
    assert payload["n_obs"] == 30
    assert [c["term"] for c in payload["coefficients"]] == ["log_dist", "common_lang", "same_bloc"]
    gaps = payload["expected_vs_actual"]
    assert len(gaps) == 10  # 5 partners x inbound/outbound
    ratios = [g["ratio"] for g in gaps]
    assert ratios == sorted(ratios)


def test_gravity_csv_and_table(six_country_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "coef.csv"
    res = runner.invoke(app, ["gravity", "--db", str(six_country_db), "-f", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("term,estimate,std_error")
    res = runner.invoke(app, ["gravity", "--db", str(six_country_db), "--focus", "USA"])
    assert res.exit_code == 0, res.output
    assert "expected vs actual" in res.stdout


def test_gravity_errors_exit_2(six_country_db: Path) -> None:
    for args in (["--focus", "BRA"], ["--by", "size"], ["--engine", "stata"], ["--from", "2030"]):
        res = runner.invoke(app, ["gravity", "--db", str(six_country_db), *args])
        assert res.exit_code == 2, (args, res.output)
