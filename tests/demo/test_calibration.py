"""The shipped calibration tables and the inbound shares derived from them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pycountry
import pytest

from vcflows.demo import investor_country_shares, load_calibration

OECD = "OECD.AI VC investments in AI (Preqin)"

# Published OECD.AI (Preqin) figures, USD, copied by hand from the cited source for this check.
PUBLISHED = {
    ("USA", 2023): 54_836e6,
    ("USA", 2024): 80_493e6,
    ("CHN", 2023): 18_271e6,
    ("CHN", 2024): 37_749e6,
    ("GBR", 2024): 6_448e6,
    ("DEU", 2023): 2_159e6,
    ("ISR", 2024): 3_671e6,
    ("IND", 2023): 2_077e6,
    ("CAN", 2024): 3_133e6,
}
REQUIRED = "USA CHN GBR DEU ISR IND CAN KOR FRA JPN SGP SWE NLD CHE ESP AUS BRA IRL FIN DNK EST"


def test_targets_cover_every_country_and_year_with_a_source() -> None:
    t = load_calibration().targets
    assert set(REQUIRED.split()) <= set(t["country_iso3"])
    assert len(t) == t["country_iso3"].nunique() * 13
    assert set(t["year"]) == set(range(2013, 2026))
    assert not t.duplicated(["country_iso3", "year"]).any()
    for col in ("source", "deals_source"):
        assert t[col].str.len().gt(10).all()
    assert (t["ai_amount_usd"] > 0).all() and (t["ai_deals"] >= 1).all()
    for code in t["country_iso3"].unique():
        assert pycountry.countries.get(alpha_3=code) is not None


def test_published_figures_are_copied_with_their_citation() -> None:
    t = load_calibration().targets.set_index(["country_iso3", "year"])
    for key, usd in PUBLISHED.items():
        assert t.loc[key, "ai_amount_usd"] == usd
        assert t.loc[key, "source"].startswith(OECD)
    # Every other row says it is an assumption.
    cited = t["source"].str.startswith(OECD)
    assert t.loc[~cited, "source"].str.startswith("assumption:").all()
    assert set(t.index[cited].get_level_values("year")) <= {2023, 2024}


def test_assumed_2025_reproduces_the_published_shares() -> None:
    # KCCI (from OECD data): the US takes ~72% of AI VC, Korea ~1% and ranks 9th.
    t = load_calibration().targets
    y = t[t["year"] == 2025].set_index("country_iso3")["ai_amount_usd"]
    assert y["USA"] / y.sum() == pytest.approx(0.72, abs=0.005)
    assert y["KOR"] / y.sum() == pytest.approx(0.01, abs=0.001)
    assert list(y.sort_values(ascending=False).index).index("KOR") == 8


def test_structure_table_is_consistent() -> None:
    st = load_calibration().structure.set_index("country_iso3")
    assert st["source"].str.startswith("assumption:").all()
    assert st["inbound_foreign_share"].between(0, 1).all()
    others = st.drop(index="USA")
    assert (others["inbound_us_share"] <= others["inbound_foreign_share"]).all()
    assert st.loc["USA", "inbound_us_share"] == pytest.approx(
        1 - st.loc["USA", "inbound_foreign_share"]
    )


def test_inbound_shares_follow_the_structure_table() -> None:
    cal = load_calibration()
    shares = investor_country_shares(cal)
    st = cal.structure.set_index("country_iso3").loc[list(cal.countries)]
    us = cal.countries.index("USA")
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    assert (shares >= 0).all()
    np.testing.assert_allclose(np.diag(shares), 1 - st["inbound_foreign_share"])
    non_us = np.arange(len(cal.countries)) != us
    np.testing.assert_allclose(shares[non_us, us], st["inbound_us_share"][non_us])


def test_implied_outbound_overseas_shares_are_close_to_targets() -> None:
    cal = load_calibration()
    shares = investor_country_shares(cal)
    amount = cal.targets.groupby("country_iso3")["ai_amount_usd"].sum().loc[list(cal.countries)]
    flows = shares * amount.to_numpy()[:, None]  # flows[company country, investor country]
    out = flows.sum(axis=0)
    overseas = 1 - np.diag(flows) / out
    target = cal.structure.set_index("country_iso3").loc[
        list(cal.countries), "outbound_overseas_share"
    ]
    ok = target.notna().to_numpy()
    assert np.abs(overseas[ok] - target.to_numpy()[ok]).max() < 0.1
    assert pd.Series(overseas, index=cal.countries)["USA"] < 0.2
