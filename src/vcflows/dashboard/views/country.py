"""Country page: the focus country's indicators beside its peers, partners, typology position."""

from __future__ import annotations

import pandas as pd
from dash import html

from vcflows.dashboard import components as ui
from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import View
from vcflows.presentation import charts as rc
from vcflows.presentation import derive as d

#: Key figures of the country: (indicator column, label, kind), as in `vcflows indicators`.
KEY_FIGURES = (
    ("invested_in_usd", "AI VC received", "usd"),
    ("share_global", "Share of the world total", "share"),
    ("deals_in", "Deals received (deal weights)", "count"),
    ("foreign_share_in", "Foreign share of money received", "share"),
    ("us_share_in", "US share of money received", "share"),
    ("invested_out_usd", "AI VC invested by its investors", "usd"),
    ("overseas_share_out", "Share invested abroad", "share"),
    ("partner_hhi", "Concentration of foreign sources (HHI)", "float"),
    ("growth", "Growth of AI VC received (CAGR)", "share"),
)


#: What the trend charts draw (the same charts as the report's focus chapter).
TREND_HELP = (
    "Per year, as `vcflows indicators --by year --ci 0.9`: shaded bands are 90% bootstrap "
    "intervals over rounds; hollow points are years with fewer rounds than a finding needs "
    "(few deals)."
)


def _partners(row: pd.Series) -> pd.DataFrame:
    rows = [{"direction": "source (invests in it)", **p} for p in row["top_sources"]] + [
        {"direction": "destination (it invests in)", **p} for p in row["top_destinations"]
    ]
    return pd.DataFrame(rows, columns=["direction", "partner", "amount_usd", "share"])


def render(ex: Explorer, sel: Selection) -> View:
    """The country page of ``sel.focus``."""
    ind = ex.indicators(sel.opts)
    focus = sel.focus
    name = fg.TEXT.country(focus)
    match = ind[ind["country"] == focus]
    if match.empty:
        return View(
            name,
            [
                ui.message(
                    [f"{name} ({focus}) has no flows in this selection ({sel.opts.describe()})."],
                    kind="warning",
                    title="Nothing to show",
                )
            ],
        )
    row = match.iloc[0]
    ranked = ind[ind["invested_in_usd"] > 0].reset_index(drop=True)
    rank = (
        int(ranked.index[ranked["country"] == focus][0]) + 1
        if focus in set(ranked["country"])
        else None
    )
    src = fg.source_line(ex)
    typ = ex.typology(sel.opts)
    labels = typ.labels
    lab = labels[labels["country"] == focus]
    label = str(lab["label"].iloc[0]) if len(lab) else "–"
    rule = str(lab["rule"].iloc[0]) if len(lab) and "rule" in lab else ""
    w = fg.text_for(sel).words  # "AI VC" becomes "VC" beyond the AI sector
    items = [(col, w(text), float(row[col]), kind) for col, text, kind in KEY_FIGURES]
    if rank is not None:
        items.insert(0, ("rank", w(f"Rank by AI VC received (of {len(ranked)})"), rank, "rank"))
    peer_codes = d.profile_peers(ind, focus)  # the report's peer group
    peers = d.peer_table(ind, focus, peer_codes)
    qtables, extras = fg.quadrant_tables(ind, labels, typ.thresholds)
    children = [
        html.H2(f"{name} ({focus})", id="country-title"),
        html.P(sel.opts.describe(), className="caption", id="selection-caption"),
        ui.key_figures(items),
        ui.section(
            "Typology position",
            html.P([html.Strong(label, id="country-label"), f" — {rule}" if rule else ""]),
            ui.graph(fg.report_chart(rc.quadrant, ex, sel, qtables, extras), "country-quadrant"),
        ),
        html.Div(
            [
                ui.section(
                    "Foreign share beside peers",
                    ui.graph(
                        fg.peer_bars(
                            peers,
                            focus,
                            "foreign_share_in",
                            w("Foreign share of AI VC received"),
                            src,
                        ),
                        "country-peers",
                    ),
                    help_text=fg.peer_note(len(peer_codes)),
                ),
                ui.section(
                    "Top foreign partners",
                    ui.table(
                        _partners(row),
                        text=fg.text_for(sel),
                        table_id="country-partners",
                        page_size=10,
                    ),
                ),
            ],
            className="two-col",
        ),
        ui.section(
            f"Over time: {name} and its peers",
            *fg.trend_graphs(ex, sel, "country"),
            help_text=TREND_HELP,
        ),
        ui.section(
            "Indicators beside peers", ui.table(peers, text=fg.text_for(sel), table_id="view-table")
        ),
    ]
    return View(name, children, peers, f"country_{focus}_peers")
