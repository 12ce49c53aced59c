"""Charts over time of the focus country and its peers: amounts, and shares with their bands.

Each draws one table of :func:`vcflows.presentation.derive.trend_tables` (from
:func:`vcflows.indicators.trends.country_trends`); the dashboard's country and focus views
draw the same functions on the same tables. A share's bootstrap interval is a band around its
line; a year with fewer rounds than the findings' minimum is a hollow point, and the legend
and the point's hover text say "few deals".
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from vcflows.flows.columns import COUNTRY
from vcflows.indicators.intervals import ci_high, ci_low
from vcflows.indicators.trends import FEW_ROUNDS_IN, FEW_ROUNDS_OUT, ROUNDS_OUT
from vcflows.presentation import formatting as fmt
from vcflows.presentation.chart_style import PALETTE, Chart, money_axis, style, top_list
from vcflows.presentation.charts import _Ctx

#: Panels per row of the small multiples.
_COLS = 4
#: Hollow marker of a year with few deals (plotly symbol), and the filled one.
FEW_DEALS_SYMBOL = "circle-open"
_SOLID_SYMBOL = "circle"
_GREY = "#777777"

#: chart id -> (table, share column, rounds column, few-deals column, i18n title key).
TREND_SHARE_CHARTS: dict[str, tuple[str, str, str, str]] = {
    "trend_foreign_share": ("foreign_share_in", "rounds_in", FEW_ROUNDS_IN, "chart.trend_foreign"),
    "trend_overseas_share": (
        "overseas_share_out",
        ROUNDS_OUT,
        FEW_ROUNDS_OUT,
        "chart.trend_overseas",
    ),
}


def _settings(c: _Ctx) -> tuple[float, int]:
    """The intervals' level and the few-deals threshold the tables were computed with."""
    opts: dict[str, Any] = c.data.get("extras", {}).get("trends", {})
    return float(opts.get("level", 0.9)), int(opts.get("min_rounds", 30))


def _colour(country: str, focus: str, i: int) -> str:
    return PALETTE[1] if country == focus else PALETTE[[0, 2, 3, 4, 5, 6, 7, 8][i % 8]]


def _fill(colour: str) -> str:
    """A light, transparent version of a palette colour for a band."""
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},0.18)"


def _countries(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(df[COUNTRY]))


def _points(
    fig: go.Figure,
    part: pd.DataFrame,
    y: pd.Series,
    few: pd.Series,
    text: list[str],
    colour: str,
    name: str,
    **cell: int,
) -> None:
    """Solid points for the years with enough rounds, hollow ones for few deals."""
    for is_few in (False, True):
        sel = few == is_few
        if not sel.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=part["year"][sel],
                y=y[sel],
                mode="markers",
                name=name,
                showlegend=False,
                marker={
                    "symbol": FEW_DEALS_SYMBOL if is_few else _SOLID_SYMBOL,
                    "size": 8 if is_few else 6,
                    "color": colour,
                    "line": {"width": 1.5, "color": colour},
                },
                text=[t for t, k in zip(text, sel, strict=True) if k],
                hovertemplate="%{text}<extra>" + name + "</extra>",
            ),
            **cell,
        )


def _key(fig: go.Figure, name: str, *, band: bool = False, **cell: int) -> None:
    """A legend entry only (no data), in grey: the band, or the hollow few-deals point."""
    style_ = (
        {"mode": "lines", "line": {"width": 10, "color": _fill(_GREY)}}
        if band
        else {
            "mode": "markers",
            "marker": {"symbol": FEW_DEALS_SYMBOL, "size": 8, "color": _GREY},
        }
    )
    fig.add_trace(
        go.Scatter(x=[None], y=[None], name=name, showlegend=True, hoverinfo="skip", **style_),
        **cell,
    )


def _grid(n: int) -> tuple[int, int]:
    cols = min(_COLS, max(n, 1))
    return math.ceil(n / cols), cols


