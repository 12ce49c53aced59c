"""Latency of typical dashboard interactions on the demo universe (default: 1M rounds).

Each interaction is the callback request the browser sends (POST /_dash-update-component),
issued through Flask's test client, so the time covers validation, the library calls, the
figures and the JSON response, but not the network or the browser's drawing.

- cold: the first time each interaction runs on a fresh app (empty caches; the selection's
  analyses run), in the order an analyst would click;
- warm: the same interactions repeated ``--repeat`` times (results cached per selection).

Usage::

    .venv/bin/python benchmarks/dashboard_latency.py               # 1M rounds (built once, cached)
    .venv/bin/python benchmarks/dashboard_latency.py --rounds 40000 --repeat 10
    .venv/bin/python benchmarks/dashboard_latency.py --db deals.duckdb --json out.json

Target: warm p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def _page(path: str, search: str) -> dict[str, Any]:
    return {
        "output": "..page.children...messages.children..",
        "outputs": [
            {"id": "page", "property": "children"},
            {"id": "messages", "property": "children"},
        ],
        "inputs": [
            {"id": "url", "property": "pathname", "value": path},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.search"],
    }


def _single(
    out: tuple[str, str], inp: tuple[str, str, Any], path: str, search: str
) -> dict[str, Any]:
    return {
        "output": f"{out[0]}.{out[1]}",
        "outputs": {"id": out[0], "property": out[1]},
        "inputs": [{"id": inp[0], "property": inp[1], "value": inp[2]}],
        "state": [
            {"id": "url", "property": "pathname", "value": path},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": [f"{inp[0]}.{inp[1]}"],
    }


def interactions(
    focus: str, other: str, cell: tuple[str, str], year: int
) -> list[tuple[str, dict[str, Any]]]:
    """The click sequence measured: (label, callback request body)."""
    q0 = f"?focus={focus}"
    q1 = f"?from={year}&focus={focus}"
    q2 = f"?from={year}&focus={other}"
    click = {"points": [{"x": cell[1], "y": cell[0]}]}
    return [
        ("open world overview", _page("/world", q0)),
        ("change period (from)", _page("/world", q1)),
        ("switch to bilateral flows", _page("/flows", q1)),
        (
            "drill into a matrix cell",
            _single(("drill", "children"), ("flows-heatmap", "clickData", click), "/flows", q1),
        ),
        ("switch to country page", _page("/country", q1)),
        ("change focus country", _page("/country", q2)),
        ("change attribution (lead)", _page("/world", q1 + "&attribution=lead")),
        (
            "company search",
            _single(
                ("company-results", "children"),
                ("company-search", "value", "pay"),
                "/companies",
                q1,
            ),
        ),
        ("switch to networks", _page("/networks", q1)),
        ("switch to focus profile", _page("/focus", q1)),
    ]


def _time(client: Any, body: dict[str, Any]) -> float:
    t0 = time.perf_counter()
    resp = client.post(
        "/_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    resp.get_data()
    dt = time.perf_counter() - t0
    if resp.status_code != 200:
        raise SystemExit(
            f"callback failed ({resp.status_code}): {resp.get_data(as_text=True)[:300]}"
        )
    return dt


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a table (and write JSON with --json)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--rounds", type=int, default=1_000_000, help="demo size (cached after the first build)"
    )
    ap.add_argument(
        "--db", type=Path, default=None, help="benchmark this database instead of the demo"
    )
    ap.add_argument("--repeat", type=int, default=20, help="warm repetitions of the sequence")
    ap.add_argument("--focus", default="KOR")
    ap.add_argument("--other", default="DEU", help="second focus country")
    ap.add_argument("--year", type=int, default=2020, help="'from' year of the period change")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    from vcflows.dashboard import create_app, explorer_of
    from vcflows.demo import cached_db

    t0 = time.perf_counter()
    db = args.db or cached_db(rounds=args.rounds)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    app = create_app(db, is_demo=args.db is None)
    start_s = time.perf_counter() - t0
    ex = explorer_of(app)
    with ex.cursor() as cur:
        rounds = int(cur.execute("SELECT count(*) FROM rounds").fetchall()[0][0])
    client = app.server.test_client()
    seq = interactions(args.focus, args.other, ("USA", "GBR"), args.year)

    cold = {label: _time(client, body) for label, body in seq}
    warm: dict[str, list[float]] = {label: [] for label, _ in seq}
    for _ in range(args.repeat):
        for label, body in seq:
            warm[label].append(_time(client, body))
    all_warm = [x for xs in warm.values() for x in xs]

    print(
        f"database: {db} ({rounds:,} rounds); build/cache {build_s:.1f} s, app start {start_s:.2f} s"
    )
    print(f"{'interaction':32} {'cold ms':>10} {'warm p50':>10} {'warm p95':>10}")
    for label, _ in seq:
        xs = warm[label]
        print(
            f"{label:32} {cold[label] * 1e3:10.0f} {_pct(xs, 0.5) * 1e3:10.1f} {_pct(xs, 0.95) * 1e3:10.1f}"
        )
    cold_all = list(cold.values())
    print(
        f"{'ALL':32} p50 {statistics.median(cold_all) * 1e3:6.0f} / p95 {_pct(cold_all, 0.95) * 1e3:6.0f}"
        f" {_pct(all_warm, 0.5) * 1e3:10.1f} {_pct(all_warm, 0.95) * 1e3:10.1f}"
    )
    ok = _pct(all_warm, 0.95) <= 0.300
    print(f"target warm p95 <= 300 ms: {'met' if ok else 'NOT met'}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "database": str(db),
                    "rounds": rounds,
                    "repeat": args.repeat,
                    "cold_ms": {k: v * 1e3 for k, v in cold.items()},
                    "warm_p50_ms": {k: _pct(v, 0.5) * 1e3 for k, v in warm.items()},
                    "warm_p95_ms": {k: _pct(v, 0.95) * 1e3 for k, v in warm.items()},
                    "warm_all_p50_ms": _pct(all_warm, 0.5) * 1e3,
                    "warm_all_p95_ms": _pct(all_warm, 0.95) * 1e3,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
