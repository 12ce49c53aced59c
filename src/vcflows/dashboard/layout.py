"""The page shell: header, navigation, selection controls, download buttons, content area."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from vcflows import schema as s
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import VIEW_PATHS
from vcflows.dashboard.views import TITLES
from vcflows.flows import ATTRIBUTIONS
from vcflows.presentation.i18n import Text

#: Control ids in the order the sync callback lists them.
CONTROLS = ("ctl-from", "ctl-to", "ctl-attribution", "ctl-sector", "ctl-stage", "ctl-focus")

_ATTRIBUTION_HELP = {
    "equal": "equal split among investors",
    "full": "each investor country gets the whole round",
    "lead": "lead investors only",
}


def _labelled(label: str, control: Any, width: str = "150px") -> html.Div:
    return html.Div(
        [html.Label(label, className="ctl-label"), control],
        className="ctl",
        style={"minWidth": width},
    )


def controls(ex: Explorer) -> html.Div:
    """The selection controls, with the choices the database offers."""
    cat = ex.catalog
    years = (
        list(range(cat.year_min, cat.year_max + 1))
        if cat.year_min is not None and cat.year_max is not None
        else []
    )
    year_opts = [{"label": str(y), "value": y} for y in years]
    text = Text("en")
    countries = sorted(cat.countries, key=lambda c: text.country(c))
    focus_opts = [{"label": f"{text.country(c)} ({c})", "value": c} for c in countries]
    sector_opts = [
        {"label": "AI companies (taxonomy)", "value": "ai"},
        {"label": "All sectors", "value": "all"},
        *({"label": f"category: {t}", "value": t} for t in cat.top_categories),
    ]
    return html.Div(
        [
            _labelled(
                "From",
                dcc.Dropdown(
                    id="ctl-from", options=year_opts, placeholder="first year", clearable=True
                ),
                "110px",
            ),
            _labelled(
                "To",
                dcc.Dropdown(
                    id="ctl-to", options=year_opts, placeholder="last year", clearable=True
                ),
                "110px",
            ),
            _labelled(
                "Attribution",
                dcc.Dropdown(
                    id="ctl-attribution",
                    options=[
                        {"label": f"{a}: {_ATTRIBUTION_HELP.get(a, a)}", "value": a}
                        for a in ATTRIBUTIONS
                    ],
                    value="equal",
                    clearable=False,
                ),
                "230px",
            ),
            _labelled(
                "Sector",
                dcc.Dropdown(id="ctl-sector", options=sector_opts, value="ai", clearable=False),
                "200px",
            ),
            _labelled(
                "Stage",
                dcc.Dropdown(
                    id="ctl-stage",
                    options=[{"label": x, "value": x} for x in s.STAGES],
                    multi=True,
                    placeholder="all stages",
                ),
                "200px",
            ),
            _labelled(
                "Focus country",
                dcc.Dropdown(
                    id="ctl-focus", options=focus_opts, value=cat.default_focus, clearable=False
                ),
                "200px",
            ),
        ],
        className="controls",
    )


def nav() -> html.Nav:
    """Links to every view; their query strings follow the selection (set by a callback)."""
    return html.Nav(
        [
            dcc.Link(TITLES[v], href=p, id=f"nav-{v}", className="nav-link")
            for v, p in VIEW_PATHS.items()
        ],
        className="nav",
    )


def downloads() -> html.Div:
    """Buttons exporting the current view's table and the report of the selection."""
    return html.Div(
        [
            html.Button("Table as CSV", id="dl-csv-btn", className="btn"),
            html.Button("Table as Excel", id="dl-xlsx-btn", className="btn"),
            html.Button("Report (HTML + tables)", id="dl-report-btn", className="btn"),
            dcc.Download(id="dl-csv"),
            dcc.Download(id="dl-xlsx"),
            dcc.Download(id="dl-report"),
            dcc.Loading(html.Span(id="dl-status", className="muted"), type="dot"),
        ],
        className="downloads",
    )


def shell(ex: Explorer) -> html.Div:
    """The whole page; the view itself is drawn into ``page`` from the URL."""
    badge = (
        html.Span("DEMO: synthetic data calibrated to published aggregates", className="badge")
        if ex.is_demo
        else html.Span(ex.db_path.name, className="muted")
    )
    return html.Div(
        [
            dcc.Location(id="url", refresh=False),
            html.Header(
                [html.H1("vcflows: cross-border AI venture capital"), badge], className="header"
            ),
            nav(),
            controls(ex),
            downloads(),
            html.Div(id="messages"),
            dcc.Loading(html.Main(id="page", className="page"), type="circle", delay_show=300),
        ],
        className="app",
    )
