"""`vcflows flows`, `vcflows indicators` and `vcflows profile`: the flow engine from the shell."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import duckdb
import pandas as pd
import typer

from vcflows.cli._common import (
    DbOpt,
    FormatOpt,
    OutOpt,
    _rich_table,
    console,
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
from vcflows.engines import ENGINES
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions, flow_matrix, flow_totals, unattributed
from vcflows.indicators import (
    CountryProfile,
    country_indicators,
    country_indicators_by_stage,
    country_indicators_by_year,
    profile,
    typology,
)
from vcflows.indicators.intervals import IntervalOptions, with_ci_columns
from vcflows.indicators.profile import position_statement, scenario_statement

if TYPE_CHECKING:
    from vcflows.engines.spark import SparkEngine

EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine", help=f"Query engine: {', '.join(ENGINES)} (spark needs the spark extra)."
    ),
]
SparkMasterOpt = Annotated[
    str,
    typer.Option(
        "--spark-master",
        help="Spark master URL for --engine spark: local[N], spark://host:7077, yarn, k8s://...",
    ),
]

#: Columns shown by `vcflows indicators --format table` (files get every column).
_TABLE_COLUMNS = (
    "country",
    "invested_in_usd",
    "deals_in",
    "share_global",
    "foreign_share_in",
    "us_share_in",
    "invested_out_usd",
    "overseas_share_out",
    "partner_hhi",
    "growth",
    "unattributed_in_usd",
)


@contextmanager
def _engine(
    con: duckdb.DuckDBPyConnection, engine: str, master: str
) -> Iterator[SparkEngine | None]:
    """None for DuckDB; for Spark, an engine over the store's tables (see vcflows.engines)."""
    if engine not in ENGINES:
        raise OptionError(
            f"--engine: unknown engine {engine!r}; choose one of {', '.join(ENGINES)}"
        )
    if engine == "duckdb":
        yield None
        return
    from vcflows.engines.spark import SparkEngine, session

    with SparkEngine.from_duckdb(session(master), con) as spark_engine:
        yield spark_engine


def _note_unattributed(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> None:
    tot = flow_totals(con, opts)
    console.print(
        f"{opts.describe()}: {tot['rounds']:,} rounds ({tot['rounds_with_amount']:,} with amount); "
        f"attributed USD {tot['attributed_usd']:,.0f}, unattributed USD "
        f"{tot['unattributed_usd']:,.0f} (see `vcflows flows --unattributed`)",
        highlight=False,
    )


@handle_errors
def flows_cmd(
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Break down by 'year' and/or 'stage' (repeatable)."),
    ] = None,
    show_unattributed: Annotated[
        bool,
        typer.Option(
            "--unattributed",
            metavar="",
            help="Show the unattributed bucket (by country and reason).",
        ),
    ] = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = "local[2]",
) -> None:
    """Flow matrix: attributed AI VC by investor country and company country (USD, deals).

    Example: vcflows flows --db deals.duckdb --from 2020 --to 2024 --by year --format csv
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label), _engine(con, engine, spark_master) as spark:
        if show_unattributed:
            df = spark.unattributed(opts) if spark else unattributed(con, opts)
            title = f"Unattributed: {opts.describe()}{label}"
        else:
            dims = tuple(by or ())
            df = spark.flow_matrix(opts, by=dims) if spark else flow_matrix(con, opts, by=dims)
            title = f"Flows: {opts.describe()}{label}"
            if fmt == "table":
                df = df.sort_values(
                    ["amount_usd", "investor_country", "company_country"],
                    ascending=[False, True, True],
                    kind="mergesort",
                ).head(40)
        if fmt == "table":
            _note_unattributed(con, opts)
    emit(df, fmt, out, title=title)


@handle_errors
def indicators_cmd(
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    top_n: Annotated[
        int, typer.Option("--top-partners", help="Partners listed in top_sources/top_destinations.")
    ] = 5,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", help="Keep the first N countries (default: 15 for table, all else)."
        ),
    ] = None,
    with_typology: Annotated[
        bool,
        typer.Option(
            "--typology", metavar="", help="Add the typology label and the rule behind it."
        ),
    ] = False,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Break down by 'year' (one row per country and year) or 'stage' (per country "
            "and stage group: early, late, other).",
        ),
    ] = None,
    ci_level: Annotated[
        float | None,
        typer.Option(
            "--ci",
            help="Add a bootstrap interval at this level (e.g. 0.9) to every share: "
            "<name>_ci_low, <name>_ci_high.",
        ),
    ] = None,
    resamples: Annotated[
        int, typer.Option("--resamples", help="Bootstrap resamples of the rounds for --ci.")
    ] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the --ci bootstrap.")] = 0,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: SparkMasterOpt = "local[2]",
) -> None:
    """Country indicators: inbound/outbound AI VC, domestic vs foreign shares, partners, growth.

    JSON output is a list of records, one per country, keyed `country` (ISO3); with
    `--by year`, one per country and year, keyed `country` and `year` (rounds without a date
    are in no year; --limit then keeps the first N countries of each year); with
    `--by stage`, one per country and stage group, keyed `country` and `stage_group`. With
    `--ci 0.9` (whole period or `--by year`), every share gets a seeded 90% bootstrap interval
    over rounds (`--resamples`, `--seed`).

    Example: vcflows indicators --db deals.duckdb --by year --ci 0.9 --format csv
    """
    check_format(fmt)
    key = _check_by(by, engine, with_typology)
    ci = _check_ci(ci_level, resamples, seed, engine, key)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, label), _engine(con, engine, spark_master) as spark:
        if key == "year":
            df = country_indicators_by_year(con, opts, top_n=top_n, ci=ci)
        elif key == "stage_group":
            df = country_indicators_by_stage(con, opts, top_n=top_n)
        elif spark:
            df = spark.country_indicators(opts, top_n=top_n)
        else:
            df = country_indicators(con, opts, top_n=top_n, ci=ci)
        if fmt == "table":
            _note_unattributed(con, opts)
    if with_typology:
        labels = typology(df).labels[["country", "label", "rule"]]
        df = df.merge(labels, on="country", how="left", validate="one_to_one")
    n = limit if limit is not None else (15 if fmt == "table" else None)
    if n is not None:
        df = df.groupby(key, sort=False).head(n) if key else df.head(n)
    if fmt == "table":
        shown = with_ci_columns(_TABLE_COLUMNS) if ci is not None else list(_TABLE_COLUMNS)
        cols = [
            *shown[:1],
            *([key] if key else []),
            *shown[1:],
            *(["label"] if with_typology else []),
        ]
        df = df[cols]
    title = f"Country indicators{f' by {by}' if key else ''}: {opts.describe()}{label}"
    emit(df.reset_index(drop=True), fmt, out, title=title)


#: ``--by`` value -> the key column of its rows.
_BY_KEYS = {"year": "year", "stage": "stage_group"}


def _check_by(by: str | None, engine: str, with_typology: bool) -> str | None:
    """The rows' key column for ``--by``; a clear error for what this command cannot do."""
    if by is None:
        return None
    if by not in _BY_KEYS:
        raise OptionError(f"--by: expected 'year' or 'stage', got {by!r}")
    if engine != "duckdb":
        raise OptionError(f"--by {by}: only with --engine duckdb for now")
    if with_typology:
        raise OptionError(f"--by {by}: --typology classifies whole periods; drop one of the two")
    return _BY_KEYS[by]


