"""The focus page shows the report's findings scorecard, row for row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import renderers
from vcflows.findings import evaluate_findings
from vcflows.flows import FlowOptions
from vcflows.presentation.scorecard import scorecard_frame
from vcflows.presentation.tables import cell, column_kind
from vcflows.store import connect


def _table(node: Any, table_id: str) -> Any:
    if isinstance(node, list | tuple):
        for child in node:
            hit = _table(child, table_id)
            if hit is not None:
                return hit
        return None
    if getattr(node, "id", None) == table_id:
        return node
    children = getattr(node, "children", None)
    return None if children is None else _table(children, table_id)


def test_focus_page_scorecard_is_the_report_s(demo_db: Path) -> None:
    sel = Selection(view="focus", opts=FlowOptions(year_from=2015), focus="KOR")
    con = connect(demo_db, read_only=True)
    try:
        want = scorecard_frame(evaluate_findings(con, sel.opts, "KOR"), fg.text_for(sel))
    finally:
        con.close()
    ex = Explorer(demo_db)
    try:
        table = _table(renderers()["focus"](ex, sel).children, "focus-findings")
    finally:
        ex.close()
    assert table is not None
    assert [c["id"] for c in table.columns] == list(want.columns)
    text = fg.text_for(sel)
    assert [r["verdict"] for r in table.data] == [
        cell(v, column_kind("verdict"), text) for v in want["verdict"]
    ]
    assert [r["country"] for r in table.data][:3] == [
        text.country(c) for c in ("USA", "USA", "CHN")
    ]
