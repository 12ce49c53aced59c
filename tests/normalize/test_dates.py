"""Strict date parsing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcflows.normalize import NormalizeError, parse_date

D = dt.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2013-11-01", D(2013, 11, 1)),
        (" 2013-11-01 ", D(2013, 11, 1)),
        ("2014-05", D(2014, 5, 1)),
        ("2014", D(2014, 1, 1)),
        ("2013.0", D(2013, 1, 1)),
        ("2014-Q2", D(2014, 4, 1)),
        ("2014/03/07", D(2014, 3, 7)),
        ("20140307", D(2014, 3, 7)),
        ("2016-04-16 03:09:56 +0000", D(2016, 4, 16)),
        ("2019-03-14 00:00:00", D(2019, 3, 14)),
        ("2019-03-14T10:00:00Z", D(2019, 3, 14)),
        ("1 Nov 2013", D(2013, 11, 1)),
        ("Nov 1, 2013", D(2013, 11, 1)),
        ("November 2013", D(2013, 11, 1)),
        (dt.datetime(2015, 6, 30, 12, 0), D(2015, 6, 30)),
        (D(2015, 6, 30), D(2015, 6, 30)),
        (pd.Timestamp("2015-06-30"), D(2015, 6, 30)),
        (2012, D(2012, 1, 1)),
    ],
)
def test_parse_date(raw: object, expected: dt.date) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("blank", [None, "", "-", float("nan"), pd.NaT])
def test_blank_date_is_none(blank: object) -> None:
    assert parse_date(blank) is None


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2013-02-30", "impossible"),
        ("2013-13-01", "impossible"),
        ("2014-02-29", "impossible"),
        ("03/04/2013", "ambiguous"),
        ("1850-01-01", "implausible"),
        ("garbage", "unrecognized"),
        ("2013-11-01x", "unrecognized"),
        (3.5, "unrecognized"),
    ],
)
def test_bad_dates_raise(raw: object, reason: str) -> None:
    with pytest.raises(NormalizeError, match=reason):
        parse_date(raw)


def test_explicit_format_resolves_slash_dates() -> None:
    assert parse_date("03/04/2013", fmt="%m/%d/%Y") == D(2013, 3, 4)
    assert parse_date("03/04/2013", fmt="%d/%m/%Y") == D(2013, 4, 3)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)))
def test_iso_round_trip(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
