"""Rendering: numbers enter a sentence only through figures, in the documented formats."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textcheck import unmatched_numbers

from vcflows.policy import TEMPLATES, render
from vcflows.policy.evidence import placeholders

TEMPLATE = "{c} holds {share} of {usd}, {times} the rest and {n} deals ({idx})."
FORMATS = {"share": "pct", "usd": "usd", "times": "times", "n": "count", "idx": "index"}


def test_formats_by_hand() -> None:
    figures = {"c": "KOR", "share": 0.1234, "usd": 1.5e9, "times": 3.04, "n": 1234.0, "idx": 0.456}
    assert render(TEMPLATE, figures, FORMATS) == (
        "KOR holds 12.3% of USD 1.50 bn, 3.0× the rest and 1,234 deals (0.46)."
    )
    assert render("{u}", {"u": 45.6e6}, {"u": "usd"}) == "USD 45.6 m"
    assert render("{u}", {"u": 12345.0}, {"u": "usd"}) == "USD 12,345"


def test_render_refuses_numbers_without_evidence() -> None:
    with pytest.raises(ValueError, match="number of its own"):
        render("{c} is in the top 3", {"c": "KOR"}, {})
    with pytest.raises(ValueError, match="did not provide"):
        render("{c} and {d}", {"c": "KOR"}, {})
    with pytest.raises(ValueError, match="finite"):
        render("{x}", {"x": float("nan")}, {"x": "pct"})
    with pytest.raises(ValueError, match="unknown format"):
        render("{x}", {"x": 1.0}, {"x": "furlongs"})


def test_shipped_templates_hold_no_number_and_match_across_languages() -> None:
    for lang, templates in TEMPLATES.items():
        for key, template in templates.items():
            figures = {name: "X" for name in placeholders(template)}
            render(template, figures, {})  # raises on a literal digit
            assert set(placeholders(template)) == set(placeholders(TEMPLATES["en"][key])), (
                lang,
                key,
            )


finite = st.floats(min_value=0, max_value=5e11, allow_nan=False, allow_infinity=False)


@given(
    share=st.floats(0, 1),
    usd=finite,
    times=st.floats(0, 1e4),
    n=st.integers(0, 10**7),
    idx=st.floats(0, 1),
)
def test_every_rendered_number_is_a_figure(
    share: float, usd: float, times: float, n: int, idx: float
) -> None:
    figures = {"c": "KOR", "share": share, "usd": usd, "times": times, "n": float(n), "idx": idx}
    text = render(TEMPLATE, figures, FORMATS)
    assert unmatched_numbers(text, figures) == []
    # The check bites: a share off by one point is not evidence for the printed one.
    alone = render("{share}", {"share": share}, {"share": "pct"})
    assert unmatched_numbers(alone, {"share": share + 0.01}) == [alone.rstrip("%")]
