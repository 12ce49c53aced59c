"""Money amounts as written in deal exports to floats.

Accepted forms: numbers; text with thousands separators (``" 3,000,000 "``), a currency
symbol or ISO code before or after (``"$3,000,000"``, ``"EUR 2.5m"``), a magnitude suffix
(``k``, ``m``/``mm``/``mn``/``million``, ``b``/``bn``/``billion``) and scientific notation
(``"2e6"``). Commas are read as thousands separators only when they group digits by three;
decimal commas ("1.234,5") are refused rather than guessed.
"""

from __future__ import annotations

import math
import re

import pycountry

from vcflows.normalize._errors import NormalizeError
from vcflows.normalize._text import is_blank

#: Amounts above this are refused as absurd (no single financing round reaches 1e12 USD).
MAX_AMOUNT = 1e12

#: Currency symbols recognized in amount text -> ISO 4217 code. "$" is read as USD, the
#: convention of the exports vcflows reads.
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "CHF": "CHF",
}

_SUFFIX = {
    "": 1.0,
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mm": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_SYMBOL_RE = "|".join(re.escape(k) for k in sorted(SYMBOLS, key=len, reverse=True))
_MONEY = re.compile(
    rf"^(?P<pre>{_SYMBOL_RE}|[A-Z]{{3}})?\s*(?P<sign>[-+])?\s*(?P<pre2>{_SYMBOL_RE})?\s*"
    r"(?P<num>(\d[\d,]*|)(\.\d+)?([eE][-+]?\d+)?)\s*"
    r"(?P<suf>[A-Za-z]+)?\s*"
    rf"(?P<post>{_SYMBOL_RE}|[A-Z]{{3}})?$"
)
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?([eE][-+]?\d+)?$")


def _check(amount: float, raw: object) -> float:
    if math.isnan(amount) or math.isinf(amount):
        raise NormalizeError(f"non-finite amount {raw!r}")
    if amount < 0:
        raise NormalizeError(f"negative amount {raw!r}")
    if amount > MAX_AMOUNT:
        raise NormalizeError(f"absurd amount {raw!r} (above {MAX_AMOUNT:.0e})")
    return float(amount)


def parse_money(value: object) -> tuple[float | None, str | None]:
    """Parse an amount and the currency written with it, if any.

    Parameters
    ----------
    value : object
        A number or a text such as ``"€2.5m"`` or ``"3,000,000 USD"``.

    Returns
    -------
    tuple of (float or None, str or None)
        The amount (None when blank) and the ISO 4217 code found in the text (None when the
        text names no currency).

    Raises
    ------
    NormalizeError
        For a negative, non-numeric, non-finite or absurd (> 1e12) amount.
    """
    if is_blank(value):
        return None, None
    if isinstance(value, bool):
        raise NormalizeError(f"non-numeric amount {value!r}")
    if isinstance(value, (int, float)):
        return _check(float(value), value), None
    if not isinstance(value, str):
        raise NormalizeError(f"non-numeric amount {value!r}")
    text = value.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if text.startswith("(") and text.endswith(")"):
        raise NormalizeError(f"negative amount {value!r} (accounting parentheses)")
    match = _MONEY.match(text)
    if match is None or not match["num"] or match["num"] in {".", ""}:
        raise NormalizeError(f"non-numeric amount {value!r}")
    num = match["num"]
    if "," in num and not _GROUPED.match(num):
        raise NormalizeError(f"non-numeric amount {value!r} (commas must group thousands)")
    suffix = (match["suf"] or "").lower()
    codes = [c for c in (match["pre"], match["pre2"], match["post"]) if c]
    if suffix.upper() in {"USD", "EUR", "GBP"} or (len(suffix) == 3 and suffix not in _SUFFIX):
        codes.append(suffix.upper())  # "3m" vs "3 usd": a three-letter tail is a currency
        suffix = ""
    if suffix not in _SUFFIX:
        raise NormalizeError(f"non-numeric amount {value!r} (unknown suffix {match['suf']!r})")
    currencies = {SYMBOLS.get(c, c) for c in codes}
    unknown = sorted(c for c in currencies if pycountry.currencies.get(alpha_3=c) is None)
    if unknown:
        raise NormalizeError(f"non-numeric amount {value!r} (unknown currency {unknown[0]!r})")
    if len(currencies) > 1:
        raise NormalizeError(f"amount {value!r} names two currencies")
    if match["sign"] == "-":
        raise NormalizeError(f"negative amount {value!r}")
    amount = _check(float(num.replace(",", "")) * _SUFFIX[suffix], value)
    return amount, (currencies.pop() if currencies else None)


def parse_amount(value: object) -> float | None:
    """Parse a money amount, ignoring any currency written with it.

    Parameters
    ----------
    value : object
        E.g. ``" 3,000,000 "``, ``"$3,000,000"``, ``"1.2M"``, ``"3.5bn"``, ``"2e6"`` or a number.

    Returns
    -------
    float or None
        The amount; None for blank values (None, NaN, "", "-").

    Raises
    ------
    NormalizeError
        For a negative, non-numeric or absurd (> 1e12) amount.

    Examples
    --------
    >>> parse_amount("1.2M"), parse_amount(" 3,000,000 "), parse_amount("-")
    (1200000.0, 3000000.0, None)
    """
    return parse_money(value)[0]
