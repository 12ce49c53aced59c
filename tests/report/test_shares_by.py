"""Shares by year and by stage group: hand-computed, and money and deals conserved."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.indicators import stage_shares_from
from vcflows.presentation import derive as d

COLS = ["investor_country", "company_country", s.STAGE, s.AMOUNT_USD, "deals"]


def _fm(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLS)


def test_stage_groups_by_hand() -> None:
    fm = _fm(
        [
            ("USA", "USA", "seed", 60.0, 3.0),
            ("CHN", "USA", "series_a", 20.0, 1.0),
            ("CHN", "CHN", "seed", 20.0, 1.0),
            ("USA", "USA", "series_c", 300.0, 1.5),
            ("GBR", "GBR", "growth", 100.0, 0.5),
            ("KOR", "KOR", "series_b", 5.0, 1.0),
            ("USA", "DEU", "grant", 0.0, 2.0),  # amount unknown: deals only
        ]
    )
    out = d.shares_by_stage(stage_shares_from(fm), top=2, focus="KOR")
    # USA (380) and GBR (100) are the top two; KOR is kept as the focus; CHN and DEU -> OTHER.
    assert list(zip(out["stage_group"], out["country"], strict=True)) == [
        ("early", "USA"),
        ("early", "OTHER"),
        ("late", "USA"),
        ("late", "GBR"),
        ("late", "KOR"),
        ("other", "OTHER"),
    ]
    early = out[out["stage_group"] == "early"].set_index("country")
    assert early.loc["USA", s.AMOUNT_USD] == 80.0 and early.loc["USA", "share"] == 0.8
    assert early.loc["USA", "deals"] == 4.0 and early.loc["USA", "deals_share"] == 0.8
    late = out[out["stage_group"] == "late"].set_index("country")
    assert late["share"].to_dict() == pytest.approx(
        {"USA": 300 / 405, "GBR": 100 / 405, "KOR": 5 / 405}
    )
    empty = d.shares_by_stage(stage_shares_from(_fm([])), focus="KOR")
    assert empty.empty and list(empty.columns) == list(out.columns)
    other = out[out["stage_group"] == "other"].iloc[0]
    assert (other[s.AMOUNT_USD], other["share"], other["deals_share"]) == (0.0, 0.0, 1.0)


_country = st.sampled_from(["USA", "CHN", "GBR", "KOR", "DEU", "ISR", "JPN", "FRA"])
_row = st.tuples(
    _country,
    _country,
    st.sampled_from(s.STAGES),
    st.floats(0, 1e9, allow_nan=False),
    st.floats(0, 10, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=40), top=st.integers(1, 5))
def test_money_and_deals_conserved_shares_sum_to_one(
    rows: list[tuple[str, str, str, float, float]], top: int
) -> None:
    fm = _fm(rows)
    out = d.shares_by_stage(stage_shares_from(fm), top=top, focus="KOR")
    # Nothing lost by grouping countries into OTHER: every dollar and deal is in the table.
    assert out[s.AMOUNT_USD].sum() == pytest.approx(fm[s.AMOUNT_USD].sum(), rel=1e-9, abs=1e-6)
    assert out["deals"].sum() == pytest.approx(fm["deals"].sum(), rel=1e-9, abs=1e-9)
    for _, g in out.groupby("stage_group"):
        for value, share in ((s.AMOUNT_USD, "share"), ("deals", "deals_share")):
            if g[value].sum() > 0:
                assert g[share].sum() == pytest.approx(1.0)
    named = set(out["country"]) - {"OTHER"}
    assert len(named - {"KOR"}) <= top
    if (fm["company_country"] == "KOR").any():
        assert "KOR" in named  # the focus country is never folded into OTHER
    by_year = fm.rename(columns={s.STAGE: "year"}).assign(year=2020)
    years = d.shares_by_year(by_year, top=top, focus="KOR")
    assert years[s.AMOUNT_USD].sum() == pytest.approx(out[s.AMOUNT_USD].sum(), rel=1e-9, abs=1e-6)


def test_stage_chart_puts_other_last_even_when_a_country_misses_a_group() -> None:
    from vcflows.presentation.charts import _Ctx, stage_shares
    from vcflows.presentation.i18n import Text

    fm = _fm(
        [
            ("USA", "USA", "seed", 90.0, 1.0),
            ("DEU", "DEU", "seed", 5.0, 1.0),
            ("USA", "USA", "series_b", 50.0, 1.0),
            ("ESP", "ESP", "series_b", 30.0, 1.0),  # late stage only
        ]
    )
    table = d.shares_by_stage(stage_shares_from(fm), top=2)
    assert list(table["country"]) == ["USA", "OTHER", "USA", "ESP"]  # DEU folded into Other
    data = {
        "tables": {"shares_by_stage": table},
        "meta": {"year_from": 2020, "year_to": 2021, "focus": "KOR"},
    }
    chart = stage_shares(_Ctx(data, Text("en"), "test"))
    assert chart is not None
    assert [trace.name for trace in chart.figure.data] == ["United States", "Spain", "Other"]
    colours = [trace.marker.color for trace in chart.figure.data]
    assert colours[-1] == "#bbbbbb" and len(set(colours)) == 3