def share_trend(c: _Ctx, chart_id: str) -> Chart | None:
    """Small multiples: one share per year of each country, its interval as a band."""
    share, rounds, few_col, title_key = TREND_SHARE_CHARTS[chart_id]
    df = c.t.get(chart_id)
    if df is None or df.empty or df[share].notna().sum() == 0:
        return None
    level, min_rounds = _settings(c)
    focus = c.data["meta"]["focus"]
    countries = _countries(df)
    n_rows, n_cols = _grid(len(countries))
    fig = make_subplots(
        rows=n_rows,
        cols=n_cols,
        subplot_titles=[c.name(k) for k in countries],
        shared_yaxes=True,
        horizontal_spacing=0.04,
        vertical_spacing=0.16 if n_rows > 1 else 0.1,
    )
    band_name = c.text.get("chart.trend_interval", level=f"{level:.0%}")
    few_label = c.text.get("chart.few_deals_legend", n=min_rounds)
    for i, country in enumerate(countries):
        part = df[(df[COUNTRY] == country) & df[share].notna()].sort_values("year")
        if part.empty:
            continue
        cell = {"row": i // n_cols + 1, "col": i % n_cols + 1}
        colour = _colour(country, focus, i)
        low, high = part[ci_low(share)] * 100, part[ci_high(share)] * 100
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=low,
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                legendgroup="band",
            ),
            **cell,
        )
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=high,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=_fill(colour),
                name=band_name,
                legendgroup="band",
                showlegend=False,
                hoverinfo="skip",
            ),
            **cell,
        )
        y = (part[share] * 100).round(4)
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=y,
                mode="lines",
                line={"width": 2 if country == focus else 1.5, "color": colour},
                name=c.name(country),
                showlegend=False,
                hoverinfo="skip",
            ),
            **cell,
        )
        hover = [
            f"{int(yr)}: {fmt.share(v)} ({fmt.share(lo)}–{fmt.share(hi)}), {int(n)} "
            + c.text.get("chart.rounds")
            + (f", {c.text.get('chart.few_deals')}" if k else "")
            for yr, v, lo, hi, n, k in zip(
                part["year"],
                part[share],
                part[ci_low(share)],
                part[ci_high(share)],
                part[rounds],
                part[few_col],
                strict=True,
            )
        ]
        _points(fig, part, y, part[few_col].astype(bool), hover, colour, c.name(country), **cell)
    _key(fig, band_name, band=True, row=1, col=1)
    if df.loc[df[share].notna(), few_col].astype(bool).any():
        _key(fig, few_label, row=1, col=1)
    fig.update_yaxes(ticksuffix="%", range=[-2, 102])
    fig.update_xaxes(dtick=2 if df["year"].nunique() > 6 else 1, tickangle=0)
    title = c.text.get(title_key)
    height = 150 + 230 * n_rows
    style(fig, title, "%, " + c.units, c.source, height=height)
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.995,
            "x": 1.0,
            "xanchor": "right",
            "yanchor": "top",
        },
        margin={"t": 100},
    )
    alt = c.text.get(
        f"alt.{chart_id}",
        level=f"{level:.0%}",
        n=min_rounds,
        list=_alt_list(c, df, share, few_col),
    )
    return Chart(chart_id, title, fig, alt, c.source, chart_id, height)


def _alt_list(c: _Ctx, df: pd.DataFrame, share: str, few_col: str) -> str:
    """Each country's latest year with a value: the share and its interval."""
    items = []
    for country in _countries(df):
        part = df[(df[COUNTRY] == country) & df[share].notna()]
        if part.empty:
            continue
        last = part.sort_values("year").iloc[-1]
        few = f", {c.text.get('chart.few_deals')}" if bool(last[few_col]) else ""
        value = (
            f"{int(last['year'])} {fmt.share(last[share])} "
            f"({fmt.share(last[ci_low(share)])}–{fmt.share(last[ci_high(share)])}{few})"
        )
        items.append((c.name(country), value))
    return top_list(items, len(items))


def foreign_share_trend(c: _Ctx) -> Chart | None:
    """Foreign share of the money each country's companies received, per year, with bands."""
    return share_trend(c, "trend_foreign_share")


def overseas_share_trend(c: _Ctx) -> Chart | None:
    """Share of each country's investors' money placed abroad, per year, with bands."""
    return share_trend(c, "trend_overseas_share")


def amounts_trend(c: _Ctx) -> Chart | None:
    """Money received per year by the focus country and its peers (hollow: few deals)."""
    df = c.t.get("trend_amounts")
    if df is None or df.empty or not (df["invested_in_usd"] > 0).any():
        return None
    _, min_rounds = _settings(c)
    focus = c.data["meta"]["focus"]
    div, prefix, unit = money_axis(float(df["invested_in_usd"].max()), c.text.lang)
    fig = go.Figure()
    for i, country in enumerate(_countries(df)):
        part = df[df[COUNTRY] == country].sort_values("year")
        colour = _colour(country, focus, i)
        y = part["invested_in_usd"] / div
        fig.add_trace(
            go.Scatter(
                x=part["year"],
                y=y,
                mode="lines",
                name=c.name(country),
                legendgroup=c.name(country),
                line={"width": 2.5 if country == focus else 1.5, "color": colour},
                hoverinfo="skip",
            )
        )
        hover = [
            f"{int(yr)}: {c.usd(v)}, {int(n)} {c.text.get('chart.rounds')}"
            + (f", {c.text.get('chart.few_deals')}" if k else "")
            for yr, v, n, k in zip(
                part["year"],
                part["invested_in_usd"],
                part["rounds_in"],
                part[FEW_ROUNDS_IN],
                strict=True,
            )
        ]
        _points(fig, part, y, part[FEW_ROUNDS_IN].astype(bool), hover, colour, c.name(country))
    if df[FEW_ROUNDS_IN].astype(bool).any():
        _key(fig, c.text.get("chart.few_deals_legend", n=min_rounds))
    fig.update_yaxes(tickprefix=prefix, ticksuffix=unit, rangemode="tozero")
    fig.update_xaxes(dtick=1 if df["year"].nunique() <= 12 else 2)
    title = c.text.get("chart.trend_amounts")
    style(fig, title, c.units, c.source, height=440)
    items = []
    for country in _countries(df):
        part = df[df[COUNTRY] == country].sort_values("year")
        last = part.iloc[-1]
        items.append(
            (c.name(country), f"{int(last['year'])} {c.usd(float(last['invested_in_usd']))}")
        )
    alt = c.text.get("alt.trend_amounts", n=min_rounds, list=top_list(items, len(items)))
    return Chart("trend_amounts", title, fig, alt, c.source, "trend_amounts", 440)


#: The trend charts in the order the focus chapter shows them, and their ids.
TREND_CHARTS = (amounts_trend, foreign_share_trend, overseas_share_trend)
TREND_CHART_IDS = ("trend_amounts", "trend_foreign_share", "trend_overseas_share")
