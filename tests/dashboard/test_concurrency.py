"""Many users at once: bounded caches, bounded concurrent work, and states that never mix."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from dash_client import page_payload, payload, post

from vcflows.dashboard import create_app, explorer_of
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.layout import CONTROLS
from vcflows.dashboard.state import VIEW_PATHS
from vcflows.flows import FlowOptions


def _years(ex: Explorer) -> list[int]:
    lo, hi = ex.catalog.year_min, ex.catalog.year_max
    assert lo is not None and hi is not None
    return list(range(lo, hi + 1))


def _caches(ex: Explorer) -> dict[str, Any]:
    return {name: fn for name in dir(ex) if hasattr(fn := getattr(ex, name, None), "cache_info")}


def test_the_caches_stay_bounded_after_many_distinct_selections(demo_db: Path) -> None:
    app = create_app(demo_db, is_demo=True, cache_size=3)
    ex = explorer_of(app)
    client = app.server.test_client()
    try:
        selections = [
            f"?from={y}&attribution={a}&focus={ex.catalog.default_focus}"
            for y in _years(ex)[:5]
            for a in ("equal", "lead")
        ]
        assert len(selections) > 3
        for search in selections:
            for view in ("/world", "/country", "/flows"):
                status, _ = post(client, page_payload(view, search))
                assert status == 200
        caches = _caches(ex)
        assert {"indicators", "matrix", "profile", "totals"} <= set(caches)
        used = {name: fn.cache_info() for name, fn in caches.items()}
        assert max(info.misses for info in used.values()) > 3  # more selections than room
        assert all(info.currsize <= 3 for info in used.values()), used
    finally:
        ex.close()


def test_at_most_compute_slots_analyses_are_computed_at_once(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = threading.Lock()
    running = [0]
    peak = [0]
    # More parties than slots: it can only be passed if too many computations run at once.
    crowd = threading.Barrier(3, timeout=2.0)

    def slow_findings(self: Explorer, opts: FlowOptions, focus: str) -> Any:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            crowd.wait()
        except threading.BrokenBarrierError:
            pass
        finally:
            with lock:
                running[0] -= 1
        return (opts, focus)

    monkeypatch.setattr(Explorer, "_findings", slow_findings)
    ex = Explorer(demo_db)  # the default: two slots
    try:
        users = [
            threading.Thread(target=ex.findings, args=(FlowOptions(year_from=y), "KOR"))
            for y in _years(ex)[:3]
        ]
        for u in users:
            u.start()
        for u in users:
            u.join(timeout=30)
        assert not any(u.is_alive() for u in users)
        assert peak[0] == 2
    finally:
        ex.close()


def test_an_analysis_reading_another_keeps_its_slot(demo_db: Path) -> None:
    # The focus page's evidence reads the profile and the networks, also cached analyses:
    # with a single slot, they must run inside the slot the outer analysis holds.
    ex = Explorer(demo_db, compute_slots=1)
    done: list[Any] = []
    try:
        worker = threading.Thread(
            target=lambda: done.append(ex.implications(FlowOptions(), ex.catalog.default_focus))
        )
        worker.start()
        worker.join(timeout=300)
        assert done, "the analysis waited for its own slot"
    finally:
        ex.close()


def _sync_payload(pathname: str, search: str) -> dict[str, Any]:
    return payload(
        [
            ("url", "search"),
            *[(c, "value") for c in CONTROLS],
            *[(f"nav-{v}", "href") for v in VIEW_PATHS],
        ],
        [("url", "search", search), *[(c, "value", None) for c in CONTROLS]],
        [("url", "pathname", pathname)],
        changed=["url.search"],
    )


def test_two_users_with_different_filters_see_their_own_numbers(demo_db: Path) -> None:
    probe = Explorer(demo_db)
    years = _years(probe)
    probe.close()
    focus_a, focus_b = "KOR", "USA"
    users = {
        "a": ("/country", f"?from={years[0]}&focus={focus_a}"),
        "b": ("/country", f"?from={years[len(years) // 2]}&attribution=lead&focus={focus_b}"),
    }
    # What each user sees alone, on an app of their own.
    alone: dict[str, tuple[Any, Any]] = {}
    for user, (path, search) in users.items():
        own = create_app(demo_db, is_demo=True)
        client = own.server.test_client()
        alone[user] = (
            post(client, page_payload(path, search)),
            post(client, _sync_payload(path, search)),
        )
        explorer_of(own).close()
    assert alone["a"][0] != alone["b"][0]
    sync_a = alone["a"][1][1]["response"]
    assert sync_a["ctl-from"]["value"] == years[0] and sync_a["ctl-focus"]["value"] == focus_a

    # Both at once on one fresh app (cold caches, computations overlapping), many times.
    shared = create_app(demo_db, is_demo=True, cache_size=1)
    seen: dict[str, list[Any]] = {"a": [], "b": []}
    start = threading.Barrier(2, timeout=30)

    def browse(user: str) -> None:
        client = shared.server.test_client()
        path, search = users[user]
        start.wait()
        for _ in range(6):
            seen[user].append((post(client, page_payload(path, search)), None))
            seen[user][-1] = (seen[user][-1][0], post(client, _sync_payload(path, search)))

    threads = [threading.Thread(target=browse, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    try:
        for user in users:
            assert len(seen[user]) == 6
            assert all(got == alone[user] for got in seen[user]), user
    finally:
        explorer_of(shared).close()
