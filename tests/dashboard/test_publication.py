"""The dashboard reads like the report (issue 21, Dashboard): one order on both axes of the flow
matrix, titles that say how tables are sorted, cells formatted by the presentation layer, the
report's gravity ratio and peer group."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import renderers
from vcflows.flows import FlowOptions
from vcflows.indicators import profile
from vcflows.presentation.tables import cell, column_kind
from vcflows.report._analyses import gravity as report_gravity
from vcflows.store import connect


@pytest.fixture(scope="module")
def ex(demo_db: Path) -> Iterator[Explorer]:
    explorer = Explorer(demo_db)
    yield explorer
    explorer.close()


def _find(node: Any, out: list[Any]) -> None:
    """Every component with an id or a title below ``node`` (depth first)."""
    if isinstance(node, list | tuple):
        for child in node:
            _find(child, out)
        return
    if hasattr(node, "_type"):
        out.append(node)
    children = getattr(node, "children", None)
    if children is not None and not isinstance(children, str):
        _find(children, out)


def _components(ex: Explorer, sel: Selection) -> list[Any]:
    found: list[Any] = []
    _find(renderers()[sel.view](ex, sel).children, found)
    return found


def _by_id(ex: Explorer, sel: Selection, component_id: str) -> Any:
    hits = [c for c in _components(ex, sel) if getattr(c, "id", None) == component_id]
    assert hits, f"no component {component_id} in the {sel.view} view"
    return hits[0]


def _texts(ex: Explorer, sel: Selection) -> str:
    parts: list[str] = []
    for comp in _components(ex, sel):
        children = getattr(comp, "children", None)
        if isinstance(children, str):
            parts.append(children)
    return "\n".join(parts)


def test_flow_matrix_rows_and_columns_are_the_same_countries(ex: Explorer) -> None:
    fm = ex.matrix(FlowOptions())
    fig = fg.heatmap(fm, "source")
    assert fig is not None
    trace = fig.data[0]
    rows, cols = list(trace.y), list(trace.x)
    assert rows == cols  # row i and column i are the same country
    # So the diagonal is domestic: cell (i, i) is what country i's investors put at home.
    home = fm[fm["investor_country"] == fm["company_country"]]
    home = home.groupby("investor_country")["amount_usd"].sum()
    z = np.asarray(trace.z, dtype=float)
    checked = 0
    for i, country in enumerate(rows):
        if float(home.get(country, 0.0)) > 0:
            assert math.isclose(z[i][i], math.log10(float(home[country])), rel_tol=1e-12)
            checked += 1
    assert checked >= 2
    # Ordered by total volume (sent plus received), largest first.
    volume = (
        fm.groupby("investor_country")["amount_usd"]
        .sum()
        .add(fm.groupby("company_country")["amount_usd"].sum(), fill_value=0.0)
    )
    assert [float(volume[c]) for c in rows] == sorted(
        (float(volume[c]) for c in rows), reverse=True
    )


def test_corporate_investors_are_listed_most_central_first(ex: Explorer) -> None:
    sel = Selection(view="networks", opts=FlowOptions(), focus="KOR")
    text = _texts(ex, sel)
    assert "Corporate investors (most central first)" in text
    shown = _by_id(ex, sel, "net-corporate")
    raw = ex.corporate(sel.opts).investors.set_index("investor_id")
    centrality = [float(raw.loc[r["investor_id"], "degree_centrality"]) for r in shown.data]
    assert len(centrality) >= 5
    assert len(set(centrality)) >= 2  # the order is tested on distinct values
    assert centrality == sorted(centrality, reverse=True)
    # The most central of all corporate investors is listed first.
    assert centrality[0] == float(raw["degree_centrality"].max())


def test_company_search_runs_as_you_type(ex: Explorer) -> None:
    from vcflows.dashboard.views.companies import MIN_SEARCH

    sel = Selection(view="companies", opts=FlowOptions(), focus="KOR")
    box = _by_id(ex, sel, "company-search")
    hint = _texts(ex, sel)
    assert f"Type at least {MIN_SEARCH} characters" in hint
    # debounce=True sends the text only on Enter or blur; a number of seconds sends it once
    # typing pauses, which is what "type at least 2 characters" promises.
    assert not isinstance(box.debounce, bool)
    assert 0 < float(box.debounce) <= 1.0


def _check_cells(table: Any, frame: Any, text: Any) -> int:
    """Every cell of a rendered table is the presentation layer's text of the raw value."""
    assert len(table.data) == len(frame)
    n = 0
    for col in (c["id"] for c in table.columns):
        kind = column_kind(col)
        if frame[col].map(lambda v: isinstance(v, list | dict)).any():
            continue  # partner lists: covered by their own formatting
        for shown, raw in zip((r[col] for r in table.data), frame[col], strict=True):
            assert shown == cell(raw, kind, text), (col, raw, shown)
            n += 1
    return n


