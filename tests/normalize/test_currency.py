"""Currency conversion from the offline ECB rates."""

from __future__ import annotations

import datetime as dt

import pytest

from vcflows.normalize import RATES_SOURCE, NormalizeError, to_usd


def test_usd_and_blank_pass_through() -> None:
    assert to_usd(1234.5, "USD", dt.date(2010, 1, 1)) == 1234.5
    assert to_usd(1234.5, "usd", None) == 1234.5
    assert to_usd(1234.5, None, None) == 1234.5


def test_eur_at_deal_date_matches_ecb_reference_rate() -> None:
    # ECB reference rate on 1 Nov 2013: 1 EUR = 1.3505 USD (ECB statistical data warehouse,
    # series EXR.D.USD.EUR.SP00.A).
    assert to_usd(550_000, "EUR", dt.date(2013, 11, 1)) == pytest.approx(550_000 * 1.3505)


def test_weekend_uses_last_known_rate() -> None:
    # 2 Nov 2013 was a Saturday: the Friday rate applies.
    assert to_usd(100, "EUR", dt.date(2013, 11, 2)) == pytest.approx(135.05)


def test_date_before_coverage_uses_first_rate() -> None:
    early = to_usd(100, "EUR", dt.date(1990, 1, 1))
    assert early == pytest.approx(to_usd(100, "EUR", dt.date(1999, 1, 4)))


def test_unknown_currency_raises() -> None:
    with pytest.raises(NormalizeError, match="unknown currency"):
        to_usd(100, "XYZ", dt.date(2013, 11, 1))


def test_source_is_named() -> None:
    assert "European Central Bank" in RATES_SOURCE
