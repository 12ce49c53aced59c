"""Country indicators, reciprocity, typology and focus-country profiles built on the flows."""

from vcflows.indicators.country import (
    INDICATOR_COLUMNS,
    country_indicators,
    indicators_from,
    reciprocity,
    reciprocity_from,
)
from vcflows.indicators.profile import CountryProfile, profile, scenario_extra_foreign
from vcflows.indicators.stages import STAGE_SHARE_COLUMNS, stage_shares, stage_shares_from
from vcflows.indicators.typology import (
    LABELS,
    TypologyResult,
    TypologyThresholds,
    cluster_features,
    typology,
)

__all__ = [
    "INDICATOR_COLUMNS",
    "LABELS",
    "STAGE_SHARE_COLUMNS",
    "CountryProfile",
    "TypologyResult",
    "TypologyThresholds",
    "cluster_features",
    "country_indicators",
    "indicators_from",
    "profile",
    "reciprocity",
    "reciprocity_from",
    "scenario_extra_foreign",
    "stage_shares",
    "stage_shares_from",
    "typology",
]
