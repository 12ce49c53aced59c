"""The DuckDB store of canonical tables."""

from vcflows.store._sql import has_column, has_table, rollback
from vcflows.store.db import (
    IngestResult,
    connect,
    create_schema,
    info,
    ingest_batch,
)
from vcflows.store.link import LinkOptions, LinkResult, link_sources

__all__ = [
    "IngestResult",
    "LinkOptions",
    "LinkResult",
    "connect",
    "create_schema",
    "has_column",
    "has_table",
    "info",
    "ingest_batch",
    "link_sources",
    "rollback",
]
