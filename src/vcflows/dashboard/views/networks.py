"""Networks: countries linked by cross-border flows, corporate investors, syndicates."""

from __future__ import annotations

from dash import html

from vcflows.dashboard import components as ui
from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import View
from vcflows.errors import VcflowsError
from vcflows.network import groups
from vcflows.presentation import charts as rc

#: Corporate investors listed (the most central).
CORPORATE_ROWS = 50
CORPORATE_TITLE = "Corporate investors (most central first)"
CORPORATE_HELP = (
    "Sorted by degree centrality (the share of the company countries in scope an investor "
    "funded), then by amount."
)


def render(ex: Explorer, sel: Selection) -> View:
    """The network view of ``sel``."""
    fm = ex.matrix(sel.opts)
    if fm.empty:
        return View("Networks", [ui.note("No flows in this selection.")])
    cn = ex.country_network(sel.opts)
    ind = ex.indicators(sel.opts)
    tables = {"flow_matrix": fm, "indicators": ind, "network_nodes": cn.nodes}
    nodes = cn.nodes.reset_index(drop=True)
    children: list[object] = [
        html.P(sel.opts.describe(), className="caption", id="selection-caption"),
        ui.key_figures(
            [
                ("modularity", "Modularity of the country blocs", cn.modularity, "float"),
                ("reciprocity", "Reciprocated links (share)", cn.reciprocity, "share"),
                (
                    "reciprocity_weighted",
                    "Reciprocated money (share)",
                    cn.reciprocity_weighted,
                    "share",
                ),
                ("communities", "Blocs (communities)", len(cn.communities), "count"),
            ]
        ),
        ui.section(
            "Country network", ui.graph(fg.report_chart(rc.network, ex, sel, tables), "net-graph")
        ),
        ui.section(
            "Countries in the network",
            ui.table(nodes, text=fg.text_for(sel), table_id="view-table"),
        ),
    ]
    try:
        corp = ex.corporate(sel.opts)
        central = corp.investors.sort_values(
            ["degree_centrality", "amount_usd", "investor_id"],
            ascending=[False, False, True],
            kind="mergesort",
        )
        cols = [
            c
            for c in (
                "investor_id",
                "name",
                "investor_name",
                "country",
                "investor_country",
                "investor_type",
                "corporate_group",
                "companies",
                "amount_usd",
                "degree_centrality",
            )
            if c in corp.investors.columns
        ]
        children.append(
            ui.section(
                CORPORATE_TITLE,
                ui.table(
                    central.head(CORPORATE_ROWS),
                    text=fg.text_for(sel),
                    columns=cols,
                    table_id="net-corporate",
                ),
                help_text=CORPORATE_HELP,
            )
        )
        if len(corp.groups):  # only where some investor is a big-tech group's venture arm
            children.append(
                ui.section(
                    "Big-tech groups (their venture arms together)",
                    ui.table(
                        corp.groups,
                        text=fg.text_for(sel),
                        columns=list(groups.SHOWN_COLUMNS),
                        table_id="net-groups",
                    ),
                )
            )
    except VcflowsError as exc:
        children.append(ui.note(f"Corporate network unavailable: {exc}"))
    try:
        syn = ex.syndicate(sel.opts)
        children.append(
            ui.section(
                "Co-investment ties by country",
                ui.table(syn.country_ties, text=fg.text_for(sel), table_id="net-syndicate"),
            )
        )
    except VcflowsError as exc:
        children.append(ui.note(f"Syndicate network unavailable: {exc}"))
    return View("Networks", children, nodes, "network_nodes")
