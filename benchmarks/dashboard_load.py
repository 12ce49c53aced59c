"""Load test of the dashboard: concurrent users walking the six views, driven by Locust.

The dashboard is started as an analyst starts it (``vcflows serve --db STORE``, its own
process); Locust (run here as a library) drives ``--users`` simulated browsers against it for
``--duration`` seconds. Each user is one browser tab:

- it opens the page as a browser does (``/``, ``/_dash-layout``, ``/_dash-dependencies``)
  and builds its callback requests from the dependencies the server publishes, in the
  renderer's shape (``output``, ``outputs``, ``inputs`` and ``state`` with values,
  ``changedPropIds``);
- it picks its own filters from the controls' options in the layout (a seeded choice per
  user: focus country, period, attribution, sometimes a stage), two selections that differ
  in period, and walks the six views in turn with one, then the other, and so on; each view
  change is the two requests the browser sends when the URL changes (the controls' sync and
  the page), the flows view adds a click on a matrix cell, the companies view a name search;
- it waits 1–3 s between clicks (a person reading the page).

A request fails when it is not a 200 or when the page it returns says the server failed
("Something went wrong"). At the end the users finish the request they are waiting on
(nothing in flight is dropped from the figures), the server is stopped with SIGTERM, and the
table lists, per request kind: requests, errors, p50/p95/p99 (exact, from every response
time), the first visits of a selection (cold) separately, and the server's RSS sampled every
second.

Usage::

    .venv/bin/python benchmarks/dashboard_load.py                       # 1M rounds, 20 users, 120 s
    .venv/bin/python benchmarks/dashboard_load.py --rounds 40000 --duration 30
    .venv/bin/python benchmarks/dashboard_load.py --db deals.duckdb --json out.json

Targets: 0 errors, p95 <= 1 s, server RSS bounded. Needs the ``bench`` extra (Locust).
"""

# Locust patches the standard library for gevent on import: it must come first.
from locust import HttpUser, between, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import gevent
import psutil
import requests

CALLBACK = "/_dash-update-component"
VIEWS = ("/world", "/flows", "/country", "/networks", "/companies", "/focus")
PAGE_OUTPUT = "..page.children...messages.children.."
DRILL_OUTPUT = "drill.children"
SEARCH_OUTPUT = "company-results.children"
#: Text of a view the server could not compute (callbacks.py's message).
FAILED_MARK = "Something went wrong"
TARGET_P95_S = 1.0


def _components(node: Any) -> list[dict[str, Any]]:
    """Props of every component in a serialized layout."""
    out: list[dict[str, Any]] = []
    if isinstance(node, list):
        for x in node:
            out.extend(_components(x))
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict):
            out.append(props)
            out.extend(_components(props.get("children")))
    return out


def _options(layout: Any, control: str) -> list[Any]:
    for props in _components(layout):
        if props.get("id") == control:
            return [o["value"] if isinstance(o, dict) else o for o in props.get("options", [])]
    raise SystemExit(f"the layout has no control {control!r}")


def _outputs(output: str) -> Any:
    parts = [p for p in output.strip(".").split("...")] if output.startswith("..") else [output]
    items = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    return items if output.startswith("..") else items[0]


def _body(dep: dict[str, Any], values: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    """A callback request as Dash's renderer sends it, for the dependency ``dep``."""

    def items(declared: list[dict[str, str]]) -> list[dict[str, Any]]:
        return [{**d, "value": values.get(f"{d['id']}.{d['property']}")} for d in declared]

    return {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]),
        "inputs": items(dep["inputs"]),
        "state": items(dep.get("state", [])),
        "changedPropIds": changed,
    }


class Walk:
    """One user's filters and its position in the walk over the views."""

    def __init__(self, rng: random.Random, layout: Any) -> None:
        focus = sorted(str(x) for x in _options(layout, "ctl-focus"))
        years = sorted(int(x) for x in _options(layout, "ctl-from"))
        attributions = [str(x) for x in _options(layout, "ctl-attribution")]
        stages = [str(x) for x in _options(layout, "ctl-stage")]
        self.focus = rng.choice(focus)
        self.partner = rng.choice([x for x in focus if x != self.focus] or focus)
        attribution = rng.choice(attributions)
        stage = rng.choice(stages) if stages and rng.random() < 0.3 else None
        self.searches = [rng.choice("aeiou") + rng.choice("nrst") for _ in range(2)]
        self.selections: list[dict[str, Any]] = []
        for _ in range(2):
            lo = rng.choice(years[: max(1, len(years) - 2)])
            hi = rng.choice([y for y in years if y >= lo])
            self.selections.append(
                {
                    "ctl-from.value": lo,
                    "ctl-to.value": hi,
                    "ctl-attribution.value": attribution,
                    "ctl-sector.value": "ai",
                    "ctl-stage.value": [stage] if stage else [],
                    "ctl-focus.value": self.focus,
                }
            )
        self.step = 0

    def search_of(self, sel: dict[str, Any]) -> str:
        """The query string the controls' values give (as the sync callback writes it)."""
        items = [
            ("from", sel["ctl-from.value"]),
            ("to", sel["ctl-to.value"]),
            (
                "attribution",
                "" if sel["ctl-attribution.value"] == "equal" else sel["ctl-attribution.value"],
            ),
            ("stage", ",".join(sel["ctl-stage.value"])),
            ("focus", sel["ctl-focus.value"]),
        ]
        return "?" + urlencode([(k, v) for k, v in items if v != ""], safe=",")

    def next_click(self) -> tuple[int, str, int]:
        """(selection index, view, walk number) of the next view to open."""
        n_views = len(VIEWS)
        walk, i = divmod(self.step, n_views)
        self.step += 1
        return walk % len(self.selections), VIEWS[i], walk


