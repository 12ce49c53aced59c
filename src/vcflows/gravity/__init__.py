"""Gravity model of bilateral AI venture flows (PPML with origin and destination fixed effects)."""

from vcflows.gravity.covariates import (
    COVARIATES_SOURCE,
    haversine_km,
    load_country_covariates,
    pair_covariates,
)
from vcflows.gravity.model import (
    FORMULA,
    GravityError,
    GravityResult,
    expected_vs_actual,
    fit_gravity,
)

__all__ = [
    "COVARIATES_SOURCE",
    "FORMULA",
    "GravityError",
    "GravityResult",
    "expected_vs_actual",
    "fit_gravity",
    "haversine_km",
    "load_country_covariates",
    "pair_covariates",
]
