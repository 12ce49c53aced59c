"""Names of the columns the flow engine and the indicators output.

Canonical (stored) column names live in :mod:`vcflows.schema`; these are the names of derived
result columns, kept in one place for the same reason.
"""

from __future__ import annotations

from typing import Final

from vcflows import schema as s

COUNTRY: Final = "country"
YEAR: Final = "year"
COMPANY_COUNTRY: Final = "company_country"
INVESTOR_COUNTRY: Final = "investor_country"
DEALS: Final = "deals"
ROUNDS: Final = "rounds"
REASON: Final = "reason"

#: Why an amount could not be attributed to a country pair (precedence in this order).
NO_INVESTOR: Final = "no_investor"
COMPANY_COUNTRY_UNKNOWN: Final = "company_country_unknown"
INVESTOR_COUNTRY_UNKNOWN: Final = "investor_country_unknown"
REASONS: Final[tuple[str, ...]] = (NO_INVESTOR, COMPANY_COUNTRY_UNKNOWN, INVESTOR_COUNTRY_UNKNOWN)

#: The dimensions a flow matrix can be broken down by.
BY_DIMENSIONS: Final[tuple[str, ...]] = (YEAR, s.STAGE)
