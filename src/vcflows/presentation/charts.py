"""The report's charts (plotly), each built from one exported table.

Every chart carries a title, its units (current USD or a share), a source line and a text
alternative naming its largest values.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from vcflows import schema as s
from vcflows.presentation import formatting as fmt
from vcflows.presentation.chart_style import PALETTE, Chart, centroids, style, top_list
from vcflows.presentation.i18n import Text


class _Ctx:
    def __init__(self, data: dict[str, Any], text: Text, source: str) -> None:
        self.t = data["tables"]
        self.data = data
        self.text = text
        self.lang = text.lang
        self.source = source
        meta = data["meta"]
        lo, hi = meta["year_from"], meta["year_to"]
        self.period = (
            f"{lo}–{hi}" if lo is not None and hi is not None else text.get("text.all_years")
        )
        self.units = text.get("text.units")

    def name(self, iso3: str) -> str:
        return self.text.country(iso3)

    def usd(self, x: float) -> str:
        return fmt.usd(x, self.lang)


def _scale(vmax: float) -> tuple[float, str]:
    """Divisor and unit suffix for an axis of amounts (plotly's SI "G" reads badly as USD)."""
    for div, unit in ((1e12, " tn"), (1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if vmax >= div:
            return div, unit
    return 1.0, ""


def choropleth(c: _Ctx) -> Chart | None:
    """World map of AI VC received by company country (log colour scale)."""
    df = c.t["choropleth"]
    if df.empty:
        return None
    vals = df["invested_in_usd"].astype(float)
    logv = np.log10(vals.clip(lower=1.0))
    names = [c.name(x) for x in df["country"]]
    hover = [
        f"{n}: {c.usd(v)} ({fmt.share(sh)})"
        for n, v, sh in zip(names, vals, df["share_global"], strict=True)
    ]
    lo, hi = math.floor(float(logv.min())), math.ceil(float(logv.max()))
    ticks = list(range(lo, hi + 1))
    colorscale = "Blues"
    fig = go.Figure(
        go.Choropleth(
            locations=df["country"],
            z=logv,
            zmin=lo,
            zmax=hi,
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorscale=colorscale,
            marker_line_color="white",
            marker_line_width=0.4,
            colorbar={
                "title": {"text": c.units},
                "tickvals": ticks,
                "ticktext": [c.usd(10.0**t).replace(".0", "") for t in ticks],
                "len": 0.8,
            },
        )
    )
    # Small economies have no polygon at 1:110m: draw them as markers at their centroid.
    cent = centroids()
    small = [(i, cent[x]) for i, x in enumerate(df["country"]) if x in cent and not cent[x][2]]
    if small:
        idx = [i for i, _ in small]
        fig.add_trace(
            go.Scattergeo(
                lon=[p[0] for _, p in small],
                lat=[p[1] for _, p in small],
                text=[hover[i] for i in idx],
                hovertemplate="%{text}<extra></extra>",
                mode="markers",
                marker={
                    "size": 9,
                    "color": [float(logv.iloc[i]) for i in idx],
                    "cmin": lo,
                    "cmax": hi,
                    "colorscale": colorscale,
                    "line": {"color": "#333", "width": 0.6},
                },
                showlegend=False,
            )
        )
    fig.update_geos(
        projection_type="natural earth",
        showframe=False,
        showcoastlines=False,
        showcountries=True,
        countrycolor="#bbbbbb",
        showland=True,
        landcolor="#f0f0f0",
        lataxis_range=[-57, 85],
        fitbounds=False,
    )
    title = c.text.get("chart.choropleth", period=c.period)
    style(fig, title, c.units, c.source, height=470)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 80, "b": 70})
    items = [(n, c.usd(v)) for n, v in zip(names, vals, strict=True)]
    alt = c.text.get("alt.choropleth", period=c.period, list=top_list(items))
    return Chart("map", title, fig, alt, c.source, "choropleth", 470)


def sankey(c: _Ctx) -> Chart | None:
    """Sankey of the largest cross-border flows, investor country -> company country."""
    df = c.t["sankey_pairs"]
    if df.empty:
        return None
    left = list(dict.fromkeys(df["investor_country"]))
    right = list(dict.fromkeys(df["company_country"]))
    labels = [c.name(x) for x in left] + [c.name(x) for x in right]
    colors = {x: PALETTE[i % len(PALETTE)] for i, x in enumerate(left)}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "pad": 12,
                "thickness": 14,
                "color": [colors[x] for x in left] + ["#8a8a8a"] * len(right),
            },
            link={
                "source": [left.index(x) for x in df["investor_country"]],
                "target": [len(left) + right.index(x) for x in df["company_country"]],
                "value": df[s.AMOUNT_USD].astype(float).tolist(),
                "color": [colors[x] + "66" for x in df["investor_country"]],
                "customdata": [c.usd(v) for v in df[s.AMOUNT_USD]],
                "hovertemplate": "%{source.label} → %{target.label}: %{customdata}<extra></extra>",
            },
            valueformat="$,.3s",
        )
    )
    title = c.text.get("chart.sankey", period=c.period)
    style(fig, title, c.units, c.source, height=520)
    items = [
        (f"{c.name(a)} → {c.name(b)}", c.usd(v))
        for a, b, v in zip(
            df["investor_country"], df["company_country"], df[s.AMOUNT_USD], strict=True
        )
    ]
    alt = c.text.get("alt.sankey", n=len(df), list=top_list(items))
    return Chart("sankey", title, fig, alt, c.source, "sankey_pairs", 520)


