"""Country and country-pair covariates of the gravity model, from shipped package data.

The country table ``vcflows/data/country_covariates.csv`` holds, per ISO3 country: the capital
and its coordinates, the main official languages (ISO 639-1, ``|``-separated) and membership of
regional trade blocs (``|``-separated), with a ``source`` column naming where each value comes
from (CIA World Factbook capitals and official languages, following the CEPII GeoDist
``comlang_off`` definition: two countries share a language when they share an official one).
Bloc membership is the current one (the United Kingdom is outside the EU), held constant over
the study period. Fixing a country is a data edit, not a code edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Final

import numpy as np
import pandas as pd

from vcflows.errors import OptionError

#: Mean Earth radius in km (IUGG), used by the haversine great-circle distance.
EARTH_RADIUS_KM: Final = 6371.0088

COVARIATES_SOURCE: Final = (
    "Capitals and coordinates: CIA World Factbook; official languages: CIA World Factbook "
    "(CEPII GeoDist comlang_off definition); blocs: official member lists of EU, EFTA, USMCA, "
    "ASEAN, MERCOSUR, GCC, EAEU, SACU (current membership)."
)

_REQUIRED: Final = ("iso3", "lat", "lon", "languages", "blocs")

#: Columns of :func:`pair_covariates`.
PAIR_COLUMNS: Final = (
    "origin",
    "destination",
    "dist_km",
    "log_dist",
    "common_lang",
    "both_eu",
    "same_bloc",
)


def load_country_covariates() -> pd.DataFrame:
    """Load the shipped country covariates.

    Returns
    -------
    DataFrame
        One row per ISO3 country: iso3, name, capital, lat, lon, languages, blocs, source
        (``languages`` and ``blocs`` are ``|``-separated strings, empty when none).
    """
    ref = resources.files("vcflows") / "data" / "country_covariates.csv"
    with ref.open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype={"languages": str, "blocs": str}, keep_default_na=False)
    return _validated(df)


def _validated(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in _REQUIRED if c not in df.columns]
    if missing:
        raise OptionError(f"country covariates: missing columns {', '.join(missing)}")
    out = df.copy()
    out["lat"] = pd.to_numeric(out["lat"], errors="raise").astype(float)
    out["lon"] = pd.to_numeric(out["lon"], errors="raise").astype(float)
    out["languages"] = out["languages"].fillna("").astype(str)
    out["blocs"] = out["blocs"].fillna("").astype(str)
    if out["iso3"].duplicated().any():
        dup = sorted(out.loc[out["iso3"].duplicated(), "iso3"].unique())
        raise OptionError(f"country covariates: duplicate iso3 {', '.join(dup)}")
    return out.sort_values("iso3").reset_index(drop=True)


def haversine_km(
    lat1: np.ndarray | float,
    lon1: np.ndarray | float,
    lat2: np.ndarray | float,
    lon2: np.ndarray | float,
) -> np.ndarray:
    """Great-circle distance in km between points given in decimal degrees (haversine formula).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : float or array
        Coordinates in degrees; arrays broadcast.

    Returns
    -------
    ndarray
        Distances in km on a sphere of radius :data:`EARTH_RADIUS_KM`.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def _split(value: str) -> frozenset[str]:
    return frozenset(v for v in value.split("|") if v)


def pair_covariates(
    countries: Sequence[str] | None = None,
    *,
    covariates: pd.DataFrame | None = None,
    include_domestic: bool = False,
) -> pd.DataFrame:
    """Covariates of every ordered country pair (origin, destination).

    Parameters
    ----------
    countries : sequence of str, optional
        ISO3 codes to pair; default every country of the covariate table. Codes absent from the
        table are ignored (the caller reports them).
    covariates : DataFrame, optional
        A country table shaped like :func:`load_country_covariates`; default the shipped one.
    include_domestic : bool
        Also emit the pairs (c, c), with distance 0 and ``log_dist`` 0.

    Returns
    -------
    DataFrame
        Columns :data:`PAIR_COLUMNS`: great-circle distance between capitals in km, its log,
        ``common_lang`` (1 if the two share an official language), ``both_eu`` (1 if both are EU
        members) and ``same_bloc`` (1 if both belong to at least one common bloc). Sorted by
        origin, destination.
    """
    table = load_country_covariates() if covariates is None else _validated(covariates)
    if countries is not None:
        wanted = set(countries)
        table = table[table["iso3"].isin(wanted)].reset_index(drop=True)
    iso = table["iso3"].to_numpy()
    n = len(iso)
    grid_o, grid_d = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    oi, di = grid_o.ravel(), grid_d.ravel()
    if not include_domestic:
        keep = oi != di
        oi, di = oi[keep], di[keep]
    lat, lon = table["lat"].to_numpy(), table["lon"].to_numpy()
    dist = haversine_km(lat[oi], lon[oi], lat[di], lon[di])
    langs = [_split(v) for v in table["languages"]]
    blocs = [_split(v) for v in table["blocs"]]
    common = np.fromiter(
        (bool(langs[a] & langs[b]) for a, b in zip(oi, di, strict=True)), bool, len(oi)
    )
    same = np.fromiter(
        (bool(blocs[a] & blocs[b]) for a, b in zip(oi, di, strict=True)), bool, len(oi)
    )
    eu = np.array(["EU" in b for b in blocs], dtype=bool)
    out = pd.DataFrame(
        {
            "origin": iso[oi],
            "destination": iso[di],
            "dist_km": dist,
            # log(0) is undefined; domestic pairs get 0 and are identified by their own dummy.
            "log_dist": np.log(np.where(dist > 0, dist, 1.0)),
            "common_lang": common.astype(int),
            "both_eu": (eu[oi] & eu[di]).astype(int),
            "same_bloc": same.astype(int),
        }
    )
    return out.sort_values(["origin", "destination"]).reset_index(drop=True)
