"""Country indicators, reciprocity, typology and focus-country profiles built on the flows."""

from vcflows.indicators.by_stage import INDICATOR_BY_STAGE_COLUMNS, country_indicators_by_stage
from vcflows.indicators.country import (
    INDICATOR_BY_YEAR_COLUMNS,
    INDICATOR_COLUMNS,
    country_indicators,
    country_indicators_by_year,
    indicators_from,
    reciprocity,
    reciprocity_from,
)
from vcflows.indicators.intervals import SHARE_INDICATORS, IntervalOptions, share_intervals
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
    "INDICATOR_BY_STAGE_COLUMNS",
    "INDICATOR_BY_YEAR_COLUMNS",
    "INDICATOR_COLUMNS",
    "LABELS",
    "SHARE_INDICATORS",
    "STAGE_SHARE_COLUMNS",
    "CountryProfile",
    "IntervalOptions",
    "TypologyResult",
    "TypologyThresholds",
    "cluster_features",
    "country_indicators",
    "country_indicators_by_stage",
    "country_indicators_by_year",
    "indicators_from",
    "profile",
    "reciprocity",
    "reciprocity_from",
    "scenario_extra_foreign",
    "share_intervals",
    "stage_shares",
    "stage_shares_from",
    "typology",
]