def _colour(i: int, country: str) -> str:
    """The i-th country's colour in a chart of shares; Other is grey."""
    return PALETTE[i % len(PALETTE)] if country != "OTHER" else "#bbbbbb"


def _country_order(df: pd.DataFrame) -> list[str]:
    """Countries of a shares table in its order, Other last (a country absent from the first
    year or stage group would otherwise come after Other, and take a colour after it)."""
    order = list(dict.fromkeys(df["country"]))
    return [c for c in order if c != "OTHER"] + [c for c in order if c == "OTHER"]


def _share_of(df: pd.DataFrame, country: str, key: str, index: list[Any]) -> pd.Series:
    """A country's share per value of ``key`` (0 where it has no row)."""
    return df[df["country"] == country].set_index(key)["share"].reindex(index, fill_value=0.0)


def shares(c: _Ctx) -> Chart | None:
    """Stacked area of each country's share of the world's AI VC, per year."""
    df = c.t["shares_by_year"]
    if df.empty or df["year"].nunique() < 2:
        return None
    fig = go.Figure()
    order = _country_order(df)
    years = sorted(df["year"].unique())
    for i, country in enumerate(order):
        part = _share_of(df, country, "year", years)
        fig.add_trace(
            go.Scatter(
                x=years,
                y=(part * 100).round(4),
                name=c.name(country),
                stackgroup="one",
                mode="lines",
                line={
                    "width": 0.5,
                    "color": _colour(i, country),
                },
                hovertemplate="%{x}: %{y:.1f}%<extra>" + c.name(country) + "</extra>",
            )
        )
    fig.update_yaxes(ticksuffix="%", range=[0, 100])
    fig.update_xaxes(dtick=1 if len(years) <= 12 else 2)
    title = c.text.get("chart.shares")
    style(fig, title, c.text.get("label.share_global") + " (%, " + c.units + ")", c.source)
    last = df[df["year"] == years[-1]]
    items = [(c.name(a), fmt.share(v)) for a, v in zip(last["country"], last["share"], strict=True)]
    alt = c.text.get("alt.shares", period=c.period, list=f"{years[-1]}: " + top_list(items, 7))
    return Chart("shares", title, fig, alt, c.source, "shares_by_year")


