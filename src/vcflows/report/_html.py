"""Render the report dict to one self-contained HTML file (or its print variant).

The interactive edition inlines plotly.js once and hands plotly the shipped world map, so the
file opens offline and fetches nothing. The print edition (input of the PDF) shows static
chart images instead and carries page numbers in its table of contents.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from vcflows import schema as s
from vcflows._version import __version__
from vcflows.display import country_in_text
from vcflows.presentation.chart_style import Chart, source_label, world_topojson
from vcflows.presentation.i18n import Text

#: plotly config of every interactive chart: no logo, no link to plotly's cloud.
PLOTLY_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("vcflows.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _css() -> str:
    return resources.files("vcflows.report").joinpath("templates", "report.css").read_text("utf-8")


def _script_json(text: str) -> str:
    # "</" would end the <script> element early.
    return text.replace("</", "<\\/")


def geo_assets_script() -> str:
    """JS that pre-loads plotly's world base map, so geo charts never fetch it."""
    topo = world_topojson().decode("utf-8")
    return _script_json(f'window.PlotlyGeoAssets={{topojson:{{"world_110m":{topo}}}}};')


def cover_facts(data: dict[str, Any], text: Text) -> list[tuple[str, str]]:
    """(label, value) lines of the cover: what the report rests on."""
    from vcflows.presentation import formatting as fmt

    meta, tot = data["meta"], data["tables"]["totals"].iloc[0]
    opts = meta["opts"]
    lo, hi = meta["year_from"], meta["year_to"]
    sector = {"ai": text.get("text.sector_ai"), "all": text.get("text.sector_all")}.get(
        opts["sector"], opts["sector"]
    )
    store = meta["store"]
    facts = [
        (text.get("text.focus_country"), f"{text.country(meta['focus'])} ({meta['focus']})"),
        (text.get("text.period"), f"{lo}–{hi}" if lo is not None else text.get("text.all_years")),
        (text.get("text.sector"), sector),
        (
            text.get("text.attribution"),
            text.section("method").get(str(opts["attribution"]), str(opts["attribution"])),
        ),
        (text.get("text.source_files"), source_label(data, text)),
        (text.get("text.years_covered"), f"{store['year_min']}–{store['year_max']}"),
        (
            text.get("text.data_source"),
            text.get(
                "text.rounds_participations",
                rounds=fmt.count(tot["rounds"]),
                rounds_with_amount=fmt.count(tot["rounds_with_amount"]),
                participations=fmt.count(tot["participations"]),
            ),
        ),
    ]
    links = data["tables"]["links"]
    if len(links):
        merged = links.groupby("link_kind")["records"].sum()
        facts.append(
            (
                text.get("text.cross_source"),
                text.get(
                    "text.cross_source_cover",
                    rounds=fmt.count(merged.get("round", 0)),
                    usd=fmt.usd(links[s.AMOUNT_USD].sum(), text.lang),
                    companies=fmt.count(merged.get("company", 0)),
                    investors=fmt.count(merged.get("investor", 0)),
                )
                + ".",
            )
        )
    share = tot["unattributed_share"]
    if share == share:  # not NaN
        unat = data["tables"]["unattributed"]
        why = unat.groupby("reason")["amount_usd"].sum().sort_values(ascending=False)
        reasons = ", ".join(
            f"{r.replace('_', ' ')} {fmt.usd(v, text.lang)}" for r, v in why.items() if v > 0
        )
        line = text.get(
            "text.unattributed_cover",
            share=fmt.share(share),
            usd=fmt.usd(tot["unattributed_usd"], text.lang),
        )
        facts.append(
            (text.get("text.unattributed_why"), f"{line}{': ' + reasons if reasons else ''}.")
        )
    return facts


def chart_views(
    charts: dict[str, Chart], static_images: dict[str, str] | None
) -> dict[str, Markup]:
    """HTML of each chart: a plotly div, or an <img> of the static rendering."""
    views: dict[str, Markup] = {}
    for cid, chart in charts.items():
        if static_images is not None:
            views[cid] = Markup('<img src="{}" alt="{}">').format(static_images[cid], chart.alt)
        else:
            div = pio.to_html(
                chart.figure,
                include_plotlyjs=False,
                full_html=False,
                div_id=f"plot-{cid}",
                config=PLOTLY_CONFIG,
                default_height=f"{chart.height}px",
                validate=False,
            )
            views[cid] = (
                Markup('<div role="img" aria-label="{}">').format(chart.alt)
                + Markup(div)
                + Markup("</div>")
            )
    return views


def render(
    data: dict[str, Any],
    text: Text,
    charts: dict[str, Chart],
    chapters: list[dict[str, Any]],
    *,
    static_images: dict[str, str] | None = None,
    toc_pages: dict[str, int] | None = None,
    show_front: bool = True,
) -> str:
    """Render the report HTML.

    Parameters
    ----------
    data, text, charts, chapters
        Computed data, text layer, charts and chapters (see :mod:`._sections`).
    static_images : dict, optional
        Chart id -> image data URL; given for the print edition (no JavaScript at all).
    toc_pages : dict, optional
        Chapter id -> page number, shown in the table of contents of the print edition.
    show_front : bool
        Include the cover and the table of contents.
    """
    meta = data["meta"]
    focus_name = text.country(meta["focus"])
    numbered = [{**c, "number": i} for i, c in enumerate(chapters, start=1)]
    toc = [
        {
            "id": c["id"],
            "title": c["title"],
            "number": c["number"],
            "page": (toc_pages or {}).get(c["id"]),
        }
        for c in numbered
    ]
    static = static_images is not None
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            lang=text.lang,
            version=__version__,
            title=text.get("text.report_title"),
            subtitle=text.get(
                "text.report_subtitle", focus=country_in_text(meta["focus"], text.lang)
            ),
            focus_name=focus_name,
            css=Markup(_css()),
            static=static,
            geo_assets=Markup(geo_assets_script()) if not static else "",
            plotlyjs=Markup(_script_json(get_plotlyjs())) if not static else "",
            show_front=show_front,
            is_demo=meta["is_demo"],
            demo_banner=text.get("text.demo_banner"),
            cover_facts=cover_facts(data, text),
            data_note=meta["data_note"],
            data_note_label=text.get("text.data_note"),
            generated=text.get("text.generated", version=__version__),
            toc_title=text.get("text.toc"),
            toc=toc,
            exports_note=text.get("text.exports_note"),
            chapters=numbered,
            views=chart_views(charts, static_images),
            alt_label=text.get("text.chart_alt"),
            table_label=text.get("text.table_data"),
            units_note=text.get("text.units_note"),
            evidence_label=text.get("text.evidence"),
            query_label=text.get("text.query"),
        )
    )
