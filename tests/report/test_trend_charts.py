"""Trend charts of the focus and its peers: bands for the intervals, few-deals years hollow.

A hand universe (amounts in USD m, ``sector="all"``):

- KOR 2020: two rounds of 10, one from kr1 (KOR), one from us1 (USA): foreign share 0.5,
  2 rounds, fewer than the findings' 30: few deals.
- KOR 2021: 32 rounds of 5, half from kr1 alone, half from us1 and kr1 (equal split):
  foreign share 16 × 2.5 / 160 = 0.25, 32 rounds: not few.
- USA 2020: 100 from us1; USA 2021: 50 from us1 and cn1. CHN 2021: 40 from cn1.

The report (``prepare``) and the dashboard (its country and focus views) draw the same
library tables with the same chart functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_helpers import make_small_db

from vcflows.flows import FlowOptions
from vcflows.indicators.trends import country_trends
from vcflows.report import prepare
from vcflows.store import connect

M = 1e6
OPTS = FlowOptions(sector="all")
_KOR_2021 = [(f"k21_{i:02d}", f"kc{i:02d}") for i in range(32)]
COMPANIES = [
    ("ka", "KOR"),
    ("kb", "KOR"),
    *[(cid, "KOR") for _, cid in _KOR_2021],
    ("ua", "USA"),
    ("ub", "USA"),
    ("ca", "CHN"),
]
ROUNDS = [
    ("k20_a", "ka", "2020-03-01", 10 * M, ["kr1"]),
    ("k20_b", "kb", "2020-04-01", 10 * M, ["us1"]),
    *[
        (rid, cid, "2021-05-01", 5 * M, ["kr1"] if i % 2 == 0 else ["us1", "kr1"])
        for i, (rid, cid) in enumerate(_KOR_2021)
    ],
    ("u20", "ua", "2020-02-01", 100 * M, ["us1"]),
    ("u21", "ub", "2021-02-01", 50 * M, ["us1", "cn1"]),
    ("c21", "ca", "2021-03-01", 40 * M, ["cn1"]),
]


@pytest.fixture(scope="module")
def trend_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_small_db(tmp_path_factory.mktemp("trend") / "trend.duckdb", COMPANIES, ROUNDS)


@pytest.fixture(scope="module")
def parts(trend_db: Path) -> dict[str, dict[str, Any]]:
    con = connect(trend_db, read_only=True)
    try:
        return {lang: prepare(con, focus="KOR", opts=OPTS, lang=lang) for lang in ("en", "ko")}
    finally:
        con.close()


def test_trend_table_has_the_hand_computed_shares_and_few_deals_flags(trend_db: Path) -> None:
    con = connect(trend_db, read_only=True)
    try:
        got = country_trends(con, OPTS, ["KOR", "USA"]).set_index(["country", "year"])
    finally:
        con.close()
    assert list(got.index) == [("KOR", 2020), ("KOR", 2021), ("USA", 2020), ("USA", 2021)]
    kor20, kor21 = got.loc[("KOR", 2020)], got.loc[("KOR", 2021)]
    assert kor20["foreign_share_in"] == pytest.approx(0.5)
    assert kor21["foreign_share_in"] == pytest.approx(0.25)
    assert (kor20["rounds_in"], kor21["rounds_in"]) == (2, 32)
    assert bool(kor20["few_rounds_in"]) and not bool(kor21["few_rounds_in"])
    assert kor20["invested_in_usd"] == pytest.approx(20 * M)
    assert kor21["invested_in_usd"] == pytest.approx(160 * M)
    # USA's investors: 2020 in u20 and k20_b (2 rounds), 2021 in u21 and 16 KOR rounds.
    assert got.loc[("USA", 2021), "rounds_out"] == 17
    assert got.loc[("USA", 2021), "overseas_share_out"] == pytest.approx(40 / 65)
    for share in ("foreign_share_in", "overseas_share_out"):
        ok = got[share].notna()
        assert (got.loc[ok, f"{share}_ci_low"] <= got.loc[ok, share]).all()
        assert (got.loc[ok, share] <= got.loc[ok, f"{share}_ci_high"]).all()
    # The 2021 interval is a real one (rounds differ); 2020 has two rounds of 0 and 1.
    assert kor21["foreign_share_in_ci_low"] < 0.25 < kor21["foreign_share_in_ci_high"]
    with pytest.raises(KeyError):
        got.loc[("CHN", 2021)]  # not asked for


def _traces(fig: Any, country_name: str) -> list[Any]:
    """Traces of one country's panel (those on the axes of the panel titled with its name)."""
    titles = [a.text for a in fig.layout.annotations]
    k = titles.index(country_name) + 1
    xaxis = "x" if k == 1 else f"x{k}"
    return [t for t in fig.data if t.xaxis == xaxis and t.x is not None and t.x[0] is not None]


