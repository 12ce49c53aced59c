"""Sentences are claims checked on the data: universes of the opposite structure to the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from report_helpers import OPTS, M, make_small_db

from vcflows.flows import FlowOptions
from vcflows.flows.taxonomy import load_taxonomy
from vcflows.report import _summary, prepare
from vcflows.store import connect


def _parts(path: Path, focus: str, opts: FlowOptions = OPTS, lang: str = "en") -> dict[str, Any]:
    con = connect(path, read_only=True)
    try:
        return prepare(con, focus=focus, opts=opts, lang=lang)
    finally:
        con.close()


def _texts(parts: dict[str, Any]) -> list[str]:
    return [s.text for group in parts["summary"].values() for s in group]


# US investors place 80 of their 100 abroad (in a British company); Chinese investors keep
# their 50 at home. The data end in December, so no year is partial.
INVERTED_COMPANIES = [("a1", "USA"), ("b1", "GBR"), ("c1", "CHN"), ("k1", "KOR")]
INVERTED_ROUNDS: list[tuple[str, str, str, float | None, list[str]]] = [
    ("i1", "a1", "2020-03-01", 20 * M, ["us1"]),
    ("i2", "b1", "2020-06-01", 80 * M, ["us1"]),
    ("i3", "c1", "2020-07-01", 50 * M, ["cn1"]),
    ("i4", "k1", "2020-12-20", 5 * M, ["kr1"]),
]


@pytest.fixture(scope="module")
def inverted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("inv") / "inv.duckdb"
    make_small_db(path, INVERTED_COMPANIES, INVERTED_ROUNDS)
    return _parts(path, "KOR")


def test_investors_abroad_are_not_said_to_invest_at_home(inverted: dict[str, Any]) -> None:
    domestic = [s.text for s in inverted["summary"]["domestic"]]
    assert domestic, "the largest investor countries are described"
    assert not any("mostly at home" in t for t in domestic)
    # The United States kept 20 of 100 at home and placed 80 abroad; China kept all 50.
    assert domestic[0] == (
        "The United States, the largest investor country, kept 20.0% of its venture investment "
        "in domestic companies and placed 80.0% abroad; China kept 100.0% and placed 0.0% abroad."
    )


def test_inverted_world_in_korean(tmp_path: Path) -> None:
    path = make_small_db(tmp_path / "inv.duckdb", INVERTED_COMPANIES, INVERTED_ROUNDS)
    domestic = [s.text for s in _parts(path, "KOR", lang="ko")["summary"]["domestic"]]
    assert not any("주로 자국에 투자합니다" in t for t in domestic)
    assert "80.0%" in domestic[0]


# A national deal list: every company is Canadian, from 2019 to a final year ending in February.
CANADA = [(f"ca{i}", "CAN") for i in range(4)]
CANADA_ROUNDS: list[tuple[str, str, str, float | None, list[str]]] = [
    ("n1", "ca0", "2019-05-01", 10 * M, ["us1"]),
    ("n2", "ca1", "2019-09-01", 10 * M, ["gb1"]),
    ("n3", "ca2", "2020-04-01", 30 * M, ["us1", "gb1"]),
    ("n4", "ca3", "2021-02-06", 40 * M, ["us1"]),
]


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("nat") / "nat.duckdb"
    make_small_db(path, CANADA, CANADA_ROUNDS)
    mp = pytest.MonkeyPatch()
    mp.setattr(_summary, "MIN_ROUNDS", 30, raising=False)  # the default guard
    try:
        return _parts(path, "CAN")
    finally:
        mp.undo()


def test_national_list_has_no_world_ranking(national: dict[str, Any]) -> None:
    texts = _texts(national)
    assert not any("of global" in t for t in texts), texts
    assert not any(" ranks " in t for t in texts), texts
    assert any("The data cover inbound flows into Canada only" in t for t in texts)
    # The store is read with --sector all: the new sentences follow it too.
    assert not any("AI venture" in t or "AI VC" in t for t in texts), texts
    # Canada received 90, all from abroad.
    assert any(
        "Canada received $90.0 m" in t and "100.0% of it came from abroad" in t for t in texts
    )


def test_partial_final_year_left_out_of_the_trend(tmp_path: Path) -> None:
    # The United Kingdom's share: 2019 25% (10 of 40), 2020 50% (20 of 40), 2021 100%, but
    # the data end on 6 February 2021: the year is partial and must not end the trend.
    companies = [("u1", "USA"), ("u2", "USA"), ("g0", "GBR"), ("g1", "GBR"), ("g2", "GBR")]
    rounds: list[tuple[str, str, str, float | None, list[str]]] = [
        ("p0", "g0", "2019-04-01", 10 * M, ["gb1"]),
        ("p1", "u1", "2019-05-01", 30 * M, ["us1"]),
        ("p2", "u2", "2020-05-01", 20 * M, ["us1"]),
        ("p3", "g1", "2020-06-01", 20 * M, ["gb1"]),
        ("p4", "g2", "2021-02-06", 60 * M, ["gb1"]),
    ]
    path = make_small_db(tmp_path / "partial.duckdb", companies, rounds)
    parts = _parts(path, "GBR")
    texts = _texts(parts)
    trend = [t for t in texts if t.startswith("The share of")]
    assert trend == ["The share of the United Kingdom rose from 25.0% in 2019 to 50.0% in 2020."]
    assert any("2021 left out of the trend" in t and "2021-02-06" in t for t in texts)
    # Growth of the money received runs 2019 -> 2020 (10 -> 20: +100%), not to 2021 (60).
    top = parts["data"]["tables"]["top_receivers"].set_index("country")
    assert top.at["GBR", "growth"] == pytest.approx(1.0)
    shares = next(c for c in parts["chapters"] if c["id"] == "shares")
    notes = [b["text"] for b in shares["blocks"] if b["kind"] == "note"]
    assert any(n.startswith("2021 is a partial year") for n in notes), notes


def _methods_text(parts: dict[str, Any]) -> str:
    chapter = next(c for c in parts["chapters"] if c["id"] == "methods")
    return " ".join(str(b.get("html", "")) for b in chapter["blocks"])


def test_methods_name_the_taxonomy_terms(inverted: dict[str, Any]) -> None:
    text = _methods_text(inverted)
    tax = load_taxonomy()
    assert "robotics" not in tax.tags and "robotics" not in text
    for term in (*tax.tags, *tax.keywords):
        assert term in text, term


def test_ranks_and_peers_leave_out_countries_that_received_nothing(tmp_path: Path) -> None:
    # Canada receives 90 and the United Kingdom 7; the United States only invests.
    rounds = [*CANADA_ROUNDS, ("n5", "gb9", "2021-12-10", 7 * M, ["gb1"])]
    path = make_small_db(tmp_path / "two.duckdb", [*CANADA, ("gb9", "GBR")], rounds)
    parts = _parts(path, "CAN")
    focus = [s.text for s in parts["summary"]["focus"]]
    assert focus[0].startswith("Canada ranks 1st of 2 countries"), focus
    # The only peer that received money is the United Kingdom (its 7 all domestic).
    assert "The median foreign share among its peers (the United Kingdom) is 0.0%." in focus
