"""Display text shared by the report, the policy sentences and the dashboard."""

from __future__ import annotations

import pycountry
import pytest

from vcflows.display import (
    capitalize_first,
    country_in_text,
    country_name,
    josa,
    resolve_josa,
    usd,
)


def test_english_names_read_as_names() -> None:
    # No name in the "Surname, Title" order of ISO lists ("Congo, The Democratic Republic
    # of the"): tables and sentences show how the country is called.
    listed = {"BES", "SHN"}  # "Bonaire, Sint Eustatius and Saba": a list, not an inversion
    odd = [c.alpha_3 for c in pycountry.countries if "," in country_name(c.alpha_3)]
    assert sorted(odd) == sorted(listed)
    bracketed = [c.alpha_3 for c in pycountry.countries if "(" in country_name(c.alpha_3)]
    assert bracketed == ["CCK"]  # "Cocos (Keeling) Islands" is the name in use
    assert country_name("USA") == "United States" and country_in_text("USA") == "the United States"
    assert country_in_text("CHN") == "China" and country_in_text("KOR", "ko") == "한국"
    assert capitalize_first("the United Kingdom follows") == "The United Kingdom follows"


def test_one_money_format() -> None:
    assert [usd(x) for x in (8.6687e9, 28_937_865.0, 12_345.0, 400.0)] == [
        "$8.7 bn",
        "$28.9 m",
        "$12.3 k",
        "$400",
    ]
    assert usd(float("nan")) == "–" and usd(-2.5e6) == "-$2.5 m"
    assert usd(8.6687e9, "ko") == "86.7억 달러"


@pytest.mark.parametrize(
    ("word", "marker", "expected"),
    [
        ("중국", "와(과)", "과"),  # final ㄱ
        ("프랑스", "와(과)", "와"),  # no final consonant
        ("이스라엘", "(으)로", "로"),  # final ㄹ takes 로
        ("중국(16.1%)", "와(과)", "과"),  # a bracketed gloss is skipped
        ("63.8%(1.5억 달러)", "을(를)", "를"),  # "퍼센트" ends in a vowel
        ("72.0%", "(으)로", "로"),
        ("3", "(으)로", "으로"),  # 삼
        ("7", "(으)로", "로"),  # 칠
        ("2", "이(가)", "가"),  # 이
        ("10", "이(가)", "이"),  # 십
        ("12.5×", "(으)로", "로"),  # 배
        ("Driftwood Summit", "은(는)", "은(는)"),  # Latin: not guessed
    ],
)
def test_korean_particles_follow_how_the_word_is_read(
    word: str, marker: str, expected: str
) -> None:
    assert josa(word, marker) == expected


def test_resolve_every_particle_of_a_text() -> None:
    text = "중국(17.0%)와(과) 영국(8.5%)이(가) 이었고 비중은 0.0%(으)로 낮아졌습니다."
    assert resolve_josa(text) == "중국(17.0%)과 영국(8.5%)이 이었고 비중은 0.0%로 낮아졌습니다."