class DashboardUser(HttpUser):
    """A browser tab walking the dashboard's views with its own filters."""

    wait_time = between(1, 3)
    _count = 0
    deps: ClassVar[dict[str, dict[str, Any]]] = {}

    def on_start(self) -> None:
        DashboardUser._count += 1
        self.index = DashboardUser._count
        self.client.get("/", name="page load")
        layout = self.client.get("/_dash-layout", name="page load").json()
        deps = self.client.get("/_dash-dependencies", name="page load").json()
        self.deps = {d["output"]: d for d in deps}
        self.sync = next(d for d in deps if d["output"].startswith("..url.search..."))
        self.walk = Walk(random.Random(self.index), layout)

    def _post(self, name: str, body: dict[str, Any], cold: bool) -> Any:
        with self.client.post(
            CALLBACK, json=body, name=name, catch_response=True, context={"cold": cold}
        ) as resp:
            if resp.status_code != 200:
                resp.failure(f"HTTP {resp.status_code}: {resp.text[:120]}")
            elif FAILED_MARK in resp.text:
                resp.failure("the view failed on the server")
            return resp

    @task
    def click(self) -> None:
        """Open the next view of the walk (with the requests the browser sends then)."""
        which, view, walk = self.walk.next_click()
        cold = walk < len(self.walk.selections)  # first visit of this selection and view
        sel = self.walk.selections[which]
        search = self.walk.search_of(sel)
        values = {"url.pathname": view, "url.search": search, **sel}
        self._post("sync (controls)", _body(self.sync, values, ["url.search"]), cold)
        self._post(view, _body(self.deps[PAGE_OUTPUT], values, ["url.search"]), cold)
        if view == "/flows" and DRILL_OUTPUT in self.deps:
            click = {"points": [{"x": self.walk.partner, "y": self.walk.focus}]}
            values["flows-heatmap.clickData"] = click
            body = _body(self.deps[DRILL_OUTPUT], values, ["flows-heatmap.clickData"])
            self._post("/flows: drill", body, cold)
        if view == "/companies" and SEARCH_OUTPUT in self.deps:
            values["company-search.value"] = self.walk.searches[which]
            body = _body(self.deps[SEARCH_OUTPUT], values, ["company-search.value"])
            self._post("/companies: search", body, cold)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _vcflows_cli() -> str:
    beside = Path(sys.executable).with_name("vcflows")
    found = str(beside) if beside.exists() else shutil.which("vcflows")
    if not found:
        raise SystemExit("the vcflows command is not installed next to this Python")
    return found


def _start_server(db: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [_vcflows_cli(), "serve", "--db", str(db), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}); see {log_path}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"the server did not answer within 300 s; see {log_path}")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _summary(times: list[float], errors: int) -> dict[str, Any]:
    return {
        "requests": len(times) + errors,
        "errors": errors,
        "p50_ms": _pct(times, 0.50) if times else None,
        "p95_ms": _pct(times, 0.95) if times else None,
        "p99_ms": _pct(times, 0.99) if times else None,
        "max_ms": max(times) if times else None,
    }


def _fmt(ms: float | None) -> str:
    return "–" if ms is None else f"{ms / 1000:.2f}"


