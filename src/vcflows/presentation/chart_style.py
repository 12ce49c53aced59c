"""Shared chart furniture: the Chart record, layout with title, units and source line, palette."""

from __future__ import annotations

import base64
import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from vcflows.presentation.i18n import Text

FONT = "Liberation Sans, Arial, Helvetica, 'Noto Sans CJK KR', sans-serif"
PALETTE = (
    "#1f4e79",
    "#c0504d",
    "#4f9a94",
    "#e3a21a",
    "#7a5195",
    "#5b8c2a",
    "#d45087",
    "#8c6d31",
    "#2f7ed8",
    "#999999",
)


@dataclass
class Chart:
    """One chart of the report.

    Attributes
    ----------
    id : str
        Stable identifier (also the HTML element id and the exported file stem).
    title : str
        Chart title (also in the figure).
    figure : plotly.graph_objects.Figure
        The interactive figure.
    alt : str
        Text alternative describing what the chart shows, with its largest values.
    source : str
        Source line.
    table : str
        Name of the exported table behind the chart.
    height : int
        Height in pixels for static rendering.
    """

    id: str
    title: str
    figure: go.Figure
    alt: str
    source: str
    table: str
    height: int = 480


#: The report's plotly template.
TEMPLATE = "plotly_white"
_validated: dict[int, go.layout.Template] = {}


def _template() -> go.layout.Template:
    """The report's template as ``update_layout(template=TEMPLATE)`` would set it, validated once.

    Validating a template (hundreds of properties) took most of the time of drawing a chart.
    Keyed by the registered template object, so a replaced template is validated anew.
    """
    key = id(pio.templates[TEMPLATE])
    if key not in _validated:
        _validated.clear()
        _validated[key] = go.Figure().update_layout(template=TEMPLATE).layout.template
    return _validated[key]


def _set_template(fig: go.Figure) -> None:
    """Give ``fig`` the report's template, already validated: the same JSON, much faster.

    The assignment copies the template (the figure never shares it); validation is switched
    off for it only, as plotly itself does when it applies its default template.
    """
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout.template = _template()
    finally:
        layout._validate = validate


def style(fig: go.Figure, title: str, units: str, source: str, *, height: int = 480) -> go.Figure:
    """Apply the report's title (with units), source line and fonts to ``fig``."""
    fig.update_layout(
        title={"text": title, "subtitle": {"text": units}, "x": 0.0, "xanchor": "left"},
        font={"family": FONT, "size": 12, "color": "#222"},
    )
    _set_template(fig)  # in the place ``template=`` had among the layout's properties
    fig.update_layout(
        height=height,
        margin={"l": 60, "r": 30, "t": 80, "b": 70},
        paper_bgcolor="white",
    )
    fig.add_annotation(
        text=source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-55,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 10, "color": "#555"},
        align="left",
    )
    return fig


@lru_cache(maxsize=1)
def world_topojson() -> bytes:
    """The shipped 1:110m world TopoJSON (see ``vcflows/data/geo/SOURCE.md``)."""
    return resources.files("vcflows").joinpath("data", "geo", "world_110m.json").read_bytes()


def topojson_data_url() -> str:
    """A ``topojsonURL`` for plotly that needs no network.

    plotly.js appends ``"/world_110m.json"`` to the configured URL; after the ``#`` it lands
    in the fragment, which a ``data:`` URL ignores, so the map loads from the URL itself.
    """
    return "data:application/json;base64," + base64.b64encode(world_topojson()).decode() + "#"


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float, bool]]:
    """ISO-3 -> (lon, lat, has a polygon in the 110m map)."""
    raw = (
        resources.files("vcflows")
        .joinpath("data", "geo", "country_centroids.csv")
        .read_text("utf-8")
    )
    rows = csv.DictReader(raw.splitlines())
    return {
        r["iso3"]: (float(r["lon"]), float(r["lat"]), r["in_world_110m"] == "yes") for r in rows
    }


#: Units of an axis of amounts per language, largest first: (divisor, prefix, suffix). Korean
#: charts count in 조/억/만 달러 like the Korean tables, not in billions.
_MONEY_UNITS: dict[str, tuple[tuple[float, str, str], ...]] = {
    "en": ((1e12, "$", " tn"), (1e9, "$", " bn"), (1e6, "$", " m"), (1e3, "$", " k")),
    "ko": ((1e12, "", "조 달러"), (1e8, "", "억 달러"), (1e4, "", "만 달러")),
}


def money_axis(vmax: float, lang: str = "en") -> tuple[float, str, str]:
    """Divisor, tick prefix and tick suffix for an axis of amounts up to ``vmax``.

    Parameters
    ----------
    vmax : float
        The largest amount on the axis (current USD).
    lang : str
        Language of the edition: Korean axes read "120억 달러" as the Korean tables do.

    Returns
    -------
    tuple of (float, str, str)
        Divide the amounts by the first; put the second before and the third after each tick.
    """
    units = _MONEY_UNITS.get(lang, _MONEY_UNITS["en"])
    for div, prefix, suffix in units:
        if vmax >= div:
            return div, prefix, suffix
    return 1.0, units[-1][1], "" if lang != "ko" else " 달러"


def top_list(items: list[tuple[str, str]], n: int = 5) -> str:
    """ "A $1 bn; B $2 m" from (label, value text) pairs, for text alternatives."""
    return "; ".join(f"{a} {b}" for a, b in items[:n])


def source_label(data: dict[str, Any], text: Text) -> str:
    """The data source named in every chart's source line."""
    meta = data["meta"]
    if meta["is_demo"]:
        return text.get("text.source_demo")
    log = data["tables"]["ingest_log"]
    if len(log):
        parts = []
        for src, grp in log.groupby("source", sort=True):
            files = sorted(set(grp["source_file"].dropna().astype(str)))
            parts.append(f"{src} ({', '.join(files[:4])}{', …' if len(files) > 4 else ''})")
        return "; ".join(parts)
    sources = meta["store"]["sources"]
    return ", ".join(sources) if sources else text.get("text.unknown")
