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
