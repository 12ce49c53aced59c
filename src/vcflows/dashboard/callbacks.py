"""The dashboard's callbacks: URL <-> controls, the view, drill-down, search and downloads.

The URL is the single source of truth. A control change rewrites the query string; a query
string change (a shared link, the back button, a control) redraws the view. Every value a
browser sends is checked before use (:func:`vcflows.dashboard.state.parse` for the URL,
the catalogue for clicked countries), and every callback turns errors into a message in the
page: a request never gets a traceback.
"""

from __future__ import annotations

import io
import json
import logging
import tempfile
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.dcc.express import send_bytes
from repro_zipfile import ReproducibleZipFile

from vcflows.dashboard import components as ui
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.layout import CONTROLS
from vcflows.dashboard.state import VIEW_PATHS, Parsed, Selection, parse, to_search
from vcflows.dashboard.views import View, renderers
from vcflows.dashboard.views import companies as companies_view
from vcflows.dashboard.views import flows as flows_view
from vcflows.errors import VcflowsError
from vcflows.exports import write_table

log = logging.getLogger("vcflows.dashboard")

_INTERNAL = "Internal error while computing this view; the details are in the server log."


def _nav_hrefs(sel: Selection) -> list[str]:
    plain = Selection(view=sel.view, opts=sel.opts, focus=sel.focus)
    return [p + to_search(sel if v == "companies" else plain) for v, p in VIEW_PATHS.items()]


def _control_values(sel: Selection) -> list[Any]:
    o = sel.opts
    return [o.year_from, o.year_to, o.attribution, o.sector, list(o.stages or []), sel.focus]


def _search_from_controls(values: list[Any], company: str | None) -> str:
    """Query string of the controls' values (validated by :func:`parse` like any link)."""
    y0, y1, attribution, sector, stages, focus = values
    items = [
        ("from", "" if y0 is None else str(y0)),
        ("to", "" if y1 is None else str(y1)),
        ("attribution", "" if attribution in (None, "equal") else str(attribution)),
        ("sector", "" if sector in (None, "ai") else str(sector)),
        ("stage", ",".join(str(x) for x in stages or [])),
        ("focus", str(focus or "")),
        ("company", company or ""),
    ]
    return "?" + urlencode([(k, v) for k, v in items if v], safe=",:/")


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """Nested cells (lists of partners) as JSON text, as the Excel export writes them."""
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list | dict)).any():
            out[col] = out[col].map(lambda v: json.dumps(v, default=str, ensure_ascii=False))
    return out


def _file_bytes(df: pd.DataFrame, fmt: str) -> bytes:
    """The table written by :func:`vcflows.exports.write_table` (formula-safe), as bytes."""
    with tempfile.TemporaryDirectory(prefix="vcflows-dash-") as tmp:
        path = write_table(_flat(df), Path(tmp) / f"table.{fmt}", fmt)
        return path.read_bytes()


def _slug(sel: Selection) -> str:
    o = sel.opts
    years = f"{o.year_from or 'all'}-{o.year_to or 'all'}"
    return f"{sel.focus}_{years}_{o.attribution}"


