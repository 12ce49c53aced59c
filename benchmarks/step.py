"""One benchmark step in its own process, so that peak RSS is the step's own.

``python -m benchmarks.step STEP --size N --work DIR`` prints one JSON line: wall and CPU
seconds of the step (imports excluded), the process's peak RSS, and a few result figures used
for the correctness checks. Steps: ingest_csv, ingest_parquet (leaves ``DIR/store.duckdb`` for
the analysis steps), flows, indicators, indicators_ci (with 200-resample intervals), profile, networks (syndicate and corporate
investor networks), report, e2e (ingest Parquet -> flows ->
indicators into a fresh store), baseline (pandas, same export), check (baseline == vcflows).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from benchmarks import baseline_pandas
from benchmarks.data import MAPPING, paths

#: DuckDB settings of every vcflows step: the machine's 2 cores, bounded memory (spills to
#: disk beyond), and no insertion-order bookkeeping for the analytical queries.
SETTINGS = {
    "threads": "2",
    "memory_limit": f"'{os.environ.get('VCFLOWS_BENCH_MEMORY', '1500MB')}'",
    "preserve_insertion_order": "false",
    "enable_progress_bar": "false",
}
FOCUS = "KOR"
#: Resamples of the interval step (the issue's target: 200 in ≤ 10 s at 1M participations).
CI_RESAMPLES = 200


def _connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    from vcflows.store import connect

    con = connect(path, read_only=read_only)
    for key, value in SETTINGS.items():
        con.execute(f"SET {key} = {value}").fetchall()
    return con


def _ingest(work: Path, source: Path, db: Path) -> dict[str, Any]:
    from vcflows.flows import refresh_flow_base
    from vcflows.store.bulk import ingest_generic

    if db.exists():
        db.unlink()
    con = _connect(db)
    res = ingest_generic(con, [source], mapping=MAPPING)
    refresh_flow_base(con)  # part of every ingest (as `vcflows ingest` does)
    con.close()
    return {
        "rows_read": sum(a.read for a in res.accounts),
        "participations": res.new_records["participations"],
        "path": "vectorized" if any("vectorized" in n for n in res.notes) else "row-by-row",
    }


def _flows(db: Path) -> dict[str, Any]:
    from vcflows.flows import FlowOptions, flow_matrix

    con = _connect(db, read_only=True)
    m = flow_matrix(con, FlowOptions())
    return {"pairs": len(m), "amount_usd": float(m["amount_usd"].sum())}


def _indicators(db: Path) -> dict[str, Any]:
    from vcflows.flows import FlowOptions
    from vcflows.indicators import country_indicators

    con = _connect(db, read_only=True)
    ind = country_indicators(con, FlowOptions())
    return {"countries": len(ind), "invested_in_usd": float(ind["invested_in_usd"].sum())}


def _indicators_ci(db: Path) -> dict[str, Any]:
    """All country indicators with 90% intervals from 200 Poisson resamples of the rounds."""
    from vcflows.flows import FlowOptions
    from vcflows.indicators import IntervalOptions, country_indicators

    con = _connect(db, read_only=True)
    ci = IntervalOptions(level=0.9, resamples=CI_RESAMPLES, seed=0)
    ind = country_indicators(con, FlowOptions(), ci=ci)
    return {
        "countries": len(ind),
        "resamples": CI_RESAMPLES,
        "foreign_share_in_ci_defined": int(ind["foreign_share_in_ci_low"].notna().sum()),
    }


def _profile(db: Path) -> dict[str, Any]:
    from vcflows.flows import FlowOptions
    from vcflows.indicators import profile

    con = _connect(db, read_only=True)
    p = profile(con, FOCUS, FlowOptions())
    return {"rank": p.rank, "partners": len(p.partners)}


def _networks(db: Path) -> dict[str, Any]:
    from vcflows.flows import FlowOptions
    from vcflows.network import corporate_network, syndicate_network

    con = _connect(db, read_only=True)
    syn = syndicate_network(con, FlowOptions())
    corp = corporate_network(con, FlowOptions())
    return {"ties": syn.n_ties, "corporate_investors": len(corp.investors)}


def _report(db: Path, work: Path) -> dict[str, Any]:
    try:
        from vcflows.report import build_report
    except ImportError:
        return {"skipped": "vcflows.report.build_report not available"}
    con = _connect(db, read_only=True)
    out = work / "report" / "report.html"
    build_report(con, focus=FOCUS, out=out)
    return {"html_bytes": out.stat().st_size}


def _e2e(work: Path, source: Path) -> dict[str, Any]:
    db = work / "e2e.duckdb"
    info = _ingest(work, source, db)
    info.update(_flows(db))
    info.update(_indicators(db))
    db.unlink()
    return info


def _baseline(source: Path) -> dict[str, Any]:
    m, ind = baseline_pandas.run(source)
    return {"pairs": len(m), "amount_usd": float(m["amount_usd"].sum()), "countries": len(ind)}


def _check(db: Path, source: Path) -> dict[str, Any]:
    """Baseline == vcflows on this size (raises AssertionError otherwise)."""
    from vcflows.flows import FlowOptions, flow_matrix
    from vcflows.indicators import country_indicators

    con = _connect(db, read_only=True)
    m, ind = baseline_pandas.run(source)
    baseline_pandas.compare(
        m, ind, flow_matrix(con, FlowOptions()), country_indicators(con, FlowOptions())
    )
    return {"equal": True, "pairs": len(m)}


def _store(work: Path, size: int) -> tuple[Path, str]:
    """The ingested store, or the generated demo store when the ingest step failed."""
    db = work / "store.duckdb"
    if db.exists() and (work / "store.ok").exists():
        return db, "ingested"
    return paths(size)["db"], "generated demo store (ingest step failed or not run)"


def run_step(step: str, size: int, work: Path) -> dict[str, Any]:
    """Run one step, timed; return its measurements and result figures."""
    p = paths(size)
    db, store = _store(work, size)
    if step == "ingest_parquet":
        (work / "store.ok").unlink(missing_ok=True)
        db = work / "store.duckdb"
    steps: dict[str, Callable[[], dict[str, Any]]] = {
        "ingest_csv": lambda: _ingest(work, p["csv"], work / "csv.duckdb"),
        "ingest_parquet": lambda: _ingest(work, p["parquet"], db),
        "flows": lambda: _flows(db),
        "indicators": lambda: _indicators(db),
        "indicators_ci": lambda: _indicators_ci(db),
        "profile": lambda: _profile(db),
        "networks": lambda: _networks(db),
        "report": lambda: _report(db, work),
        "e2e": lambda: _e2e(work, p["parquet"]),
        "baseline": lambda: _baseline(p["parquet"]),
        "check": lambda: _check(db, p["parquet"]),
    }
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    result = steps[step]()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    if step == "ingest_parquet":
        (work / "store.ok").touch()
    elif step in ("flows", "indicators", "indicators_ci", "profile", "networks", "report", "check"):
        result["store"] = store
    if step == "ingest_csv":
        (work / "csv.duckdb").unlink(missing_ok=True)
        shutil.rmtree(work / "csv.duckdb.tmp", ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "step": step,
        "size": size,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "peak_rss_mb": round(after.ru_maxrss / 1024, 1),  # Linux: KiB
        "result": result,
    }


def main(argv: list[str] | None = None) -> None:
    """Command line: run one step and print its JSON line."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.step")
    ap.add_argument("step")
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--work", type=Path, required=True)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(run_step(args.step, args.size, args.work)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
