"""The executive summary: hand-computed sentences, figures equal to table values, snapshots."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_helpers import OPTS, parse_usd, usd_tolerance

from vcflows.presentation import formatting as fmt
from vcflows.presentation.i18n import Text
from vcflows.report._summary import summarize
from vcflows.store import connect

SNAPSHOTS = Path(__file__).parent / "__snapshots__"


def _all(parts: dict[str, Any]) -> list[Any]:
    return [s for group in parts["summary"].values() for s in group]


def test_sentences_equal_hand_computation(small_parts: dict[str, Any]) -> None:
    texts = [s.text for s in _all(small_parts)]
    # Received: USA 150, CHN 40, GBR 20, KOR 16, ISR 9 of 235 (USD m). The universe is read
    # with --sector all, so the wording says "venture capital", not "AI venture capital".
    assert texts[0] == (
        "The United States received 63.8% of global venture capital in 2020–2021 "
        "($150 m), followed by China (17.0%) and the United Kingdom (8.5%)."
    )
    # The data end on 2021-06-10: 2021 is partial, so no trend is drawn from 2020 alone.
    assert not any("The share of the United States" in x for x in texts)
    # USA invests 144, 125 at home; China 65, 40 at home.
    assert (
        "the United States kept 86.8% of its venture investment in domestic companies, China 61.5%."
    ) in texts[1]
    # Israel: 9 received, all foreign: USA 6, GBR 3.
    assert texts[2].startswith("Israel relies most on foreign capital")
    assert "100.0% of its inbound VC ($9.0 m)" in texts[2]
    assert "the United States (66.7%) and the United Kingdom (33.3%)" in texts[2]
    assert texts[3] == (
        "The United Kingdom follows: 50.0% of its inbound VC ($20.0 m) came from abroad, "
        "mainly from the United States (50.0%)."
    )
    # China: 65 out, 25 abroad (all to the USA): the amount quoted is what went abroad.
    assert (
        "China is the most outward-looking of the larger investor countries: 38.5% of its VC "
        "went to companies abroad ($25.0 m), led by the United States (38.5%)."
    ) in texts
    # Korea: 16 received (3 from the USA), 4th of 5; peers' foreign shares 1/6, 0, 1/2, 1.
    assert (
        "South Korea ranks 4th of 5 countries by VC received ($16.0 m, 6.8% of the global "
        "total); 18.8% of it came from abroad."
    ) in texts
    assert (
        "The median foreign share among its peers (the United States, China, the United Kingdom, "
        "Israel) is 33.3%." in texts
    )
    assert "To reach rank 3, South Korea would need $4.0 m more VC over the period." in texts
    # 5 of 240 known USD m is unattributed (investor country unknown).
    assert texts[-1].startswith("2.1% of the known amount ($5.0 m) could not be attributed")


def _lookup(tables: dict[str, pd.DataFrame], source: str) -> Any:
    table, column, key = source.split("|")
    df = tables[table]
    if key:
        for cond in key.split(","):
            k, v = cond.split("=")
            df = df[df[k].astype(str) == v]
    assert len(df) >= 1, source
    return df.iloc[0][column]


def _parse(text: str, kind: str) -> float:
    if kind == "usd":
        return parse_usd(text)
    if kind == "share":
        return float(text.rstrip("%")) / 100
    if kind == "rank":
        return float(re.match(r"\d+", text).group(0))  # type: ignore[union-attr]
    return float(text.replace(",", ""))


def test_every_quoted_figure_is_the_table_value(small_parts: dict[str, Any]) -> None:
    tables = small_parts["data"]["tables"]
    checked = 0
    for sentence in _all(small_parts):
        for f in sentence.figs:
            assert f.text in sentence.text, (f, sentence.text)
            if not f.source:
                continue
            value = _lookup(tables, f.source)
            if f.kind == "country":
                assert value == f.value
                continue
            if f.kind == "text":
                continue
            assert float(value) == pytest.approx(float(f.value), rel=1e-12), f
            shown = _parse(f.text, f.kind)
            tol = (
                usd_tolerance(f.text)
                if f.kind == "usd"
                else {"share": 0.0005 + 1e-12}.get(f.kind, 0.05)
            )
            assert abs(shown - float(value)) <= tol, (f, value)
            checked += 1
    assert checked >= 25


def test_sentence_html_marks_every_figure(small_parts: dict[str, Any]) -> None:
    for sentence in _all(small_parts):
        html = str(sentence.html)
        assert html.count('class="fig"') == len(sentence.figs)
        for f in sentence.figs:
            assert f'data-name="{f.name}"' in html


def _snapshot(name: str, lines: list[str]) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("VCFLOWS_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        if os.environ.get("CI") and not path.exists():
            pytest.fail(
                f"snapshot {path} missing; run with VCFLOWS_UPDATE_SNAPSHOTS=1 and commit it"
            )
        path.write_text(json.dumps(lines, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert lines == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_summary_snapshot(small_db: Path, small_parts: dict[str, Any], lang: str) -> None:
    text = Text(lang)
    summary = summarize(small_parts["data"], text)
    lines = [f"{k}: {s.text}" for k, group in summary.items() for s in group]
    _snapshot(f"summary_small_{lang}.json", lines)


def test_korean_sentences_quote_the_same_values(small_parts: dict[str, Any]) -> None:
    en = summarize(small_parts["data"], Text("en"))
    ko = summarize(small_parts["data"], Text("ko"))
    assert list(en) == list(ko)
    for k in en:
        for a, b in zip(en[k], ko[k], strict=True):
            assert [f.value for f in a.figs] == [f.value for f in b.figs]
    focus = ko["focus"][0].text
    assert "한국" in focus and "5개국 중 4위" in focus and fmt.usd(16e6, "ko") in focus


def test_empty_universe_gives_no_sentences(tmp_path: Path) -> None:
    from vcflows.report import prepare

    con = connect(tmp_path / "empty.duckdb")
    try:
        parts = prepare(con, focus="KOR", opts=OPTS)
    finally:
        con.close()
    assert all(k == "data" for k in parts["summary"]) or parts["summary"] == {}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_stage_sentence_by_hand(lang: str) -> None:
    from vcflows.indicators import stage_shares_from
    from vcflows.presentation import derive as d
    from vcflows.report._summary import _Builder, _stages

    fm = pd.DataFrame(
        [
            ("USA", "USA", "seed", 60.0, 1.0),
            ("KOR", "KOR", "series_a", 40.0, 1.0),
            ("USA", "USA", "series_c", 90.0, 1.0),
            ("KOR", "KOR", "growth", 10.0, 1.0),
        ],
        columns=["investor_country", "company_country", "stage", "amount_usd", "deals"],
    )
    data = {
        "tables": {
            "shares_by_stage": d.shares_by_stage(stage_shares_from(fm), focus="KOR"),
            "top_receivers": pd.DataFrame({"country": ["USA", "KOR"]}),
        },
        "meta": {"focus": "KOR"},
    }
    (sentence,) = _stages(_Builder(data, Text(lang)))
    # KOR: 40 of 100 early-stage, 10 of 100 late-stage; USA: 60 and 90.
    if lang == "en":
        assert sentence.text == (
            "By stage, South Korea received 40.0% of global early-stage AI venture capital and "
            "10.0% of late-stage, against 60.0% and 90.0% for the United States."
        )
    else:
        assert "한국은" in sentence.text and "10.0%를" in sentence.text
        assert "미국은 각각 60.0%와 90.0%입니다" in sentence.text
    assert [f.value for f in sentence.figs if f.kind == "share"] == [0.4, 0.1, 0.6, 0.9]
    # Without late-stage money for the focus there is no sentence to write.
    data["tables"]["shares_by_stage"] = d.shares_by_stage(
        stage_shares_from(fm.iloc[:2]), focus="KOR"
    )
    assert _stages(_Builder(data, Text(lang))) == []
