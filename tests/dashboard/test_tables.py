"""The dashboard's tables: headers in words, the CLI's column names on hover and in downloads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import renderers
from vcflows.flows import FlowOptions
from vcflows.store import connect


def _tables(node: Any, out: list[Any]) -> None:
    if isinstance(node, list | tuple):
        for child in node:
            _tables(child, out)
        return
    if type(node).__name__ == "DataTable":
        out.append(node)
        return
    children = getattr(node, "children", None)
    if children is not None:
        _tables(children, out)


@pytest.mark.parametrize("sector", ["ai", "all"])
def test_every_table_header_is_labelled(demo_db: Path, sector: str) -> None:
    con = connect(demo_db, read_only=True)
    company = str(con.execute("SELECT min(company_id) FROM rounds").fetchall()[0][0])
    con.close()
    ex = Explorer(demo_db)
    try:
        found: list[Any] = []
        for view, render in renderers().items():
            sel = Selection(
                view=view,
                opts=FlowOptions(sector=sector),
                focus="KOR",
                company=company if view == "companies" else None,
            )
            _tables(render(ex, sel).children, found)
    finally:
        ex.close()
    assert len(found) >= 10
    columns = [c for t in found for c in t.columns]
    # No header is a raw column name; each header's tooltip is that name (as in the CSV).
    assert [c["id"] for c in columns if c["name"] == c["id"]] == []
    for t in found:
        assert t.tooltip_header == {c["id"]: c["id"] for c in t.columns}
    names = {c["id"]: c["name"] for c in columns}
    assert names["share_global"] == "Share of global"
    ai_vc = "AI VC received (current USD)" if sector == "ai" else "VC received (current USD)"
    assert names["invested_in_usd"] == ai_vc


def test_networks_view_groups_big_tech_arms(open2014_sample: Path, tmp_path: Path) -> None:
    from vcflows.sources import read_source
    from vcflows.store import ingest_batch

    db = tmp_path / "cb2014.duckdb"
    con = connect(db)
    ingest_batch(con, read_source([open2014_sample], "crunchbase-open"))
    con.close()
    ex = Explorer(db)
    try:
        found: list[Any] = []
        sel = Selection(view="networks", opts=FlowOptions(sector="all"), focus="GBR")
        _tables(renderers()["networks"](ex, sel).children, found)
    finally:
        ex.close()
    groups = {t.id: t for t in found}["net-groups"]
    names = {c["id"]: c["name"] for c in groups.columns}
    assert names["corporate_group"] == "Big-tech group"
    assert "Intel" in {row["corporate_group"] for row in groups.data}
    corporate = {t.id: t for t in found}["net-corporate"]
    assert "Intel" in {row.get("corporate_group") for row in corporate.data}
