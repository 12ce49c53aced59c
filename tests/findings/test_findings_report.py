"""The report's scorecard: near the top, in English and Korean, verdicts from the findings."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from deals import make_db  # type: ignore[import-not-found]
from worlds import inverted_world, repeated, reported_world  # type: ignore[import-not-found]

from vcflows.flows import FlowOptions
from vcflows.presentation.i18n import Text
from vcflows.report import build_report


def _scorecard(world: list, tmp_path: Path, lang: str) -> tuple[list[str], str]:  # type: ignore[type-arg]
    con = make_db(repeated(world, 30))  # 30 copies: every subject passes the 30-round guard
    res = build_report(con, focus="KOR", opts=FlowOptions(), out=tmp_path / "r.html", lang=lang)
    html = res.html.read_text(encoding="utf-8")
    ids = re.findall(r'<section class="chapter" id="([^"]+)"', html)
    chapter = html.split('id="findings"', 1)[1].split("</section>", 1)[0]
    return ids, unescape(chapter)


def _without_talent(rows: list[str], lang: str, v: dict[str, str]) -> list[str]:
    """The rows but talent_draws_foreign's, which must say "not enough data" (no founders)."""
    label = Text(lang).section("finding")["talent_draws_foreign"]
    talent = [r for r in rows if label in r]
    assert len(talent) == 1 and v["not_enough"] in talent[0], talent
    return [r for r in rows if label not in r]


def test_scorecard_supports_the_reported_world_in_korean(tmp_path: Path) -> None:
    ids, chapter = _scorecard(reported_world(), tmp_path, "ko")
    assert ids[:2] == ["summary", "findings"]
    v = Text("ko").section("verdict")
    assert Text("ko").get("section.findings") in chapter
    rows = _without_talent(re.findall(r"<tr[^>]*>(.*?)</tr>", chapter)[1:], "ko", v)
    assert len(rows) >= 10 and all(f">{v['supported']}" in r for r in rows), rows
    assert v["not_supported"] not in "".join(rows) and v["not_enough"] not in "".join(rows)
    assert "66.7%" in chapter  # the hubs' foreign share


def test_scorecard_rejects_every_claim_of_the_inverted_world(tmp_path: Path) -> None:
    _, chapter = _scorecard(inverted_world(), tmp_path, "en")
    v = Text("en").section("verdict")
    rows = _without_talent(re.findall(r"<tr[^>]*>(.*?)</tr>", chapter)[1:], "en", v)
    assert len(rows) >= 9
    assert all(v["not_supported"] in r for r in rows), rows
    assert f">{v['supported']}" not in chapter
