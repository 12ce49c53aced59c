"""Run the flow and indicator queries on Apache Spark, from the same SQL as DuckDB.

The flow engine's SQL (DuckDB dialect, over the canonical table names) is transpiled with
SQLGlot (``read="duckdb", write="spark"``) after two rewrites Spark needs: ``fsum``
(DuckDB's compensated sum) becomes ``sum`` and the array-overlap operator becomes
``arrays_overlap``. Bound parameters are inlined as SQL literals first. The small aggregates
that come back are turned into indicators by the same pandas code as on DuckDB
(:func:`vcflows.indicators.country.indicators_from_aggregates`).

Tables reach Spark as temporary views named like the canonical tables: either exported from a
vcflows DuckDB store to Parquet in a staging folder (:meth:`SparkEngine.from_duckdb`; on a
cluster the folder must be visible to every executor, e.g. a shared mount), or registered by
the caller from tables already in a lakehouse (``SparkEngine(spark, views=...)``).

Spark sums in a partition-dependent order, so its amounts may differ from DuckDB's in the last
bits (relative 1e-12 or less); everything else is identical.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.engines import EngineError
from vcflows.flows import FlowOptions
from vcflows.flows.attribution import shares_sql, unattributed_sql
from vcflows.flows.matrix import matrix_sql

if TYPE_CHECKING:  # pyspark is an optional dependency
    from pyspark.sql import SparkSession

#: Spark settings of :func:`session` (local mode friendly; override with ``conf``).
DEFAULT_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.ansi.enabled": "false",
}


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence PySpark's "pandas >= 3 not fully supported" FutureWarning.

    vcflows only moves small aggregates of plain numbers and strings through ``toPandas``
    (Arrow), which the Spark equality test checks against DuckDB under pandas 3.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas")
        warnings.filterwarnings("ignore", module=r"pyspark(\.|$)")
        yield


def _literal(value: object) -> str:
    """A Python parameter value as a DuckDB SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    raise EngineError(f"cannot inline a query parameter of type {type(value).__name__}")


def inline_params(sql: str, params: Sequence[object] = ()) -> str:
    """Replace each ``?`` placeholder outside string literals by its parameter's literal.

    Parameters
    ----------
    sql : str
        DuckDB SQL with positional ``?`` placeholders.
    params : sequence
        Their values (str, int, float, bool, None, or lists of those).

    Returns
    -------
    str
        The SQL without placeholders.
    """
    out: list[str] = []
    values = iter(params)
    in_string = False
    for ch in sql:
        if ch == "'":
            in_string = not in_string  # '' (escaped quote) toggles twice: still right
        if ch == "?" and not in_string:
            try:
                out.append(_literal(next(values)))
            except StopIteration:
                raise EngineError("more ? placeholders than parameters") from None
            continue
        out.append(ch)
    if next(values, _END) is not _END:
        raise EngineError("more parameters than ? placeholders")
    return "".join(out)


_END = object()


def to_spark_sql(sql: str, params: Sequence[object] = ()) -> str:
    """Transpile a vcflows DuckDB query (with its parameters) to Spark SQL.

    Parameters
    ----------
    sql : str
        Query in DuckDB's dialect.
    params : sequence
        Its positional parameters (inlined as literals).

    Returns
    -------
    str
        The same query in Spark SQL.
    """
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(inline_params(sql, params), read="duckdb")

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Anonymous) and str(node.this).lower() == "fsum":
            return exp.Sum(this=node.expressions[0])
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="ARRAYS_OVERLAP", expressions=[node.this, node.expression])
        return node

    return tree.transform(rewrite).sql(dialect="spark")


