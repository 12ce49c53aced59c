"""Real data: flows and indicators on the 2014 open-export sample vs. pandas from the CSV.

The expected values are computed here straight from investment.csv with pandas, without
vcflows: one row per (round, investor); the round's amount (text with thousands separators,
"" or "-" unknown) split equally among its investors; a share kept when both countries are
known (legacy code ROM = ROU); every sector (``--sector all``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vcflows.flows import FlowOptions, flow_matrix
from vcflows.indicators import country_indicators
from vcflows.store import connect, ingest_batch

_LEGACY = {"ROM": "ROU"}


def _expected_pairs(csv: Path) -> pd.DataFrame:
    d = pd.read_csv(csv, dtype=str, keep_default_na=False)
    d.columns = [col.strip() for col in d.columns]

    def country(v: str) -> str | None:
        v = v.strip()
        return _LEGACY.get(v, v) or None

    d["cc"] = d["company_country_code"].map(country)
    d["ic"] = d["investor_country_code"].map(country)
    text = d["raised_amount_usd"].str.strip().str.replace(",", "", regex=False)
    d["amount"] = pd.to_numeric(text.where(~text.isin(["", "-"])), errors="raise")
    d["rid"] = d["funding_round_permalink"].str.strip()
    inv = d[d["investor_permalink"].str.strip() != ""]
    inv = inv.drop_duplicates(["rid", "investor_permalink"])
    n = inv.groupby("rid")["rid"].transform("size")
    inv = inv.assign(share=inv["amount"] / n, deal=1.0 / n)
    ok = inv[inv["cc"].notna() & inv["ic"].notna()]
    return (
        ok.groupby(["ic", "cc"])
        .agg(amount=("share", lambda x: x.sum(min_count=1)), deals=("deal", "sum"))
        .fillna({"amount": 0.0})
    )


def test_flows_and_indicators_match_pandas(open2014_sample: Path) -> None:
    pytest.importorskip("vcflows.sources.crunchbase_open")
    from vcflows.sources import read_source

    con = connect(":memory:")
    ingest_batch(con, read_source([open2014_sample], "crunchbase-open"))
    opts = FlowOptions(sector="all", attribution="equal")

    exp = _expected_pairs(open2014_sample / "investment.csv")
    got = flow_matrix(con, opts).set_index(["investor_country", "company_country"])
    assert set(got.index) == set(exp.index)
    got = got.loc[exp.index]
    pd.testing.assert_series_equal(
        got["amount_usd"], exp["amount"], check_names=False, rtol=1e-9, atol=1e-3
    )
    pd.testing.assert_series_equal(got["deals"], exp["deals"], check_names=False, rtol=1e-9)

    # Indicators from the pandas matrix, for the ten largest receivers.
    ind = country_indicators(con, opts).set_index("country")
    amt = exp["amount"]
    inflow = amt.groupby(level="cc").sum()
    outflow = amt.groupby(level="ic").sum()
    dom = amt[amt.index.get_level_values(0) == amt.index.get_level_values(1)]
    dom = dom.droplevel(0)
    us = amt.xs("USA", level="ic")
    top = inflow.sort_values(ascending=False).head(10).index
    for country in top:
        row = ind.loc[country]
        assert row["invested_in_usd"] == pytest.approx(inflow[country], rel=1e-9)
        assert row["share_global"] == pytest.approx(inflow[country] / amt.sum(), rel=1e-9)
        assert row["domestic_share_in"] == pytest.approx(
            dom.get(country, 0.0) / inflow[country], rel=1e-9, abs=1e-12
        )
        assert row["us_share_in"] == pytest.approx(
            us.get(country, 0.0) / inflow[country], rel=1e-9, abs=1e-12
        )
        if outflow.get(country, 0.0) > 0:
            expected = 1 - dom.get(country, 0.0) / outflow[country]
            assert row["overseas_share_out"] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    # The US leads, as in every published account of this period.
    assert ind.index[0] == "USA"