def register(app: Dash, ex: Explorer) -> None:
    """Attach every callback of the dashboard to ``app``."""
    cat = ex.catalog
    table = renderers()

    @lru_cache(maxsize=64)
    def view_of(sel: Selection) -> View:
        return table[sel.view](ex, sel)

    @lru_cache(maxsize=4)
    def report_zip(sel: Selection) -> bytes:
        from vcflows.report import build_report

        buf = io.BytesIO()
        with tempfile.TemporaryDirectory(prefix="vcflows-report-") as tmp:
            with ex.cursor() as cur:
                res = build_report(
                    cur,
                    focus=sel.focus,
                    opts=sel.opts,
                    out=Path(tmp) / "report.html",
                    is_demo=ex.is_demo,
                )
            with ReproducibleZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for p in res.paths:
                    zf.write(p, p.relative_to(tmp).as_posix())
        return buf.getvalue()

    def parsed_of(pathname: str | None, search: str | None) -> Parsed:
        return parse(pathname, search, cat)

    @app.callback(
        Output("url", "search"),
        *[Output(c, "value") for c in CONTROLS],
        *[Output(f"nav-{v}", "href") for v in VIEW_PATHS],
        Input("url", "search"),
        *[Input(c, "value") for c in CONTROLS],
        State("url", "pathname"),
    )
    def sync(search: str | None, *args: Any) -> tuple[Any, ...]:
        """Keep the controls and the URL's query string in step (either can move first)."""
        values, pathname = list(args[:-1]), args[-1]
        current = parsed_of(pathname, search)
        no_controls = [no_update] * len(CONTROLS)
        if ctx.triggered_id in (None, "url"):
            sel = current.selection
            return (no_update, *_control_values(sel), *_nav_hrefs(sel))
        new_search = _search_from_controls(values, current.selection.company)
        nxt = parsed_of(pathname, new_search)
        hrefs = _nav_hrefs(nxt.selection) if not nxt.errors else [no_update] * len(VIEW_PATHS)
        if not nxt.errors:
            new_search = to_search(nxt.selection)
        return (new_search if new_search != search else no_update, *no_controls, *hrefs)

    @app.callback(
        Output("page", "children"),
        Output("messages", "children"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def page(pathname: str | None, search: str | None) -> tuple[Any, Any]:
        """Draw the view the URL names, or say what is wrong with the URL."""
        parsed = parsed_of(pathname, search)
        msgs: list[Any] = []
        if parsed.warnings:
            msgs.append(ui.message(parsed.warnings, kind="warning"))
        if parsed.errors:
            reset = dcc.Link("Open the world overview with the default selection", href="/world")
            return [ui.message(parsed.errors), html.P(reset)], msgs
        return _guard(lambda: view_of(parsed.selection).children), msgs

    @app.callback(
        Output("drill", "children"),
        Input("flows-heatmap", "clickData"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def drill(click: dict[str, Any] | None, pathname: str | None, search: str | None) -> Any:
        """List the rounds behind the clicked cell of the flow matrix."""
        parsed = parsed_of(pathname, search)
        try:
            point = (click or {})["points"][0]
            investor, company_country = str(point["y"]), str(point["x"])
        except (KeyError, IndexError, TypeError):
            return ui.message(["drill-down: the click did not name a cell"], kind="warning")
        if parsed.errors or investor not in cat.countries or company_country not in cat.countries:
            return ui.message(["drill-down: unknown country in the clicked cell"], kind="warning")
        return _guard(lambda: flows_view.drill(ex, parsed.selection, investor, company_country))

    @app.callback(
        Output("company-results", "children"),
        Input("company-search", "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def company_search(text: str | None, pathname: str | None, search: str | None) -> Any:
        """Companies matching the search text, as links keeping the selection."""
        sel = parsed_of(pathname, search).selection
        return _guard(
            lambda: companies_view.search_results(ex, sel, text if isinstance(text, str) else None)
        )

    @app.callback(
        Output("dl-csv", "data"),
        Output("dl-xlsx", "data"),
        Output("dl-report", "data"),
        Output("dl-status", "children"),
        Input("dl-csv-btn", "n_clicks"),
        Input("dl-xlsx-btn", "n_clicks"),
        Input("dl-report-btn", "n_clicks"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def download(
        _a: Any, _b: Any, _c: Any, pathname: str | None, search: str | None
    ) -> tuple[Any, ...]:
        """The current view's table (CSV/Excel), or the report of the selection (zip)."""
        parsed = parsed_of(pathname, search)
        none = (no_update, no_update, no_update)
        if parsed.errors:
            return (*none, "Nothing to download: fix the link first.")
        sel = parsed.selection
        which = ctx.triggered_id
        try:
            if which == "dl-report-btn":
                data = send_bytes(report_zip(sel), f"vcflows_report_{_slug(sel)}.zip")
                return (no_update, no_update, data, "Report ready.")
            view = view_of(sel)
            if view.table.empty:
                return (*none, "This view has no table to download.")
            fmt = "csv" if which == "dl-csv-btn" else "xlsx"
            data = send_bytes(
                _file_bytes(view.table, fmt), f"vcflows_{view.table_name}_{_slug(sel)}.{fmt}"
            )
            return (
                (data, no_update, no_update, "")
                if fmt == "csv"
                else (no_update, data, no_update, "")
            )
        except VcflowsError as exc:
            return (*none, f"Download failed: {exc}")
        except Exception:
            log.exception("download failed for %s", to_search(sel))
            return (*none, _INTERNAL)


def _guard(make: Callable[[], Any]) -> Any:
    """Run a view function; named errors become a message, anything else is logged."""
    try:
        return make()
    except VcflowsError as exc:
        return ui.message([str(exc)], kind="warning", title="Cannot show this selection")
    except Exception:
        log.exception("view failed")
        return ui.message([_INTERNAL], title="Something went wrong")