def session(
    master: str = "local[2]", *, app_name: str = "vcflows", conf: Mapping[str, str] | None = None
) -> SparkSession:
    """Start (or reuse) a Spark session.

    Parameters
    ----------
    master : str
        Spark master URL: ``local[N]`` (in-process, N cores), ``spark://host:7077``,
        ``yarn``, ``k8s://...``.
    app_name : str
        Application name shown by the cluster manager.
    conf : mapping, optional
        Extra Spark settings (win over :data:`DEFAULT_CONF`).

    Returns
    -------
    pyspark.sql.SparkSession
        The session.
    """
    try:
        with _quiet():
            from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError(
            "the Spark engine needs PySpark and SQLGlot: pip install 'vcflows[spark]'"
        ) from exc
    settings = dict(DEFAULT_CONF)
    if master.startswith("local"):
        # Local mode: keep the driver on the loopback interface (no network exposure).
        settings.setdefault("spark.driver.bindAddress", "127.0.0.1")
        settings.setdefault("spark.driver.host", "127.0.0.1")
        settings.setdefault(
            "spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="vcflows-spark-warehouse-")
        )
    settings.update(conf or {})
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        with _quiet():
            spark = builder.getOrCreate()
    except Exception as exc:  # e.g. no Java runtime: PySparkRuntimeError JAVA_GATEWAY_EXITED
        raise EngineError(f"cannot start Spark ({master}): {exc}") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkEngine:
    """The flow engine's queries on a Spark session.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        The session.
    views : mapping of str to str, optional
        Canonical table name -> a Spark table or view holding it (e.g. lakehouse tables with
        the canonical columns). Registered as temporary views under the canonical names.
    """

    def __init__(self, spark: SparkSession, views: Mapping[str, str] | None = None) -> None:
        self.spark = spark
        self._staging: Path | None = None
        self._owns_staging = False
        for name, source in (views or {}).items():
            spark.table(source).createOrReplaceTempView(name)

    @classmethod
    def from_duckdb(
        cls,
        spark: SparkSession,
        con: duckdb.DuckDBPyConnection,
        staging: str | Path | None = None,
    ) -> SparkEngine:
        """Expose the canonical tables of a vcflows DuckDB store to Spark via Parquet.

        Parameters
        ----------
        spark : pyspark.sql.SparkSession
            The session.
        con : duckdb.DuckDBPyConnection
            A vcflows database.
        staging : str or Path, optional
            Folder for the Parquet copies (default: a temporary folder, removed by
            :meth:`close`; the env var ``VCFLOWS_SPARK_STAGING`` names one too). On a cluster
            it must be readable by every executor at the same path.

        Returns
        -------
        SparkEngine
            An engine whose temporary views are the store's tables.
        """
        engine = cls(spark)
        chosen = staging or os.environ.get("VCFLOWS_SPARK_STAGING")
        if chosen:
            folder = Path(chosen) / f"vcflows-{os.getpid()}-{id(engine):x}"
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(tempfile.mkdtemp(prefix="vcflows-spark-"))
        engine._staging, engine._owns_staging = folder, True
        for table in s.CANONICAL_TABLES:
            path = folder / f"{table}.parquet"
            con.execute(f"COPY {table} TO '{path}' (FORMAT parquet)").fetchall()
            spark.read.parquet(str(path)).createOrReplaceTempView(table)
        return engine

    def close(self) -> None:
        """Drop the views and remove the staging folder (the session stays up)."""
        for table in s.CANONICAL_TABLES:
            self.spark.catalog.dropTempView(table)
        if self._owns_staging and self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def __enter__(self) -> SparkEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """Run a vcflows DuckDB-dialect query on Spark; return the result as a DataFrame."""
        text = to_spark_sql(sql, params)
        try:
            with _quiet():
                frame: Any = self.spark.sql(text).toPandas()
        except Exception as exc:
            raise EngineError(f"Spark refused a query: {exc}\n--- query ---\n{text}") from exc
        return pd.DataFrame(frame)

    def flow_matrix(self, opts: FlowOptions, by: Sequence[str] = ()) -> pd.DataFrame:
        """:func:`vcflows.flows.flow_matrix` on Spark (same columns and order)."""
        sql, params = shares_sql(opts)
        frame = self.query(matrix_sql(f"({sql})", by), params)
        return _like_duckdb(frame)

    def unattributed(self, opts: FlowOptions) -> pd.DataFrame:
        """:func:`vcflows.flows.unattributed` on Spark (same columns and order)."""
        sql, params = shares_sql(opts)
        return _like_duckdb(self.query(unattributed_sql(f"({sql})"), params))

    def country_indicators(self, opts: FlowOptions | None = None, top_n: int = 5) -> pd.DataFrame:
        """:func:`vcflows.indicators.country_indicators` on Spark (same columns and order)."""
        from vcflows.indicators.country import flow_aggregates_sql, indicators_from_aggregates

        opts = opts or FlowOptions()
        sql, params = flow_aggregates_sql(opts)
        agg = _like_duckdb(self.query(sql, params))
        return indicators_from_aggregates(agg, opts, top_n)


def _like_duckdb(frame: pd.DataFrame) -> pd.DataFrame:
    """Spark's column types as DuckDB's ``fetchdf`` gives them (int32 year -> int64 etc.)."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_integer_dtype(out[col]) and out[col].dtype != "int64":
            out[col] = out[col].astype("int64")
    return out
