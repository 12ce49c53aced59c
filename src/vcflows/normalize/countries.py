"""Country names and codes of every spelling to ISO 3166-1 alpha-3.

Resolution order for a non-blank value:

1. the override table ``vcflows/data/country_aliases.csv`` (legacy codes such as ``ROM``,
   common names such as "South Korea", and deliberate refusals such as "Congo" or
   "Czechoslovakia" whose ``iso3`` is empty and whose note becomes the error message);
2. ISO 3166-1 codes from pycountry: alpha-2, alpha-3, numeric (upper-cased);
3. the names pycountry knows (``name``, ``official_name``, ``common_name``).

Names are compared after :func:`~vcflows.normalize._text.fold` (case, accents, punctuation,
a leading or trailing "the", and "St" for "Saint" do not matter). There is no fuzzy
matching: a misspelling is an error, not a guess. pycountry is used rather than
country_converter, which raises a TypeError under pandas 3.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from importlib import resources

import pycountry

from vcflows.normalize._errors import NormalizeError
from vcflows.normalize._text import fold, is_blank

#: Package resource holding the override table (columns alias, iso3, note).
ALIASES_RESOURCE = "country_aliases.csv"


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


@functools.lru_cache(maxsize=4096)
def to_iso3(value: str | None) -> str | None:
    """Normalize any spelling or code of a country to ISO 3166-1 alpha-3.

    Parameters
    ----------
    value : str or None
        A country name ("Korea, Republic of", "South Korea"), an ISO alpha-2/alpha-3/numeric
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
        like "Kosovo"); vcflows never invents a code.

    Examples
    --------
    >>> to_iso3("Republic of Korea"), to_iso3("ROM"), to_iso3("uk")
    ('KOR', 'ROU', 'GBR')
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
    raise NormalizeError(f"unrecognized country {raw!r}")
