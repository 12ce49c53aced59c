"""Benchmark runner: ``python -m benchmarks [--sizes 100k,1M,10M] [--quick] [--out DIR]``.

For each size (participations) it prepares the demo data once (``benchmarks/.data``), runs
every step in its own process (wall, CPU, peak RSS per step), checks that the pandas baseline
gives vcflows' numbers, fits the cost growth (exponent of time vs size) and writes
``results.json`` and ``results.md`` to ``--out`` (default ``benchmarks/results``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.data import DATA, participations, prepare

ROOT = Path(__file__).resolve().parent
STEPS = (
    "ingest_csv",
    "ingest_parquet",
    "flows",
    "indicators",
    "indicators_ci",
    "profile",
    "networks",
    "report",
    "e2e",
    "baseline",
    "check",
)
INGEST_STEPS = ("ingest_csv", "ingest_parquet", "e2e")
#: --quick leaves out the slow, size-independent report render.
QUICK_SKIP = ("report",)
TARGETS = {
    "e2e_10M_s": 15.0,
    "e2e_10M_rss_mb": 2048.0,
    "speedup": 10.0,
    "report_1M_s": 10.0,
}


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1M' -> 1000000, '2500' -> 2500."""
    text = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if mult > 1 else text) * mult)


def label(size: int) -> str:
    """1000000 -> '1M', 100000 -> '100k'."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def machine() -> dict[str, Any]:
    """nproc, memory, CPU model, load, versions."""
    import duckdb
    import pandas as pd

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024**2, 1),
        "cpu_model": model or platform.processor(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pd.__version__,
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
    }


def run_step(step: str, size: int, work: Path) -> dict[str, Any]:
    """Run one step in a fresh interpreter; return its JSON record."""
    cmd = [sys.executable, "-m", "benchmarks.step", step, "--size", str(size), "--work", str(work)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        cmd, cwd=ROOT.parent, capture_output=True, text=True, env=env, check=False
    )
    if proc.returncode != 0:  # recorded, and the run goes on with the other steps
        lines = proc.stderr.strip().splitlines()
        err = [x for x in lines if "Error" in x][-1:] or lines[-1:] or ["(no message)"]
        return {
            "step": step,
            "size": size,
            "wall_s": None,
            "cpu_s": None,
            "peak_rss_mb": None,
            "result": {"error": err[0][:300]},
        }
    record: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return record


def fit_exponents(records: list[dict[str, Any]]) -> dict[str, float]:
    """Per step: slope of log(wall) vs log(participations) over the sizes run (>= 2)."""
    out: dict[str, float] = {}
    for step in STEPS:
        pts = [(r["participations"], r["wall_s"]) for r in records if r["step"] == step]
        pts = [(n, t) for n, t in pts if t is not None and t > 0]
        if len(pts) >= 2:
            x, y = np.log([p[0] for p in pts]), np.log([p[1] for p in pts])
            out[step] = round(float(np.polyfit(x, y, 1)[0]), 2)
    return out


def summarize(records: list[dict[str, Any]], sizes: list[int]) -> dict[str, Any]:
    """Speed-ups over the baseline and the targets' status."""
    by = {(r["step"], r["size"]): r for r in records}
    speed: dict[str, dict[str, float]] = {}

    def wall(step: str, size: int) -> float | None:
        r = by.get((step, size))
        return r["wall_s"] if r else None

    for size in sizes:
        base, e2e = wall("baseline", size), wall("e2e", size)
        flows, ind = wall("flows", size), wall("indicators", size)
        if not base:
            continue
        sp: dict[str, float] = {}
        if e2e:
            sp["end_to_end"] = round(base / e2e, 2)
        if flows and ind:
            sp["analysis_only"] = round(base / (flows + ind), 2)
        if sp:
            speed[label(size)] = sp
    targets: dict[str, Any] = {}
    if ("e2e", 10_000_000) in by and by[("e2e", 10_000_000)]["wall_s"] is not None:
        r = by[("e2e", 10_000_000)]
        targets["e2e_10M"] = {
            "wall_s": r["wall_s"],
            "peak_rss_mb": r["peak_rss_mb"],
            "met": r["wall_s"] <= TARGETS["e2e_10M_s"]
            and r["peak_rss_mb"] <= TARGETS["e2e_10M_rss_mb"],
        }
    if ("report", 1_000_000) in by and by[("report", 1_000_000)]["wall_s"] is not None:
        w = by[("report", 1_000_000)]["wall_s"]
        targets["report_1M"] = {"wall_s": w, "met": w <= TARGETS["report_1M_s"]}
    if speed:
        targets["speedup"] = {k: max(v.values()) >= TARGETS["speedup"] for k, v in speed.items()}
    return {"speedup": speed, "targets": targets}


