"""`vcflows talent`: AI talent behind the companies, and the foreign money it draws."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vcflows.cli._common import DbOpt, FormatOpt, OutOpt, _rich_table, emit, handle_errors
from vcflows.cli._common import out_console as screen
from vcflows.cli._options import (
    AttributionOpt,
    FromOpt,
    SectorOpt,
    StageOpt,
    ToOpt,
    check_format,
    flow_options,
    open_db,
    write_json,
)
from vcflows.errors import OptionError
from vcflows.talent import TalentResult, load_talent_list, talent_analysis

#: Columns shown on screen per table (files and JSON get every column).
_SCREEN: dict[str, tuple[str, ...]] = {
    "countries": (
        "country", "companies_with_founders", "talent_companies", "other_companies", "ai_usd",
        "talent_share", "talent_foreign_share", "other_foreign_share", "difference", "ci_low",
        "ci_high",
    ),
    "companies": ("company_id", "name", "country", "founders", "total_usd", "foreign_share",
                  "evidence"),
    "evidence": ("company_id", "founder", "match", "matched", "detail"),
    "champions": ("name", "country", "total_usd", "foreign_share", "talent_founded",
                  "evidence"),
}  # fmt: skip


def _show(result: TalentResult, limit: int, label: str) -> None:
    title = f"AI talent: {result.selection}{label}"
    for name in result.TABLES:
        df = getattr(result, name)
        if name == "companies":  # on screen: the talent-founded companies
            df = df[df["talent_founded"]]
        screen.print(_rich_table(df[list(_SCREEN[name])].head(limit), f"{title}: {name}"))
    for note in result.notes:
        screen.print(f"note: {note}", highlight=False)


@handle_errors
def talent_cmd(
    table: Annotated[
        str | None,
        typer.Option(
            "--table", help="Table for csv/parquet/xlsx: countries|companies|evidence|champions."
        ),
    ] = None,
    talent_list: Annotated[
        list[Path] | None,
        typer.Option(
            "--talent-list",
            help="TOML file extending data/ai_talent.toml (same format; repeatable).",
        ),
    ] = None,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    ci_level: Annotated[float, typer.Option("--ci-level", help="Interval level.")] = 0.9,
    top: Annotated[int, typer.Option("--top", help="Champions per country.")] = 5,
    limit: Annotated[int, typer.Option("--limit", help="Rows per table on screen.")] = 20,
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """AI talent: talent-founded companies, their evidence, and the foreign share they draw.

    Per country with founder data: the share of AI VC going to talent-founded companies and
    the foreign share of their money against the other companies', with a bootstrap interval
    of the difference. JSON gives every table; csv/parquet/xlsx give one (--table, default
    countries).

    Example: vcflows talent --db deals.duckdb --talent-list my_labs.toml --format json
    """
    check_format(fmt)
    if table is not None and table not in TalentResult.TABLES:
        raise OptionError(
            f"--table: expected one of {', '.join(TalentResult.TABLES)}, got {table!r}"
        )
    if not 0.0 < ci_level < 1.0:
        raise OptionError(f"--ci-level: expected a level between 0 and 1, got {ci_level}")
    if resamples < 0:
        raise OptionError(f"--resamples: expected ≥ 0, got {resamples}")
    talent = load_talent_list(talent_list or ())
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label):
        result = talent_analysis(
            con, opts, talent=talent, ci_level=ci_level, resamples=resamples, seed=seed, top=top
        )
    if fmt == "json":
        write_json(result.to_dict(), out)
        return
    if fmt == "table" and out is None:
        _show(result, limit, label)
        return
    name = table or TalentResult.TABLES[0]
    emit(getattr(result, name), fmt, out, title=f"AI talent {name}")


def register(app: typer.Typer) -> None:
    """Add the talent command to ``app``."""
    app.command("talent")(talent_cmd)
