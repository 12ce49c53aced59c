"""`vcflows report`: one command from a database to the HTML (and PDF) report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vcflows.cli._common import DbOpt, console, handle_errors, out_console
from vcflows.cli._interrupt import file_state, guarded
from vcflows.cli._options import (
    DEMO_LABEL,
    AttributionOpt,
    FocusOpt,
    FromOpt,
    SectorOpt,
    ToOpt,
    flow_options,
    open_db,
)


@handle_errors
def report(
    db: DbOpt = None,
    focus: FocusOpt = "KOR",
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    out: Annotated[
        Path, typer.Option("--out", "-o", help="HTML file to write; exports go beside it.")
    ] = Path("out/report.html"),
    pdf: Annotated[
        bool, typer.Option("--pdf", metavar="", help="Also print a PDF (needs Chromium).")
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="Language of the edition: en or ko.")] = "en",
    data_note: Annotated[
        str | None,
        typer.Option("--data-note", help="Your own caveat about the data, shown on the cover."),
    ] = None,
) -> None:
    """Write the cross-border AI VC report (HTML, optional PDF, CSV/Excel tables).

    Example: vcflows report --db deals.duckdb --focus KOR --from 2015 --to 2025 --pdf
    """
    from vcflows.report import build_report

    opts = flow_options(year_from, year_to, attribution, sector, None)
    before = file_state(out)
    with (
        guarded(lambda: _report_kept(out, before)),
        open_db(db) as (con, label),
        console.status("computing and rendering the report..."),
    ):
        result = build_report(
            con,
            focus=focus,
            opts=opts,
            out=out,
            pdf=pdf,
            lang=lang,
            data_note=data_note,
            is_demo=label == DEMO_LABEL,
        )
    for note in result.notes:
        console.print(
            f"[yellow]note:[/] section '{note['analysis']}' left out ({note['module']})",
            highlight=False,
        )
    out_console.print(f"report  {result.html}")
    if result.pdf is not None:
        out_console.print(f"pdf     {result.pdf}")
    out_console.print(f"tables  {len(result.tables) - 1} CSV files in {result.tables[0].parent}")
    out_console.print(f"excel   {result.tables[-1]}")


def _report_kept(out: Path, before: tuple[int, int] | None) -> str:
    """What an interrupted or failed report left: all of its files, or none of them."""
    if file_state(out) not in (before, None):
        return f"the report was complete before the interruption: {out} and the files beside it"
    earlier = "; the earlier report there is left as it was" if before is not None else ""
    return f"no file of the report was written (nothing at {out} or beside it){earlier}"


def register(app: typer.Typer) -> None:
    """Add the report command to ``app``."""
    app.command("report")(report)
