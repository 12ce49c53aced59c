"""The report's chapter "AI talent and national champions": present with founders, worded by
the finding's verdict (en/ko), absent without founder data."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from deals import make_db  # type: ignore[import-not-found]
from talent_people import add_people  # type: ignore[import-not-found]
from test_finding import _world  # type: ignore[import-not-found]

from vcflows.flows import FlowOptions
from vcflows.presentation.i18n import Text
from vcflows.report import build_report


def _chapter(talent_foreign: bool, lang: str, tmp_path: Path, people: bool = True) -> str | None:
    rounds, founders = _world(talent_foreign)
    con = make_db(rounds)
    if people:
        add_people(con, founders)
    res = build_report(con, focus="KOR", opts=FlowOptions(), out=tmp_path / "r.html", lang=lang)
    html = unescape(res.html.read_text(encoding="utf-8"))
    if 'id="talent"' not in html:
        return None
    return html.split('id="talent"', 1)[1].split("</section>", 1)[0]


@pytest.mark.parametrize(("talent_foreign", "lang"), [(True, "en"), (False, "ko")])
def test_chapter_words_follow_the_verdict(talent_foreign: bool, lang: str, tmp_path: Path) -> None:
    chapter = _chapter(talent_foreign, lang, tmp_path)
    assert chapter is not None
    text = Text(lang)
    said, unsaid = ("talent_more", "talent_not_more")[:: 1 if talent_foreign else -1]
    tail = text.get(
        f"text.{said}", country="", n="", share="", talent="", other="", low="", high=""
    )
    other = text.get(
        f"text.{unsaid}", country="", n="", share="", talent="", other="", low="", high=""
    )
    assert tail.rsplit(":", 1)[-1].strip() in chapter
    assert other.rsplit(":", 1)[-1].strip() not in chapter
    assert text.section("label")["talent_foreign_share"] in chapter
    assert re.search(r"OpenAI \(ended", chapter)  # the founders' evidence of the companies


def test_no_chapter_without_founder_data(tmp_path: Path) -> None:
    assert _chapter(True, "en", tmp_path, people=False) is None
