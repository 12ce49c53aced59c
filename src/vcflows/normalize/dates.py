"""Strict date parsing.

Accepted: ``datetime.date`` / ``datetime.datetime`` objects (pandas Timestamps included),
ISO text ``YYYY-MM-DD`` (optionally followed by an ISO time, as Excel cells read as text
are), ``YYYY-MM`` and ``YYYY`` (first day of the month / year), ``YYYY-Qn`` (first day of
the quarter), ``YYYY/MM/DD``, ``YYYYMMDD``, and dates with an English month name
(``"1 Nov 2013"``, ``"Nov 1, 2013"``, ``"November 2013"``). Slash dates such as
``03/04/2013`` are refused: day and month order cannot be told apart. Pass an explicit
``fmt`` (a :func:`datetime.datetime.strptime` format) when a file uses such a layout.
Years outside 1900-2100 are refused as implausible for deal data.
"""

from __future__ import annotations

import datetime as dt
import re

from vcflows.normalize._errors import NormalizeError
from vcflows.normalize._text import is_blank

MIN_YEAR = 1900
MAX_YEAR = 2100

_ISO_DAY = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "ymd"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "ym"),
    (re.compile(r"^(\d{4})(?:\.0)?$"), "y"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), "yq"),
)
_NAMED_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%b %Y", "%B %Y", "%d-%b-%Y")


def _make(year: int, month: int, day: int, raw: object) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise NormalizeError(f"implausible date {raw!r} (year outside {MIN_YEAR}-{MAX_YEAR})")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise NormalizeError(f"impossible date {raw!r} ({exc})") from None


def parse_date(value: object, fmt: str | None = None) -> dt.date | None:
    """Parse a date strictly.

    Parameters
    ----------
    value : object
        A date, datetime, or text in one of the module's accepted forms.
    fmt : str, optional
        An explicit :func:`~datetime.datetime.strptime` format, tried before the defaults.

    Returns
    -------
    datetime.date or None
        The date (first day of the period for ``YYYY-MM``, ``YYYY``, ``YYYY-Qn``); None for
        blank values.

    Raises
    ------
    NormalizeError
        For impossible dates ("2013-02-30"), implausible years, or unrecognized text.

    Examples
    --------
    >>> parse_date("2013-11-01"), parse_date("2014-05")
    (datetime.date(2013, 11, 1), datetime.date(2014, 5, 1))
    """
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return _make(value.year, value.month, value.day, value)
    if isinstance(value, dt.date):
        return _make(value.year, value.month, value.day, value)
    if isinstance(value, int) and not isinstance(value, bool):
        return _make(value, 1, 1, value)
    if not isinstance(value, str):
        raise NormalizeError(f"unrecognized date {value!r}")
    text = " ".join(value.replace(",", " ").split())
    if fmt is not None:
        try:
            parsed = dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            pass
        else:
            return _make(parsed.year, parsed.month, parsed.day, value)
    match = _ISO_DAY.match(text)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3]), value)
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match is None:
            continue
        year = int(match[1])
        if kind == "ymd":
            return _make(year, int(match[2]), int(match[3]), value)
        if kind == "ym":
            return _make(year, int(match[2]), 1, value)
        if kind == "yq":
            return _make(year, 3 * int(match[2]) - 2, 1, value)
        return _make(year, 1, 1, value)
    for named in _NAMED_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, named)
        except ValueError:
            continue
        return _make(parsed.year, parsed.month, parsed.day, value)
    if re.match(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$", text):
        raise NormalizeError(f"ambiguous date {value!r} (day/month order unknown; use YYYY-MM-DD)")
    raise NormalizeError(f"unrecognized date {value!r}")
