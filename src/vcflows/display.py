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
import re
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


# --- Korean particles -----------------------------------------------------------------------

#: Korean particles written in both forms, e.g. "{focus}은(는)": which form is right depends on
#: whether the word before it, as read aloud, ends in a final consonant (받침).
JOSA_MARKERS: tuple[str, ...] = ("(으)로", "은(는)", "이(가)", "을(를)", "와(과)")
_JOSA_FORMS = {  # marker -> (after a final consonant, after a vowel)
    "(으)로": ("으로", "로"),
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "와(과)": ("과", "와"),
}
_JOSA = re.compile("(" + "|".join(re.escape(m) for m in JOSA_MARKERS) + ")")
_RIEUL = "ㄹ"
#: How a trailing symbol or digit is read: "%" 퍼센트, "×" 배 end in a vowel; digits by their
#: Korean reading (0 영/십/백/천/만, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구).
_READ_FINAL = {"%": "", "×": "", **dict(zip("0123456789", "ㅇㄹ ㅁ  ㄱㄹㄹ ", strict=True))}


def _final(text: str) -> str | None:
    """Final consonant of how ``text`` ends when read ("" none, "ㄹ", or another), else None.

    A closing bracket is skipped with its contents: in "중국(16.1%)과" the particle agrees
    with 중국. Latin letters and other symbols are not guessed (None).
    """
    text = text.rstrip()
    while text.endswith(")") and "(" in text:
        text = text[: text.rindex("(")].rstrip()
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        index = (ord(last) - ord("가")) % 28  # 0: no final consonant; 8: ㄹ
        return "" if index == 0 else _RIEUL if index == 8 else "ㅇ"
    read = _READ_FINAL.get(last)
    return None if read is None else read.strip()


def josa(word: str, marker: str) -> str:
    """The form of a two-form Korean particle that follows ``word``.

    Parameters
    ----------
    word : str
        The text before the particle ("중국", "72.0%", "영국(3.6%)").
    marker : str
        One of :data:`JOSA_MARKERS`, e.g. ``"이(가)"``.

    Returns
    -------
    str
        "이" or "가" (and so on); the marker itself when the word's ending cannot be read
        (Latin letters): both forms stay visible rather than a guess.
    """
    final = _final(word)
    if final is None:
        return marker
    consonant, vowel = _JOSA_FORMS[marker]
    if marker == "(으)로":  # 로 after a vowel or ㄹ
        return vowel if final in ("", _RIEUL) else consonant
    return consonant if final else vowel


def resolve_josa(text: str) -> str:
    """Every two-form particle of a Korean text in the form its preceding word takes."""
    out, start = [], 0
    for m in _JOSA.finditer(text):
        out.append(text[start : m.start()])
        out.append(josa(text[: m.start()], m.group(1)))
        start = m.end()
    out.append(text[start:])
    return "".join(out)
