"""Execution engines for the flow and indicator queries: DuckDB (default) and Apache Spark.

The flow engine writes its queries once, as SQL text in DuckDB's dialect over the canonical
table names (:func:`vcflows.flows.shares_sql`, :func:`vcflows.flows.matrix.matrix_sql`, ...).
DuckDB runs that text as is; :mod:`vcflows.engines.spark` transpiles the same text with SQLGlot
and runs it on Spark, so both engines compute from one definition.
"""

from __future__ import annotations

from typing import Final

from vcflows.errors import VcflowsError

#: Engines accepted by ``--engine``.
ENGINES: Final[tuple[str, ...]] = ("duckdb", "spark")


class EngineError(VcflowsError):
    """An engine cannot run: PySpark/SQLGlot/Java missing, or Spark refused a query."""


__all__ = ["ENGINES", "EngineError"]
