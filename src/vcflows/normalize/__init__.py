"""Normalization of raw export values: countries, amounts, dates, currencies, stages, types.

Every normalizer returns None (or ``"unknown"``) for a blank value and raises
:class:`NormalizeError` for a non-blank value it cannot normalize; adapters quarantine
such rows with the error message as the reason (for an optional field such as a country, the
row is kept with that field unknown and the value recorded in the quarantine).
"""

from __future__ import annotations

from vcflows.normalize._errors import NormalizeError
from vcflows.normalize._text import fold, is_blank
from vcflows.normalize.amounts import parse_amount, parse_money
from vcflows.normalize.categories import clean_categories
from vcflows.normalize.countries import to_iso3
from vcflows.normalize.currency import RATES_SOURCE, to_usd
from vcflows.normalize.dates import parse_date
from vcflows.normalize.investor_types import to_investor_type
from vcflows.normalize.names import name_key
from vcflows.normalize.stages import to_stage
from vcflows.normalize.titles import is_founder_title

__all__ = [
    "RATES_SOURCE",
    "NormalizeError",
    "clean_categories",
    "fold",
    "is_blank",
    "is_founder_title",
    "name_key",
    "parse_amount",
    "parse_date",
    "parse_money",
    "to_investor_type",
    "to_iso3",
    "to_stage",
    "to_usd",
]
