"""The scale-up implication's queries, run as written, give its figures (synthetic demo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vcflows import FlowOptions, connect, stage_shares
from vcflows.demo import generate
from vcflows.policy import assess


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "demo.duckdb"
    con = connect(path)
    try:
        generate(con, rounds=10_000, seed=42)  # deterministic: Korea's late/early ratio 0.39
    finally:
        con.close()
    return path


def test_scale_up_queries_reproduce_the_figures(demo: Path) -> None:
    con = connect(demo, read_only=True)
    try:
        result = assess(con, "KOR", FlowOptions(), with_gravity=False)
        items = {i.id: i for i in result.implications}
        item = items["scale_up"]
        ns: dict[str, object] = {"con": con, "FlowOptions": FlowOptions}
        ns["stage_shares"] = stage_shares
        *setup, focus_q, median_q = item.queries
        for line in setup:
            exec(line, ns)
        shares_q, ratio_q = focus_q.split("; ")
        early, late = eval(shares_q, ns).tolist()
        assert (early, late) == (item.figures["early_share"], item.figures["late_share"])
        assert eval(ratio_q, ns) == pytest.approx(item.figures["ratio"], rel=1e-12)
        assert eval(median_q, ns) == pytest.approx(item.figures["peer_median"], rel=1e-12)
        assert item.figures["ratio"] < item.figures["peer_median"]
    finally:
        con.close()
