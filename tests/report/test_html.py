"""The HTML report: self-contained (no external fetch), structured, with its exports."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from report_helpers import OPTS

from vcflows.presentation.i18n import Text
from vcflows.presentation.tables import column_label
from vcflows.report import ReportResult, build_report
from vcflows.store import connect

_FETCHING = {
    ("script", "src"),
    ("img", "src"),
    ("link", "href"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("image", "href"),
}


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fetch: list[str] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0
        self.imports: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if value is None:
                continue
            if (tag, name) in _FETCHING:
                self.fetch.append(value)
            if tag == "a" and name == "href":
                self.links.append(value)
        self.scripts += tag == "script"
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style and ("@import" in data or "url(http" in data):
            self.imports.append(data[:80])


def _build(db: Path, out: Path, **kw: object) -> ReportResult:
    con = connect(db, read_only=True)
    try:
        return build_report(con, focus="KOR", opts=OPTS, out=out, **kw)  # type: ignore[arg-type]
    finally:
        con.close()


@pytest.fixture(scope="module")
def report(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportResult:
    out = tmp_path_factory.mktemp("html") / "report.html"
    return _build(small_db, out, data_note="A note: 10% sample, all sectors.", is_demo=True)


def test_html_fetches_nothing_from_the_network(report: ReportResult) -> None:
    refs = _Refs()
    refs.feed(report.html.read_text(encoding="utf-8"))
    external = [u for u in refs.fetch if u.startswith(("http:", "https:", "//"))]
    assert external == []
    assert refs.imports == []
    assert [u for u in refs.links if u.startswith(("http:", "https:"))] == []
    # plotly.js is inline, once; the world map is pre-loaded for plotly's geo charts.
    html = report.html.read_text(encoding="utf-8")
    assert html.count("plotly.js v") >= 1
    assert html.count('window.PlotlyGeoAssets={topojson:{"world_110m":') == 1
    assert '"world_110m":{"type":"Topology"' in html


def test_structure_cover_and_sections(report: ReportResult) -> None:
    html = report.html.read_text(encoding="utf-8")
    refs = _Refs()
    refs.feed(html)
    for cid in (
        "cover",
        "toc",
        "summary",
        "global",
        "flows",
        "typology",
        "hubs",
        "outbound",
        "network",
        "focus",
        "methods",
        "quality",
        "fig-map",
        "fig-sankey",
        "fig-quadrant",
        "fig-stage_shares",
    ):
        assert cid in refs.ids, cid
    assert "SYNTHETIC DATA" in html  # is_demo: said on the cover
    assert "A note: 10% sample, all sectors." in html
    assert "9 funding rounds (8 with a known amount) and 14 investor participations" in html
    assert "Text alternative:" in html and "current USD" in html
    # The sensitivity table shows the three attribution methods, each named.
    for method in ("equal split", "full credit", "lead investor"):
        assert f"Share of global ({method})" in html
        assert f"Foreign share (in, {method})" in html
    assert "Attribution method</dt><dd>equal split</dd>" in html


def _headers(html: str) -> list[str]:
    cells = re.findall(r'<th class="(?:num|txt)" scope="col">(.*?)</th>', html, re.S)
    return [unescape(c) for c in cells]


def _known_headers(lang: str) -> set[str]:
    text = Text(lang, all_sectors=OPTS.sector == "all")
    labels, methods = text.section("label"), text.section("method")
    by_method = {column_label(f"{c}_{m}", text) for c in labels for m in methods}
    return set(labels.values()) | {h for h in by_method if h is not None}


def test_every_table_header_is_a_label(
    report: ReportResult, small_db: Path, tmp_path: Path
) -> None:
    # No header falls back to a column's raw name ("rounds with amount", "hub").
    en = _headers(report.html.read_text(encoding="utf-8"))
    assert len(en) > 100
    assert [h for h in en if h not in _known_headers("en")] == []
    ko = _headers(
        _build(small_db, tmp_path / "ko.html", lang="ko").html.read_text(encoding="utf-8")
    )
    assert len(ko) == len(en)
    assert [h for h in ko if h not in _known_headers("ko")] == []
    # Korean labels are Korean: every English label has its own Korean entry.
    assert set(Text("en").section("label")) <= set(Text("ko")._data["label"])
    assert set(Text("en").section("method")) <= set(Text("ko")._data["method"])


def test_exports_match_the_tables(report: ReportResult) -> None:
    folder = report.html.parent / "report_tables"
    top = pd.read_csv(folder / "top_receivers.csv")
    assert list(top["country"]) == ["USA", "CHN", "GBR", "KOR", "ISR"]
    assert list(top["invested_in_usd"]) == [150e6, 40e6, 20e6, 16e6, 9e6]
    # Shares by stage: the small universe's rounds are all series A (early stage); every
    # attributed dollar of the 235 m is in the table, KOR (the focus) on a row of its own.
    stages = pd.read_csv(folder / "shares_by_stage.csv")
    assert set(stages["stage_group"]) == {"early"}
    assert stages["amount_usd"].sum() == pytest.approx(235e6)
    assert "KOR" in set(stages["country"])
    pairs = pd.read_csv(folder / "sankey_pairs.csv")
    # Cross-border only: CHN->USA 25, USA->GBR 10, USA->ISR 6, USA->KOR 3, GBR->ISR 3.
    assert list(zip(pairs["investor_country"], pairs["company_country"], strict=True))[:2] == [
        ("CHN", "USA"),
        ("USA", "GBR"),
    ]
    assert pairs["amount_usd"].tolist()[:3] == [25e6, 10e6, 6e6]
    wb = load_workbook(report.tables[-1], read_only=True)
    assert {"top_receivers", "sankey_pairs", "shares_by_year", "quadrant", "sensitivity"} <= set(
        wb.sheetnames
    )
    assert all(p.exists() for p in report.paths)
    assert oct(report.html.stat().st_mode & 0o044) != "0o0"  # readable beyond the owner


def test_korean_edition(small_db: Path, tmp_path: Path) -> None:
    res = _build(small_db, tmp_path / "ko.html", lang="ko")
    html = res.html.read_text(encoding="utf-8")
    assert '<html lang="ko">' in html
    assert "요약" in html and "중점 국가: 한국" in html and "부록: 방법론" in html
    assert "SYNTHETIC" not in html  # not the demo


def test_bad_options_are_named_errors(small_db: Path, tmp_path: Path) -> None:
    from vcflows.errors import OptionError

    with pytest.raises(OptionError, match="--lang"):
        _build(small_db, tmp_path / "x.html", lang="fr")
    con = connect(small_db, read_only=True)
    try:
        with pytest.raises(OptionError, match="--focus"):
            build_report(con, focus="Korea", opts=OPTS, out=tmp_path / "y.html")
    finally:
        con.close()
