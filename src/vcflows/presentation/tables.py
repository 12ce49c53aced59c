"""Well-formatted HTML tables: numbers right-aligned, units in headers, countries named.

Column kinds are inferred from the contract's column names (``*_usd`` amounts, ``*share*``
shares, ``deals*`` counts, ``*country``/``partner`` ISO-3 codes), so every table of the
report is formatted the same way.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from vcflows.presentation import formatting as fmt
from vcflows.presentation.i18n import Text

_COUNTRY_COLS = {
    "country",
    "partner",
    "hub",
    "investor",
    "investor_country",
    "company_country",
    "country_a",
    "country_b",
    "origin",
    "destination",
}


def column_label(name: str, text: Text) -> str | None:
    """A column's header in ``text``'s language, or None when the text layer has none.

    Columns of one indicator under each attribution method (``share_global_equal``) read as the
    indicator qualified by the method: "Share of global (equal split)", "Foreign share (in,
    equal split)".
    """
    labels = text.section("label")
    if name in labels:
        return labels[name]
    base, _, method = name.rpartition("_")
    methods = text.section("method")
    if base not in labels or method not in methods:
        return None
    label = labels[base]
    if label.endswith(")"):  # one pair of brackets: "Foreign share (in, equal split)"
        return f"{label[:-1]}, {methods[method]})"
    return f"{label} ({methods[method]})"


#: Columns of a controlled vocabulary: each value is shown as the text section of that name
#: words it ("early" -> "Early stage").
_VOCABULARIES = (
    "stage_group",
    "stage",
    "typology",
    "link_kind",
    "link_rule",
    "quarantine_action",
    "conflict_scope",
)
#: Columns whose vocabulary's text section has another name: a typology ``label`` is worded
#: by the ``typology`` section ("weakly integrated" -> "통합 약함").
_VOCABULARY_OF = {"label": "typology", "term": "gravity_term"}
#: Column kinds shown left-aligned, as words.
TEXT_KINDS = ("text", "country", "rule", *_VOCABULARIES, *_VOCABULARY_OF.values())
#: One condition of a typology rule as :mod:`vcflows.indicators.typology` writes it:
#: ``foreign_share_in 0.078 < 0.25`` or ``deals_in+deals_out 3.0 < 5``.
_RULE_PART = re.compile(r"([a-z_]+(?:\+[a-z_]+)*) (-?[0-9.]+) (>=|<) (-?[0-9.]+)")


def rule_words(rule: str, text: Text) -> str:
    """A typology rule in words: "Foreign share (in) 7.8% < 25.0%, Overseas share (out) ...".

    Each condition's indicator is named by its label, shares are written as percentages and
    counts as counts; anything that is not a condition is kept as it is.
    """
    labels = text.section("label")

    def one(m: re.Match[str]) -> str:
        names = m.group(1).split("+")
        name = " + ".join(labels.get(n, n.replace("_", " ")) for n in names)
        form = fmt.share if all("share" in n for n in names) else fmt.count
        op = "≥" if m.group(3) == ">=" else "<"
        return f"{name} {form(float(m.group(2)))} {op} {form(float(m.group(4)))}"

    return _RULE_PART.sub(one, rule).replace(" and ", ", ")


def column_kind(name: str) -> str:
    """Infer how to format a column from its name."""
    n = name.lower()
    if n in _VOCABULARIES:
        return n
    if n in _VOCABULARY_OF:
        return _VOCABULARY_OF[n]
    if n == "rule":
        return "rule"
    if n in _COUNTRY_COLS or n.endswith("_country") or n == "top_partner":
        return "country"
    if n in ("members", "foreign_countries"):
        return "country_list"
    if n.endswith("_usd") or n == "amount_usd" or n.startswith("usd_"):
        return "usd"
    if "hhi" in n or n in (
        "pagerank",
        "reciprocity",
        "coef",
        "estimate",
        "se",
        "std_error",
        "pvalue",
        "p_value",
    ):
        return "float"
    if "share" in n or n == "growth":
        return "share"
    if (
        "deals" in n
        or "rounds" in n
        or n.startswith("rows")
        or n
        in (
            "n",
            "records",
            "read",
            "loaded",
            "quarantined",
            "skipped",
            "conflicts",
            "participations",
            "size",
            "degree",
            "investors",
            "ties",
            "companies",
            "in_degree",
            "out_degree",
            "cross_border_ties",
        )
    ):
        return "count"
    if n.startswith("days") or n.endswith("_days"):  # whole days ("168", not "168.000")
        return "count"
    if n in ("rank", "year", "target_rank"):
        return "int"
    if n in ("ratio", "expected_over_actual"):
        return "ratio"
    return "text"


def cell(value: Any, kind: str, text: Text) -> str:
    """Format one cell value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)[:80]
    if kind == "country":
        return text.country(str(value))
    if kind in _VOCABULARIES or kind in _VOCABULARY_OF.values():
        return text.section(kind).get(str(value), str(value))
    if kind == "rule":
        return rule_words(str(value), text)
    if kind == "country_list":
        # ISO-3 codes: lists of names would not fit a table cell.
        return ", ".join(v for v in str(value).split(",") if v)
    if isinstance(value, str):  # words in a column whose name reads as a number ("investors")
        return value
    if kind == "usd":
        # Compact in the report; full precision is in the CSV exports.
        return fmt.usd(float(value), text.lang)
    if kind == "share":
        return fmt.share(float(value))
    if kind == "count":
        return fmt.count(float(value))
    if kind == "int":
        return str(int(value))
    if kind == "ratio":
        return fmt.ratio(float(value))
    if kind == "float" or isinstance(value, float):
        return f"{float(value):.3f}"
    return str(value)


