"""The flow engine: AI identification, attribution of rounds to investor countries, matrices.

Everything runs as set-based SQL in DuckDB; only small aggregates come back as DataFrames.
"""

from vcflows.flows.attribution import (
    attributed_flows,
    flow_totals,
    selected_rounds_sql,
    shares_sql,
    shares_table,
    shares_with,
    unattributed,
)
from vcflows.flows.base import base_relation
from vcflows.flows.base import refresh as refresh_flow_base
from vcflows.flows.matrix import flow_matrix
from vcflows.flows.options import ATTRIBUTIONS, Attribution, FlowOptions, parse_sector
from vcflows.flows.taxonomy import Taxonomy, ai_companies, load_taxonomy

__all__ = [
    "ATTRIBUTIONS",
    "Attribution",
    "FlowOptions",
    "Taxonomy",
    "ai_companies",
    "attributed_flows",
    "base_relation",
    "flow_matrix",
    "flow_totals",
    "load_taxonomy",
    "parse_sector",
    "refresh_flow_base",
    "selected_rounds_sql",
    "shares_sql",
    "shares_table",
    "shares_with",
    "unattributed",
]
