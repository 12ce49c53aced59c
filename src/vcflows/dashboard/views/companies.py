"""Company search and funding path: who funded a company, from where, round by round."""

from __future__ import annotations

import dataclasses
from typing import Any

from dash import dcc, html

from vcflows.dashboard import components as ui
from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import MAX_SEARCH_ROWS, Explorer
from vcflows.dashboard.state import Selection, to_url
from vcflows.dashboard.views import View
from vcflows.errors import VcflowsError
from vcflows.exports import to_records
from vcflows.presentation.charts import funding_timeline

#: Shortest search text (shorter ones match too much to be useful).
MIN_SEARCH = 2
#: Seconds of no typing after which the search runs (search as you type, not on every key).
SEARCH_DEBOUNCE_S = 0.3


def _country(code: object) -> str:
    """A company's country by name ("country unknown" when the data do not say)."""
    return fg.TEXT.country(str(code)) if code else "country unknown"


def search_results(ex: Explorer, sel: Selection, text: str | None) -> list[Any]:
    """Links to the companies matching ``text`` (each keeps the current selection)."""
    query = (text or "").strip()
    if len(query) < MIN_SEARCH:
        return [ui.note(f"Type at least {MIN_SEARCH} characters of a company name or id.")]
    if len(query) > 100:
        return [ui.message(["search: at most 100 characters"], kind="warning", title="Search")]
    hits = ex.search(query)
    if hits.empty:
        return [ui.note(f"No company matches {query!r}.")]
    items = [
        html.Li(
            [
                dcc.Link(
                    str(r["name"] or r["company_id"]),
                    href=to_url(
                        dataclasses.replace(sel, view="companies", company=str(r["company_id"]))
                    ),
                    className="company-link",
                ),
                html.Span(
                    f" {r['company_id']} · {_country(r['country'])} · {r['categories'] or ''}",
                    className="muted",
                ),
            ]
        )
        for r in to_records(hits)
    ]
    more = (
        f"first {MAX_SEARCH_ROWS} matches"
        if len(hits) == MAX_SEARCH_ROWS
        else f"{len(hits)} matches"
    )
    return [html.P(more, className="help"), html.Ul(items, className="results")]


def render(ex: Explorer, sel: Selection) -> View:
    """The company view: a search box, and the funding path of ``sel.company``."""
    search = html.Div(
        [
            dcc.Input(
                id="company-search",
                type="search",
                placeholder="Company name or id",
                debounce=SEARCH_DEBOUNCE_S,
                maxLength=100,
                className="search",
            ),
            html.Div(search_results(ex, sel, None), id="company-results"),
        ]
    )
    children: list[Any] = [ui.section("Find a company", search)]
    if sel.company is None:
        return View("Companies", children)
    try:
        path = ex.funding_path(sel.opts, sel.company)
    except VcflowsError as exc:
        children.append(ui.message([str(exc)], kind="warning", title="Company"))
        return View("Companies", children)
    name = path.name or path.company_id
    src = fg.source_line(ex)
    children += [
        html.H2(f"{name}", id="company-title"),
        html.P(
            f"{path.company_id} · {fg.TEXT.country(path.country)} · {path.categories or ''} · {sel.opts.describe()}",
            className="caption",
        ),
        ui.key_figures(
            [
                ("company_total_usd", "Known round amounts", path.total_usd, "usd"),
                ("company_rounds", "Rounds", len(path.rounds), "count"),
                ("company_foreign_share", "Foreign investors' share", path.foreign_share, "share"),
                (
                    "company_foreign_countries",
                    "Foreign investor countries",
                    ", ".join(fg.TEXT.country(c) for c in path.foreign_countries) or "–",
                    "text",
                ),
            ]
        ),
        ui.section(
            "Funding path",
            ui.graph(funding_timeline(path.rounds, name, src, fg.TEXT), "company-path"),
        ),
        ui.section(
            "Rounds and investors",
            ui.table(path.rounds, text=fg.text_for(sel), table_id="view-table", page_size=20),
        ),
        html.Ul([html.Li(n) for n in path.notes], className="notes"),
    ]
    return View(name, children, path.rounds, "funding_path")
