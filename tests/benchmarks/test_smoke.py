"""Smoke test of the benchmark runner at a tiny size: correctness, not timing.

``python -m benchmarks --sizes 10k --quick`` must run every step, find the pandas baseline's
flow matrix and indicators equal to vcflows' (its ``check`` step asserts it), and write its
JSON and markdown. Timings are not asserted (shared CI machines).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.__main__ import fit_exponents, label, parse_size  # noqa: E402


def test_size_labels_round_trip() -> None:
    assert parse_size("100k") == 100_000 and parse_size("10M") == 10_000_000
    assert parse_size("2500") == 2500 and parse_size("1.5m") == 1_500_000
    assert [label(n) for n in (100_000, 1_000_000, 2500)] == ["100k", "1M", "2500"]


def test_exponent_of_linear_and_quadratic_costs() -> None:
    # time = 2e-6 * n (linear) and 1e-12 * n^2 (quadratic): slopes 1 and 2 in log-log.
    recs = [{"step": "flows", "participations": n, "wall_s": 2e-6 * n} for n in (1e4, 1e5, 1e6)] + [
        {"step": "e2e", "participations": n, "wall_s": 1e-12 * n**2} for n in (1e4, 1e6)
    ]
    exp = fit_exponents(recs)
    assert math.isclose(exp["flows"], 1.0, abs_tol=0.01)
    assert math.isclose(exp["e2e"], 2.0, abs_tol=0.01)


@pytest.mark.slow
def test_runner_smallest_size_checks_baseline_and_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "10k", "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    steps = {r["step"]: r for r in res["records"]}
    assert "report" not in steps  # --quick
    failed = {k: r["result"] for k, r in steps.items() if "error" in r["result"]}
    assert not failed
    assert steps["check"]["result"]["equal"] is True  # baseline == vcflows, asserted inside
    n = res["participations"]["10000"]
    assert steps["ingest_parquet"]["result"]["participations"] == n
    assert steps["ingest_csv"]["result"]["path"] == "vectorized"
    # Both ingests and the e2e store give the same flows (total attributed AI amount).
    assert steps["e2e"]["result"]["amount_usd"] == pytest.approx(
        steps["flows"]["result"]["amount_usd"], rel=1e-12
    )
    assert steps["baseline"]["result"]["amount_usd"] == pytest.approx(
        steps["flows"]["result"]["amount_usd"], rel=1e-9
    )
    assert steps["networks"]["result"]["ties"] > 0  # the investor networks ran on the store
    assert all(r["peak_rss_mb"] > 0 and r["cpu_s"] >= 0 for r in steps.values())
    md = (out / "results.md").read_text(encoding="utf-8")
    assert "| step | 10k" in md and "| e2e |" in md and "cores" in md


@pytest.mark.slow
def test_the_floor_computes_vcflows_answer(tmp_path: Path) -> None:
    # The floor (bare loads, inline queries) is a fair lower bound only if it computes the
    # same flow matrix as vcflows' ingest of the same clean export.
    from benchmarks.data import MAPPING, paths, prepare
    from benchmarks.floor import measure
    from vcflows.flows import FlowOptions, flow_matrix, refresh_flow_base
    from vcflows.store import connect
    from vcflows.store.bulk import ingest_generic

    prepare(10_000, log=False)
    parquet = paths(10_000)["parquet"]
    steps, floor_fm = measure(parquet)
    assert [s for s, _, _ in steps][:4] == [
        "load participations",
        "load rounds",
        "load companies",
        "load investors",
    ]
    con = connect(tmp_path / "store.duckdb")
    ingest_generic(con, [parquet], mapping=MAPPING)
    refresh_flow_base(con)
    ours = flow_matrix(con, FlowOptions())
    con.close()
    key = ["investor_country", "company_country"]
    a = floor_fm.sort_values(key).reset_index(drop=True)
    b = ours.sort_values(key).reset_index(drop=True)
    assert len(a) > 50 and list(a[key].itertuples(index=False)) == list(
        b[key].itertuples(index=False)
    )
    assert a["amount_usd"].to_numpy() == pytest.approx(b["amount_usd"].to_numpy(), rel=1e-9)
    assert a["deals"].to_numpy() == pytest.approx(b["deals"].to_numpy(), rel=1e-9)
