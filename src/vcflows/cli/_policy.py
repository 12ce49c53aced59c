"""`vcflows company`, `champions`, `implications` and `scenario`: case studies and policy."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape

from vcflows.cases import champions, funding_path
from vcflows.cases.champions import MIN_FOREIGN_SHARE
from vcflows.cli._common import (
    DbOpt,
    FormatOpt,
    OutOpt,
    _rich_table,
    emit,
    handle_errors,
    out_console,
)
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
from vcflows.policy import PolicySettings, assess, fund_scenario
from vcflows.policy.inputs import MIN_GAP_SHARE
from vcflows.policy.scenario import ABSORPTION_CAP
from vcflows.presentation.formatting import share

MinForeignShareOpt = Annotated[
    float,
    typer.Option(
        "--min-foreign-share",
        help="Minimum foreign share of a champion's money, 0-1 (default 0.2).",
    ),
]

_PATH_COLUMNS = (
    "announced_on",
    "stage",
    "amount_usd",
    "n_investors",
    "foreign_share",
    "days_since_previous",
    "investors",
)
_CHAMPION_COLUMNS = (
    "country",
    "company_id",
    "name",
    "total_usd",
    "foreign_share",
    "foreign_investor_countries",
    "rounds",
    "first_round",
    "last_round",
)


@handle_errors
def company_cmd(
    company: Annotated[str, typer.Argument(help="Company id, or its name (case-insensitive).")],
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Funding path of one company: rounds, investors, foreign share per round, pace.

    A named company is shown whatever its sector (--sector does not apply); --from/--to and
    --stage select rounds, --attribution decides the foreign share. JSON gives everything;
    csv/parquet/xlsx give the rounds.

    Example: vcflows company "Orbyra Intelligence 5" --format json
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label):
        path = funding_path(con, company, opts)
    if fmt == "json":
        write_json(path.to_dict(), out)
        return
    if fmt != "table" or out is not None:
        emit(path.rounds, fmt, out, title=f"Funding path of {path.company_id}")
        return
    countries = ", ".join(path.foreign_countries) or "none"
    out_console.print(
        f"[bold]{path.name or path.company_id}[/] ({path.company_id}, "
        f"{path.country or 'country unknown'}): {len(path.rounds)} round"
        f"{'' if len(path.rounds) == 1 else 's'}, USD "
        f"{path.total_usd:,.0f} raised, foreign share {share(path.foreign_share)} "
        f"(foreign investor countries: {countries})",
        highlight=False,
    )
    out_console.print(_rich_table(path.rounds[list(_PATH_COLUMNS)], f"Funding path{escape(label)}"))
    for note in path.notes:
        out_console.print(f"note: {note}", highlight=False)


@handle_errors
def champions_cmd(
    country: Annotated[
        str | None, typer.Option("--country", help="ISO3 country (default: every country).")
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Champions per country.")] = 5,
    min_foreign_share: MinForeignShareOpt = MIN_FOREIGN_SHARE,
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Champions: each country's companies that raised the most and drew foreign investors.

    A champion drew at least --min-foreign-share of its attributed money from foreign
    investors (default 20%).

    Example: vcflows champions --country KOR --top 10 --format csv
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label):
        df = champions(con, opts, country=country, top=top, min_foreign_share=min_foreign_share)
    if fmt == "table" and out is None:
        df = df[list(_CHAMPION_COLUMNS)]
        if df.empty:
            where = f" of {country.upper()}" if country else ""
            out_console.print(
                f"No company{where} drew at least {min_foreign_share:.1%} of its money from "
                f"foreign investors in this selection ({opts.describe()}).",
                highlight=False,
            )
            return
    emit(df, fmt, out, title=f"Champions: {opts.describe()}{escape(label)}")


def _fmt_figure(v: object) -> str:
    # Whole numbers (ranks, counts) print without decimals; other figures with three decimals
    # or, when large, thousands separators (the figure's unit is in its sentence).
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e5:
        return f"{int(v)}"
    if isinstance(v, float):
        return "" if pd.isna(v) else (f"{v:,.0f}" if abs(v) >= 1e5 else f"{v:.3f}")
    if isinstance(v, list):
        return "; ".join(_fmt_figure(x) for x in v[:3])
    return str(v)


def _implications_frame(items: list[Any]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [i.rank for i in items],
            "id": [i.id for i in items],
            "rule": [i.rule for i in items],
            "amount_usd": [i.amount_usd for i in items],
            "priority": [i.priority for i in items],
            "text": [i.text for i in items],
            "figures": [json.dumps(i.to_dict()["figures"], ensure_ascii=False) for i in items],
            "query": [i.query for i in items],
        }
    )


@handle_errors
def implications_cmd(
    focus: Annotated[str, typer.Argument(help="Focus country, ISO3 (e.g. KOR).")],
    peers: Annotated[
        str, typer.Option("--peers", help="Extra peers, comma-separated ISO3 (e.g. JPN,DEU).")
    ] = "",
    lang: Annotated[str, typer.Option("--lang", help="Language of the sentences: en, ko.")] = "en",
    no_gravity: Annotated[
        bool, typer.Option("--no-gravity", metavar="", help="Skip the gravity model (faster).")
    ] = False,
    min_gap_share: Annotated[
        float,
        typer.Option(
            "--min-gap-share",
            help="Drop gravity gaps under this share of the focus's inbound money (default 0.01).",
        ),
    ] = MIN_GAP_SHARE,
    min_foreign_share: MinForeignShareOpt = MIN_FOREIGN_SHARE,
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Ranked policy implications for a focus country, each with its figures and queries.

    Ranked by the money at stake (USD); gravity gaps under --min-gap-share of the focus's
    inbound money are left out and counted in a note. JSON gives the implications, skipped rules and missing inputs; csv/parquet/xlsx give one
    row per implication (figures as JSON text).

    Example: vcflows implications KOR --peers JPN,DEU --lang ko --format json
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label):
        result = assess(
            con,
            focus,
            opts,
            peers=[p for p in peers.split(",") if p.strip()],
            lang=lang,
            with_gravity=not no_gravity,
            settings=PolicySettings(
                min_gap_share=min_gap_share, champion_min_foreign_share=min_foreign_share
            ),
        )
    if fmt == "json":
        write_json(result.to_dict(), out)
        return
    if fmt != "table" or out is not None:
        emit(_implications_frame(result.implications), fmt, out, title="implications")
        return
    out_console.print(
        f"[bold]Policy implications for {result.focus}[/]: {opts.describe()}{escape(label)}; "
        f"peers {', '.join(result.peers)}",
        highlight=False,
    )
    if not result.implications:
        out_console.print(
            f"No implication: no rule found a gap for {result.focus} in these data "
            "(the reasons follow).",
            highlight=False,
        )
    for item in result.implications:
        stake = "" if math.isnan(item.amount_usd) else f" [USD {item.amount_usd:,.0f} at stake]"
        out_console.print(f"\n{item.rank}. {item.text}{escape(stake)}", highlight=False)
        figures = ", ".join(f"{k}={_fmt_figure(v)}" for k, v in item.figures.items())
        out_console.print(f"   [dim]figures: {escape(figures)}[/]", highlight=False)
        for q in item.queries:
            out_console.print(f"   [dim]query: {escape(q)}[/]", highlight=False)
    for sk in result.skipped:
        out_console.print(f"skipped {sk.rule}: {sk.reason}", highlight=False)
    for name, why in result.missing.items():
        out_console.print(f"input {name} unavailable: {why}", highlight=False)
    for note in result.notes:
        out_console.print(f"note: {note}", highlight=False)


@handle_errors
def scenario_cmd(
    focus: Annotated[str, typer.Argument(help="Focus country, ISO3 (e.g. KOR).")],
    fund_usd: Annotated[
        float, typer.Option("--fund-usd", help="Size of the public fund in USD (e.g. 1e9).")
    ],
    co_invest_ratio: Annotated[
        float,
        typer.Option("--co-invest-ratio", help="Foreign dollars attracted per fund dollar."),
    ] = 1.0,
    absorption_cap: Annotated[
        float,
        typer.Option(
            "--absorption-cap",
            help="No company receives more than this multiple of what it has raised (default 3).",
        ),
    ] = ABSORPTION_CAP,
    no_cap: Annotated[
        bool,
        typer.Option(
            "--no-absorption-cap", metavar="", help="Place the fund with no absorption cap."
        ),
    ] = False,
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Fund scenario: a public fund co-investing with foreign investors, baseline vs scenario.

    No company receives, fund and matched foreign money together, more than --absorption-cap
    times what it has raised (default 3); the fund money no company can absorb is reported as
    unplaced. JSON gives everything; csv/parquet/xlsx give the side-by-side comparison.

    Example: vcflows scenario KOR --fund-usd 1e9 --co-invest-ratio 1.5
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label):
        res = fund_scenario(
            con,
            focus,
            opts,
            fund_usd=fund_usd,
            co_invest_ratio=co_invest_ratio,
            absorption_cap=None if no_cap else absorption_cap,
        )
    if fmt == "json":
        write_json(res.to_dict(), out)
        return
    if fmt != "table" or out is not None:
        emit(res.comparison, fmt, out, title="scenario")
        return
    title = f"{res.focus}: fund USD {res.fund_usd:,.0f}, co-invest ratio {res.co_invest_ratio:g}{escape(label)}"
    out_console.print(_rich_table(res.comparison, title))
    out_console.print(_rich_table(res.allocation.head(10), "Allocation (largest 10)"))
    out_console.print(_rich_table(res.attracted_by_country.head(10), "Foreign money attracted"))
    for a in res.assumptions:
        out_console.print(f"assumption: {a}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the company, champions, implications and scenario commands to ``app``."""
    app.command("company")(company_cmd)
    app.command("champions")(champions_cmd)
    app.command("implications")(implications_cmd)
    app.command("scenario")(scenario_cmd)
