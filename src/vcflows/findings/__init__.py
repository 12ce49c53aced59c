"""Findings: the reproduced report's claims as records evaluated on the data at hand.

A layer between the analyses (flows, indicators, cases) and every presentation (CLI, report,
dashboard): presentations render :class:`Finding` records and word no conclusion of their own.
"""

from vcflows.findings.evaluate import CLAIMS, EU27, evaluate_findings, findings_frame
from vcflows.findings.model import DEFAULT_THRESHOLDS, Finding, FindingOptions

__all__ = [
    "CLAIMS",
    "DEFAULT_THRESHOLDS",
    "EU27",
    "Finding",
    "FindingOptions",
    "evaluate_findings",
    "findings_frame",
]
