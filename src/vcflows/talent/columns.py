"""Names of the result columns of the talent analyses (stored names live in vcflows.schema)."""

from __future__ import annotations

from typing import Final

TALENT_FOUNDED: Final = "talent_founded"
FOUNDERS: Final = "founders"
TALENT_FOUNDERS: Final = "talent_founders"
EVIDENCE: Final = "evidence"
REFERENCE_DATE: Final = "reference_date"
#: What the reference date is: "founded_on", "first_round" or "unknown".
REFERENCE: Final = "reference"
FOUNDER: Final = "founder"
#: "organisation" or "degree".
MATCH: Final = "match"
MATCHED: Final = "matched"
DETAIL: Final = "detail"
TOTAL_USD: Final = "total_usd"
ATTRIBUTED_USD: Final = "attributed_usd"
FOREIGN_USD: Final = "foreign_usd"
FOREIGN_SHARE: Final = "foreign_share"
HAS_ROUNDS: Final = "has_rounds"

# per country
AI_USD: Final = "ai_usd"
TALENT_USD: Final = "talent_usd"
TALENT_SHARE: Final = "talent_share"
COMPANIES_WITH_FOUNDERS: Final = "companies_with_founders"
TALENT_COMPANIES: Final = "talent_companies"
OTHER_COMPANIES: Final = "other_companies"
TALENT_FOREIGN_SHARE: Final = "talent_foreign_share"
OTHER_FOREIGN_SHARE: Final = "other_foreign_share"
DIFFERENCE: Final = "difference"
CI_LOW: Final = "ci_low"
CI_HIGH: Final = "ci_high"
