"""Policy implications traced to their evidence, and a public fund scenario.

The rule set lives in :mod:`vcflows.policy.rules`; every implication carries the figures its
sentence states and the queries that produced them (:mod:`vcflows.policy.evidence`).
"""

from vcflows.policy.assess import PolicyResult, assess, implications, run_rules
from vcflows.policy.evidence import FORMATS, Implication, Skipped, SkipRule, render
from vcflows.policy.inputs import PolicyInputs, PolicySettings, Precomputed, gather
from vcflows.policy.rules import RULES, TEMPLATES, WEIGHTS
from vcflows.policy.scenario import COMPARED, ScenarioResult, fund_scenario
from vcflows.policy.wording import sector_words

__all__ = [
    "COMPARED",
    "FORMATS",
    "RULES",
    "TEMPLATES",
    "WEIGHTS",
    "Implication",
    "PolicyInputs",
    "PolicyResult",
    "PolicySettings",
    "Precomputed",
    "ScenarioResult",
    "SkipRule",
    "Skipped",
    "assess",
    "fund_scenario",
    "gather",
    "implications",
    "render",
    "run_rules",
    "sector_words",
]
