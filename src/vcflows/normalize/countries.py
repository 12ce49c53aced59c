"""Country names and codes of every spelling to ISO 3166-1 alpha-3.

Resolution order for a non-blank value:

1. the override table ``vcflows/data/country_aliases.csv`` (legacy codes such as ``ROM``,
   common names such as "South Korea", and deliberate refusals such as "Congo" or
   "Czechoslovakia" whose ``iso3`` is empty and whose note becomes the error message);
2. ISO 3166-1 codes from pycountry: alpha-2, alpha-3, numeric (upper-cased);
3. the names pycountry knows (``name``, ``official_name``, ``common_name``);
4. the territory names of the Unicode CLDR in Korean, Japanese and Chinese (simplified and
   traditional script; :data:`CLDR_LOCALES`), read through Babel: "대한민국", "미국",
   "アメリカ合衆国", "美国", "中國", ... A name two territories share is refused as
   ambiguous, and a CLDR region without an ISO 3166-1 code ("유럽 연합", "欧元区", "코소보")
   is refused as not a country, never guessed.

Names are compared after :func:`~vcflows.normalize._text.fold` (case, accents, punctuation,
a leading or trailing "the", and "St" for "Saint" do not matter); CLDR names after NFKC
(full-width forms), case folding and the removal of spaces and punctuation ("홍콩(중국
특별행정구)" is "홍콩 중국 특별행정구"). There is no fuzzy matching: a misspelling is an
error, not a guess. Short forms that CLDR does not give as a territory's name ("한국" for
대한민국) are rows of the override table. pycountry is used rather than
country_converter, which raises a TypeError under pandas 3.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources

import pycountry

from vcflows.normalize._errors import NormalizeError
from vcflows.normalize._text import fold, is_blank

#: Package resource holding the override table (columns alias, iso3, note).
ALIASES_RESOURCE = "country_aliases.csv"
#: CLDR locales whose territory names are recognized: Korean, Japanese, Chinese (simplified,
#: traditional, and traditional as written in Hong Kong).
CLDR_LOCALES: tuple[str, ...] = ("ko", "ja", "zh_Hans", "zh_Hant", "zh_Hant_HK")


def _key(value: str) -> str:
    """Matching key of a country spelling."""
    key = fold(value)
    key = re.sub(r"^the |\bthe$", "", key).strip()
    return re.sub(r"\bst\b", "saint", key)


@functools.lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[str | None, str]]:
    """Load the override table: folded alias -> (iso3 or None, note).

    Returns
    -------
    dict
        ``None`` as iso3 marks a spelling that is recognized but refused (the note says why).

    Raises
    ------
    ValueError
        If the table maps one folded alias to two different codes, or names a code that is
        not an ISO 3166-1 alpha-3 code (a packaging bug, caught by the tests).
    """
    text = resources.files("vcflows").joinpath("data", ALIASES_RESOURCE).read_text("utf-8")
    table: dict[str, tuple[str | None, str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        alias = row["alias"].strip()
        if not alias or alias.startswith("#"):
            continue
        iso3 = row["iso3"].strip().upper() or None
        if iso3 is not None and pycountry.countries.get(alpha_3=iso3) is None:
            raise ValueError(f"{ALIASES_RESOURCE}: {alias!r} maps to non-ISO code {iso3!r}")
        key = _key(alias)
        if key in table and table[key][0] != iso3:
            raise ValueError(f"{ALIASES_RESOURCE}: {alias!r} conflicts with an earlier alias")
        table[key] = (iso3, row["note"].strip())
    return table


@functools.lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2, alpha-3 and numeric codes -> alpha-3."""
    codes: dict[str, str] = {}
    for c in pycountry.countries:
        codes[c.alpha_2] = c.alpha_3
        codes[c.alpha_3] = c.alpha_3
        codes[c.numeric] = c.alpha_3
    return codes


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str | None]:
    """Folded pycountry names -> alpha-3 (None when two countries share a folded name)."""
    names: dict[str, str | None] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            key = _key(name)
            names[key] = c.alpha_3 if names.get(key, c.alpha_3) == c.alpha_3 else None
    return names


