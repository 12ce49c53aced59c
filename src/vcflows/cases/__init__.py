"""Champion case studies: the companies that lead a country's AI and how they were funded.

This package sits beside :mod:`vcflows.indicators` and reads only the flow engine and the
store, so the focus-country profile can list its champions.
"""

from vcflows.cases.champions import CHAMPION_COLUMNS, champions
from vcflows.cases.funding_path import FundingPath, find_company, funding_path, funding_paths

__all__ = [
    "CHAMPION_COLUMNS",
    "FundingPath",
    "champions",
    "find_company",
    "funding_path",
    "funding_paths",
]
