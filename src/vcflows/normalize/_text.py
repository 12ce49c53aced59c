"""Small text helpers shared by the normalizers."""

from __future__ import annotations

import math
import re
import unicodedata

#: Cell values that mean "no value" in deal exports (compared after strip + casefold).
#: "NA" is included although it is Namibia's ISO alpha-2 code: in exports it far more often
#: means "not available", and reading a missing value as Namibia would invent a flow.
#: Namibia is recognized as "NAM" or "Namibia".
BLANK_TOKENS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "---",
        "\u2014",
        "\u2013",
        "?",
        "na",
        "n/a",
        "n.a.",
        "none",
        "null",
        "nan",
        "nat",
        "unknown",
        "not specified",
        "undisclosed",
        "#n/a",
    }
)


def is_blank(value: object) -> bool:
    """Return whether ``value`` means "no value" (None, NaN, NaT, or a blank token)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in {"NaTType", "NAType"}:  # pandas NaT / NA without importing pandas
        return True
    if isinstance(value, str):
        return value.strip().casefold() in BLANK_TOKENS
    return False


_PUNCT = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Fold text for matching: strip accents, casefold, punctuation to spaces, collapse spaces.

    Apostrophes and periods are removed rather than spaced so that "U.S.A." folds to "usa"
    and "Cote d'Ivoire" to "cote divoire" on both sides of a comparison.
    """
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"['’‘`.]", "", text)
    text = _PUNCT.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip()
