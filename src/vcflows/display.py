"""Display text shared by the report and the policy sentences: country names and amounts.

Country names come from pycountry (English short names; other languages through its gettext
catalogue), with overrides in the ``[country]`` table of ``vcflows/data/i18n/<lang>.toml``
("South Korea", "한국"); sentences use :func:`country_in_text` ("the United States"). Amounts
are compact current US dollars: "$1.2 bn" in English, "12억 달러" in Korean (units of 10^4,
10^8, 10^12).
"""

from __future__ import annotations

import gettext
import math
import tomllib
from functools import cache
from importlib import resources

import pycountry


@cache
def _table(lang: str, name: str) -> dict[str, str]:
    """One table of ``data/i18n/<lang>.toml`` (empty when the language or table is absent)."""
    try:
        raw = resources.files("vcflows").joinpath("data", "i18n", f"{lang}.toml").read_bytes()
    except FileNotFoundError:
        return {}
    table = tomllib.loads(raw.decode("utf-8")).get(name, {})
    return {str(k): str(v) for k, v in table.items()}


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:  # catalogue missing: English names
        return gettext.NullTranslations()


def country_name(iso3: str, lang: str = "en") -> str:
    """Display name of an ISO 3166-1 alpha-3 code in ``lang``; unknown codes as given.

    Parameters
    ----------
    iso3 : str
        Country code, e.g. ``"KOR"``.
    lang : str
        Language code (``"en"``, ``"ko"``).

    Returns
    -------
    str
        E.g. ``"South Korea"`` (en), ``"한국"`` (ko), or ``iso3`` itself when unknown.
    """
    override = _table(lang, "country").get(iso3)
    if override:
        return override
    record = pycountry.countries.get(alpha_3=iso3)
    if record is None:
        return iso3
    if lang == "en":
        return str(getattr(record, "common_name", None) or record.name)
    return _catalogue(lang).gettext(record.name)


def country_in_text(iso3: str, lang: str = "en") -> str:
    """Name of a country as it reads inside a sentence: "the United States", "China".

    Tables and chart labels use :func:`country_name`; running text adds the article some
    English names take (the ``[country_in_text]`` table of ``data/i18n/en.toml``). A name that
    opens a sentence is capitalized by the sentence's renderer.

    Parameters
    ----------
    iso3 : str
        Country code, e.g. ``"USA"``.
    lang : str
        Language code.

    Returns
    -------
    str
        E.g. ``"the United States"`` (en), ``"미국"`` (ko).
    """
    return _table(lang, "country_in_text").get(iso3) or country_name(iso3, lang)


def possessive(name: str) -> str:
    """English possessive of a name: "China's", "the United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def capitalize_first(text: str) -> str:
    """The text with its first character upper-cased ("the United States ..." opens a sentence)."""
    return text[:1].upper() + text[1:]


def typology_label(label: str, lang: str = "en") -> str:
    """A typology label ("weakly integrated") in ``lang`` ("통합 약함"); as given if unknown."""
    return _table(lang, "typology").get(label, label)


def usd(x: float | None, lang: str = "en") -> str:
    """Compact current US dollars: "$1.2 bn", "$456 m", "$12.3 k" ("12억 달러" in Korean).

    Three significant digits at most, so that a figure reads the same in every sentence and
    table of the report, the policy implications and the dashboard. NaN or None -> "–".
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if lang == "ko":
        return usd_ko(float(x))
    a = abs(float(x))
    sign = "-" if x < 0 else ""
    for div, unit in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if a >= div * 0.9995:
            v = a / div
            return f"{sign}${v:,.0f} {unit}" if v >= 100 else f"{sign}${v:,.1f} {unit}"
    return f"{sign}${a:,.0f}"


def usd_ko(x: float) -> str:
    """Compact US dollars in Korean units: 8.67e9 -> "86.7억 달러", 1.2e12 -> "1.2조 달러"."""
    a = abs(x)
    sign = "-" if x < 0 else ""
    for div, unit in ((1e12, "조"), (1e8, "억"), (1e4, "만")):
        if a >= div * 0.9995:
            v = a / div
            return f"{sign}{v:,.0f}{unit} 달러" if v >= 100 else f"{sign}{v:,.1f}{unit} 달러"
    return f"{sign}{a:,.0f} 달러"
