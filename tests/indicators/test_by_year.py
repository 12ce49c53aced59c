"""Country indicators by year: each year's rows are the whole-period indicators of that year."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from deals import make_db
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vcflows.cli import app
from vcflows.flows import FlowOptions
from vcflows.indicators import (
    INDICATOR_BY_YEAR_COLUMNS,
    INDICATOR_COLUMNS,
    country_indicators,
    country_indicators_by_year,
)

COUNTRIES = ["KOR", "USA", "GBR", None]
YEARS = [2019, 2020, 2021, None]

_investor = st.tuples(
    st.sampled_from(["i1", "i2", "i3", "i4"]), st.booleans() | st.none()
)  # investor id, lead flag; the id fixes the country (below)
_INVESTOR_COUNTRY = {"i1": "KOR", "i2": "USA", "i3": "GBR", "i4": None}
_round = st.tuples(
    st.sampled_from(["c1", "c2", "c3", "c4"]),
    st.sampled_from(YEARS),
    st.none() | st.floats(min_value=1.0, max_value=1e6, allow_nan=False),
    st.lists(_investor, max_size=3, unique_by=lambda t: t[0]),
)
_COMPANY_COUNTRY = {"c1": "KOR", "c2": "USA", "c3": "GBR", "c4": None}


def _rounds(drawn: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [
        (
            f"r{k}",
            cid,
            _COMPANY_COUNTRY[cid],
            year,
            amount,
            [(iid, _INVESTOR_COUNTRY[iid], lead) for iid, lead in invs],
        )
        for k, (cid, year, amount, invs) in enumerate(drawn)
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.lists(_round, min_size=1, max_size=8),
    attribution=st.sampled_from(["equal", "lead", "full"]),
)
def test_each_year_equals_the_whole_period_indicators_of_that_year(
    drawn: list[tuple[Any, ...]], attribution: str
) -> None:
    con = make_db(_rounds(drawn))
    opts = FlowOptions(attribution=attribution)  # type: ignore[arg-type]
    by_year = country_indicators_by_year(con, opts)
    assert list(by_year.columns) == list(INDICATOR_BY_YEAR_COLUMNS)
    dated = {y for _, y, _, _ in drawn if y is not None}
    assert set(by_year["year"]) <= dated
    for year in sorted(y for y in YEARS if y is not None):
        one = FlowOptions(attribution=attribution, year_from=year, year_to=year)  # type: ignore[arg-type]
        expected = country_indicators(con, one)
        got = by_year[by_year["year"] == year].drop(columns="year").reset_index(drop=True)
        assert len(got) == len(expected)
        if len(expected):
            pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    if dated:  # amounts by year add up to those of the dated period
        span = FlowOptions(attribution=attribution, year_from=min(dated), year_to=max(dated))  # type: ignore[arg-type]
        whole = country_indicators(con, span).set_index("country")["invested_in_usd"]
        summed = by_year.groupby("country")["invested_in_usd"].sum()
        pd.testing.assert_series_equal(
            summed.reindex(whole.index, fill_value=0.0), whole, check_names=False
        )


ROUNDS = [
    ("r1", "k1", "KOR", 2020, 40.0, [("kor_a", "KOR"), ("us_a", "USA")]),
    ("r2", "u1", "USA", 2021, 500.0, [("us_a", "USA")]),
    ("r3", "k2", "KOR", 2021, 60.0, [("kor_a", "KOR")]),
    ("r4", "k2", "KOR", None, 80.0, [("us_a", "USA")]),  # no date: in no year
]


def test_a_country_year_without_inbound_money_has_undefined_shares() -> None:
    ind = country_indicators_by_year(make_db(ROUNDS)).set_index(["country", "year"])
    usa_2020 = ind.loc[("USA", 2020)]  # USA only invests in 2020
    assert usa_2020["invested_in_usd"] == 0.0
    for share in ("domestic_share_in", "foreign_share_in", "us_share_in", "partner_hhi"):
        assert math.isnan(usa_2020[share]), share
    assert usa_2020["overseas_share_out"] == 1.0
    kor_2021 = ind.loc[("KOR", 2021)]
    assert kor_2021["foreign_share_in"] == 0.0  # 60 from KOR; the undated 80 is in no year
    assert ind.loc[("KOR", 2020), "foreign_share_in"] == pytest.approx(0.5)
    assert math.isnan(kor_2021["growth"])  # a single year has no growth rate
    assert list(ind.index.get_level_values("year")) == [2020, 2020, 2021, 2021]
    bounded = country_indicators_by_year(make_db(ROUNDS), FlowOptions(year_from=2021))
    assert set(bounded["year"]) == {2021}


def test_a_store_without_dates_has_no_year_rows() -> None:
    undated = [r for r in ROUNDS if r[3] is None]
    ind = country_indicators_by_year(make_db(undated))
    assert ind.empty and list(ind.columns) == list(INDICATOR_BY_YEAR_COLUMNS)
    assert not country_indicators(make_db(undated)).empty  # the whole period still counts it


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "deals.duckdb"
    make_db(ROUNDS, path=str(path)).close()
    return path


def test_cli_by_year_json_records_are_keyed_by_country_and_year(db: Path) -> None:
    res = CliRunner().invoke(app, ["indicators", "--db", str(db), "--by", "year", "-f", "json"])
    assert res.exit_code == 0, res.output
    recs = json.loads(res.stdout)
    assert {(r["country"], r["year"]) for r in recs} == {
        ("KOR", 2020),
        ("USA", 2020),
        ("USA", 2021),
        ("KOR", 2021),
    }
    assert all(set(r) == set(INDICATOR_BY_YEAR_COLUMNS) for r in recs)
    assert set(INDICATOR_COLUMNS) < set(recs[0])
    usa_2020 = next(r for r in recs if (r["country"], r["year"]) == ("USA", 2020))
    assert usa_2020["foreign_share_in"] is None and usa_2020["domestic_share_in"] is None


def test_cli_by_year_table_and_csv(db: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["indicators", "--db", str(db), "--by", "year", "-f", "csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("country,year,invested_in_usd")
    assert len(lines) == 1 + 4
    res = runner.invoke(app, ["indicators", "--db", str(db), "--by", "year", "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert "by year" in res.stdout and "2020" in res.stdout and "2021" in res.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--by", "month"], "--by"), (["--by", "year", "--typology"], "--typology")],
)
def test_cli_by_rejects_what_it_cannot_do(db: Path, extra: list[str], message: str) -> None:
    res = CliRunner().invoke(app, ["indicators", "--db", str(db), *extra])
    assert res.exit_code != 0
    assert message in res.output
