"""Country normalization on real-world spellings (expected codes written by hand)."""

from __future__ import annotations

import csv
from importlib import resources

import pycountry
import pytest

from vcflows.normalize import NormalizeError, to_iso3
from vcflows.normalize.countries import aliases

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
