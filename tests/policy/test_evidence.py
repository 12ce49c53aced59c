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
        "KOR holds 12.3% of $1.5 bn, 3.0× the rest and 1,234 deals (0.46)."
    )
    assert render("{u}", {"u": 45.6e6}, {"u": "usd"}) == "$45.6 m"
    assert render("{u}", {"u": 12345.0}, {"u": "usd"}) == "$12.3 k"


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


def test_korean_sentences_name_countries_and_write_korean_amounts() -> None:
    figures = {"focus": "KOR", "partner": "CHN", "expected_usd": 28_937_865.0, "label": "hub"}
    formats = {"expected_usd": "usd"}
    template = "{partner}(으)로부터 {expected_usd}. {focus}은(는) {label}."
    assert render(template, figures, formats, "ko") == "중국으로부터 2,894만 달러. 한국은 hub."
    # English names too, with the report's money format; the two-form particles are Korean only
    assert render("{partner} {expected_usd}", figures, formats) == "China $28.9 m"
    assert render("{focus} {expected_usd}", figures, formats, "ko") == "한국 2,894만 달러"


def test_english_sentences_name_countries_as_running_text() -> None:
    # "the" where the name takes it, a capital when a name opens the sentence, and the
    # possessive of a name ending in s without another s
    figures = {"focus": "USA", "partner": "CHN", "top_partner": "NLD"}
    assert render("{focus}'s investors, {partner}'s and {top_partner}'s", figures, {}) == (
        "The United States' investors, China's and the Netherlands'"
    )
    assert render("from {partner} to {focus}", figures, {}) == "From China to the United States"
    countries = {"foreign_countries": "USA, GBR, JPN"}
    assert render("({foreign_countries})", countries, {}) == (
        "(the United States, the United Kingdom, Japan)"
    )
    assert render("{partner}'s", {"partner": "XKX"}, {}) == "XKX's"  # unknown: as given


@pytest.mark.parametrize(
    ("code", "marker", "expected"),
    [
        ("JPN", "(으)로", "일본으로"),  # final consonant ㄴ
        ("USA", "(으)로", "미국으로"),
        ("FRA", "(으)로", "프랑스로"),  # no final consonant
        ("ISR", "(으)로", "이스라엘로"),  # final ㄹ takes 로
        ("GBR", "이(가)", "영국이"),
        ("FRA", "이(가)", "프랑스가"),
        ("KOR", "은(는)", "한국은"),
        ("FRA", "은(는)", "프랑스는"),
        ("DEU", "을(를)", "독일을"),
        ("FRA", "와(과)", "프랑스와"),
        ("DEU", "와(과)", "독일과"),
    ],
)
def test_korean_particles_follow_the_name(code: str, marker: str, expected: str) -> None:
    assert render("{partner}" + marker, {"partner": code}, {}, "ko") == expected


def test_typology_labels_and_country_lists_in_korean() -> None:
    figures = {"label": "weakly integrated", "foreign_countries": "USA, JPN"}
    out = render("{label}: {foreign_countries}", figures, {}, "ko")
    assert out == "통합 약함: 미국, 일본"
    # an unknown code or label stays as given rather than being guessed
    assert render("{partner}(으)로", {"partner": "XKX"}, {}, "ko") == "XKX(으)로"
