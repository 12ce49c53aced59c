"""The report words the policy rules' note on the gravity gaps left out, in en and ko."""

from __future__ import annotations

from vcflows.presentation.i18n import Text
from vcflows.report._sections import _small_gaps


def test_small_gaps_note_in_both_languages() -> None:
    gaps = {"n": 2, "total_usd": 7.0, "floor_usd": 4.0, "share": 0.01}
    (en,) = _small_gaps(gaps, "KOR", Text("en"))
    assert en["text"] == (
        "Gravity gaps left out for being under 1.0% of South Korea's inbound money ($4): 2, "
        "together $7."
    )
    (ko,) = _small_gaps(gaps, "KOR", Text("ko"))
    assert ko["text"].startswith("제외: 한국 유입액의 1.0%") and "격차 2건" in ko["text"]
    assert _small_gaps({**gaps, "n": 0}, "KOR", Text("en")) == []
