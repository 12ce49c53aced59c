"""`vcflows coverage`: a store's AI venture totals against the published ones."""

from __future__ import annotations

import typer

from vcflows import schema as s
from vcflows.cli._common import DbOpt, FormatOpt, OutOpt, console, emit, handle_errors
from vcflows.cli._options import FromOpt, ToOpt, check_format, flow_options, open_db
from vcflows.indicators import coverage as cov


@handle_errors
def coverage_cmd(
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Coverage: the data's AI VC total per country and year against the published one.

    Published: OECD.AI "VC investments in AI" (Preqin data), shipped with their sources.
    Both sides count AI companies' venture rounds (grants and debt left out) by company
    country and year. The ratio is flagged low below 0.5 and high above 1.5; rows without a
    published figure say no_published.

    Example: vcflows coverage --db deals.duckdb --format csv
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, "equal", "ai", None)
    with open_db(db) as (con, label):
        df = cov.coverage(con, opts)
    if fmt == "table":
        flags = df[cov.FLAG].value_counts()
        kinds = (cov.FLAG_LOW, cov.FLAG_WITHIN, cov.FLAG_HIGH, cov.FLAG_NO_PUBLISHED)
        counts = ", ".join(f"{int(flags.get(k, 0))} {k}" for k in kinds)
        console.print(f"{cov.DEFINITION}. Country-years: {counts}.", highlight=False)
        if out is None:  # the sources are long: files keep them, the terminal table not
            df = df.drop(columns=[s.SOURCE])
    emit(df, fmt, out, title=f"Coverage against published totals{label}")


def register(app: typer.Typer) -> None:
    """Add the coverage command to ``app``."""
    app.command("coverage")(coverage_cmd)
