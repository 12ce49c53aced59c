"""Bilateral flows: the largest cross-border flows (Sankey) and the whole matrix (heatmap).

Clicking a heatmap cell lists the rounds behind it (see :meth:`Explorer.cell_rounds`).
"""

from __future__ import annotations

import pandas as pd
from dash import html

from vcflows import schema as s
from vcflows.dashboard import components as ui
from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import MAX_DRILL_ROWS, Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import View
from vcflows.presentation import charts as rc
from vcflows.presentation import derive as d


def render(ex: Explorer, sel: Selection) -> View:
    """The bilateral-flows view of ``sel``."""
    fm = ex.matrix(sel.opts)
    src = fg.source_line(ex)
    table = fm.sort_values(
        [s.AMOUNT_USD, "investor_country", "company_country"], ascending=[False, True, True]
    ).reset_index(drop=True)
    tables = {"sankey_pairs": d.top_pairs(fm, 15)}
    children = [
        html.P(sel.opts.describe(), className="caption", id="selection-caption"),
        ui.section(
            "Largest cross-border flows",
            ui.graph(fg.report_chart(rc.sankey, ex, sel, tables), "flows-sankey"),
        ),
        ui.section(
            "Flow matrix",
            ui.graph(fg.heatmap(fm, src), "flows-heatmap"),
            html.Div(ui.note("Click a cell to list the rounds behind it."), id="drill"),
            help_text=(
                "Rows: investor country; columns: company country. Both list the same countries, "
                "largest by volume sent and received first, so domestic flows are on the diagonal."
            ),
        ),
        ui.section(
            "All bilateral flows",
            ui.table(table, text=fg.text_for(sel), table_id="view-table"),
            help_text="Same numbers as `vcflows flows --format json` for this selection.",
        ),
    ]
    return View("Bilateral flows", children, table, "flow_matrix")


def drill(ex: Explorer, sel: Selection, investor: str, company_country: str) -> list[object]:
    """The rounds behind the cell (investor country -> company country) of ``sel``."""
    df = ex.cell_rounds(sel.opts, investor, company_country)
    title = f"Rounds behind {fg.TEXT.country(investor)} → {fg.TEXT.country(company_country)}"
    if df.empty:
        return [html.H4(title), ui.note("No attributed rounds in this cell.")]
    n, total = int(df["n_rounds"].iloc[0]), float(df["cell_usd"].iloc[0])
    shown = df.drop(columns=["n_rounds", "cell_usd"])
    more = f" (the {MAX_DRILL_ROWS} largest listed)" if n > len(df) else ""
    figures = ui.key_figures(
        [
            (
                "cell_usd",
                "Attributed amount in this cell",
                total if pd.notna(total) else 0.0,
                "usd",
            ),
            ("cell_rounds", "Rounds", n, "count"),
        ]
    )
    return [
        html.H4(title, id="drill-title"),
        figures,
        html.P(
            f"{n} rounds{more}; the attributed amount is the share credited to "
            f"{fg.TEXT.country(investor)}.",
            className="help",
        ),
        ui.table(shown, text=fg.text_for(sel), table_id="drill-table", page_size=10),
    ]
