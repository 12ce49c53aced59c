"""Number formatting for report text, per language, and the named figure a sentence quotes.

Every number in a generated sentence is a :class:`Fig`: its name, its raw value (the table
value it was read from) and its formatted text. Tests parse the text back and compare it with
the raw value, so a sentence can never quote a number that is not in a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from vcflows.display import usd as usd  # one money format for report, policy and dashboard

FigKind = Literal["usd", "share", "rank", "count", "ratio", "year", "country", "text"]


@dataclass(frozen=True)
class Fig:
    """One named value quoted in a sentence.

    Attributes
    ----------
    name : str
        Placeholder name in the sentence template.
    value : float, int or str
        The raw value, exactly as in the computed table (ISO-3 code for countries).
    kind : str
        How the value is formatted (see :data:`FigKind`).
    text : str
        The formatted text that appears in the sentence.
    source : str
        ``"table.column[key]"``: where the value comes from, for tests and readers.
    """

    name: str
    value: float | int | str
    kind: FigKind
    text: str
    source: str = ""


def usd_full(x: float) -> str:
    """Format an amount with thousands separators and no unit scaling ("$1,234,567")."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"${float(x):,.0f}"


def share(x: float) -> str:
    """Format a share in [0, 1] as a percentage with one decimal ("42.1%")."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{100 * float(x):.1f}%"


def count(x: float) -> str:
    """Format a count with thousands separators; fractional deal weights get one decimal."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    xf = float(x)
    # Deal weights are sums of fractions: 254.99999999997 is 255 deals, not "255.0".
    whole = round(xf)
    return f"{whole:,}" if math.isclose(xf, whole, rel_tol=0, abs_tol=1e-6) else f"{xf:,.1f}"


def ratio(x: float, decimals: int = 1) -> str:
    """Format a ratio with ``decimals`` decimals ("2.3")."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{float(x):,.{decimals}f}"


def evidence(name: str, value: object, policy_format: str | None, lang: str = "en") -> str:
    """Format one evidence figure of a policy implication the way the report writes numbers.

    ``policy_format`` is the figure's format in its sentence (:data:`vcflows.policy.FORMATS`:
    ``pct``, ``usd``, ``times``, ``count``, ``index``, ``text``); a figure the sentence does not
    state (None) is formatted by its name: ``*_usd`` amounts, ``*share*`` shares, whole numbers
    as counts, other numbers as ratios with two decimals.
    """
    if isinstance(value, str) or value is None:
        return "–" if value is None else value
    if not isinstance(value, int | float):
        return str(value)
    x = float(value)
    kind = policy_format
    if kind is None or kind == "text":
        if name.endswith("_usd"):
            kind = "usd"
        elif "share" in name:
            kind = "pct"
        elif x.is_integer() and not ("ratio" in name or "hhi" in name or "median" in name):
            kind = "count"
        else:
            kind = "index"
    if kind == "pct":
        return share(x)
    if kind == "usd":
        return usd(x, lang)
    if kind == "count":
        return count(x)
    if kind == "times":
        return ratio(x, 2) + "×"
    return ratio(x, 2)


def rank(n: int, lang: str = "en") -> str:
    """Format a rank as an ordinal ("3rd", "3위")."""
    if lang == "ko":
        return f"{n}위"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fig(
    name: str,
    value: float | int | str,
    kind: FigKind,
    lang: str = "en",
    *,
    source: str = "",
    text: str | None = None,
) -> Fig:
    """Build a :class:`Fig`, formatting ``value`` by ``kind`` unless ``text`` is given."""
    if text is None:
        if kind == "usd":
            text = usd(float(value), lang)
        elif kind == "share":
            text = share(float(value))
        elif kind == "rank":
            text = rank(int(value), lang)
        elif kind == "count":
            text = count(float(value))
        elif kind == "ratio":
            text = ratio(float(value))
        else:
            text = str(value)
    if isinstance(value, float) and value.is_integer() and kind in ("year", "rank"):
        value = int(value)
    return Fig(name=name, value=value, kind=kind, text=text, source=source)
