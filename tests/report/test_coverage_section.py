"""The data-quality appendix: coverage against published totals and the mega-round check."""

from __future__ import annotations

from typing import Any

import pandas as pd

from vcflows.presentation.i18n import Text
from vcflows.report._sections import _coverage_blocks


def _quality(parts: dict[str, Any]) -> list[dict[str, Any]]:
    (chapter,) = [ch for ch in parts["chapters"] if ch["id"] == "quality"]
    return list(chapter["blocks"])


def test_small_universe_has_no_published_year_and_says_so(small_parts: dict[str, Any]) -> None:
    blocks = _quality(small_parts)
    titles = [b.get("text") for b in blocks if b["kind"] == "h3"]
    assert "Coverage against published totals" in titles
    notes = [b["text"] for b in blocks if b["kind"] == "note"]
    assert "No published figure falls in the period of these data." in notes
    # AI rounds by company country and year: USA 2020 (150) and 2021 (no amount), CHN 2021
    # (40), GBR 2021 (25), KOR 2020 (6) and 2021 (10), ISR 2021 (9): 7 country-years, 240.
    assert "7 country-years of the data ($240 m) have no published figure to compare with." in notes
    cov = small_parts["data"]["tables"]["coverage"]
    assert len(cov) == 7 and set(cov["flag"]) == {"no_published"}


def test_published_rows_are_tabled_and_counted() -> None:
    cov = pd.DataFrame(
        {
            "country": ["CHN", "USA", "USA", "FRA"],
            "year": [2012, 2012, 2013, 2012],
            "data_usd": [0.0, 100.0, 5.0, 7.0],
            "rounds": [0, 3, 1, 1],
            "published_usd": [165.0, 50.0, None, None],
            "ratio": [0.0, 2.0, float("nan"), float("nan")],
            "flag": ["low", "high", "no_published", "no_published"],
            "source": ["s", "s", None, None],
        }
    )
    blocks = _coverage_blocks(cov, Text("en"), "KOR")
    paras = [str(b["html"]) for b in blocks if b["kind"] == "para"]
    assert (
        "Of 2 country-years with a published figure in the period, 1 fall below 0.5 of it and 1 above 1.5."
        in paras
    )
    (table,) = [str(b["html"]) for b in blocks if b["kind"] == "table"]
    assert "low (below 0.5)" in table and "high (above 1.5)" in table and "2.00" in table
    assert "France" not in table  # no published figure: counted in the note, not tabled
    notes = [b["text"] for b in blocks if b["kind"] == "note"]
    assert notes == ["2 country-years of the data ($12) have no published figure to compare with."]
    ko = _coverage_blocks(cov, Text("ko"), "KOR")
    assert any("낮음 (0.5 미만)" in str(b.get("html", "")) for b in ko)
