"""World overview: where AI VC goes (map), how shares moved (time series), who leads (table)."""

from __future__ import annotations

from dash import html

from vcflows.dashboard import components as ui
from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import View
from vcflows.presentation import charts as rc
from vcflows.presentation import derive as d

#: Columns of the world table (a subset of `vcflows indicators --format json`).
COLUMNS = (
    "country",
    "invested_in_usd",
    "share_global",
    "deals_in",
    "foreign_share_in",
    "us_share_in",
    "invested_out_usd",
    "overseas_share_out",
    "growth",
    "unattributed_in_usd",
)


def render(ex: Explorer, sel: Selection) -> View:
    """The world overview of ``sel``."""
    opts = sel.opts
    ind = ex.indicators(opts)
    totals = ex.totals(opts)
    fm_year = ex.matrix_by_year(opts)
    src = fg.source_line(ex)
    attributed = float(ind["invested_in_usd"].sum())
    foreign = float(ind["foreign_in_usd"].sum())
    receivers = ind[ind["invested_in_usd"] > 0]
    top = receivers.iloc[0] if len(receivers) else None
    w = fg.text_for(sel).words  # "AI VC" becomes "VC" beyond the AI sector
    figures = ui.key_figures(
        [
            ("attributed_usd", w("AI VC attributed to investor countries"), attributed, "usd"),
            ("rounds", "Rounds in the selection", totals["rounds"], "count"),
            (
                "cross_border_share",
                "Cross-border share of the money",
                foreign / attributed if attributed > 0 else float("nan"),
                "share",
            ),
            ("countries", w("Countries receiving AI VC"), len(receivers), "count"),
            (
                "top_share",
                f"Share of the largest ({top['country']})" if top is not None else "Largest",
                float(top["share_global"]) if top is not None else float("nan"),
                "share",
            ),
            (
                "unattributed_usd",
                "Unattributed (unknown country)",
                totals["unattributed_usd"],
                "usd",
            ),
        ]
    )
    tables = {
        "choropleth": ind[["country", "invested_in_usd", "share_global", "deals_in"]]
        .loc[lambda x: x["invested_in_usd"] > 0]
        .reset_index(drop=True),
        "shares_by_year": d.shares_by_year(fm_year),
    }
    table = ind[list(COLUMNS)].reset_index(drop=True)
    children = [
        html.P(opts.describe(), className="caption", id="selection-caption"),
        figures,
        ui.section(
            w("Where AI VC goes"),
            ui.graph(fg.report_chart(rc.choropleth, ex, sel, tables), "world-map"),
        ),
        html.Div(
            [
                ui.section(
                    "Domestic and cross-border, by year",
                    ui.graph(fg.yearly_totals(fm_year, src, fg.text_for(sel)), "world-years"),
                ),
                ui.section(
                    "Shares of the world total",
                    ui.graph(
                        fg.report_chart(rc.shares, ex, sel, tables),
                        "world-shares",
                        "Shares need at least two years in the selection.",
                    ),
                ),
            ],
            className="two-col",
        ),
        ui.section(
            w("Countries by AI VC received"),
            ui.table(table, text=fg.text_for(sel), table_id="view-table"),
            help_text="Same numbers as `vcflows indicators --format json` for this selection.",
        ),
    ]
    return View("World overview", children, table, "world_indicators")
