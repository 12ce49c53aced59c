"""Assumed shape parameters of the demo universe (none of them is a published figure).

The calibration files fix the totals (amount by country and year) and the cross-border
structure; these constants fix everything else: stage mix, round sizes, syndicate sizes,
investor types. They are plausible orders of magnitude, chosen so the synthetic data looks
like a deal database, and they are labelled as assumptions wherever they surface.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from vcflows.schema import STAGES

#: Stages drawn by the generator, with their assumed frequency among rounds.
STAGE_NAMES: Final[tuple[str, ...]] = STAGES  # the schema's order; STAGE_PROB follows it
STAGE_PROB: Final = np.array([0.12, 0.28, 0.18, 0.10, 0.05, 0.03, 0.03, 0.06, 0.05, 0.05, 0.05])
#: Position in the funding ladder; -1 for stages outside it (kept where they were drawn).
STAGE_RANK: Final = np.array([0, 1, 2, 3, 4, 5, 6, -1, -1, -1, -1])
#: Median round size (USD) and log-scale spread of the lognormal body, per stage.
STAGE_MEDIAN_USD: Final = np.array(
    [0.4e6, 2.0e6, 8.0e6, 20e6, 40e6, 80e6, 100e6, 0.3e6, 10e6, 3.0e6, 2.0e6]
)
STAGE_SIGMA: Final = np.array([0.8, 0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 0.9, 1.1, 1.3, 1.3])
#: Chance that a round is a mega-round: a Pareto tail (index 1.1) on top of the body, so a few
#: late rounds carry a large part of each year's money, as in reality.
STAGE_MEGA_PROB: Final = np.array([0, 0, 0.005, 0.02, 0.06, 0.12, 0.12, 0, 0.02, 0, 0])
MEGA_PARETO_INDEX: Final = 1.1
MEGA_MULTIPLIER: Final = 5.0
#: Share of rounds whose amount is undisclosed (NULL amount; the round still counts as a deal).
STAGE_UNDISCLOSED: Final = np.array(
    [0.25, 0.15, 0.06, 0.04, 0.03, 0.03, 0.05, 0.30, 0.20, 0.20, 0.30]
)
#: Syndicate size is 1 + Binomial(7, p): 1 to 8 investors, larger for later stages.
SYNDICATE_EXTRA_MAX: Final = 7
STAGE_SYNDICATE_P: Final = np.array(
    [0.35, 0.55, 0.70, 0.80, 0.85, 0.85, 0.75, 0.05, 0.10, 0.45, 0.45]
)
#: Stage group of each stage, for the investor-type affinities: 0 early, 1 late, 2 other.
STAGE_GROUP_IDX: Final = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])

#: Share of AI rounds among all rounds, 2013 -> 2025 (linear in between). The demo keeps AI
#: denser than reality so small demos still have enough AI deals per country.
AI_ROUND_SHARE_FIRST: Final = 0.30
AI_ROUND_SHARE_LAST: Final = 0.55
#: Non-AI amount as a multiple of the AI amount of the same country and year, 2013 -> 2025
#: (log-linear in between): AI's share of all VC rises from about 1/6 to just over 1/2.
NON_AI_AMOUNT_RATIO_FIRST: Final = 5.0
NON_AI_AMOUNT_RATIO_LAST: Final = 0.9
#: Rounds per funded company on average; companies raise within 7 years of founding.
ROUNDS_PER_COMPANY: Final = 2.3
MAX_COMPANY_AGE: Final = 7

#: Investors per round generated, and the investor types with their frequency.
INVESTORS_PER_ROUND: Final = 0.12
MIN_INVESTORS_PER_COUNTRY: Final = 8
INVESTOR_TYPE_NAMES: Final[tuple[str, ...]] = (
    "vc",
    "cvc",
    "corporate",
    "government",
    "angel",
    "accelerator",
    "pe",
    "other",
    "unknown",
)
INVESTOR_TYPE_PROB: Final = np.array([0.46, 0.07, 0.06, 0.03, 0.20, 0.06, 0.05, 0.04, 0.03])
#: Relative propensity of each investor type (rows) to join early / late / other rounds.
TYPE_STAGE_AFFINITY: Final = np.array(
    [
        [1.0, 1.0, 0.4],  # vc
        [0.4, 1.6, 0.3],  # cvc
        [0.3, 0.8, 0.8],  # corporate
        [0.6, 0.3, 4.0],  # government: grants
        [2.5, 0.1, 0.2],  # angel
        [2.5, 0.05, 0.3],  # accelerator
        [0.05, 2.0, 2.0],  # pe: growth and debt
        [0.5, 0.5, 0.8],  # other
        [0.5, 0.5, 0.5],  # unknown
    ]
)
#: Relative propensity of each type to lead the round it joins.
TYPE_LEAD_WEIGHT: Final = np.array([1.5, 1.0, 0.6, 1.0, 0.3, 0.4, 1.5, 0.5, 0.5])
#: Pareto index of investor activity: a few investors join very many rounds.
ACTIVITY_PARETO_INDEX: Final = 1.3

#: Korean AI companies whose investors may come from abroad (at least this many per chunk, the
#: largest raisers), the foreign share of their money at most, and the foreign share of the
#: other Korean AI companies' money at least; between the two, Korea's AI money as a whole
#: lands on its calibrated foreign share.
KOR_GLOBAL_COMPANIES_PER_CHUNK: Final = 4
KOR_GLOBAL_FOREIGN_SHARE: Final = 0.6
KOR_OTHER_FOREIGN_SHARE: Final = 0.004


def year_ramp(first: float, last: float, years: np.ndarray, *, log: bool = False) -> np.ndarray:
    """Interpolate from ``first`` (first year) to ``last`` (last year), linearly or in logs."""
    t = (years - years.min()) / max(1, int(years.max() - years.min()))
    if log:
        return np.asarray(np.exp(np.log(first) + t * (np.log(last) - np.log(first))))
    return np.asarray(first + t * (last - first))
