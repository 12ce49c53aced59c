"""Coverage against published totals: ratios and flags on a hand table, the shipped data, the CLI."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from deals import make_db
from typer.testing import CliRunner

from vcflows.cli import app
from vcflows.flows import FlowOptions, flow_totals
from vcflows.indicators.coverage import (
    COVERAGE_COLUMNS,
    coverage,
    coverage_options,
    flag_ratio,
    published_totals,
)
from vcflows.sources import read_source
from vcflows.store import connect, ingest_batch

# (round, company, company country, year, amount, investors, stage)
ROUNDS = [
    ("r1", "k1", "KOR", 2020, 60.0, [("kor_a", "KOR")], "seed"),
    ("r2", "k2", "KOR", 2020, 40.0, [("us_a", "USA")], "series_a"),
    ("r3", "k2", "KOR", 2020, 1000.0, [("kor_a", "KOR")], "grant"),  # not VC: left out
    ("r4", "k1", "KOR", 2020, 900.0, [("kor_a", "KOR")], "debt"),  # not VC: left out
    ("r5", "x1", "KOR", 2020, 500.0, [("kor_a", "KOR")], "seed"),  # not an AI company
    ("r6", "u1", "USA", 2020, 150.0, [("us_a", "USA")], "seed"),
    ("r7", "u1", "USA", 2021, 700.0, [("us_a", "USA")], "series_b"),
    ("r8", "u2", "USA", 2021, None, [("us_a", "USA")], "seed"),  # unknown amount: a round, no USD
    ("r9", "k1", "KOR", 2021, 30.0, [("kor_a", "KOR")], "seed"),
    ("r10", "n1", None, 2021, 10.0, [("us_a", "USA")], "seed"),  # unknown company country
]
COMPANIES = {"x1": {"is_ai": False, "categories": "food"}}
PUBLISHED = pd.DataFrame(
    {
        "country": ["KOR", "USA", "USA", "GBR", "JPN"],
        "year": [2020, 2020, 2021, 2020, 2030],
        "published_usd": [200.0, 100.0, 400.0, 50.0, 1e9],
        "source": ["pub A", "pub B", "pub C", "pub D", "pub E"],
    }
)


def test_ratios_and_flags_on_a_hand_table() -> None:
    con = make_db(ROUNDS, companies=COMPANIES)
    got = coverage(con, published=PUBLISHED)
    assert list(got.columns) == list(COVERAGE_COLUMNS)
    rows = {(r.country, r.year): r for r in got.itertuples(index=False)}
    # KOR 2020: seed 60 + series A 40 = 100 of a published 200 (grant, debt, non-AI left out)
    kor = rows[("KOR", 2020)]
    assert (kor.data_usd, kor.rounds, kor.published_usd) == (100.0, 2, 200.0)
    assert kor.ratio == pytest.approx(0.5) and kor.flag == "within"  # 0.5 itself is within
    usa = rows[("USA", 2020)]
    assert usa.ratio == pytest.approx(1.5) and usa.flag == "within"  # 150 / 100
    usa21 = rows[("USA", 2021)]
    assert (usa21.data_usd, usa21.rounds) == (700.0, 2)  # the round without amount counts
    assert usa21.ratio == pytest.approx(1.75) and usa21.flag == "high" and usa21.source == "pub C"
    # Published, inside the store's years, no round: 0 of 50.
    gbr = rows[("GBR", 2020)]
    assert (gbr.data_usd, gbr.rounds, gbr.ratio, gbr.flag) == (0.0, 0, 0.0, "low")
    # Data without a published figure: said, not dropped.
    kor21 = rows[("KOR", 2021)]
    assert kor21.flag == "no_published" and math.isnan(kor21.ratio) and kor21.source is None
    unknown = got[got["country"].isna()]
    assert list(unknown["data_usd"]) == [10.0] and list(unknown["flag"]) == ["no_published"]
    # Outside the store's years (2020-2021): JPN 2030 is left out.
    assert ("JPN", 2030) not in rows
    assert len(got) == 6
    # The rows add up to the store's AI venture total.
    total = flow_totals(con, coverage_options())["total_usd"]
    assert got["data_usd"].sum() == pytest.approx(total) == pytest.approx(100 + 150 + 730 + 10)


def test_year_bounds_bring_published_years_without_data_into_view() -> None:
    con = make_db(ROUNDS, companies=COMPANIES)
    got = coverage(con, FlowOptions(year_from=2021, year_to=2030), published=PUBLISHED)
    jpn = got[got["country"] == "JPN"].iloc[0]
    assert (jpn["data_usd"], jpn["flag"]) == (0.0, "low")
    assert set(got["year"].dropna()) == {2021, 2030}


@pytest.mark.parametrize(
    ("ratio", "flag"),
    [
        (0.0, "low"),
        (0.4999, "low"),
        (0.5, "within"),
        (1.0, "within"),
        (1.5, "within"),
        (1.5001, "high"),
        (float("nan"), "no_published"),
    ],
)
def test_flag_boundaries(ratio: float, flag: str) -> None:
    assert flag_ratio(ratio) == flag


def test_shipped_totals_are_the_published_calibration_points_with_sources() -> None:
    pub = published_totals()
    assert not pub.empty and pub["source"].str.contains("OECD.AI").all()
    path = resources.files("vcflows").joinpath("data/calibration/ai_vc_targets.csv")
    with path.open("r", encoding="utf-8") as fh:
        cal = pd.read_csv(fh)
    published_points = cal[~cal["source"].str.startswith("assumption")]
    merged = published_points.merge(
        pub, left_on=["country_iso3", "year"], right_on=["country", "year"], how="left"
    )
    assert merged["published_usd"].notna().all()
    assert (merged["published_usd"] == merged["ai_amount_usd"]).all()


def test_cli_coverage_json(tmp_path: Path) -> None:
    path = tmp_path / "deals.duckdb"
    make_db(ROUNDS, companies=COMPANIES, path=str(path)).close()
    res = CliRunner().invoke(app, ["coverage", "--db", str(path), "-f", "json"])
    assert res.exit_code == 0, res.output
    recs = json.loads(res.stdout)
    assert all(set(r) == set(COVERAGE_COLUMNS) for r in recs)
    assert {r["flag"] for r in recs} == {"no_published"}  # no shipped figure for 2020-2021
    table = CliRunner().invoke(app, ["coverage", "--db", str(path)])
    assert table.exit_code == 0 and "no_published" in table.stdout


def test_the_2014_sample_covers_chinese_ai_poorly(open2014_sample: Path) -> None:
    con = connect(":memory:")
    ingest_batch(con, read_source([open2014_sample], "crunchbase-open"))
    got = coverage(con).set_index(["country", "year"])
    chn = got.loc[("CHN", 2012)]
    assert chn["published_usd"] == 165_000_000 and chn["flag"] == "low"
    assert got.loc[("USA", 2012), "flag"] == "low"  # a 10% sample: low everywhere it is published
    assert (got["flag"] != "high").all()
    assert got["data_usd"].sum() == pytest.approx(flow_totals(con, coverage_options())["total_usd"])