def _table(
    stats: dict[str, dict[str, Any]],
    cold: dict[str, dict[str, Any]],
    warm: dict[str, dict[str, Any]],
) -> list[str]:
    lines = [
        "| request | requests | errors | p50 s | p95 s | p99 s | max s "
        "| first visits: n / p95 s | revisits: n / p95 s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in stats.items():
        c, w = cold.get(name, {}), warm.get(name, {})
        first = f"{c['requests']} / {_fmt(c['p95_ms'])}" if c else "–"
        again = f"{w['requests']} / {_fmt(w['p95_ms'])}" if w else "–"
        lines.append(
            f"| {name} | {row['requests']} | {row['errors']} | {_fmt(row['p50_ms'])} "
            f"| {_fmt(row['p95_ms'])} | {_fmt(row['p99_ms'])} | {_fmt(row['max_ms'])} "
            f"| {first} | {again} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the load test; print a markdown table (and write JSON with --json)."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1_000_000, help="demo size (cached)")
    ap.add_argument("--db", type=Path, default=None, help="load this database instead")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second")
    ap.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    ap.add_argument(
        "--drain", type=float, default=600.0, help="longest wait for in-flight requests"
    )
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    from vcflows.demo import cached_db

    db = args.db or cached_db(rounds=args.rounds)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rounds = int(con.execute("SELECT count(*) FROM rounds").fetchall()[0][0])
    finally:
        con.close()

    port = _free_port()
    log_path = Path(tempfile.gettempdir()) / f"vcflows-load-server-{os.getpid()}.log"
    t0 = time.perf_counter()
    server = _start_server(db, port, log_path)
    start_s = time.perf_counter() - t0
    proc = psutil.Process(server.pid)

    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    cold_times: dict[str, list[float]] = defaultdict(list)
    cold_errors: dict[str, int] = defaultdict(int)
    warm_times: dict[str, list[float]] = defaultdict(list)
    warm_errors: dict[str, int] = defaultdict(int)
    failures: dict[str, int] = defaultdict(int)

    def on_request(name: str, response_time: float, exception: Any, context: Any, **_: Any) -> None:
        cold = (context or {}).get("cold")
        if exception is not None:
            errors[name] += 1
            failures[f"{name}: {str(exception)[:100]}"] += 1
            if cold is not None:
                (cold_errors if cold else warm_errors)[name] += 1
            return
        times[name].append(response_time)
        if cold is not None:
            (cold_times if cold else warm_times)[name].append(response_time)

    rss: list[tuple[float, int]] = []

    def sample_rss() -> None:
        while True:
            try:
                rss.append((time.perf_counter(), proc.memory_info().rss))
            except psutil.Error:
                return
            gevent.sleep(1.0)

    env = Environment(
        user_classes=[DashboardUser],
        host=f"http://127.0.0.1:{port}",
        stop_timeout=args.drain,
    )
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    sampler = gevent.spawn(sample_rss)
    rss_start = proc.memory_info().rss
    t_load = time.perf_counter()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    gevent.sleep(args.duration)
    t_stop = time.perf_counter()
    runner.stop()  # users finish the request they wait on (stop_timeout)
    runner.greenlet.join(timeout=5)
    drain_s = time.perf_counter() - t_stop
    sampler.kill()
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
    load_s = time.perf_counter() - t_load

    names = [*(("page load",) if "page load" in times else ()), "sync (controls)"]
    names += [v for v in VIEWS if v in times or v in errors]
    names += [n for n in ("/flows: drill", "/companies: search") if n in times or n in errors]
    stats = {n: _summary(times[n], errors[n]) for n in names}
    cold = {n: _summary(cold_times[n], cold_errors[n]) for n in names if n in cold_times}
    warm = {n: _summary(warm_times[n], warm_errors[n]) for n in names if n in warm_times}
    page_times = [t for v in VIEWS for t in times[v]]
    overall = _summary(page_times, sum(errors[v] for v in VIEWS))
    all_times = [t for n in names for t in times[n]]
    total = _summary(all_times, sum(errors.values()))
    rss_mb = [r / 2**20 for _, r in rss]
    half = len(rss_mb) // 2
    server_log = log_path.read_text(encoding="utf-8", errors="replace")
    tracebacks = server_log.count("Traceback")

    print(
        f"database: {db} ({rounds:,} rounds); server start {start_s:.1f} s; "
        f"{args.users} users for {args.duration:.0f} s (+{drain_s:.1f} s for the requests "
        f"in flight at the end); machine load average {os.getloadavg()[0]:.1f}"
    )
    print()
    print("\n".join(_table(stats, cold, warm)))
    print(
        f"| **all view pages** | {overall['requests']} | {overall['errors']} "
        f"| {_fmt(overall['p50_ms'])} | {_fmt(overall['p95_ms'])} | {_fmt(overall['p99_ms'])} "
        f"| {_fmt(overall['max_ms'])} | | |"
    )
    print()
    print(
        f"requests {total['requests']} ({total['requests'] / load_s:.1f}/s), errors "
        f"{total['errors']}; server RSS MB: start {rss_start / 2**20:.0f}, "
        f"peak {max(rss_mb, default=0):.0f} (first half {max(rss_mb[:half], default=0):.0f}, "
        f"second half {max(rss_mb[half:], default=0):.0f}), end {rss_mb[-1] if rss_mb else 0:.0f}; "
        f"tracebacks in the server log: {tracebacks} ({log_path})"
    )
    for what, n in sorted(failures.items()):
        print(f"  failure x{n}: {what}")
    p95_ok = overall["p95_ms"] is not None and overall["p95_ms"] <= TARGET_P95_S * 1000
    print(
        f"targets: 0 errors {'met' if total['errors'] == 0 else 'NOT met'}; "
        f"p95 <= {TARGET_P95_S:.0f} s {'met' if p95_ok else 'NOT met'}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "database": str(db),
                    "rounds": rounds,
                    "users": args.users,
                    "duration_s": args.duration,
                    "drain_s": drain_s,
                    "per_request": stats,
                    "first_visits": cold,
                    "revisits": warm,
                    "view_pages": overall,
                    "all": total,
                    "rss_mb": {
                        "start": rss_start / 2**20,
                        "peak": max(rss_mb, default=0),
                        "samples": rss_mb,
                    },
                    "failures": failures,
                    "server_tracebacks": tracebacks,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if total["errors"] == 0 and tracebacks == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