def test_world_table_cells_are_formatted_as_in_the_report(ex: Explorer) -> None:
    sel = Selection(view="world", opts=FlowOptions(), focus="KOR")
    view = renderers()["world"](ex, sel)
    table = _by_id(ex, sel, "view-table")
    text = fg.text_for(sel)
    assert _check_cells(table, view.table, text) > 50
    first = table.data[0]
    raw = view.table.iloc[0]
    assert first["country"] == text.country(str(raw["country"]))  # a name, not an ISO code
    assert first["country"] != raw["country"]
    assert first["invested_in_usd"].endswith((" bn", " m", " tn", " k"))  # rounded, with unit
    for col in (c["id"] for c in table.columns):
        if column_kind(col) == "count":  # one rounding rule for deal weights
            for shown, value in zip((r[col] for r in table.data), view.table[col], strict=True):
                assert shown == cell(value, "count", text)


def test_funding_path_days_are_whole(ex: Explorer, demo_db: Path) -> None:
    con = connect(demo_db, read_only=True)
    try:
        (company,) = con.execute(
            "SELECT company_id FROM rounds GROUP BY company_id HAVING count(*) >= 3 "
            "ORDER BY company_id LIMIT 1"
        ).fetchall()[0]
    finally:
        con.close()
    sel = Selection(view="companies", opts=FlowOptions(), focus="KOR", company=str(company))
    view = renderers()["companies"](ex, sel)
    table = _by_id(ex, sel, "view-table")
    assert _check_cells(table, view.table, fg.text_for(sel)) > 10
    days = [r["days_since_previous"] for r in table.data if r["days_since_previous"] != "–"]
    assert days
    assert all(".000" not in d for d in days)
    assert column_kind("days_since_previous") == "count"


def test_focus_gravity_ratio_is_the_report_s(ex: Explorer) -> None:
    sel = Selection(view="focus", opts=FlowOptions(), focus="KOR")
    table = _by_id(ex, sel, "focus-gaps")
    ids = [c["id"] for c in table.columns]
    assert "expected_over_actual" in ids
    assert "ratio" not in ids  # actual / expected: the inverse of what the report quotes
    want = report_gravity(ex.matrix(sel.opts), "KOR")["gaps"]
    text = fg.text_for(sel)
    by_partner = {r["partner"]: r["expected_over_actual"] for r in table.data}
    assert len(by_partner) >= 1
    for _, row in want.iterrows():
        name = text.country(str(row["partner"]))
        assert by_partner[name] == cell(row["expected_over_actual"], "ratio", text)
    # Expected over actual of an under-invested partner is above 1.
    assert all(float(v) > 1 for v in want["expected_over_actual"].dropna())


def test_country_peers_are_the_report_s(ex: Explorer, demo_db: Path) -> None:
    sel = Selection(view="country", opts=FlowOptions(), focus="KOR")
    con = connect(demo_db, read_only=True)
    try:
        prof = profile(con, "KOR", sel.opts)
    finally:
        con.close()
    group = prof.indicators
    want = set(group.loc[(group["country"] != "KOR") & (group["invested_in_usd"] > 0), "country"])
    text = fg.text_for(sel)
    table = _by_id(ex, sel, "view-table")
    shown = {r["country"] for r in table.data}
    assert shown == {text.country(c) for c in want | {"KOR"}}
    words = _texts(ex, sel)
    assert f"the {len(want)} other countries" in words
    assert "three places" not in words
    # The focus profile's peer table says the same of the same group.
    focus_sel = Selection(view="focus", opts=FlowOptions(), focus="KOR")
    assert f"the {len(want)} other countries" in _texts(ex, focus_sel)


def test_fund_scenario_columns_are_formatted_by_indicator(ex: Explorer) -> None:
    sel = Selection(view="focus", opts=FlowOptions(), focus="KOR")
    table = _by_id(ex, sel, "focus-scenario")
    # The library's comparison (a row per indicator), turned round: a column per indicator.
    comparison = ex.fund_scenario(sel.opts, "KOR").comparison.set_index("indicator")
    wide = comparison[["baseline", "scenario", "change"]].T.reset_index(drop=True)
    text = fg.text_for(sel)
    ids = [c["id"] for c in table.columns]
    assert "invested_in_usd" in ids  # one column per indicator, as the report shows it
    for col in ids:
        if col == "scenario_case":
            assert [r[col] for r in table.data] == [
                text.section("label")[k] for k in ("baseline", "with_fund", "change")
            ]
            continue
        for shown, raw in zip((r[col] for r in table.data), wide[col], strict=True):
            assert shown == cell(raw, column_kind(col), text), (col, raw)
    money = [r["invested_in_usd"] for r in table.data]
    assert all(m.startswith(("$", "-$", "–")) and "," not in m for m in money), money