def _check_ci(
    level: float | None, resamples: int, seed: int, engine: str, key: str | None
) -> IntervalOptions | None:
    """The validated interval options of ``--ci`` (None without it)."""
    if level is None:
        return None
    if engine != "duckdb":
        raise OptionError("--ci: only with --engine duckdb for now")
    if key not in (None, "year"):
        raise OptionError("--ci: for the whole period or --by year, not --by stage")
    try:
        return IntervalOptions(level=level, resamples=resamples, seed=seed)
    except OptionError as exc:
        raise OptionError(f"--ci: {exc}") from exc


def _print_profile_tables(p: CountryProfile) -> None:
    out_console.print(position_statement(p), highlight=False)
    out_console.print(_rich_table(p.indicators[list(_TABLE_COLUMNS)], "Peer group"))
    out_console.print(_rich_table(p.partners, "Top foreign partners"))
    out_console.print(
        _rich_table(p.companies_from_abroad.head(20), "Companies that raised from abroad")
    )
    if not p.champions.empty:  # see vcflows.cases.champions (`vcflows company ID` for a path)
        cols = ["company_id", "name", "total_usd", "foreign_share", "foreign_investor_countries"]
        out_console.print(_rich_table(p.champions[cols], "Champions"))
    out_console.print(scenario_statement(p), highlight=False)
    for note in p.notes:
        out_console.print(f"note: {note}")


@handle_errors
def profile_cmd(
    focus: Annotated[str, typer.Argument(help="Focus country, ISO3 (e.g. KOR).")],
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    peers: Annotated[
        str, typer.Option("--peers", help="Extra peers, comma-separated ISO3 (e.g. GBR,FRA).")
    ] = "",
    target_rank: Annotated[
        int, typer.Option("--target-rank", help="Rank whose gap is computed.")
    ] = 3,
    scenario_peer: Annotated[
        str | None,
        typer.Option("--scenario-peer", help="Peer whose foreign share is the scenario target."),
    ] = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Focus-country profile: indicators beside peers, rank, partners, scenario.

    JSON gives the whole profile; csv/parquet/xlsx give the peer-group indicators.

    Example: vcflows profile KOR --db deals.duckdb --peers JPN,DEU --scenario-peer GBR
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    with open_db(db) as (con, _label):
        p = profile(
            con,
            focus,
            opts,
            peers=[x for x in peers.split(",") if x.strip()],
            target_rank=target_rank,
            scenario_peer=scenario_peer,
        )
    if fmt == "table" and out is None:
        _print_profile_tables(p)
    elif fmt == "json":
        write_json(p.to_dict(), out)
    else:
        emit(pd.DataFrame(p.indicators), fmt, out, title=f"Peer group of {p.focus}")


def register(app: typer.Typer) -> None:
    """Add the flows, indicators and profile commands to ``app``."""
    app.command("flows")(flows_cmd)
    app.command("indicators")(indicators_cmd)
    app.command("profile")(profile_cmd)
