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

#: Columns of the flow base (:mod:`vcflows.flows.base`): the AI verdict of the company, its
#: investor countries' participations in the round (all and lead: ``k``, ``kl``), the round's
#: participations (``n``, ``nl``), and one row per round flagged ``first_row``.
AI: Final = "ai"
K: Final = "k"
K_LEAD: Final = "kl"
N: Final = "n"
N_LEAD: Final = "nl"
FIRST_ROW: Final = "first_row"

#: Why an amount could not be attributed to a country pair (precedence in this order).
NO_INVESTOR: Final = "no_investor"
COMPANY_COUNTRY_UNKNOWN: Final = "company_country_unknown"
INVESTOR_COUNTRY_UNKNOWN: Final = "investor_country_unknown"
REASONS: Final[tuple[str, ...]] = (NO_INVESTOR, COMPANY_COUNTRY_UNKNOWN, INVESTOR_COUNTRY_UNKNOWN)

#: The dimensions a flow matrix can be broken down by.
BY_DIMENSIONS: Final[tuple[str, ...]] = (YEAR, s.STAGE)

#: Columns of the country indicators (:data:`vcflows.indicators.INDICATOR_COLUMNS` lists them
#: all): amounts received and invested, and the shares built on them.
INVESTED_IN_USD: Final = "invested_in_usd"
INVESTED_OUT_USD: Final = "invested_out_usd"
DEALS_IN: Final = "deals_in"
DEALS_OUT: Final = "deals_out"
SHARE_GLOBAL: Final = "share_global"
SHARE_GLOBAL_DEALS: Final = "share_global_deals"
DOMESTIC_SHARE_IN: Final = "domestic_share_in"
FOREIGN_SHARE_IN: Final = "foreign_share_in"
US_SHARE_IN: Final = "us_share_in"
OVERSEAS_SHARE_OUT: Final = "overseas_share_out"
FOREIGN_IN_USD: Final = "foreign_in_usd"
OVERSEAS_OUT_USD: Final = "overseas_out_usd"
PARTNER_HHI: Final = "partner_hhi"
