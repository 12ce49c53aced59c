"""Small building blocks of the pages: tables, key figures, messages, figure containers.

Tables and figures format numbers with the report's rules (:mod:`vcflows.presentation.formatting`,
column kinds from :func:`vcflows.presentation.tables.column_kind`), so a figure reads the same on
screen and in print. Key figures carry their exact value in a ``data-value`` attribute, which
the browser tests compare with the CLI's JSON.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from vcflows.exports import to_records
from vcflows.presentation import formatting as fmt
from vcflows.presentation.i18n import Text
from vcflows.presentation.tables import TEXT_KINDS as _TEXT_KINDS
from vcflows.presentation.tables import cell, column_kind, column_label

#: plotly.js fetches the world map from a CDN unless told otherwise; the app serves its copy.
TOPOJSON_ROUTE = "/_vcflows/geo/"
GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "topojsonURL": TOPOJSON_ROUTE,
    "responsive": True,
}


def _kind(column: str) -> str:
    """Column kind as the report infers it; node strengths are amounts too."""
    if "strength" in column.lower():
        return "usd"
    return column_kind(column)


def fmt_value(value: Any, kind: str) -> str:
    """Display text of a key figure."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if kind == "usd":
        return fmt.usd(float(value))
    if kind == "share":
        return fmt.share(float(value))
    if kind == "count":
        return fmt.count(float(value))
    if kind == "rank":
        return fmt.rank(int(value))
    if kind == "float":
        return f"{float(value):.3f}"
    return str(value)


def _data_attrs(raw: str, kind: str) -> dict[str, Any]:
    # data-* attributes are accepted by every html component but not in its typed signature.
    return {"data-value": raw, "data-kind": kind}


def key_figures(items: Sequence[tuple[str, str, Any, str]]) -> html.Div:
    """Cards of headline numbers: (id, label, value, kind) each.

    The card's ``data-value`` holds the exact value (``repr`` of the float), the text its
    formatted form.
    """
    cards = []
    for key, label, value, kind in items:
        raw = (
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else repr(value)
        )
        cards.append(
            html.Div(
                [
                    html.Div(label, className="kf-label"),
                    html.Div(
                        fmt_value(value, kind),
                        className="kf-value",
                        id=f"kf-{key}",
                        **_data_attrs(raw, kind),
                    ),
                ],
                className="kf",
            )
        )
    return html.Div(cards, className="kf-row")


def table(
    df: pd.DataFrame,
    *,
    text: Text,
    table_id: str | None = None,
    page_size: int = 15,
    columns: Sequence[str] | None = None,
    selectable: bool = False,
) -> Any:
    """An interactive table, every cell formatted as the report formats it.

    Cells are the report's text (:func:`vcflows.presentation.tables.cell`: "$1.2 bn", "42.1%",
    country names, whole days); headers are the report's column labels in ``text``'s wording
    (the selection's: "VC", not "AI VC", beyond the AI sector). Hovering a header shows the
    column's name in the CLI's JSON and the CSV download, which keep the raw values. The rows
    keep the library's order: formatted text would not sort as numbers, so the table does not
    re-sort (the downloads do, at full precision).
    """
    cols = list(columns) if columns is not None else list(df.columns)
    frame = df[cols]
    shown: dict[str, list[str]] = {}
    spec = []
    numeric_cols = []
    for col in cols:
        kind = _kind(col)
        shown[col] = [_cell(v, kind, text) for v in frame[col]]
        spec.append({"name": column_label(col, text) or col, "id": col})
        numeric = pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(
            frame[col]
        )
        if kind not in _TEXT_KINDS or (kind == "text" and numeric):
            numeric_cols.append(col)
    kwargs: dict[str, Any] = {"tooltip_header": {col: col for col in cols}}
    if table_id is not None:
        kwargs["id"] = table_id
    if selectable:
        kwargs["row_selectable"] = "single"
    with warnings.catch_warnings():
        # DataTable announces its removal in a future Dash major version; it is still the
        # table shipped with Dash 4 (dash-ag-grid would be a new dependency).
        warnings.simplefilter("ignore", DeprecationWarning)
        return _data_table(pd.DataFrame(shown, columns=cols), spec, numeric_cols, page_size, kwargs)


def _cell(value: Any, kind: str, text: Text) -> str:
    """One cell's text; nested partner lists as "partner share; …"."""
    if isinstance(value, list) and any(isinstance(d, dict) for d in value):
        return "; ".join(
            f"{text.country(str(d.get('partner')))} {fmt.share(d.get('share', float('nan')))}"
            if isinstance(d, dict)
            else str(d)
            for d in value
        )
    return cell(value, kind, text)


def _data_table(
    frame: pd.DataFrame,
    spec: list[dict[str, Any]],
    numeric_cols: list[str],
    page_size: int,
    kwargs: dict[str, Any],
) -> Any:
    return dash_table.DataTable(  # type: ignore[attr-defined]  # generated at import time
        data=to_records(frame),
        columns=spec,
        page_size=page_size,
        # Wide tables scroll sideways inside their block; long words wrap, nothing is cut.
        style_table={"overflowX": "auto", "maxWidth": "100%"},
        style_cell={
            "textAlign": "left",
            "fontFamily": "inherit",
            "fontSize": "13px",
            "padding": "4px 8px",
            "maxWidth": "360px",
            "whiteSpace": "normal",
            "height": "auto",
        },
        style_cell_conditional=[
            {"if": {"column_id": c}, "textAlign": "right"} for c in numeric_cols
        ],
        style_header={"fontWeight": "600", "backgroundColor": "#f3f5f8", "whiteSpace": "normal"},
        **kwargs,
    )


def graph(fig: go.Figure | None, graph_id: str, empty: str = "No data for this selection.") -> Any:
    """A figure, or a note when the selection has nothing to draw.

    The container gets the figure's own height: a responsive plotly graph fills its parent's
    height, and a parent without one collapses the graph to nothing.
    """
    if fig is None:
        return note(empty)
    height = int(fig.layout.height or 450)
    fig.update_layout(autosize=True)
    return dcc.Graph(
        id=graph_id,
        figure=fig,
        config=GRAPH_CONFIG,  # type: ignore[arg-type]
        className="graph",
        style={"height": f"{height}px"},
    )


def note(text: str) -> html.Div:
    """A grey explanatory note."""
    return html.Div(text, className="note")


def message(lines: Sequence[str], *, kind: str = "error", title: str | None = None) -> html.Div:
    """A message box listing problems (``kind`` "error" or "warning")."""
    head = title or ("This link cannot be shown" if kind == "error" else "Note")
    return html.Div(
        [html.Strong(head), html.Ul([html.Li(x) for x in lines])],
        className=f"msg msg-{kind}",
        role="alert",
    )


def section(title: str, *children: Any, help_text: str | None = None) -> html.Section:
    """A titled block of a page."""
    parts: list[Any] = [html.H3(title)]
    if help_text:
        parts.append(html.P(help_text, className="help"))
    parts.extend(children)
    return html.Section(parts, className="block")
