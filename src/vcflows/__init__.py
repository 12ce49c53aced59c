"""vcflows: cross-border venture-capital flows into AI companies.

Data flows one way: sources → normalize → store → flows → indicators / network / gravity /
cases / policy → report / dashboard / cli. The public API is re-exported here; every other
name is private to its module.

Examples
--------
>>> import vcflows
>>> con = vcflows.connect(vcflows.default_db(), read_only=True)  # the SYNTHETIC demo
>>> opts = vcflows.FlowOptions(year_from=2015, year_to=2025)
>>> ind = vcflows.country_indicators(con, opts)  # one row per country
"""

from vcflows._version import __version__
from vcflows.cases import FundingPath, champions, funding_path, funding_paths
from vcflows.demo import SYNTHETIC_LABEL, DemoSummary, build_db, default_db, generate
from vcflows.errors import InputFileError, MappingError, OptionError, StoreError, VcflowsError
from vcflows.findings import Finding, FindingOptions, evaluate_findings
from vcflows.flows import (
    FlowOptions,
    ai_companies,
    attributed_flows,
    flow_matrix,
    refresh_flow_base,
    unattributed,
)
from vcflows.gravity import GravityResult, expected_vs_actual, fit_gravity
from vcflows.indicators import (
    CountryProfile,
    TypologyResult,
    country_indicators,
    country_indicators_by_stage,
    country_indicators_by_year,
    profile,
    reciprocity,
    stage_shares,
    typology,
)
from vcflows.network import corporate_network, country_network, syndicate_network
from vcflows.policy import Implication, ScenarioResult, fund_scenario, implications
from vcflows.sources import FORMATS, FileAccount, SourceBatch, read_source
from vcflows.store import (
    IngestResult,
    LinkOptions,
    LinkResult,
    connect,
    info,
    ingest_batch,
    link_sources,
)
from vcflows.talent import (
    TalentFlags,
    TalentList,
    TalentResult,
    load_talent_list,
    talent_analysis,
    talent_flags,
)

__all__ = [
    "FORMATS",
    "SYNTHETIC_LABEL",
    "CountryProfile",
    "DemoSummary",
    "FileAccount",
    "Finding",
    "FindingOptions",
    "FlowOptions",
    "FundingPath",
    "GravityResult",
    "Implication",
    "IngestResult",
    "InputFileError",
    "LinkOptions",
    "LinkResult",
    "MappingError",
    "OptionError",
    "ScenarioResult",
    "SourceBatch",
    "StoreError",
    "TalentFlags",
    "TalentList",
    "TalentResult",
    "TypologyResult",
    "VcflowsError",
    "__version__",
    "ai_companies",
    "attributed_flows",
    "build_db",
    "champions",
    "connect",
    "corporate_network",
    "country_indicators",
    "country_indicators_by_stage",
    "country_indicators_by_year",
    "country_network",
    "default_db",
    "evaluate_findings",
    "expected_vs_actual",
    "fit_gravity",
    "flow_matrix",
    "fund_scenario",
    "funding_path",
    "funding_paths",
    "generate",
    "implications",
    "info",
    "ingest_batch",
    "link_sources",
    "load_talent_list",
    "profile",
    "read_source",
    "reciprocity",
    "refresh_flow_base",
    "stage_shares",
    "syndicate_network",
    "talent_analysis",
    "talent_flags",
    "typology",
    "unattributed",
]


def build_report(*args: object, **kwargs: object) -> object:
    """Build the report; see :func:`vcflows.report.build_report` (imported on use: charts are heavy)."""
    from vcflows.report import build_report as _build

    return _build(*args, **kwargs)  # type: ignore[arg-type]
