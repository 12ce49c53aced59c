"""Country covariates and pair covariates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from vcflows.errors import OptionError
from vcflows.gravity.covariates import (
    EARTH_RADIUS_KM,
    haversine_km,
    load_country_covariates,
    pair_covariates,
)


def test_shipped_table_is_complete_and_sourced() -> None:
    cov = load_country_covariates()
    assert len(cov) >= 60
    assert cov["iso3"].is_unique
    assert cov["iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert cov["lat"].between(-90, 90).all() and cov["lon"].between(-180, 180).all()
    assert (cov["source"].str.len() > 0).all()
    for iso in ("USA", "CHN", "GBR", "DEU", "FRA", "KOR", "JPN", "ISR", "IND", "CAN", "SGP"):
        assert iso in set(cov["iso3"])
    eu = cov.loc[cov["blocs"].str.split("|").map(lambda b: "EU" in b), "iso3"]
    assert len(eu) == 27  # EU-27 since 2020-02-01
    assert "GBR" not in set(eu)


def test_haversine_quarter_meridian_and_known_city_pair() -> None:
    # A quarter of a great circle is pi/2 * R.
    assert haversine_km(0.0, 0.0, 0.0, 90.0) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    # Antipodes: half a circumference.
    assert haversine_km(10.0, 20.0, -10.0, -160.0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    # London-Paris is about 344 km in every atlas.
    assert haversine_km(51.51, -0.13, 48.86, 2.35) == pytest.approx(344, abs=3)


def test_pair_covariates_values_and_symmetry() -> None:
    p = pair_covariates(["USA", "GBR", "FRA", "DEU", "KOR", "CAN"])
    assert len(p) == 6 * 5
    idx = p.set_index(["origin", "destination"])
    assert idx.loc[("USA", "GBR"), "common_lang"] == 1
    assert idx.loc[("CAN", "FRA"), "common_lang"] == 1  # French is official in Canada
    assert idx.loc[("KOR", "USA"), "common_lang"] == 0
    assert idx.loc[("FRA", "DEU"), "both_eu"] == 1 and idx.loc[("FRA", "DEU"), "same_bloc"] == 1
    assert idx.loc[("GBR", "FRA"), "both_eu"] == 0
    assert idx.loc[("USA", "CAN"), "same_bloc"] == 1 and idx.loc[("USA", "CAN"), "both_eu"] == 0
    swapped = idx.rename_axis(["destination", "origin"]).reorder_levels([1, 0]).sort_index()
    pd.testing.assert_frame_equal(idx.sort_index(), swapped)
    assert np.allclose(p["log_dist"], np.log(p["dist_km"]))


def test_domestic_pairs_and_custom_table() -> None:
    custom = pd.DataFrame(
        {
            "iso3": ["AAA", "BBB"],
            "lat": [0.0, 0.0],
            "lon": [0.0, 1.0],
            "languages": ["xx", "xx|yy"],
            "blocs": ["", "B1"],
        }
    )
    p = pair_covariates(covariates=custom, include_domestic=True)
    assert len(p) == 4
    dom = p[p["origin"] == p["destination"]]
    assert (dom["dist_km"] == 0).all() and (dom["log_dist"] == 0).all()
    ab = p[(p["origin"] == "AAA") & (p["destination"] == "BBB")].iloc[0]
    assert ab["dist_km"] == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)
    assert ab["common_lang"] == 1 and ab["same_bloc"] == 0


def test_bad_table_is_rejected() -> None:
    with pytest.raises(OptionError, match="missing columns"):
        pair_covariates(covariates=pd.DataFrame({"iso3": ["AAA"]}))