def stage_shares(c: _Ctx) -> Chart | None:
    """100% stacked bars: each country's share of the AI VC of each stage group."""
    df = c.t["shares_by_stage"]
    if df.empty:
        return None
    groups = list(dict.fromkeys(df["stage_group"]))
    names = c.text.section("stage_group")
    labels = [names.get(g, g) for g in groups]
    fig = go.Figure()
    for i, country in enumerate(_country_order(df)):
        part = _share_of(df, country, "stage_group", groups)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=(part * 100).round(4),
                name=c.name(country),
                orientation="h",
                marker={"color": _colour(i, country)},
                hovertemplate="%{y}: %{x:.1f}%<extra>" + c.name(country) + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})  # largest first
    fig.update_xaxes(ticksuffix="%", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    title = c.text.get("chart.stage_shares", period=c.period)
    style(fig, title, c.text.get("label.share_global") + " (%, " + c.units + ")", c.source)
    fig.update_layout(height=120 + 70 * len(groups))
    items = []
    for g, label in zip(groups, labels, strict=True):
        rows = df[df["stage_group"] == g]
        parts = [
            f"{c.name(a)} {fmt.share(v)}"
            for a, v in zip(rows["country"], rows["share"], strict=True)
            if a != "OTHER"
        ][:3]
        items.append(f"{label}: {', '.join(parts)}")
    alt = c.text.get("alt.stage_shares", period=c.period, list="; ".join(items))
    return Chart(
        "stage_shares", title, fig, alt, c.source, "shares_by_stage", 120 + 70 * len(groups)
    )


def _threshold(thresholds: dict[str, Any], word: str, default: float) -> float:
    # The "open_*" thresholds split countries into open / closed on each axis.
    keys = sorted(thresholds, key=lambda k: (not k.startswith("open_"), k))
    for k in keys:
        v = thresholds[k]
        if word in k and isinstance(v, int | float) and not isinstance(v, bool):
            return float(v)
    return default


def quadrant(c: _Ctx) -> Chart | None:
    """Foreign share in vs overseas share out, bubble = AI VC received, colour = type."""
    df = c.t["quadrant"]
    if df.empty:
        return None
    thr = c.data["extras"].get("typology_thresholds", {}) or {}
    x_thr = _threshold(thr, "foreign", 0.5)
    y_thr = _threshold(thr, "overseas", 0.5)
    labels = df["label"].fillna("") if "label" in df else pd.Series([""] * len(df))
    size = np.sqrt(df["invested_in_usd"].astype(float))
    size = 8 + 42 * size / float(size.max())
    fig = go.Figure()
    names = [c.name(x) for x in df["country"]]
    # ISO-3 codes as bubble labels: full names overlap in the crowded corners.
    show_text = list(df["country"])
    focus = c.data["meta"]["focus"]
    for i, lab in enumerate(sorted(set(labels))):
        m = (labels == lab).to_numpy()
        disp = (
            c.text.section("typology").get(str(lab), str(lab))
            if lab
            else c.text.get("label.country")
        )
        fig.add_trace(
            go.Scatter(
                x=df["foreign_share_in"][m] * 100,
                y=df["overseas_share_out"][m] * 100,
                mode="markers+text",
                text=[t for t, k in zip(show_text, m, strict=True) if k],
                textposition="top center",
                textfont={"size": 10},
                marker={
                    "size": size[m],
                    "color": PALETTE[i % len(PALETTE)],
                    "opacity": 0.75,
                    "line": {
                        "color": ["#000" if k == focus else "white" for k in df["country"][m]],
                        "width": [3 if k == focus else 1 for k in df["country"][m]],
                    },
                },
                name=disp,
                customdata=[
                    [n, c.usd(v)]
                    for n, v, k in zip(names, df["invested_in_usd"], m, strict=True)
                    if k
                ],
                hovertemplate="%{customdata[0]}: %{x:.1f}% / %{y:.1f}% (%{customdata[1]})<extra></extra>",
            )
        )
    for kind, v in (("x", x_thr), ("y", y_thr)):
        line = {"color": "#888", "width": 1, "dash": "dash"}
        if kind == "x":
            fig.add_vline(x=v * 100, line=line)
        else:
            fig.add_hline(y=v * 100, line=line)
    fig.update_xaxes(
        title=c.text.get("chart.x_foreign_share_in") + " (%)", range=[-3, 103], ticksuffix="%"
    )
    fig.update_yaxes(
        title=c.text.get("chart.y_overseas_share_out") + " (%)", range=[-3, 103], ticksuffix="%"
    )
    title = c.text.get("chart.quadrant", period=c.period)
    style(fig, title, "% " + c.units, c.source, height=560)
    items = [
        (n, f"{fmt.share(a)} / {fmt.share(b)}")
        for n, a, b in zip(names, df["foreign_share_in"], df["overseas_share_out"], strict=True)
    ]
    alt = c.text.get("alt.quadrant", list=top_list(items, 8))
    return Chart("quadrant", title, fig, alt, c.source, "quadrant", 560)


def hub_sources(c: _Ctx) -> Chart | None:
    """One horizontal bar chart per hub: its top source countries."""
    hubs, src = c.t["hubs"], c.t["hub_sources"]
    if hubs.empty or src.empty:
        return None
    hub_list = [h for h in hubs["country"] if (src["hub"] == h).any()]
    div, unit = _scale(float(src[s.AMOUNT_USD].max()))
    fig = make_subplots(
        rows=1,
        cols=len(hub_list),
        subplot_titles=[c.name(h) for h in hub_list],
        horizontal_spacing=0.12,
    )
    items = []
    for j, h in enumerate(hub_list, start=1):
        part = src[src["hub"] == h].sort_values("rank").head(5)
        fig.add_trace(
            go.Bar(
                x=part[s.AMOUNT_USD] / div,
                y=[c.name(p) for p in part["partner"]],
                orientation="h",
                marker_color=PALETTE[j - 1],
                text=[fmt.share(v) for v in part["share"]],
                textposition="outside",
                textangle=0,
                cliponaxis=False,
                customdata=[c.usd(v) for v in part[s.AMOUNT_USD]],
                hovertemplate="%{y}: %{customdata} (%{text})<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=j,
        )
        fig.update_yaxes(autorange="reversed", row=1, col=j)
        fig.update_xaxes(tickprefix="$", ticksuffix=unit, row=1, col=j)
        items.append(
            f"{c.name(h)}: "
            + ", ".join(
                f"{c.name(p)} {fmt.share(v)}"
                for p, v in zip(part["partner"], part["share"], strict=True)
            )
        )
    title = c.text.get("chart.hub_sources", period=c.period)
    style(fig, title, c.units, c.source, height=420)
    alt = c.text.get(
        "alt.hub_sources", hubs=", ".join(c.name(h) for h in hub_list), list="; ".join(items)
    )
    return Chart("hub_sources", title, fig, alt, c.source, "hub_sources", 420)


def network(c: _Ctx, max_edges: int = 40) -> Chart | None:
    """Country network: cross-border flows as links, node size = AI VC received."""
    fm = c.t["flow_matrix"]
    cross = fm[fm["investor_country"] != fm["company_country"]]
    cross = cross.sort_values(
        [s.AMOUNT_USD, "investor_country", "company_country"], ascending=[False, True, True]
    )
    edges = cross.head(max_edges)
    if edges.empty:
        return None
    g: nx.DiGraph[str] = nx.DiGraph()
    for a, b, w in zip(
        edges["investor_country"], edges["company_country"], edges[s.AMOUNT_USD], strict=True
    ):
        g.add_edge(a, b, weight=float(w))
    nodes = sorted(g.nodes)
    und: nx.Graph[str] = nx.Graph()
    und.add_nodes_from(nodes)
    for a, b, w in g.edges(data="weight"):
        prev = und.get_edge_data(a, b, {"weight": 0.0})["weight"]
        und.add_edge(a, b, weight=prev + math.log10(1.0 + w))
    pos = nx.spring_layout(und, seed=7, weight="weight", iterations=200)
    wmax = float(edges[s.AMOUNT_USD].max())
    fig = go.Figure()
    for a, b, w in g.edges(data="weight"):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                line={"width": 0.5 + 6 * w / wmax, "color": "rgba(31,78,121,0.35)"},
            )
        )
    ind = c.t["indicators"].set_index("country")
    recv = [float(ind.at[n, "invested_in_usd"]) if n in ind.index else 0.0 for n in nodes]
    rmax = max(recv) or 1.0
    nodes_df = c.t.get("network_nodes")
    if nodes_df is not None and "pagerank" in nodes_df:
        # Centrality and blocs from vcflows.network, on the whole network (not only drawn links).
        pr = dict(zip(nodes_df["country"], nodes_df["pagerank"].astype(float), strict=True))
        comm = dict(zip(nodes_df["country"], nodes_df["community"], strict=True))
        colors = [PALETTE[int(comm.get(n, 0)) % len(PALETTE)] for n in nodes]
    else:
        pr = nx.pagerank(g, weight="weight")
        colors = [PALETTE[0]] * len(nodes)
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in nodes],
            y=[pos[n][1] for n in nodes],
            mode="markers+text",
            text=[c.name(n) for n in nodes],
            textposition="top center",
            textfont={"size": 10},
            marker={
                "size": [10 + 30 * math.sqrt(r / rmax) for r in recv],
                "color": colors,
                "line": {"color": "white", "width": 1},
            },
            customdata=[c.usd(r) for r in recv],
            hovertemplate="%{text}: %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    title = c.text.get("chart.network", period=c.period)
    style(fig, title, c.units, c.source, height=560)
    ranked = sorted(((k, v) for k, v in pr.items() if k in g), key=lambda kv: (-kv[1], kv[0]))
    min_usd = c.usd(float(edges[s.AMOUNT_USD].min()))
    alt = c.text.get(
        "alt.network",
        min_usd=min_usd,
        n_nodes=len(nodes),
        n_edges=g.number_of_edges(),
        list=", ".join(c.name(k) for k, _ in ranked[:6]),
    )
    return Chart("network", title, fig, alt, c.source, "flow_matrix", 560)


