"""The vcflows report: one call from a database to a publishable HTML (and PDF) report.

Pipeline (see README.md beside this file): :func:`_compute.compute` runs the analyses once and
returns plain tables; :mod:`_summary` writes the executive summary from them; :mod:`_charts`
draws them; :mod:`_sections` lays out the chapters; :mod:`_html` renders the jinja template;
:mod:`_pdf` prints it through headless Chromium; :mod:`_exports` writes every table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from vcflows.errors import OptionError
from vcflows.files import staged_outputs
from vcflows.flows import FlowOptions
from vcflows.presentation.chart_style import source_label
from vcflows.presentation.charts import build_charts
from vcflows.presentation.i18n import LANGS, Text
from vcflows.report._compute import compute
from vcflows.report._exports import export_tables
from vcflows.report._html import render
from vcflows.report._sections import appendices, build_chapters
from vcflows.report._summary import Sentence, summarize

__all__ = ["LANGS", "ReportResult", "Sentence", "build_report", "prepare"]


@dataclass
class ReportResult:
    """Where a report was written, and what it said.

    Attributes
    ----------
    html : Path
        The self-contained HTML report.
    pdf : Path or None
        The PDF, when requested.
    tables : list of Path
        The CSV exports and the Excel workbook.
    summary : dict
        The executive summary: paragraph -> sentences (with their figures).
    notes : list of dict
        Optional analyses left out, and why.
    """

    html: Path
    pdf: Path | None
    tables: list[Path]
    summary: dict[str, list[Sentence]]
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        """Every file written."""
        return [self.html, *([self.pdf] if self.pdf else []), *self.tables]


def prepare(
    con: duckdb.DuckDBPyConnection,
    *,
    focus: str = "KOR",
    opts: FlowOptions | None = None,
    lang: str = "en",
    data_note: str | None = None,
    is_demo: bool = False,
) -> dict[str, Any]:
    """Compute the report's content without writing anything.

    Returns
    -------
    dict
        ``data`` (tables and facts), ``text``, ``summary``, ``charts`` and ``chapters``.
    """
    if lang not in LANGS:
        raise OptionError(f"--lang: unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    focus = focus.strip().upper()
    if len(focus) != 3 or not focus.isalpha():
        raise OptionError(
            f"--focus: expected an ISO 3166-1 alpha-3 code such as KOR, got {focus!r}"
        )
    opts = opts or FlowOptions()
    text = Text(lang, all_sectors=opts.sector != "ai")
    data = compute(con, focus=focus, opts=opts, is_demo=is_demo, data_note=data_note, lang=lang)
    summary = summarize(data, text)
    charts = build_charts(data, text, text.get("text.source_line", source=source_label(data, text)))
    chapters = build_chapters(data, text, charts, summary) + appendices(data, text, summary)
    return {"data": data, "text": text, "summary": summary, "charts": charts, "chapters": chapters}


def build_report(
    con: duckdb.DuckDBPyConnection,
    *,
    focus: str = "KOR",
    opts: FlowOptions | None = None,
    out: Path = Path("out/report.html"),
    pdf: bool = False,
    lang: str = "en",
    data_note: str | None = None,
    is_demo: bool = False,
) -> ReportResult:
    """Build the report on a vcflows database.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open vcflows database.
    focus : str
        ISO-3 code of the focus country.
    opts : FlowOptions, optional
        Period, attribution, sector, stages (default: all years, equal split, AI companies).
    out : Path
        The HTML file. Exports go beside it: ``<stem>_tables/*.csv`` and
        ``<stem>_tables.xlsx``; the PDF is ``<stem>.pdf``. All of them are written to
        temporary files and renamed into place together at the end: a failure or an
        interruption leaves none of them (and earlier versions as they were).
    pdf : bool
        Also print a PDF through headless Chromium (needs /usr/bin/chromium or BROWSER_PATH).
    lang : {"en", "ko"}
        Language of the edition.
    data_note : str, optional
        The analyst's caveat, shown on the cover.
    is_demo : bool
        The database is the embedded synthetic demo (said on the cover and in every source line).

    Returns
    -------
    ReportResult
        Paths of every output and the executive summary.
    """
    out = Path(out)
    parts = prepare(con, focus=focus, opts=opts, lang=lang, data_note=data_note, is_demo=is_demo)
    data, text = parts["data"], parts["text"]
    html = render(data, text, parts["charts"], parts["chapters"])
    pdf_path = None
    # Every file of the report is renamed into place at the end, or none is.
    with staged_outputs() as staged:
        staged.path(out).write_text(html, encoding="utf-8")
        tables = export_tables(
            data["tables"],
            out.parent / f"{out.stem}_tables",
            out.parent / f"{out.stem}_tables.xlsx",
            staged,
        )
        if pdf:
            from vcflows.report._pdf import write_pdf

            pdf_path = write_pdf(parts, out.with_suffix(".pdf"), staged)
    result = ReportResult(
        html=out, pdf=pdf_path, tables=tables, summary=parts["summary"], notes=data["notes"]
    )
    return result
