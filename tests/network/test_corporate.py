"""Corporate investment network on the hand-built store (expected values worked out by hand)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from vcflows.flows import FlowOptions
from vcflows.network.corporate import corporate_network


def test_equal_attribution_investors(tiny_db: duckdb.DuckDBPyConnection) -> None:
    res = corporate_network(tiny_db, FlowOptions())
    inv = res.investors.set_index("investor_id")
    assert list(res.investors["investor_id"]) == ["g1", "g2"]  # only corporate / cvc
    # g1: r1 100/2 + r2 300/4 (KOR) + r4 200/2 (USA); r6 is not AI.
    assert inv.loc["g1", "amount_usd"] == pytest.approx(50 + 75 + 100)
    assert inv.loc["g1", "degree"] == 2 and inv.loc["g1", "rounds"] == 3
    assert inv.loc["g1", "companies"] == 2
    assert inv.loc["g1", "degree_centrality"] == pytest.approx(2 / 3)  # KOR, USA of 3 countries
    assert inv.loc["g1", "foreign_share"] == pytest.approx(125 / 225)
    assert inv.loc["g1", "top_country"] == "KOR"
    assert inv.loc["g2", "amount_usd"] == pytest.approx(25) and inv.loc["g2", "foreign_share"] == 0
    port = res.portfolio[res.portfolio["investor_id"] == "g1"]
    assert list(port["company_country"]) == ["KOR", "USA"]
    assert list(port["amount_usd"]) == pytest.approx([125.0, 100.0])


def test_equal_attribution_country_shares(tiny_db: duckdb.DuckDBPyConnection) -> None:
    share = corporate_network(tiny_db, FlowOptions()).country_share.set_index("company_country")
    # KOR: rounds r1, r2, r3 (r7 has no investor) = 450; corporate 50 + 75 + 25 = 150.
    assert share.loc["KOR", "inbound_usd"] == pytest.approx(450)
    assert share.loc["KOR", "corporate_share"] == pytest.approx(150 / 450)
    assert share.loc["KOR", "foreign_corporate_share"] == pytest.approx(125 / 450)
    assert (share.loc["KOR", "rounds"], share.loc["KOR", "corporate_rounds"]) == (3, 3)
    assert share.loc["USA", "corporate_share"] == pytest.approx(0.5)
    assert share.loc["USA", "foreign_corporate_share"] == 0
    assert share.loc["GBR", "inbound_usd"] == 0 and pd.isna(share.loc["GBR", "corporate_share"])


def test_other_attributions_and_filters(tiny_db: duckdb.DuckDBPyConnection) -> None:
    full = corporate_network(tiny_db, FlowOptions(attribution="full"))
    assert full.country_share.set_index("company_country").loc["KOR", "corporate_share"] == 1.0
    assert full.investors.set_index("investor_id").loc["g1", "amount_usd"] == 600
    # lead: r1 has lead v2 only -> g1 gets 0; r2, r3, r4 have no lead -> equal split.
    lead = corporate_network(tiny_db, FlowOptions(attribution="lead"))
    assert lead.investors.set_index("investor_id").loc["g1", "amount_usd"] == pytest.approx(175)
    kor = lead.country_share.set_index("company_country").loc["KOR"]
    assert kor["corporate_share"] == pytest.approx(100 / 450)
    later = corporate_network(tiny_db, FlowOptions(year_from=2021))
    assert later.investors.set_index("investor_id").loc["g1", "amount_usd"] == pytest.approx(75)
    everything = corporate_network(tiny_db, FlowOptions(sector="all"))
    assert everything.investors.set_index("investor_id").loc["g1", "amount_usd"] == pytest.approx(
        725
    )
    d = everything.to_dict()
    assert set(d) == {"investors", "portfolio", "country_share", "groups", "notes"}


def test_shared_participations_table(tiny_db: duckdb.DuckDBPyConnection) -> None:
    from vcflows.network import participations_table

    opts = FlowOptions(attribution="lead")
    with participations_table(tiny_db, opts) as table:
        res = corporate_network(tiny_db, opts, participations=table)
    # Same hand values as the lead case above, read from the materialized participations.
    assert res.investors.set_index("investor_id").loc["g1", "amount_usd"] == pytest.approx(175)
    kor = res.country_share.set_index("company_country").loc["KOR"]
    assert kor["corporate_share"] == pytest.approx(100 / 450)
    direct = corporate_network(tiny_db, opts)
    pd.testing.assert_frame_equal(res.investors, direct.investors)
    pd.testing.assert_frame_equal(res.portfolio, direct.portfolio)
    pd.testing.assert_frame_equal(res.country_share, direct.country_share)
