"""Country normalization on real-world spellings (expected codes written by hand)."""

from __future__ import annotations

import csv
from importlib import resources

import pycountry
import pytest

from vcflows.normalize import NormalizeError, to_iso3
from vcflows.normalize.countries import (
    CLDR_LOCALES,
    _cldr_key,
    _cldr_table,
    aliases,
    cldr_names,
)

# (spelling as seen in exports, expected ISO 3166-1 alpha-3)
SPELLINGS: list[tuple[str, str]] = [
    ("Korea, Republic of", "KOR"),
    ("South Korea", "KOR"),
    ("KR", "KOR"),
    ("KOR", "KOR"),
    ("Republic of Korea", "KOR"),
    ("Korea", "KOR"),
    ("Korea (South)", "KOR"),
    ("North Korea", "PRK"),
    ("Korea, Democratic People's Republic of", "PRK"),
    ("United States", "USA"),
    ("United States of America", "USA"),
    ("USA", "USA"),
    ("U.S.A.", "USA"),
    ("U.S.", "USA"),
    ("us", "USA"),
    ("840", "USA"),
    ("United Kingdom", "GBR"),
    ("UK", "GBR"),
    ("GB", "GBR"),
    ("Great Britain", "GBR"),
    ("England", "GBR"),
    ("ROM", "ROU"),
    ("Romania", "ROU"),
    ("ZAR", "COD"),
    ("TMP", "TLS"),
    ("East Timor", "TLS"),
    ("Timor-Leste", "TLS"),
    ("Democratic Republic of the Congo", "COD"),
    ("Congo, The Democratic Republic of the", "COD"),
    ("Republic of the Congo", "COG"),
    ("Czech Republic", "CZE"),
    ("Czechia", "CZE"),
    ("Germany", "DEU"),
    ("DE", "DEU"),
    ("deutschland", "DEU"),
    ("France", "FRA"),
    ("FR", "FRA"),
    ("Hong Kong", "HKG"),
    ("Hong Kong SAR, China", "HKG"),
    ("Taiwan", "TWN"),
    ("Taiwan, Province of China", "TWN"),
    ("Macau", "MAC"),
    ("Macao", "MAC"),
    ("China", "CHN"),
    ("People's Republic of China", "CHN"),
    ("Russia", "RUS"),
    ("Russian Federation", "RUS"),
    ("Vietnam", "VNM"),
    ("Viet Nam", "VNM"),
    ("Iran, Islamic Republic of", "IRN"),
    ("Iran", "IRN"),
    ("Turkey", "TUR"),
    ("Türkiye", "TUR"),
    ("The Netherlands", "NLD"),
    ("Netherlands", "NLD"),
    ("Holland", "NLD"),
    ("Côte d'Ivoire", "CIV"),
    ("Cote d'Ivoire", "CIV"),
    ("Ivory Coast", "CIV"),
    ("Cape Verde", "CPV"),
    ("Cabo Verde", "CPV"),
    ("Swaziland", "SWZ"),
    ("Eswatini", "SWZ"),
    ("Macedonia", "MKD"),
    ("North Macedonia", "MKD"),
    ("Burma", "MMR"),
    ("Myanmar", "MMR"),
    ("St. Kitts and Nevis", "KNA"),
    ("Saint Lucia", "LCA"),
    ("Bahamas, The", "BHS"),
    ("Gambia", "GMB"),
    ("UAE", "ARE"),
    ("United Arab Emirates", "ARE"),
    ("Bosnia & Herzegovina", "BIH"),
    ("Trinidad and Tobago", "TTO"),
    ("Slovak Republic", "SVK"),
    ("Brunei", "BRN"),
    ("Laos", "LAO"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Syria", "SYR"),
    ("Palestine", "PSE"),
    ("Vatican City", "VAT"),
    ("Bolivia", "BOL"),
    ("Venezuela", "VEN"),
    ("Tanzania", "TZA"),
    ("Moldova", "MDA"),
    ("British Virgin Islands", "VGB"),
    ("Cayman Islands", "CYM"),
    ("Curaçao", "CUW"),
    ("  israel  ", "ISR"),
    ("SINGAPORE", "SGP"),
    ("India", "IND"),
    ("Japan", "JPN"),
    ("Switzerland", "CHE"),
    ("Sweden", "SWE"),
    ("Canada", "CAN"),
]


def test_table_is_large_enough() -> None:
    assert len(SPELLINGS) >= 50


@pytest.mark.parametrize(("spelling", "expected"), SPELLINGS)
def test_real_world_spellings(spelling: str, expected: str) -> None:
    assert to_iso3(spelling) == expected


@pytest.mark.parametrize("blank", [None, "", "  ", "-", "unknown", "Unknown", "N/A", "NA", "null"])
def test_blank_is_none(blank: str | None) -> None:
    assert to_iso3(blank) is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("Congo", "ambiguous"),
        ("Czechoslovakia", "Czechoslovakia"),
        ("CSK", "split"),
        ("Kosovo", "no ISO 3166-1 code"),
        ("XKX", "no ISO 3166-1 code"),
        ("Narnia", "unrecognized country 'Narnia'"),
        ("Untied States", "unrecognized"),  # no fuzzy guessing
        ("Europe", "not a country"),
        ("ZZ", "unrecognized"),
    ],
)
def test_refused_values_raise_with_reason(value: str, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        to_iso3(value)


def test_every_alias_row_is_valid_iso_or_refusal_with_note() -> None:
    text = resources.files("vcflows").joinpath("data", "country_aliases.csv").read_text("utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if not r["alias"].startswith("#")]
    assert len(rows) > 100
    for row in rows:
        if row["iso3"]:
            assert pycountry.countries.get(alpha_3=row["iso3"]) is not None, row
        else:
            assert row["note"], f"refusal without a reason: {row}"
    assert len(aliases()) <= len(rows)


def test_every_iso_code_and_name_round_trips() -> None:
    for country in pycountry.countries:
        if country.alpha_2 == "NA":  # "NA" reads as "not available", see _text.BLANK_TOKENS
            continue
        assert to_iso3(country.alpha_2) == country.alpha_3
        assert to_iso3(country.alpha_3) == country.alpha_3
        if country.name == "Congo":  # COG's short name is refused as ambiguous with COD
            continue
        assert to_iso3(country.name) == country.alpha_3, country.name


# Korean, Japanese and Chinese names (expected codes written by hand): CLDR territory names
# through Babel, plus the short forms of the override table ("한국", "米国", "香港").
CJK_SPELLINGS: list[tuple[str, str]] = [
    ("대한민국", "KOR"),
    ("한국", "KOR"),
    ("미국", "USA"),
    ("중국", "CHN"),
    ("일본", "JPN"),
    ("영국", "GBR"),
    ("독일", "DEU"),
    ("북한", "PRK"),
    ("대만", "TWN"),
    ("홍콩(중국 특별행정구)", "HKG"),
    ("홍콩", "HKG"),
    ("싱가포르", "SGP"),
    ("アメリカ合衆国", "USA"),
    ("米国", "USA"),
    ("韓国", "KOR"),
    ("日本", "JPN"),
    ("中国", "CHN"),
    ("ドイツ", "DEU"),
    ("イスラエル", "ISR"),
    ("美国", "USA"),
    ("韩国", "KOR"),
    ("英国", "GBR"),
    ("以色列", "ISR"),
    ("美國", "USA"),
    ("中國", "CHN"),
    ("南韓", "KOR"),
    ("台灣", "TWN"),
    ("香港", "HKG"),
    (" 대한 민국 ", "KOR"),  # spaces do not matter
    ("ＵＳＡ", "USA"),  # full-width letters (NFKC)
]


@pytest.mark.parametrize(("spelling", "expected"), CJK_SPELLINGS)
def test_korean_japanese_chinese_names(spelling: str, expected: str) -> None:
    assert to_iso3(spelling) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("유럽 연합", "CLDR region EU .* no ISO 3166-1"),
        ("欧洲", "CLDR region 150 .* no ISO 3166-1"),
        ("코소보", "CLDR region XK"),
        ("미국사람", "unrecognized"),  # no partial matching
    ],
)
def test_cldr_regions_and_unknown_names_refused(value: str, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        to_iso3(value)


def test_cldr_name_shared_by_two_territories_is_refused_not_guessed() -> None:
    entries = [("CG", "刚果"), ("CD", "刚果"), ("KR", "대한민국"), ("KR", "大韓民国")]
    table = _cldr_table(entries)
    assert table[_cldr_key("刚果")] == (None, "ambiguous: CLDR names territories CD, CG so")
    assert table[_cldr_key("대한민국")] == ("KOR", "")
    assert _cldr_table(reversed(entries)) == table  # built order-free


def test_cldr_lookup_covers_every_iso_country_in_each_locale() -> None:
    from babel import Locale

    table = cldr_names()
    for locale in CLDR_LOCALES:
        names = Locale.parse(locale).territories
        for country in pycountry.countries:
            name = names.get(country.alpha_2)
            if name is not None:
                assert table[_cldr_key(name)] == (country.alpha_3, ""), (locale, name)