def fractional_counts(df: pd.DataFrame, columns: Sequence[str]) -> bool:
    """Whether a deal-count column of ``df`` holds a fractional (weighted) count."""
    for c in columns:
        if column_kind(c) != "count" or "deals" not in c.lower():
            continue
        vals = pd.to_numeric(df[c], errors="coerce").dropna().astype(float)
        if ((vals - vals.round()).abs() > 1e-6).any():
            return True
    return False


#: Tables with at most this many rows shown are never split across pages.
SHORT_TABLE_ROWS = 20


def html_table(
    df: pd.DataFrame,
    text: Text,
    *,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    max_rows: int = 25,
    highlight: str | None = None,
    note: str | None = None,
) -> Markup:
    """Render ``df`` as an HTML table.

    Parameters
    ----------
    df : DataFrame
        The table (contract column names).
    text : Text
        Text layer, for headers and country names.
    columns : sequence of str, optional
        Columns to show, in order (default: all but nested lists).
    caption : str, optional
        Table caption.
    max_rows : int
        Rows shown; the full table is in the exports.
    highlight : str, optional
        ISO-3 code whose rows are emphasised (the focus country).
    note : str, optional
        A note printed under the caption (what the table can and cannot say).
    """
    if columns is None:
        columns = [
            c
            for c in df.columns
            if not df[c].map(lambda v: isinstance(v, dict)).any() and not c.endswith("_id")
        ]
    kinds = {c: column_kind(c) for c in columns}
    head = "".join(
        f'<th class="{"num" if kinds[c] not in TEXT_KINDS else "txt"}" scope="col">'
        f"{escape(column_label(c, text) or c.replace('_', ' '))}</th>"
        for c in columns
    )
    body = []
    for _, row in df.head(max_rows).iterrows():
        is_focus = highlight is not None and any(
            kinds[c] == "country" and row[c] == highlight for c in columns
        )
        tds = "".join(
            f'<td class="{"num" if kinds[c] not in TEXT_KINDS else "txt"}">'
            f"{escape(cell(row[c], kinds[c], text))}</td>"
            for c in columns
        )
        body.append(f"<tr{' class=focus' if is_focus else ''}>{tds}</tr>")
    notes = [f'<span class="table-note">{escape(note)}</span>'] if note else []
    if fractional_counts(df.head(max_rows), columns):
        # A deal shared by investors of several countries counts as a fraction for each.
        notes.append(f'<span class="table-note">{escape(text.get("text.fractional_deals"))}</span>')
    cap = f"<caption>{escape(caption)}{''.join(notes)}</caption>" if caption or notes else ""
    more = ""
    if len(df) > max_rows:
        note = escape(text.get("text.more_rows", n=len(df) - max_rows))
        more = f'<tfoot><tr><td colspan="{len(columns)}">… {note}</td></tr></tfoot>'
    # A short table is printed whole (moved to the next page rather than split).
    cls = "data short" if min(len(df), max_rows) <= SHORT_TABLE_ROWS else "data"
    return Markup(
        f'<table class="{cls}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody>{more}</table>'
    )
