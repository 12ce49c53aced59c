"""The generator: determinism, calibration tolerance, and the qualitative cross-border structure.

Every check recomputes its figure from the generated rows (SQL or pandas written here), never
from the generator's own summaries.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from demo_helpers import AI_TAGS, build, tables

from vcflows import schema as s
from vcflows.demo import generate, load_calibration
from vcflows.errors import OptionError, StoreError
from vcflows.store import connect

EU = {"DEU", "FRA", "SWE", "NLD", "ESP", "IRL", "FIN", "DNK", "EST", "ITA", "BEL", "AUT"}
_AI_SQL = " OR ".join(f"list_contains(string_split(c.categories, '|'), '{t}')" for t in AI_TAGS)


def _ai_amount_by_country_year(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT c.country_iso3, year(r.announced_on) AS year, sum(r.amount_usd) AS usd "
        f"FROM rounds r JOIN companies c USING (company_id) WHERE {_AI_SQL} GROUP BY ALL"
    ).fetchdf()


def _calibration_gaps(con: duckdb.DuckDBPyConnection) -> pd.Series:
    got = _ai_amount_by_country_year(con)
    got["year"] = got["year"].astype("int64")
    want = load_calibration().targets[["country_iso3", "year", "ai_amount_usd"]]
    both = want.merge(got, on=["country_iso3", "year"], how="left")
    assert both["usd"].notna().all(), "a country-year has no AI amount"
    return (
        (both["usd"] / both["ai_amount_usd"] - 1)
        .abs()
        .set_axis(pd.MultiIndex.from_frame(both[["country_iso3", "year"]]))
    )


def test_same_seed_same_tables_different_seed_different() -> None:
    a, b, c = (tables(build(1_500, seed=x)) for x in (11, 11, 12))
    for t in s.CANONICAL_TABLES:
        pd.testing.assert_frame_equal(a[t], b[t])
    assert not a[s.ROUNDS][s.AMOUNT_USD].equals(c[s.ROUNDS][s.AMOUNT_USD])
    assert not a[s.PARTICIPATIONS].equals(c[s.PARTICIPATIONS])


def test_calibration_holds_across_chunks(small_demo: duckdb.DuckDBPyConnection) -> None:
    # 3,000 rounds in three chunks: amounts are rescaled over all chunks together.
    assert _calibration_gaps(small_demo).max() <= 0.05
    assert small_demo.execute("SELECT count(*) FROM rounds").fetchall() == [(3_000,)]


def test_calibration_within_5_percent_at_default_size(
    default_demo: duckdb.DuckDBPyConnection,
) -> None:
    gaps = _calibration_gaps(default_demo)
    assert len(gaps) == 25 * 13
    assert gaps.max() <= 0.05, gaps.sort_values().tail()


def _flows(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """AI amount by (investor country, company country), each round split equally."""
    comp = t[s.COMPANIES]
    is_ai = comp["categories"].str.split("|").map(lambda tags: bool(AI_TAGS & set(tags)))
    ai = comp.loc[is_ai, ["company_id", "country_iso3"]]
    rounds = t[s.ROUNDS].merge(ai, on="company_id").dropna(subset=["amount_usd"])
    inv = t[s.INVESTORS][["investor_id", "country_iso3"]].rename(columns={"country_iso3": "inv"})
    p = t[s.PARTICIPATIONS].merge(rounds, on="round_id").merge(inv, on="investor_id")
    p["usd"] = p["amount_usd"] / p.groupby("round_id")["round_id"].transform("size")
    return p


def test_cross_border_structure(default_tables: dict[str, pd.DataFrame]) -> None:
    p = _flows(default_tables)
    m = p.groupby(["inv", "country_iso3"])["usd"].sum().unstack(fill_value=0.0)
    inbound, outbound = m.sum(axis=0), m.sum(axis=1)

    def domestic_out(c: str) -> float:
        return float(m.loc[c, c] / outbound[c])

    def foreign_in(c: str) -> float:
        return float(1 - m.loc[c, c] / inbound[c])

    # US and Chinese investors invest mostly at home.
    assert domestic_out("USA") > 0.7 and domestic_out("CHN") > 0.7
    # The UK, Canada and Israel draw a large foreign share, mostly from the US.
    for c in ("GBR", "CAN", "ISR"):
        assert foreign_in(c) > 0.4, c
        assert m[c].drop(c).idxmax() == "USA", c
    # UK and EU investors place a high share abroad.
    group = sorted({"GBR"} | EU)
    abroad = sum(outbound[c] - m.loc[c, c] for c in group) / sum(outbound[c] for c in group)
    assert abroad > 0.5
    assert domestic_out("GBR") < 0.5
    # Korea: low foreign share, yet a few Korean AI startups raise from abroad.
    assert foreign_in("KOR") < 0.15
    kor = p[p["country_iso3"] == "KOR"]
    assert kor.loc[kor["inv"] != "KOR", "company_id"].nunique() >= 2
    # The US holds the dominant share of AI VC.
    by_country = p.groupby("country_iso3")["usd"].sum().sort_values(ascending=False)
    assert by_country.index[0] == "USA"
    assert by_country["USA"] / by_country.sum() > 0.5
    assert by_country["USA"] > 3 * by_country.iloc[1]


def test_mega_rounds_dominate_amounts(default_tables: dict[str, pd.DataFrame]) -> None:
    amounts = default_tables[s.ROUNDS]["amount_usd"].dropna().sort_values(ascending=False)
    top = amounts.head(len(amounts) // 100).sum() / amounts.sum()
    assert top > 0.3  # the largest 1% of rounds carry a large part of the money


def test_stage_mix_and_syndicates(default_tables: dict[str, pd.DataFrame]) -> None:
    mix = default_tables[s.ROUNDS]["stage"].value_counts(normalize=True)
    assert mix["seed"] > mix["series_a"] > mix["series_b"] > mix["series_c"]
    sizes = default_tables[s.PARTICIPATIONS].groupby("round_id").size()
    assert sizes.between(1, 8).all()
    assert 3 < sizes.mean() < 6
    types = default_tables[s.INVESTORS]
    assert set(types["investor_type"]) == set(s.INVESTOR_TYPES)
    cvc = types[(types["investor_type"] == "cvc") & (types["country_iso3"] == "USA")]
    assert "Alphabyte Ventures" in set(cvc["name"])


def test_stages_rise_within_each_company(small_demo: duckdb.DuckDBPyConnection) -> None:
    ladder = ["pre_seed", "seed", "series_a", "series_b", "series_c", "series_d_plus", "growth"]
    r = small_demo.execute(
        "SELECT company_id, announced_on, stage FROM rounds ORDER BY company_id, announced_on"
    ).fetchdf()
    r = r[r["stage"].isin(ladder)].copy()
    r["rank"] = r["stage"].map({st: k for k, st in enumerate(ladder)})
    r = r.sort_values(["company_id", "announced_on", "rank"])  # same-day rounds: either order
    rank = r["rank"]
    assert (rank.groupby(r["company_id"]).diff().dropna() >= 0).all()


def test_rejects_bad_sizes_and_non_empty_database() -> None:
    con = connect(":memory:")
    with pytest.raises(OptionError, match="rounds"):
        generate(con, rounds=10)
    with pytest.raises(OptionError, match="seed"):
        generate(con, rounds=2_000, seed=-1)
    generate(con, rounds=1_000)
    with pytest.raises(StoreError, match="already holds"):
        generate(con, rounds=1_000)


def test_amounts_are_positive_and_heavy_tailed_per_stage(
    small_demo: duckdb.DuckDBPyConnection,
) -> None:
    med = small_demo.execute(
        "SELECT stage, median(amount_usd), min(amount_usd) FROM rounds GROUP BY stage"
    ).fetchall()
    by = {st: (m, lo) for st, m, lo in med}
    assert all(lo > 0 for _, lo in by.values())
    assert by["seed"][0] < by["series_b"][0] < by["series_d_plus"][0]
    assert np.isfinite([m for m, _ in by.values()]).all()


def test_project_taxonomy_finds_exactly_the_ai_companies(
    small_demo: duckdb.DuckDBPyConnection,
) -> None:
    flows = pytest.importorskip("vcflows.flows")
    found = flows.ai_companies(small_demo)
    comp = small_demo.execute("SELECT company_id, categories FROM companies").fetchdf()
    tagged = comp["categories"].str.split("|").map(lambda tags: bool(AI_TAGS & set(tags)))
    expected = set(comp.loc[tagged, "company_id"])
    assert set(found.loc[found["is_ai"].astype(bool), "company_id"]) == expected