def _cldr_key(value: str) -> str:
    """Matching key of a CLDR name: NFKC, case folded, without spaces or punctuation."""
    text = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


@functools.lru_cache(maxsize=1)
def cldr_names() -> dict[str, tuple[str | None, str]]:
    """CLDR territory names of :data:`CLDR_LOCALES` -> (iso3 or None, note), built once.

    Returns
    -------
    dict
        Keyed by the name's matching key. ``None`` as iso3 marks a refused name: one that
        two territories share (ambiguous), or a CLDR region without an ISO 3166-1 code
        (a continent, the EU, Kosovo); the note says which.
    """
    from babel import Locale  # imported on first use: most stores are Latin-script only

    return _cldr_table(
        (code, name)
        for locale in CLDR_LOCALES
        for code, name in Locale.parse(locale).territories.items()
    )


def _cldr_table(entries: Iterable[tuple[str, str]]) -> dict[str, tuple[str | None, str]]:
    """(territory code, name) pairs -> the lookup of :func:`cldr_names` (order-free)."""
    codes: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for code, name in entries:
        key = _cldr_key(name)
        if key:
            codes.setdefault(key, set()).add(code)
            names.setdefault(key, set()).add(name)
    table: dict[str, tuple[str | None, str]] = {}
    for key in sorted(codes):
        found = {code: _iso3_of_territory(code) for code in sorted(codes[key])}
        iso3s = set(found.values())
        if len(iso3s) > 1:
            table[key] = (None, f"ambiguous: CLDR names territories {', '.join(found)} so")
        elif None in iso3s:
            table[key] = (
                None,
                f"CLDR region {', '.join(found)} ({min(names[key])}) has no ISO 3166-1 "
                "country code",
            )
        else:
            table[key] = (iso3s.pop(), "")
    return table


def _iso3_of_territory(code: str) -> str | None:
    """ISO alpha-3 of a CLDR territory code (alpha-2), None for regions (numeric, EU, XK)."""
    if len(code) != 2 or not code.isalpha():
        return None
    country = pycountry.countries.get(alpha_2=code)
    return None if country is None else str(country.alpha_3)


@functools.lru_cache(maxsize=4096)
def to_iso3(value: str | None) -> str | None:
    """Normalize any spelling or code of a country to ISO 3166-1 alpha-3.

    Parameters
    ----------
    value : str or None
        A country name ("Korea, Republic of", "South Korea"; in Korean, Japanese or Chinese
        as CLDR writes it: "대한민국", "アメリカ合衆国", "美国"), an ISO alpha-2/alpha-3/numeric
        code ("KR", "KOR", "410") or a legacy code ("ROM", "UK").

    Returns
    -------
    str or None
        The alpha-3 code; None for a blank value (None, "", "-", "unknown", "n/a", ...).

    Raises
    ------
    NormalizeError
        For an unrecognized spelling, or one deliberately refused by the override table
        (ambiguous like "Congo", historical like "Czechoslovakia", or without an ISO code
        like "Kosovo"), or a CLDR name that is ambiguous or a region; vcflows never invents
        a code.

    Examples
    --------
    >>> to_iso3("Republic of Korea"), to_iso3("ROM"), to_iso3("uk"), to_iso3("대한민국")
    ('KOR', 'ROU', 'GBR', 'KOR')
    """
    if is_blank(value):
        return None
    if not isinstance(value, str):
        raise NormalizeError(f"unrecognized country {value!r} (not text)")
    raw = value.strip()
    key = _key(raw)
    if key in aliases():
        iso3, note = aliases()[key]
        if iso3 is None:
            raise NormalizeError(f"unmapped country {raw!r}: {note}")
        return iso3
    code = raw.upper()
    if code in _codes():
        return _codes()[code]
    if key in _names():
        found = _names()[key]
        if found is None:
            raise NormalizeError(f"ambiguous country {raw!r}")
        return found
    if not raw.isascii():
        cldr = cldr_names().get(_cldr_key(raw))
        if cldr is not None:
            iso3, note = cldr
            if iso3 is None:
                raise NormalizeError(f"unmapped country {raw!r}: {note}")
            return iso3
    raise NormalizeError(f"unrecognized country {raw!r}")