def gravity(c: _Ctx) -> Chart | None:
    """Actual vs expected inflows from the focus country's most under-invested partners."""
    gaps = c.t.get("gravity_gaps")
    if gaps is None or gaps.empty:
        return None
    focus = c.data["meta"]["focus"]
    names = [c.name(p) for p in gaps["partner"]]
    div, unit = _scale(float(gaps["expected_usd"].max()))
    fig = go.Figure(
        [
            go.Bar(
                y=names,
                x=gaps["actual_usd"] / div,
                name=c.text.get("label.actual_usd"),
                orientation="h",
                marker_color=PALETTE[0],
            ),
            go.Bar(
                y=names,
                x=gaps["expected_usd"] / div,
                name=c.text.get("label.expected_usd"),
                orientation="h",
                marker_color=PALETTE[3],
            ),
        ]
    )
    fig.update_layout(
        barmode="group",
        legend={"orientation": "h", "y": 1.0, "x": 1.0, "xanchor": "right", "yanchor": "bottom"},
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickprefix="$", ticksuffix=unit)
    title = c.text.get("chart.gravity", focus=c.name(focus))
    style(fig, title, c.units, c.source, height=460)
    items = [
        (n, f"{c.usd(a)} / {c.usd(e)}")
        for n, a, e in zip(names, gaps["actual_usd"], gaps["expected_usd"], strict=True)
    ]
    alt = c.text.get("alt.gravity", focus=c.name(focus), list=top_list(items))
    return Chart("gravity", title, fig, alt, c.source, "gravity_gaps", 460)


