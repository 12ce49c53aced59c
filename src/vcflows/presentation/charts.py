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
from vcflows.presentation.chart_style import (
    PALETTE,
    Chart,
    centroids,
    money_axis,
    style,
    top_list,
)
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
                # Beside the bar, not above it: on top it ran into the first tick label.
                "title": {"text": c.units, "side": "right"},
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
    focus = c.data["meta"]["focus"]
    if focus in set(df["country"]):
        _mark_focus(fig, df, focus, c.name(focus), cent)
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


def _mark_focus(
    fig: go.Figure,
    df: pd.DataFrame,
    focus: str,
    name: str,
    cent: dict[str, tuple[float, float, bool]],
) -> None:
    """Outline the focus country on the map and name it (a marker where it has no polygon)."""
    on_map = focus not in cent or cent[focus][2]
    if on_map:
        fig.add_trace(
            go.Choropleth(
                locations=[focus],
                z=[0],
                colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                showscale=False,
                marker_line_color=PALETTE[1],
                marker_line_width=1.5,
                hoverinfo="skip",
            )
        )
    if focus in cent:
        lon, lat, _ = cent[focus]
        fig.add_trace(
            go.Scattergeo(
                lon=[lon],
                lat=[lat],
                mode="text" if on_map else "markers+text",
                text=[name],
                textposition="middle right",
                textfont={"size": 11, "color": PALETTE[1]},
                marker={
                    "size": 11,
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": PALETTE[1], "width": 2.5},
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )


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


#: Keys of :class:`vcflows.indicators.typology.TypologyThresholds` the quadrant's dividers
#: stand at: open inward (foreign share in, x) and open outward (overseas share out, y).
QUADRANT_THRESHOLDS = ("open_in", "open_out")


def _threshold(thresholds: dict[str, Any], key: str) -> float | None:
    """The typology rule's threshold ``key`` (a share), or None when the rules had none."""
    v = thresholds.get(key)
    if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
        return float(v)
    return None


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Area shared by two boxes (x0, y0, x1, y1)."""
    dx = min(a[2], b[2]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0.0


#: Directions tried for a label, clockwise from straight up (degrees), and distances beyond
#: the bubble's edge (pixels): nearest first, so a label sits by its bubble when it can.
_LABEL_ANGLES = (90, 45, 135, 0, 180, 315, 225, 270, 67, 112, 22, 158, 338, 202, 248, 292)
_LABEL_GAPS = (7.0, 20.0, 34.0, 50.0, 68.0, 88.0)


def label_offsets(
    px: list[float],
    py: list[float],
    radius: list[float],
    labels: list[str],
    bounds: tuple[float, float],
    size: float = 10,
) -> list[tuple[float, float]]:
    """Pixel offsets (dx, dy; y up) of each bubble's label so that no two labels overlap.

    Greedy, largest bubble first: each label takes the nearest spot around its bubble that
    overlaps no label placed yet, no other bubble and stays in the plot (``bounds`` = width,
    height in pixels); a label away from its bubble is drawn with a leader line. Deterministic.
    """
    n = len(px)
    w = [0.62 * size * len(t) + 3 for t in labels]
    h = 1.25 * size
    bubbles = [
        (px[i] - radius[i], py[i] - radius[i], px[i] + radius[i], py[i] + radius[i])
        for i in range(n)
    ]
    placed: list[tuple[float, float, float, float]] = []
    out = [(0.0, 0.0)] * n
    for i in sorted(range(n), key=lambda k: (-radius[k], labels[k])):
        best, best_cost = (0.0, radius[i] + h), math.inf
        for gap in _LABEL_GAPS:
            for ang in _LABEL_ANGLES:
                a = math.radians(ang)
                # Centre of the label: its box clears the bubble by ``gap`` in that direction.
                dx = math.cos(a) * (radius[i] + gap + w[i] / 2 * abs(math.cos(a)))
                dy = math.sin(a) * (radius[i] + gap + h / 2 * abs(math.sin(a)))
                cx, cy = px[i] + dx, py[i] + dy
                box = (cx - w[i] / 2, cy - h / 2, cx + w[i] / 2, cy + h / 2)
                cost = sum(_overlap(box, o) for o in placed)
                cost += sum(_overlap(box, bubbles[j]) for j in range(n) if j != i)
                if box[0] < 0 or box[1] < 0 or box[2] > bounds[0] or box[3] > bounds[1]:
                    cost += w[i] * h
                cost += gap * 0.01  # ties: nearer wins
                if cost < best_cost:
                    best, best_cost = (dx, dy), cost
            if best_cost < 1.0:
                break
        out[i] = best
        dx, dy = best
        cx, cy = px[i] + dx, py[i] + dy
        placed.append((cx - w[i] / 2, cy - h / 2, cx + w[i] / 2, cy + h / 2))
    return out


def quadrant(c: _Ctx) -> Chart | None:
    """Foreign share in vs overseas share out, bubble = AI VC received, colour = type."""
    df = c.t["quadrant"]
    if df.empty:
        return None
    thr = c.data["extras"].get("typology_thresholds", {}) or {}
    x_thr, y_thr = (_threshold(thr, k) for k in QUADRANT_THRESHOLDS)
    labels = df["label"].fillna("") if "label" in df else pd.Series([""] * len(df))
    size = np.sqrt(df["invested_in_usd"].astype(float))
    size = 8 + 42 * size / float(size.max())
    fig = go.Figure()
    names = [c.name(x) for x in df["country"]]
    # ISO-3 codes as bubble labels: full names overlap in the crowded corners.
    show_text = list(df["country"])
    focus = c.data["meta"]["focus"]
    # Plot area in pixels (900 px wide, legend on the right): where each label fits.
    plot_w, plot_h, lo, span = 640.0, 410.0, -3.0, 106.0
    xs = [float(v) * 100 for v in df["foreign_share_in"].fillna(0)]
    ys = [float(v) * 100 for v in df["overseas_share_out"].fillna(0)]
    offsets = label_offsets(
        [(x - lo) * plot_w / span for x in xs],
        [(y - lo) * plot_h / span for y in ys],
        [float(v) / 2 for v in size],
        show_text,
        (plot_w, plot_h),
    )
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
                mode="markers",
                text=[t for t, k in zip(show_text, m, strict=True) if k],
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
    for x, y, (dx, dy), label in zip(xs, ys, offsets, show_text, strict=True):
        near = math.hypot(dx, dy) < 40
        fig.add_annotation(
            x=x,
            y=y,
            text=label,
            ax=dx,
            ay=-dy,  # plotly's pixel offsets point down
            showarrow=True,  # the offset needs the arrow; a label by its bubble hides it
            arrowhead=0,
            arrowwidth=0.6,
            arrowcolor="rgba(0,0,0,0)" if near else "#888",
            standoff=0,
            font={"size": 10, "color": "#222"},
        )
    # The dividers stand where the typology rule splits open from not open on each axis.
    line = {"color": "#888", "width": 1, "dash": "dash"}
    if x_thr is not None:
        fig.add_vline(x=x_thr * 100, line=line)
    if y_thr is not None:
        fig.add_hline(y=y_thr * 100, line=line)
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
    # One panel per row with one shared x axis: the same share reads the same length in every
    # panel, and a label never runs into the next panel. Bars and labels are both shares.
    fig = make_subplots(
        rows=len(hub_list),
        cols=1,
        subplot_titles=[c.name(h) for h in hub_list],
        shared_xaxes=True,
        vertical_spacing=0.22 / max(len(hub_list), 1),
    )
    top = float(src["share"].max()) * 100
    items = []
    for j, h in enumerate(hub_list, start=1):
        part = src[src["hub"] == h].sort_values("rank").head(5)
        fig.add_trace(
            go.Bar(
                x=part["share"] * 100,
                y=[c.name(p) for p in part["partner"]],
                orientation="h",
                marker_color=PALETTE[(j - 1) % len(PALETTE)],
                text=[fmt.share(v) for v in part["share"]],
                textposition="outside",
                textangle=0,
                constraintext="none",
                customdata=[c.usd(v) for v in part[s.AMOUNT_USD]],
                hovertemplate="%{y}: %{text} (%{customdata})<extra></extra>",
                showlegend=False,
            ),
            row=j,
            col=1,
        )
        fig.update_yaxes(autorange="reversed", row=j, col=1)
        # Room for the longest label inside the plot.
        fig.update_xaxes(ticksuffix="%", range=[0, top * 1.18 + 1], row=j, col=1)
        items.append(
            f"{c.name(h)}: "
            + ", ".join(
                f"{c.name(p)} {fmt.share(v)}"
                for p, v in zip(part["partner"], part["share"], strict=True)
            )
        )
    title = c.text.get("chart.hub_sources", period=c.period)
    height = 130 + 150 * len(hub_list)
    style(fig, title, c.text.get("chart.hub_share_units"), c.source, height=height)
    alt = c.text.get(
        "alt.hub_sources", hubs=", ".join(c.name(h) for h in hub_list), list="; ".join(items)
    )
    return Chart("hub_sources", title, fig, alt, c.source, "hub_sources", height)


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
    div, prefix, unit = money_axis(float(gaps["expected_usd"].max()), c.lang)
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
    fig.update_xaxes(
        tickprefix=prefix, ticksuffix=unit, exponentformat="none", separatethousands=True
    )
    title = c.text.get("chart.gravity", focus=c.name(focus))
    style(fig, title, c.units, c.source, height=460)
    items = [
        (n, f"{c.usd(a)} / {c.usd(e)}")
        for n, a, e in zip(names, gaps["actual_usd"], gaps["expected_usd"], strict=True)
    ]
    alt = c.text.get("alt.gravity", focus=c.name(focus), list=top_list(items))
    return Chart("gravity", title, fig, alt, c.source, "gravity_gaps", 460)


def stacked_labels(
    px: list[float], py: list[float], labels: list[str], size: float = 10, bar: float = 8.0
) -> list[float]:
    """Upward pixel shifts for labels sitting on top of bars so that none overlaps another
    label or a bar (bars ``bar`` px wide at ``px``, ``py`` px tall); deterministic."""
    h = 1.25 * size
    boxes: list[tuple[float, float, float, float]] = []
    bars = [(x - bar / 2, 0.0, x + bar / 2, y) for x, y in zip(px, py, strict=True)]
    out = []
    for i, (x, y, text) in enumerate(zip(px, py, labels, strict=True)):
        w = 0.62 * size * len(text) + 4
        shift = 0.0
        while True:
            box = (x - w / 2, y + 2 + shift, x + w / 2, y + 2 + shift + h)
            hit = any(_overlap(box, o) for o in boxes) or any(
                _overlap(box, b) for j, b in enumerate(bars) if j != i
            )
            if not hit or shift > 40 * h:
                break
            shift += h / 2
        boxes.append(box)
        out.append(shift)
    return out


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
    div, prefix, unit = money_axis(float(dated[s.AMOUNT_USD].max()), text.lang)
    stages = text.section("stage")
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
            text=[stages.get(str(v), str(v)) for v in dated[s.STAGE]],
            textposition="none",  # stage names are annotations, placed not to overlap
            customdata=[
                [fmt.usd(a, text.lang), fmt.share(f)]
                for a, f in zip(dated[s.AMOUNT_USD], dated["foreign_share"], strict=True)
            ],
            hovertemplate="%{x|%Y-%m-%d} %{text}: %{customdata[0]}, "
            + text.get("chart.foreign")
            + " %{customdata[1]}<extra></extra>",
        )
    )
    lo, hi = dates.min() - pad, dates.max() + pad
    fig.update_xaxes(type="date", range=[lo, hi], tickformat="%Y-%m")
    amounts = (dated[s.AMOUNT_USD] / div).astype(float).tolist()
    top = max(amounts) * 1.3 or 1.0
    fig.update_yaxes(
        tickprefix=prefix,
        ticksuffix=unit,
        range=[0, top],
        exponentformat="none",  # "9,000만 달러", never plotly's SI "9k만"
        separatethousands=True,
    )
    # Plot area about 700 x 250 px: stage names stacked upwards where they would collide.
    span = (hi - lo).total_seconds() or 1.0
    px = [(d - lo).total_seconds() / span * 700.0 for d in dates]
    py = [a / top * 250.0 for a in amounts]
    names = [stages.get(str(v), str(v)) for v in dated[s.STAGE]]
    for x, y, shift, label in zip(
        dates, amounts, stacked_labels(px, py, names), names, strict=True
    ):
        fig.add_annotation(
            x=x,
            y=y,
            text=label,
            showarrow=False,
            yanchor="bottom",
            yshift=2 + shift,
            font={"size": 10, "color": "#333"},
        )
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
        stages = c.text.section("stage")
        items = [
            (f"{d} {stages.get(str(st), str(st))}", f"{c.usd(a)} ({fmt.share(f)})")
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
