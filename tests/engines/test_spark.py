"""The Spark engine gives DuckDB's results on the real 2014 open-export sample.

PySpark runs in local mode (2 cores) on the sample ingested with the crunchbase-open adapter.
Expected values are DuckDB's own flow matrix and country indicators: the test checks that
the two engines, fed the same canonical tables and the same SQL definitions, agree (amounts to
1e-9 relative: Spark sums in another order). Skipped when PySpark, SQLGlot or Java is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from vcflows.cli import app
from vcflows.flows import FlowOptions, flow_matrix, unattributed
from vcflows.indicators import country_indicators
from vcflows.store import connect, ingest_batch

pytest.importorskip("pyspark")
pytest.importorskip("sqlglot")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("no Java runtime for Spark", allow_module_level=True)

from vcflows.engines.spark import SparkEngine, inline_params, session, to_spark_sql

_LISTS = ("top_sources", "top_destinations")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    sp = session("local[2]")
    yield sp
    sp.stop()


def _assert_lists_close(got: pd.Series, exp: pd.Series) -> None:
    for g, e in zip(got, exp, strict=True):
        assert [p["partner"] for p in g] == [p["partner"] for p in e]
        for gp, ep in zip(g, e, strict=True):
            assert gp["amount_usd"] == pytest.approx(ep["amount_usd"], rel=1e-9)
            assert gp["share"] == pytest.approx(ep["share"], rel=1e-9, nan_ok=True)


@pytest.mark.slow
def test_spark_equals_duckdb_on_real_sample(
    open2014_sample: Path, spark: Any, tmp_path: Path
) -> None:
    from vcflows.sources import read_source

    db = tmp_path / "open2014.duckdb"
    con = connect(db)
    ingest_batch(con, read_source([open2014_sample], "crunchbase-open"))
    opts = FlowOptions(sector="all", attribution="equal")
    with SparkEngine.from_duckdb(spark, con) as engine:
        exp_m = flow_matrix(con, opts)
        got_m = engine.flow_matrix(opts)
        assert len(exp_m) > 50  # a real matrix, not an empty one
        pd.testing.assert_frame_equal(got_m, exp_m, check_dtype=False, rtol=1e-9, atol=0)

        exp_by = flow_matrix(con, opts, by=("year", "stage"))
        got_by = engine.flow_matrix(opts, by=("year", "stage"))
        pd.testing.assert_frame_equal(got_by, exp_by, check_dtype=False, rtol=1e-9, atol=0)

        pd.testing.assert_frame_equal(
            engine.unattributed(opts), unattributed(con, opts), check_dtype=False, rtol=1e-9
        )

        exp_i = country_indicators(con, opts)
        got_i = engine.country_indicators(opts)
        assert len(exp_i) > 20
        pd.testing.assert_frame_equal(
            got_i.drop(columns=list(_LISTS)),
            exp_i.drop(columns=list(_LISTS)),
            check_dtype=False,
            rtol=1e-9,
            atol=0,
        )
        for col in _LISTS:
            _assert_lists_close(got_i[col], exp_i[col])

        # The AI taxonomy (regular expressions, category lists) and a stage/year filter with
        # lead attribution go through the transpiler too.
        ai = FlowOptions(
            sector="ai", attribution="lead", year_from=2005, stages=("seed", "series_a")
        )
        pd.testing.assert_frame_equal(
            engine.flow_matrix(ai), flow_matrix(con, ai), check_dtype=False, rtol=1e-9, atol=0
        )
    con.close()

    # The CLI: `--engine spark` (reusing this local session) writes what `--engine duckdb` does.
    outs = {}
    for eng in ("duckdb", "spark"):
        outs[eng] = tmp_path / f"flows-{eng}.csv"
        args = ["flows", "--db", str(db), "--sector", "all", "--engine", eng]
        res = CliRunner().invoke(app, [*args, "--format", "csv", "--out", str(outs[eng])])
        assert res.exit_code == 0, res.output
    pd.testing.assert_frame_equal(
        pd.read_csv(outs["spark"]), pd.read_csv(outs["duckdb"]), rtol=1e-9, atol=0
    )


def test_inline_params_skips_string_literals() -> None:
    sql = "SELECT '(?i)x?' AS a, ? AS b, list_contains(?::VARCHAR[], s) FROM t WHERE c = ?"
    out = inline_params(sql, ["it's", ["seed", "a"], 3])
    assert out == (
        "SELECT '(?i)x?' AS a, 'it''s' AS b, list_contains(['seed', 'a']::VARCHAR[], s) "
        "FROM t WHERE c = 3"
    )


def test_transpile_rewrites_duckdb_only_functions() -> None:
    out = to_spark_sql("SELECT fsum(x), list_has_any(a, b) FROM t GROUP BY ALL")
    assert "FSUM" not in out.upper()
    assert "SUM(x)" in out
    assert "ARRAYS_OVERLAP(a, b)" in out