def markdown(res: dict[str, Any]) -> str:
    """The results as a markdown section (machine, table, speed-ups, exponents)."""
    m = res["machine"]
    sizes: list[int] = res["sizes"]
    by = {(r["step"], r["size"]): r for r in res["records"]}
    lines = [
        "## Benchmark results",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu_model']}), {m['memory_gib']} GiB RAM, "
        f"{m['platform']}; Python {m['python']}, DuckDB {m['duckdb']}, pandas {m['pandas']}. "
        f"Load average at start {m['load_avg_start']}, at end {m.get('load_avg_end')} "
        "(other processes on the machine add to wall time). DuckDB: threads=2, "
        f"memory_limit={os.environ.get('VCFLOWS_BENCH_MEMORY', '1500MB')}.",
        "",
        "Each cell: wall s / CPU s / peak RSS MB (one process per step; RSS includes the "
        "interpreter and imports).",
        "",
        "| step | "
        + " | ".join(f"{label(s)} ({res['participations'][str(s)]:,} part.)" for s in sizes)
        + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for step in STEPS:
        cells = []
        for s in sizes:
            r = by.get((step, s))
            if r is None:
                cells.append("–")
            elif "skipped" in r["result"]:
                cells.append("skipped")
            elif "error" in r["result"]:
                cells.append("FAILED: " + r["result"]["error"][:60])
            else:
                cells.append(f"{r['wall_s']:.2f} / {r['cpu_s']:.2f} / {r['peak_rss_mb']:.0f}")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines += ["", "Speed-up over the pandas baseline (same export, same numbers checked):", ""]
    for size, sp in res["summary"]["speedup"].items():
        parts = []
        if "end_to_end" in sp:
            parts.append(
                f"end to end {sp['end_to_end']}x (ingest+flows+indicators vs pandas read+compute)"
            )
        if "analysis_only" in sp:
            parts.append(
                f"analysis only {sp['analysis_only']}x (flows+indicators on the store "
                "vs pandas read+compute)"
            )
        lines.append(f"- {size}: " + "; ".join(parts))
    if res["exponents"]:
        lines += ["", "Cost growth (slope of log time vs log size; 1 = linear):", ""]
        lines.append("- " + ", ".join(f"{k} {v}" for k, v in res["exponents"].items()))
    lines += ["", f"Targets: `{json.dumps(res['summary']['targets'])}`", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("--sizes", default="100k,1M,10M", help="participations, e.g. 100k,1M,10M")
    ap.add_argument("--quick", action="store_true", help="skip the report render step")
    ap.add_argument("--out", type=Path, default=ROOT / "results")
    ap.add_argument("--steps", default=",".join(STEPS), help="comma-separated subset")
    ap.add_argument(
        "--max-ingest-size",
        default=None,
        help="skip the ingest steps (ingest_*, e2e) above this size; analysis steps then "
        "run on the generated demo store",
    )
    args = ap.parse_args(argv)
    sizes = sorted(parse_size(x) for x in args.sizes.split(","))
    steps = [s for s in args.steps.split(",") if s in STEPS]
    if args.quick:
        steps = [s for s in steps if s not in QUICK_SKIP]
    info = machine()
    records: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for size in sizes:
        p = prepare(size)
        counts[str(size)] = participations(p["db"])
        work = DATA / f"work-{size}"
        for step in steps:
            if (
                step in INGEST_STEPS
                and args.max_ingest_size
                and size > parse_size(args.max_ingest_size)
            ):
                records.append(
                    {
                        "step": step,
                        "size": size,
                        "wall_s": None,
                        "cpu_s": None,
                        "peak_rss_mb": None,
                        "participations": counts[str(size)],
                        "result": {"skipped": f"above --max-ingest-size {args.max_ingest_size}"},
                    }
                )
                continue
            t = time.perf_counter()
            rec = run_step(step, size, work)
            rec["participations"] = counts[str(size)]
            records.append(rec)
            print(
                f"[{label(size)}] {step:15s} {rec['wall_s']}s cpu {rec['cpu_s']}s "
                f"rss {rec['peak_rss_mb']}MB {rec['result']} "
                f"({time.perf_counter() - t:.1f}s with startup)",
                flush=True,
            )
    info["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    res: dict[str, Any] = {
        "machine": info,
        "sizes": sizes,
        "participations": counts,
        "records": records,
        "exponents": fit_exponents(records),
    }
    res["summary"] = summarize(records, sizes)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    (args.out / "results.md").write_text(markdown(res), encoding="utf-8")
    print(markdown(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
