"""The materialized flow base gives exactly the inline computation's results, and is used
only while current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from deals import make_db
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.flows import (
    FlowOptions,
    base_relation,
    flow_matrix,
    flow_totals,
    refresh_flow_base,
    selected_rounds_sql,
    shares_sql,
    unattributed,
)
from vcflows.indicators import country_indicators
from vcflows.network._scope import participations_sql

COUNTRIES = st.sampled_from(["USA", "GBR", "KOR", None])
POOL = [f"i{k}" for k in range(5)]
STAGES = ["seed", "series_a", "series_b"]
#: Company descriptions: the taxonomy marks the first two as AI, not the others.
TEXTS = ["machine learning for retail", "an AI chatbot", "payments platform", None]


@st.composite
def stores(draw: st.DrawFn) -> tuple[list[tuple[Any, ...]], dict[str, dict[str, Any]], set[str]]:
    inv_country = {i: draw(COUNTRIES) for i in POOL}
    ccountry = {f"c{k}": draw(COUNTRIES) for k in range(4)}
    rounds = []
    for r in range(draw(st.integers(min_value=1, max_value=10))):
        chosen = draw(st.lists(st.sampled_from(POOL), unique=True, max_size=4))
        investors = [
            (i, inv_country[i], draw(st.sampled_from([True, False, None]))) for i in chosen
        ]
        amount = draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1e9)))
        year = draw(st.one_of(st.none(), st.integers(min_value=2016, max_value=2020)))
        cid = f"c{draw(st.integers(min_value=0, max_value=3))}"
        rounds.append(
            (f"r{r}", cid, ccountry[cid], year, amount, investors, draw(st.sampled_from(STAGES)))
        )
    companies = {
        f"c{k}": {
            s.IS_AI: draw(st.sampled_from([True, False, None])),
            s.DESCRIPTION: draw(st.sampled_from(TEXTS)),
            s.CATEGORIES: draw(st.sampled_from(["fintech", "software|fintech", None])),
        }
        for k in range(4)
    }
    missing = set(draw(st.lists(st.sampled_from(sorted(ccountry)), max_size=1)))
    return rounds, companies, missing


OPTIONS = st.builds(
    FlowOptions,
    year_from=st.one_of(st.none(), st.integers(2016, 2018)),
    year_to=st.one_of(st.none(), st.integers(2018, 2020)),
    attribution=st.sampled_from(["equal", "lead", "full"]),
    sector=st.sampled_from(["ai", "all", "fintech", "software,robotics"]),
    stages=st.one_of(st.none(), st.lists(st.sampled_from(STAGES), min_size=1).map(tuple)),
)


def _build(data: tuple[list[tuple[Any, ...]], dict[str, dict[str, Any]], set[str]]) -> Any:
    rounds, companies, missing = data
    con = make_db(rounds, companies=companies)
    for cid in missing:  # rounds whose company is not in the companies table
        con.execute(f"DELETE FROM {s.COMPANIES} WHERE {s.COMPANY_ID} = ?", [cid]).fetchall()
    return con


def _shares(con: duckdb.DuckDBPyConnection, opts: FlowOptions, base: str | None) -> pd.DataFrame:
    sql, params = shares_sql(opts, base)
    return con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL", params).fetchdf()


def _rounds(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, base: str | None, counts: bool = False
) -> pd.DataFrame:
    sql, params = selected_rounds_sql(opts, base, counts=counts)
    return con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL", params).fetchdf()


def _participations(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, base: str | None
) -> pd.DataFrame:
    sql, params = participations_sql(opts, base)
    return con.execute(f"SELECT * FROM ({sql}) ORDER BY ALL", params).fetchdf()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=stores(), opts=OPTIONS)
def test_base_equals_inline(data: Any, opts: FlowOptions) -> None:
    con = _build(data)
    inline = _shares(con, opts, None)
    inline_counted = _rounds(con, opts, None, counts=True)
    inline_parts = _participations(con, opts, None)
    before = (flow_matrix(con, opts), unattributed(con, opts), flow_totals(con, opts))
    ind = country_indicators(con, opts)
    assert base_relation(con) is None  # never built: the functions went inline
    refresh_flow_base(con)
    assert base_relation(con) == s.FLOW_BASE
    pd.testing.assert_frame_equal(_shares(con, opts, s.FLOW_BASE), inline, rtol=1e-12)
    pd.testing.assert_frame_equal(_rounds(con, opts, s.FLOW_BASE), _rounds(con, opts, None))
    pd.testing.assert_frame_equal(_rounds(con, opts, s.FLOW_BASE, counts=True), inline_counted)
    pd.testing.assert_frame_equal(_participations(con, opts, s.FLOW_BASE), inline_parts)
    after = (flow_matrix(con, opts), unattributed(con, opts), flow_totals(con, opts))
    pd.testing.assert_frame_equal(after[0], before[0], rtol=1e-12)
    pd.testing.assert_frame_equal(after[1], before[1], rtol=1e-12)
    assert after[2] == pytest.approx(before[2], nan_ok=True)
    pd.testing.assert_frame_equal(country_indicators(con, opts), ind, rtol=1e-12)


def test_one_first_row_per_round() -> None:
    con = make_db(
        [
            ("r1", "c1", "KOR", 2020, 100.0, [("a", "USA"), ("b", None), ("c", "USA")]),
            ("r2", "c1", "KOR", 2021, 50.0, []),
            ("r3", "c1", "KOR", 2021, 10.0, [("b", None)]),
        ]
    )
    refresh_flow_base(con)
    rows = con.execute(
        f"SELECT round_id, count(*), count(*) FILTER (WHERE first_row), sum(k), any_value(n) "
        f"FROM {s.FLOW_BASE} GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    # r1: USA (2 of 3) and unknown (1 of 3); r2: no participation, one row of NULL counts
    assert rows == [("r1", 2, 1, 3, 3), ("r2", 1, 1, None, None), ("r3", 1, 1, 1, 1)]


def test_stale_after_any_ingest_or_count_change(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    con = make_db([("r1", "c1", "KOR", 2020, 100.0, [("a", "USA")])], path=str(db))
    refresh_flow_base(con)
    assert base_relation(con) == s.FLOW_BASE
    usa = flow_matrix(con, FlowOptions())
    # a new participation (e.g. written by an older vcflows): the base is out of date ...
    con.execute(
        f"INSERT INTO {s.INVESTORS} VALUES ('b', 'b', 'GBR', 'vc', 't'); "
        f"INSERT INTO {s.PARTICIPATIONS} VALUES ('r1', 'b', NULL, 't')"
    ).fetchall()
    assert base_relation(con) is None
    # ... so the flows go inline and see it: 50/50 between the US and the UK
    got = flow_matrix(con, FlowOptions())
    assert list(got["investor_country"]) == ["GBR", "USA"]
    assert list(got["amount_usd"]) == [50.0, 50.0]
    assert float(usa["amount_usd"].sum()) == 100.0
    refresh_flow_base(con)
    assert base_relation(con) == s.FLOW_BASE
    pd.testing.assert_frame_equal(flow_matrix(con, FlowOptions()), got)
    # every ingest logs its files: a logged ingest makes the base stale even if it added nothing
    con.execute(
        f"INSERT INTO {s.INGEST_LOG} VALUES ('x', 'f.csv', NULL, 0, 0, 0, 0, NULL)"
    ).fetchall()
    assert base_relation(con) is None
    con.close()
    # read-only connections use a current base too
    con = duckdb.connect(str(db))
    refresh_flow_base(con)
    con.close()
    ro = duckdb.connect(str(db), read_only=True)
    assert base_relation(ro) == s.FLOW_BASE
    ro.close()


def test_cli_ingest_builds_the_base_and_reindex_rebuilds(tmp_path: Path) -> None:
    csv = tmp_path / "deals.csv"
    csv.write_text(
        "Deal ID,Company ID,Company,HQ Country,Description,Deal Date,Stage,Amount USD,"
        "Investor ID,Investor,Investor Country\n"
        "d1,c1,Alpha AI,Korea,an AI lab,2021-03-01,Seed,1000000,i1,Fund One,United States\n"
        "d1,c1,Alpha AI,Korea,an AI lab,2021-03-01,Seed,1000000,i2,Fund Two,Korea\n"
    )
    mapping = Path(__file__).resolve().parents[2] / "benchmarks" / "mapping.toml"
    db = tmp_path / "d.duckdb"
    runner = CliRunner()
    res = runner.invoke(
        app, ["ingest", str(csv), "--format", "generic", "--mapping", str(mapping), "--db", str(db)]
    )
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db))
    assert base_relation(con) == s.FLOW_BASE
    m = flow_matrix(con, FlowOptions())
    assert sorted(zip(m["investor_country"], m["amount_usd"], strict=True)) == [
        ("KOR", 500000.0),
        ("USA", 500000.0),
    ]
    # a hand edit keeping every count is not detected: `vcflows reindex` rebuilds
    con.execute(f"UPDATE {s.INVESTORS} SET {s.COUNTRY} = 'JPN' WHERE {s.COUNTRY} = 'USA'")
    con.close()
    res = runner.invoke(app, ["reindex", "--db", str(db)])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    m = flow_matrix(con, FlowOptions())
    assert sorted(m["investor_country"]) == ["JPN", "KOR"]
    assert con.execute(f"SELECT min(year) FROM {s.FLOW_BASE}").fetchall() == [(2021,)]
    con.close()