def funding_timeline(
    rounds: pd.DataFrame, name: str, source: str, text: Text | None = None
) -> go.Figure | None:
    """A company's dated rounds: amount per round, coloured by the foreign investors' share.

    ``rounds`` is :attr:`vcflows.cases.FundingPath.rounds`; the report and the dashboard both
    draw it with this function (``text`` defaults to English).
    """
    text = text or Text("en")
    dated = rounds[rounds[s.ANNOUNCED_ON].notna() & rounds[s.AMOUNT_USD].notna()]
    if dated.empty:
        return None
    div, unit = _scale(float(dated[s.AMOUNT_USD].max()))
    share = dated["foreign_share"].astype(float).fillna(0.0)
    dates = pd.to_datetime(dated[s.ANNOUNCED_ON].astype(str))
    # Bars a month wide on an axis padded by half a year: one round must not fill the plot.
    month_ms = 30 * 86_400_000
    pad = pd.Timedelta(days=182)
    fig = go.Figure(
        go.Bar(
            x=dates,
            y=dated[s.AMOUNT_USD] / div,
            width=[month_ms] * len(dated),
            marker={
                "color": share * 100,
                "colorscale": [[0, PALETTE[0]], [1, PALETTE[1]]],
                "cmin": 0,
                "cmax": 100,
                "colorbar": {"title": {"text": text.get("chart.foreign_pct")}, "ticksuffix": "%"},
            },
            text=list(dated[s.STAGE]),
            textposition="outside",
            customdata=[
                [fmt.usd(a, text.lang), fmt.share(f)]
                for a, f in zip(dated[s.AMOUNT_USD], dated["foreign_share"], strict=True)
            ],
            hovertemplate="%{x|%Y-%m-%d} %{text}: %{customdata[0]}, "
            + text.get("chart.foreign")
            + " %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_xaxes(type="date", range=[dates.min() - pad, dates.max() + pad], tickformat="%Y-%m")
    fig.update_yaxes(tickprefix="$", ticksuffix=unit, rangemode="tozero")
    title = text.get("chart.funding_path", company=name)
    return style(fig, title, text.get("text.units"), source, height=400)


def funding_paths(c: _Ctx) -> list[Chart]:
    """One funding-path chart per champion of the focus country (tables ``funding_path_<n>``)."""
    champs = c.t.get("champions")
    if champs is None:
        return []
    out = []
    for i, (cid, name) in enumerate(zip(champs[s.COMPANY_ID], champs[s.NAME], strict=True), 1):
        table = f"funding_path_{i}"
        rounds = c.t.get(table)
        label = str(name) if isinstance(name, str) and name else str(cid)
        fig = None if rounds is None else funding_timeline(rounds, label, c.source, c.text)
        if fig is None:
            continue
        dated = rounds[rounds[s.AMOUNT_USD].notna()]
        items = [
            (f"{d} {st}", f"{c.usd(a)} ({fmt.share(f)})")
            for d, st, a, f in zip(
                dated[s.ANNOUNCED_ON],
                dated[s.STAGE],
                dated[s.AMOUNT_USD],
                dated["foreign_share"],
                strict=True,
            )
        ]
        alt = c.text.get("alt.funding_path", company=label, list=top_list(items, 8))
        title = c.text.get("chart.funding_path", company=label)
        out.append(Chart(table, title, fig, alt, c.source, table, 400))
    return out


def build_charts(data: dict[str, Any], text: Text, source: str) -> dict[str, Chart]:
    """Build every chart the data supports, keyed by chart id."""
    c = _Ctx(data, text, source)
    out: dict[str, Chart] = {}
    for make in (choropleth, sankey, shares, stage_shares, quadrant, hub_sources, network, gravity):
        chart = make(c)
        if chart is not None:
            out[chart.id] = chart
    out.update((chart.id, chart) for chart in funding_paths(c))
    from vcflows.presentation.trend_charts import TREND_CHARTS  # it builds on this module

    for make_trend in TREND_CHARTS:
        trend = make_trend(c)
        if trend is not None:
            out[trend.id] = trend
    return out
