"""Amount parsing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcflows.normalize import NormalizeError, parse_amount, parse_money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 3,000,000 ", 3_000_000.0),
        ("$3,000,000", 3_000_000.0),
        ("1.2M", 1_200_000.0),
        ("3.5bn", 3_500_000_000.0),
        ("2e6", 2_000_000.0),
        ("250k", 250_000.0),
        ("12.5 million", 12_500_000.0),
        ("0", 0.0),
        (0, 0.0),
        (1500, 1500.0),
        (2.5e6, 2_500_000.0),
        ("11500002", 11_500_002.0),
        ("1,234.5", 1234.5),
        ("US$ 40,000", 40_000.0),
    ],
)
def test_parse_amount(raw: object, expected: float) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("blank", [None, "", " ", "-", float("nan"), "n/a", "undisclosed"])
def test_blank_amount_is_none(blank: object) -> None:
    assert parse_amount(blank) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-5", "negative"),
        (-5, "negative"),
        ("(1,000)", "negative"),
        ("abc", "non-numeric"),
        ("1,23", "commas must group"),
        ("1.234.567,8", "non-numeric"),
        ("2e13", "absurd"),
        (float("inf"), "non-finite"),
        ("3 xyz", "unknown currency"),
        ("5 zillion", "non-numeric"),
        (True, "non-numeric"),
        ("$€5", "two currencies"),
    ],
)
def test_bad_amounts_raise(raw: object, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        parse_amount(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("€2.5m", (2_500_000.0, "EUR")),
        ("3,000,000 USD", (3_000_000.0, "USD")),
        ("GBP 1.5m", (1_500_000.0, "GBP")),
        ("£700k", (700_000.0, "GBP")),
        ("42", (42.0, None)),
    ],
)
def test_parse_money_reports_currency(raw: str, expected: tuple[float, str | None]) -> None:
    assert parse_money(raw) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_grouping_round_trips(n: int) -> None:
    assert parse_amount(f"{n:,}") == float(n)
    assert parse_amount(f"${n:,}") == float(n)


@given(st.text(max_size=20))
def test_arbitrary_text_returns_or_raises_normalize_error(text: str) -> None:
    try:
        value = parse_amount(text)
    except NormalizeError:
        return
    assert value is None or (math.isfinite(value) and 0 <= value <= 1e12)