def test_report_draws_the_interval_as_a_band_and_a_sparse_year_hollow(
    parts: dict[str, dict[str, Any]],
) -> None:
    en = parts["en"]
    table = en["data"]["tables"]["trend_foreign_share"].set_index(["country", "year"])
    chart = en["charts"]["trend_foreign_share"]
    kor = _traces(chart.figure, "South Korea")
    band = [t for t in kor if t.fill == "tonexty"]
    assert len(band) == 1
    lower = kor[kor.index(band[0]) - 1]  # the band fills down to the trace before it
    assert list(band[0].x) == [2020, 2021]
    assert list(band[0].y) == pytest.approx(
        [100 * table.loc[("KOR", y), "foreign_share_in_ci_high"] for y in (2020, 2021)]
    )
    assert list(lower.y) == pytest.approx(
        [100 * table.loc[("KOR", y), "foreign_share_in_ci_low"] for y in (2020, 2021)]
    )
    hollow = [t for t in kor if t.mode == "markers" and t.marker.symbol == "circle-open"]
    solid = [t for t in kor if t.mode == "markers" and t.marker.symbol == "circle"]
    assert [list(t.x) for t in hollow] == [[2020]] and [list(t.x) for t in solid] == [[2021]]
    assert "few deals" in hollow[0].text[0] and "few deals" not in solid[0].text[0]
    legend = [t.name for t in chart.figure.data if t.showlegend]
    assert "few deals (fewer than 30 rounds)" in legend and "90% interval" in legend
    # The focus chapter shows the three trend charts.
    focus = next(ch for ch in en["chapters"] if ch.get("id") == "focus")
    shown = [b["chart"].id for b in focus["blocks"] if b["kind"] == "chart"]
    assert [c for c in shown if c.startswith("trend_")] == [
        "trend_amounts",
        "trend_foreign_share",
        "trend_overseas_share",
    ]
    amounts = _amount_markers(en["charts"]["trend_amounts"].figure, "South Korea")
    assert amounts == {"circle-open": [2020], "circle": [2021]}


def _amount_markers(fig: Any, name: str) -> dict[str, list[int]]:
    return {
        t.marker.symbol: list(t.x)
        for t in fig.data
        if t.mode == "markers" and t.name == name and t.x is not None and t.x[0] is not None
    }


def test_korean_edition_labels_few_deals_from_the_i18n_table(
    parts: dict[str, dict[str, Any]],
) -> None:
    chart = parts["ko"]["charts"]["trend_foreign_share"]
    legend = [t.name for t in chart.figure.data if t.showlegend]
    assert "거래 적음 (라운드 30건 미만)" in legend
    hollow = [
        t for t in chart.figure.data if t.mode == "markers" and t.marker.symbol == "circle-open"
    ]
    assert hollow and all(
        "거래 적음" in text for t in hollow if t.x[0] is not None for text in t.text
    )


def test_no_hollow_point_where_every_year_has_enough_rounds(tmp_path: Path) -> None:
    """Drop KOR's two 2020 rounds: no year of KOR is few, so nothing of KOR is hollow."""
    rounds = [r for r in ROUNDS if not r[0].startswith("k20")]
    db = make_small_db(tmp_path / "dense.duckdb", COMPANIES, rounds)
    con = connect(db, read_only=True)
    try:
        got = prepare(con, focus="KOR", opts=OPTS, lang="en")
    finally:
        con.close()
    kor = _traces(got["charts"]["trend_foreign_share"].figure, "South Korea")
    assert [t.marker.symbol for t in kor if t.mode == "markers"] == ["circle"]


def test_dashboard_country_and_focus_views_draw_the_report_s_trend_charts(
    trend_db: Path, parts: dict[str, dict[str, Any]]
) -> None:
    from vcflows.dashboard.data import Explorer
    from vcflows.dashboard.state import Selection
    from vcflows.dashboard.views import country, focus

    report_fig = parts["en"]["charts"]["trend_foreign_share"].figure
    ex = Explorer(trend_db)
    try:
        sel = Selection(view="country", opts=OPTS, focus="KOR")
        for view, prefix in ((country, "country"), (focus, "focus")):
            graphs = _graphs(view.render(ex, sel).children)
            fig = graphs[f"{prefix}-trend-foreign-share"]
            assert (
                f"{prefix}-trend-amounts" in graphs and f"{prefix}-trend-overseas-share" in graphs
            )
            kor = _traces(fig, "South Korea")
            band = [t for t in kor if t.fill == "tonexty"]
            want = [t for t in _traces(report_fig, "South Korea") if t.fill == "tonexty"]
            assert list(band[0].y) == list(want[0].y)  # the report's numbers, one code path
            hollow = [t for t in kor if t.mode == "markers" and t.marker.symbol == "circle-open"]
            assert [list(t.x) for t in hollow] == [[2020]]
            assert "few deals" in hollow[0].text[0]
    finally:
        ex.close()


def _graphs(children: Any) -> dict[str, Any]:
    """Every dcc.Graph under ``children`` by id -> its figure."""
    from dash import dcc

    out: dict[str, Any] = {}
    stack = list(children) if isinstance(children, list | tuple) else [children]
    while stack:
        node = stack.pop()
        if isinstance(node, dcc.Graph):
            out[str(node.id)] = node.figure
        kids = getattr(node, "children", None)
        if isinstance(kids, list | tuple):
            stack.extend(kids)
        elif kids is not None and not isinstance(kids, str | int | float):
            stack.append(kids)
    return out


def test_trend_tables_are_exported_beside_the_other_tables(
    parts: dict[str, dict[str, Any]],
) -> None:
    tables = parts["en"]["data"]["tables"]
    for name in ("trend_amounts", "trend_foreign_share", "trend_overseas_share"):
        assert isinstance(tables[name], pd.DataFrame) and not tables[name].empty
    assert set(tables["trend_amounts"]["country"]) == {"KOR", "USA", "CHN"}
