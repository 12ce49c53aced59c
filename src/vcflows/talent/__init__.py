"""AI talent behind the champions: founders' backgrounds and the foreign capital they draw.

:mod:`~vcflows.talent.catalogue` says what counts as AI talent (``data/ai_talent.toml``),
:mod:`~vcflows.talent.flags` flags the talent-founded companies with their evidence, and
:mod:`~vcflows.talent.money` compares, per country, the foreign share of the money they draw
with the other companies'.
"""

from vcflows.talent.catalogue import TalentList, TalentOrg, load_talent_list
from vcflows.talent.flags import TalentFlags, has_people, talent_flags
from vcflows.talent.money import TalentResult, talent_analysis

__all__ = [
    "TalentFlags",
    "TalentList",
    "TalentOrg",
    "TalentResult",
    "has_people",
    "load_talent_list",
    "talent_analysis",
    "talent_flags",
]
