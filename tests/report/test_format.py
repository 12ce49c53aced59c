"""Number formatting of the report text: hand-checked values and a parse-back property."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from report_helpers import parse_usd, usd_tolerance

from vcflows.presentation import formatting as fmt


def test_usd_hand_values() -> None:
    assert fmt.usd(447_165_598_940) == "$447 bn"
    assert fmt.usd(15_614_322_600) == "$15.6 bn"
    assert fmt.usd(4_000_000) == "$4.0 m"
    assert fmt.usd(999) == "$999"
    assert fmt.usd(0) == "$0"
    assert fmt.usd(3.456e9, "ko") == "34.6억 달러"
    assert fmt.usd(12.3e6, "ko") == "1,230만 달러"


def test_share_rank_count() -> None:
    assert fmt.share(0.6383) == "63.8%"
    assert fmt.share(1.0) == "100.0%"
    assert fmt.rank(1) == "1st" and fmt.rank(2) == "2nd" and fmt.rank(3) == "3rd"
    assert fmt.rank(11) == "11th" and fmt.rank(12) == "12th" and fmt.rank(22) == "22nd"
    assert fmt.rank(4, "ko") == "4위"
    assert fmt.count(1234) == "1,234" and fmt.count(2.5) == "2.5"
    # A sum of fractional deal weights that is a whole number up to float error reads as one.
    assert fmt.count(sum([0.1] * 2550)) == "255" and fmt.count(254.9) == "254.9"


@given(st.floats(min_value=1.0, max_value=5e12, allow_nan=False))
def test_usd_parses_back_within_display_precision(x: float) -> None:
    text = fmt.usd(x)
    back = parse_usd(text)
    # The shown value is x rounded to its last digit (and never off by more than 5%).
    assert abs(back - x) <= usd_tolerance(text)
    assert abs(back - x) <= 0.05 * x + 0.5


@given(st.floats(min_value=0.0, max_value=1.0, allow_nan=False))
def test_share_parses_back(x: float) -> None:
    assert abs(float(fmt.share(x).rstrip("%")) / 100 - x) <= 0.0005 + 1e-12
