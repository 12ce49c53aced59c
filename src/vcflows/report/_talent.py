"""The report's chapter "AI talent and national champions" (only when the store has founders).

:func:`talent_tables` computes its tables (exported with the others); :func:`talent_blocks`
words the chapter from them and from the finding ``talent_draws_foreign``: the sentence on the
focus country is chosen by the finding's verdict, never by the template.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from vcflows.findings import Finding, FindingOptions
from vcflows.findings.talent import CLAIM
from vcflows.flows import FlowOptions
from vcflows.flows import columns as c
from vcflows.presentation import formatting as fmt
from vcflows.presentation.i18n import Text
from vcflows.presentation.tables import html_table
from vcflows.talent import columns as t
from vcflows.talent import has_people, talent_analysis

#: Country-table columns of the report (the difference named so that it reads as a share).
_RENAMED = {
    t.DIFFERENCE: "foreign_share_difference",
    t.CI_LOW: "foreign_share_difference_low",
    t.CI_HIGH: "foreign_share_difference_high",
}
COUNTRY_COLUMNS = (
    c.COUNTRY, t.TALENT_COMPANIES, t.OTHER_COMPANIES, t.AI_USD, t.TALENT_SHARE,
    t.TALENT_FOREIGN_SHARE, t.OTHER_FOREIGN_SHARE, *_RENAMED.values(),
)  # fmt: skip
COMPANY_COLUMNS = ("name", t.TOTAL_USD, t.FOREIGN_SHARE, t.EVIDENCE)
#: Talent-founded companies of the focus shown (all are in the export).
TOP = 10


def talent_tables(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str
) -> dict[str, pd.DataFrame] | None:
    """The chapter's tables, or None when the store has no founder data.

    Returns
    -------
    dict or None
        ``talent_countries`` (one row per country with founder data) and
        ``talent_companies`` (the focus country's talent-founded companies with their
        evidence, by money raised).
    """
    if not has_people(con):
        return None
    options = FindingOptions()
    res = talent_analysis(
        con,
        opts,
        ci_level=options.ci_level,
        resamples=options.resamples,
        seed=options.seed,
    )
    countries = res.countries.rename(columns=_RENAMED)[list(COUNTRY_COLUMNS)]
    mine = res.companies[(res.companies[c.COUNTRY] == focus) & res.companies[t.TALENT_FOUNDED]]
    return {
        "talent_countries": countries.reset_index(drop=True),
        "talent_companies": mine[list(COMPANY_COLUMNS)].reset_index(drop=True),
    }


def _focus_sentence(found: tuple[Finding, ...], focus: str, text: Text) -> str:
    f = next((x for x in found if x.claim == CLAIM and x.subject == focus), None)
    country = text.country(focus)
    if f is None or f.value is None:
        return text.get("text.talent_no_data", country=country)
    figures = {
        "country": country,
        "talent": fmt.share(f.figures[t.TALENT_FOREIGN_SHARE]),
        "other": fmt.share(f.figures[t.OTHER_FOREIGN_SHARE]),
        "n": fmt.count(f.figures[t.TALENT_COMPANIES]),
        "share": fmt.share(f.figures[t.TALENT_SHARE]),
        "low": fmt.share(f.ci_low) if f.ci_low is not None else "–",
        "high": fmt.share(f.ci_high) if f.ci_high is not None else "–",
    }
    if f.holds is None:
        return text.get("text.talent_undetermined", **figures)
    return text.get("text.talent_more" if f.holds else "text.talent_not_more", **figures)


def talent_blocks(
    tables: dict[str, pd.DataFrame], found: tuple[Finding, ...], text: Text, focus: str
) -> list[dict[str, Any]]:
    """The chapter: the rule, the focus country's comparison, the country table, its companies."""
    blocks: list[dict[str, Any]] = [
        {"kind": "note", "text": text.get("text.talent_intro")},
        {"kind": "note", "text": _focus_sentence(found, focus, text)},
    ]
    for name in ("talent_countries", "talent_companies"):
        df = tables.get(name)
        if df is not None and not df.empty:
            html = html_table(
                df,
                text,
                highlight=focus,
                max_rows=TOP if name != "talent_countries" else 25,
                caption=text.get(f"caption.{name}"),
            )
            blocks.append({"kind": "table", "html": html})
    return blocks
