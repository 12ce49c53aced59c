"""The fund scenario, with its absorption cap and assumptions, in the report's focus chapter
and the dashboard's focus view; the focus view on a country that received nothing."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from world import world

from vcflows.cli import app
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views.focus import render


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = node if isinstance(node, list) else getattr(node, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from _walk(child)
    elif children is not None:
        yield from _walk(children)


def _text(node: Any) -> str:
    return " ".join(str(n) for n in _walk(node) if isinstance(n, str | int | float))


def _by_id(nodes: list[Any], key: str) -> Any:
    for root in nodes:
        for n in _walk(root):
            if getattr(n, "id", None) == key:
                return n
    raise AssertionError(f"no component {key!r}")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("faces") / "world.duckdb"
    world(300.0, path=str(path)).close()
    return path


def test_dashboard_focus_view_shows_the_capped_scenario(db: Path) -> None:
    ex = Explorer(db)
    try:
        view = render(ex, Selection(view="focus", focus="KOR"))
    finally:
        ex.close()
    items = _text(_by_id(view.children, "focus-scenario-assumptions"))
    # KOR's inbound money is 400: a fund of 10%, USD 40, all into k1 (raised 100, cap 300).
    assert "fund size: 10% of KOR's inbound money over the period (USD 400), i.e. USD 40" in items
    assert "more than 3× what it has raised in the selection" in items
    _by_id(view.children, "focus-scenario")


def test_dashboard_focus_view_without_a_target_or_inbound_money(tmp_path: Path) -> None:
    from dealbook import build

    path = tmp_path / "kor_invests.duckdb"
    build(
        {"u1": ("Yankee", "USA", True), "g1": ("Albion", "GBR", True)},
        {
            "kv": ("Han VC", "KOR", "vc"),
            "uv": ("Sand Hill", "USA", "vc"),
            "jv": ("Kamo", "JPN", "vc"),
        },
        [
            ("r1", "u1", "2021-03-01", "seed", 1000.0, ["uv", "kv"]),
            ("r2", "g1", "2021-03-01", "seed", 200.0, ["jv"]),
        ],
        path=str(path),
    ).close()
    ex = Explorer(path)
    try:
        view = render(ex, Selection(view="focus", focus="KOR"))
    finally:
        ex.close()
    text = _text(view.children)
    assert "Gap to rank" not in text and "None" not in text
    assert "No fund scenario: fund scenario: KOR received no money" in text
    assert "KOR received no money from investors of known country" in text  # the note


def _visible(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_report_focus_chapter_shows_the_capped_scenario(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    res = CliRunner().invoke(app, ["report", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = _visible(out.read_text(encoding="utf-8"))
    chapter = text[text.index("Fund scenario: a public fund") :]
    assert "fund size: 10% of KOR's inbound money over the period (USD 400)" in chapter
    assert "more than 3× what it has raised in the selection (companies at the cap: 0 of 1)" in (
        chapter
    )
