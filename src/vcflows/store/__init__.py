"""The DuckDB store of canonical tables."""

from vcflows.store.db import (
    IngestResult,
    connect,
    create_schema,
    has_table,
    info,
    ingest_batch,
)

__all__ = ["IngestResult", "connect", "create_schema", "has_table", "info", "ingest_batch"]
