"""Figures of the dashboard: the report's charts (reused as they are) plus the few it lacks.

The report's chart functions (:mod:`vcflows.presentation.charts`) draw from a dict of named tables;
:func:`report_chart` builds that dict from the dashboard's cached library results, so a map
or Sankey looks and reads the same in the report and on screen. Charts the report does not
have (the flow-matrix heatmap with its clickable cells, yearly totals, partner and peer bars)
are drawn here in the report's style; a company's funding path is the report's own
:func:`vcflows.presentation.charts.funding_timeline`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from vcflows import schema as s
from vcflows.dashboard import components as ui
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.indicators.profile import PEER_TOP
from vcflows.presentation import charts as rc
from vcflows.presentation import formatting as fmt
from vcflows.presentation import trend_charts as rct
from vcflows.presentation.chart_style import PALETTE, Chart, source_label, style
from vcflows.presentation.i18n import Text

TEXT = Text("en")
UNITS = TEXT.get("text.units")


@functools.cache
def _text(all_sectors: bool) -> Text:
    return Text("en", all_sectors=all_sectors)


def text_for(sel: Selection) -> Text:
    """The text layer of a selection: "venture capital", not "AI VC", beyond the AI sector.

    Same rule as the report (:func:`vcflows.report.prepare`); one cached instance per wording.
    """
    return _text(sel.opts.sector != "ai")


def period(ex: Explorer, sel: Selection) -> tuple[int | None, int | None]:
    """First and last year of the selection (the database's range for an open bound)."""
    o = sel.opts
    lo = o.year_from if o.year_from is not None else ex.catalog.year_min
    hi = o.year_to if o.year_to is not None else ex.catalog.year_max
    return lo, hi


def source_line(ex: Explorer) -> str:
    """The charts' source line, as the report writes it."""
    data = {
        "meta": {"is_demo": ex.is_demo, "store": ex.store_facts},
        "tables": {"ingest_log": ex.ingest_log},
    }
    return TEXT.get("text.source_line", source=source_label(data, TEXT))


def report_chart(
    make: Callable[[Any], Chart | None],
    ex: Explorer,
    sel: Selection,
    tables: dict[str, pd.DataFrame],
    extras: dict[str, Any] | None = None,
) -> go.Figure | None:
    """Draw one of the report's charts (``make``, e.g. ``rc.choropleth``) from ``tables``."""
    lo, hi = period(ex, sel)
    data = {
        "tables": tables,
        "meta": {"year_from": lo, "year_to": hi, "focus": sel.focus},
        "extras": extras or {},
    }
    chart = make(rc._Ctx(data, text_for(sel), source_line(ex)))
    return None if chart is None else chart.figure


def quadrant_tables(
    ind: pd.DataFrame, labels: pd.DataFrame, thresholds: Any
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Tables and extras of the report's typology quadrant (as the report computes them)."""
    quad = ind[
        ["country", "invested_in_usd", "foreign_share_in", "overseas_share_out", "invested_out_usd"]
    ]
    quad = quad[(quad["invested_in_usd"] > 0) & (quad["invested_out_usd"] > 0)]
    quad = quad.merge(labels[["country", "label"]], on="country", how="left")
    quad = quad.sort_values(["invested_in_usd", "country"], ascending=[False, True])
    extras = {"typology_thresholds": dataclasses.asdict(thresholds)}
    return {"quadrant": quad.reset_index(drop=True)}, extras


def _scale(vmax: float) -> tuple[float, str]:
    for div, unit in ((1e12, " tn"), (1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if vmax >= div:
            return div, unit
    return 1.0, ""


def yearly_totals(fm_year: pd.DataFrame, source: str, text: Text = TEXT) -> go.Figure | None:
    """Stacked bars per year: AI VC funded at home and across borders."""
    if fm_year.empty:
        return None
    df = fm_year[fm_year["year"].notna()].copy()
    df["kind"] = np.where(
        df["investor_country"] == df["company_country"], "domestic", "cross-border"
    )
    per = df.groupby(["year", "kind"], as_index=False)[s.AMOUNT_USD].sum()
    years = sorted(int(y) for y in per["year"].unique())
    div, unit = _scale(float(per.groupby("year")[s.AMOUNT_USD].sum().max()))
    fig = go.Figure()
    for i, kind in enumerate(("domestic", "cross-border")):
        part = per[per["kind"] == kind].set_index("year")[s.AMOUNT_USD]
        vals = [float(part.get(y, 0.0)) for y in years]
        fig.add_trace(
            go.Bar(
                x=years,
                y=[v / div for v in vals],
                name=kind,
                marker_color=PALETTE[i],
                customdata=[fmt.usd(v) for v in vals],
                hovertemplate="%{x} " + kind + ": %{customdata}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"},
    )
    fig.update_yaxes(tickprefix="$", ticksuffix=unit)
    fig.update_xaxes(dtick=1 if len(years) <= 14 else 2)
    title = text.words("AI VC by year: domestic and cross-border")
    return style(fig, title, UNITS, source, height=420)


def heatmap(fm: pd.DataFrame, source: str, top: int = 15) -> go.Figure | None:
    """Flow matrix of the largest countries (log colour, clickable).

    Rows and columns list the same countries in the same order (:func:`matrix_order`), so
    the diagonal holds the domestic flows.
    """
    if fm.empty:
        return None
    rows = cols = matrix_order(fm, top)
    wide = fm.pivot_table(
        index="investor_country", columns="company_country", values=s.AMOUNT_USD, aggfunc="sum"
    ).reindex(index=rows, columns=cols)
    vals = wide.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(vals > 0, np.log10(vals), np.nan)
    text = [[fmt.usd(v) if v == v else "–" for v in row] for row in vals]
    finite = z[np.isfinite(z)]
    lo = math.floor(float(finite.min())) if finite.size else 0
    hi = math.ceil(float(finite.max())) if finite.size else 1
    ticks = list(range(lo, hi + 1))
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=cols,
            y=rows,
            zmin=lo,
            zmax=hi,
            colorscale="Blues",
            customdata=text,
            hovertemplate="%{y} → %{x}: %{customdata}<br>click for the rounds<extra></extra>",
            colorbar={
                "title": {"text": UNITS},
                "tickvals": ticks,
                "ticktext": [fmt.usd(10.0**t).replace(".0", "") for t in ticks],
            },
            xgap=1,
            ygap=1,
        )
    )
    fig.update_xaxes(title="company country", side="bottom", type="category")
    fig.update_yaxes(title="investor country", autorange="reversed", type="category")
    return style(
        fig,
        f"Flow matrix: the {len(rows)} largest countries by volume (sent + received)",
        UNITS,
        source,
        height=560,
    )


def matrix_order(fm: pd.DataFrame, top: int = 15) -> list[str]:
    """The ``top`` countries by total volume (invested out plus received), largest first.

    One order for both axes of the flow matrix; ties are broken by ISO-3 code.
    """
    out = fm.groupby("investor_country")[s.AMOUNT_USD].sum()
    into = fm.groupby("company_country")[s.AMOUNT_USD].sum()
    volume = out.add(into, fill_value=0.0)
    order = sorted(volume.index, key=lambda k: (-float(volume[k]), str(k)))
    return [str(k) for k in order[:top]]


def peer_note(n_peers: int) -> str:
    """What the peer group is, as :func:`vcflows.presentation.derive.profile_peers` builds it."""
    if n_peers == 0:
        return f"No other country among the {PEER_TOP} largest by share of the world total received money here."
    noun = "country" if n_peers == 1 else "countries"
    return (
        f"Peers, as in the report: the {n_peers} other {noun} that received money among the "
        f"{PEER_TOP} largest by share of the world total."
    )


def partner_bars(partners: pd.DataFrame, focus: str, source: str) -> go.Figure | None:
    """Inbound and outbound amounts with the focus country's top foreign partners."""
    if partners.empty:
        return None
    names = [TEXT.country(p) for p in partners["partner"]]
    vmax = float(partners[["inbound_usd", "outbound_usd"]].to_numpy().max())
    div, unit = _scale(vmax)
    fig = go.Figure(
        [
            go.Bar(
                y=names,
                x=partners[col] / div,
                name=label,
                orientation="h",
                marker_color=PALETTE[i],
                customdata=[fmt.usd(v) for v in partners[col]],
                hovertemplate="%{y}: %{customdata}<extra>" + label + "</extra>",
            )
            for i, (col, label) in enumerate(
                (("inbound_usd", f"into {focus}"), ("outbound_usd", f"from {focus}"))
            )
        ]
    )
    fig.update_layout(
        barmode="group",
        legend={"orientation": "h", "y": 1.0, "x": 1.0, "xanchor": "right", "yanchor": "bottom"},
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickprefix="$", ticksuffix=unit)
    title = f"Top foreign partners of {TEXT.country(focus)}"
    return style(fig, title, UNITS, source, height=440)


def peer_bars(
    peers: pd.DataFrame, focus: str, column: str, label: str, source: str
) -> go.Figure | None:
    """One indicator (a share) of the focus country beside its peers, focus highlighted."""
    df = (
        peers[["country", column]]
        .dropna()
        .sort_values([column, "country"], ascending=[False, True])
    )
    if df.empty:
        return None
    fig = go.Figure(
        go.Bar(
            x=[TEXT.country(c) for c in df["country"]],
            y=df[column] * 100,
            marker_color=[PALETTE[1] if c == focus else PALETTE[0] for c in df["country"]],
            customdata=[fmt.share(v) for v in df[column]],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(ticksuffix="%")
    return style(fig, f"{label}: {TEXT.country(focus)} and peers", "%", source, height=400)


def trend_graphs(ex: Explorer, sel: Selection, prefix: str) -> list[object]:
    """The report's trend charts of the focus and its peers (amounts, shares with bands)."""
    tables, settings = ex.trends(sel.opts, sel.focus)
    extras = {"trends": settings}
    return [
        ui.graph(
            report_chart(make, ex, sel, tables, extras),
            f"{prefix}-{chart_id.replace('_', '-')}",
            "No year of this selection has money for these countries.",
        )
        for make, chart_id in zip(rct.TREND_CHARTS, rct.TREND_CHART_IDS, strict=True)
    ]
