"""Policy implications in the report: in the edition's language, evidence formatted."""

from __future__ import annotations

import html as html_lib
import logging
import re
from pathlib import Path

import pytest
from report_helpers import OPTS

from vcflows.policy import implications
from vcflows.presentation import formatting as fmt
from vcflows.presentation.i18n import Text
from vcflows.report import build_report
from vcflows.report._sections import evidence_label
from vcflows.store import connect


@pytest.mark.parametrize(
    ("name", "value", "policy_format", "lang", "expected"),
    [
        ("peer_median", 0.1234, "pct", "en", "12.3%"),
        ("peer_median", 0.4567, "index", "en", "0.46"),  # an HHI median, not a share
        ("invested_in_usd", 1_345_000.0, "usd", "en", "$1.3 m"),
        ("invested_in_usd", 13_450_000.0, "usd", "ko", "1,345만 달러"),
        ("multiple", 3.04, "times", "en", "3.04×"),
        ("n_peers", 4.0, "count", "en", "4"),
        ("partner", "CHN", "text", "en", "CHN"),
        # Figures their sentence does not state: formatted by name.
        ("target_in_usd", 2.5e9, None, "en", "$2.5 bn"),
        ("champions_foreign_share", 1.0, None, "en", "100.0%"),
        ("ratio", 1 / 3, None, "en", "0.33"),
        ("ties", 12.0, None, "en", "12"),
    ],
)
def test_evidence_format(
    name: str, value: float | str, policy_format: str | None, lang: str, expected: str
) -> None:
    assert fmt.evidence(name, value, policy_format, lang) == expected


def _evidence(db: Path, out: Path, lang: str) -> tuple[str, dict[str, str]]:
    con = connect(db, read_only=True)
    try:
        res = build_report(con, focus="KOR", opts=OPTS, out=out, lang=lang)
    finally:
        con.close()
    page = res.html.read_text(encoding="utf-8")
    section = page.split('id="implications"', 1)[1].split("</section>", 1)[0]
    pairs = re.findall(
        r'<span class="ev-label">(.*?):</span> <span class="ev-value">(.*?)</span>', section
    )
    return html_lib.unescape(section), {
        html_lib.unescape(k): html_lib.unescape(v) for k, v in pairs
    }


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_implications_follow_the_language_and_format_evidence(
    small_db: Path, tmp_path: Path, lang: str
) -> None:
    logging.disable(logging.INFO)  # the policy rules log why they skip
    try:
        section, kv = _evidence(small_db, tmp_path / f"{lang}.html", lang)
        con = connect(small_db, read_only=True)
        try:
            expected = [i.text for i in implications(con, "KOR", OPTS, lang=lang)]
        finally:
            con.close()
    finally:
        logging.disable(logging.NOTSET)
    assert expected and all(t in section for t in expected)
    if lang == "ko":
        assert all(re.search(r"[가-힣]", t) for t in expected)
    # Evidence reads as label: value, in the edition's language, with no internal names.
    text = Text(lang, all_sectors=OPTS.sector != "ai")
    assert kv and not any(re.fullmatch(r"[a-z]+(_[a-z]+)+", k) for k in kv), kv
    assert not any(k.endswith("_id") or k.lower() == "id" for k in kv), kv
    names = ("foreign_share_in", "invested_in_usd", "rank", "target_rank", "gap_usd")
    kv = {n: kv[evidence_label("rank_gap", n, text)] for n in names}
    # KOR receives 16 m (co5 10 m, co7 6 m); foreign: us1's half of co7 = 3 m -> 18.75%.
    assert kv["foreign_share_in"] == "18.8%"
    assert kv["invested_in_usd"] == ("$16.0 m" if lang == "en" else "1,600만 달러")
    # Rank 4 of 5; GBR (20 m) holds rank 3: 4 m short.
    assert kv["rank"] == "4" and kv["target_rank"] == "3"
    assert kv["gap_usd"] == ("$4.0 m" if lang == "en" else "400만 달러")
    assert not any(re.search(r"e[+-]\d|\d\.\d{3,}", v) for v in kv.values()), kv
