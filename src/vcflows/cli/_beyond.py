"""`vcflows network` and `vcflows gravity`: beyond shares, who connects to whom and where gaps are."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from vcflows.cli._common import (
    DbOpt,
    FormatOpt,
    OutOpt,
    _rich_table,
    emit,
    handle_errors,
    out_console,
    resolve_db,
)
from vcflows.cli._options import (
    DEMO_LABEL,
    AttributionOpt,
    FromOpt,
    SectorOpt,
    StageOpt,
    ToOpt,
    check_format,
    flow_options,
    write_json,
)
from vcflows.errors import OptionError
from vcflows.exports import to_records
from vcflows.flows import FlowOptions, flow_matrix
from vcflows.gravity import expected_vs_actual, fit_gravity
from vcflows.network import corporate_network, country_network, groups, syndicate_network
from vcflows.store import connect

#: Tables each network kind offers to --table (first = default for csv/parquet/xlsx).
_TABLES: dict[str, tuple[str, ...]] = {
    "country": ("nodes", "edges", "communities"),
    "corporate": ("investors", "country_share", "portfolio", "groups"),
    "syndicate": ("investors", "country_ties", "pairs"),
}

#: Columns shown on screen (--format table); files get every column.
_SCREEN: dict[str, tuple[str, ...]] = {
    "nodes": (
        "country",
        "out_strength",
        "in_strength",
        "pagerank",
        "eigenvector",
        "reciprocity_weighted",
        "community",
    ),
    "edges": ("source", "target", "amount_usd", "reverse_usd", "share_of_target_in"),
    "communities": ("community", "size", "members", "internal_usd"),
    "investors": (
        "investor_name",
        "investor_country",
        "investor_type",
        "degree",
        "amount_usd",
        "strength",
        "foreign_share",
        "foreign_partner_share",
        "pagerank",
        "top_country",
    ),
    "country_share": (
        "company_country",
        "inbound_usd",
        "corporate_share",
        "foreign_corporate_share",
    ),
    "portfolio": ("investor_id", "company_country", "amount_usd", "rounds"),
    "groups": groups.SHOWN_COLUMNS,
    "country_ties": ("country", "investors", "ties", "cross_border_share", "top_partner"),
    "pairs": ("name_a", "country_a", "name_b", "country_b", "rounds"),
}


def _screen(name: str, df: pd.DataFrame) -> pd.DataFrame:
    return df[[c for c in _SCREEN.get(name, tuple(df.columns)) if c in df.columns]]


def _compute_network(db: Path | None, kind: str, opts: FlowOptions, top_n: int) -> tuple[Any, str]:
    path, is_demo = resolve_db(db)
    label = DEMO_LABEL if is_demo else ""
    con = connect(path, read_only=True)
    try:
        if kind == "country":
            return country_network(flow_matrix(con, opts)), label
        if kind == "corporate":
            return corporate_network(con, opts), label
        return syndicate_network(con, opts, top_n=top_n), label
    finally:
        con.close()


@handle_errors
def network_cmd(
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="country, corporate or syndicate.")
    ] = "country",
    table: Annotated[
        str | None,
        typer.Option(
            "--table",
            help="Table for csv/parquet/xlsx: country: nodes|edges|communities; corporate: "
            "investors|country_share|portfolio|groups; syndicate: investors|country_ties|pairs.",
        ),
    ] = None,
    top_n: Annotated[
        int, typer.Option("--top-n", help="Syndicate: PageRank on the top N investors by degree.")
    ] = 500,
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
    """Networks: country flows (centrality, reciprocity, blocs), corporate investors, syndicates.

    JSON gives every table; csv/parquet/xlsx give one (--table).

    Example: vcflows network --kind syndicate --db deals.duckdb --from 2020 --format json
    """
    check_format(fmt)
    if kind not in _TABLES:
        raise OptionError(f"--kind: unknown network {kind!r}; choose one of {', '.join(_TABLES)}")
    if table is not None and table not in _TABLES[kind]:
        raise OptionError(
            f"--table: {kind} network has tables {', '.join(_TABLES[kind])}, not {table!r}"
        )
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    result, label = _compute_network(db, kind, opts, top_n)
    if fmt == "json":
        write_json(result.to_dict(), out)
        return
    if fmt == "table" and out is None:
        title = f"{kind} network: {opts.describe()}{label}"
        for name in _TABLES[kind]:
            df = getattr(result, name)
            out_console.print(_rich_table(_screen(name, df).head(limit), f"{title}: {name}"))
        if kind == "country":
            out_console.print(
                f"reciprocity {result.reciprocity:.3f} (weighted {result.reciprocity_weighted:.3f}), "
                f"modularity {result.modularity:.3f}"
            )
        elif kind == "syndicate":
            out_console.print(
                f"{result.n_investors:,} investors, {result.n_ties:,} ties, "
                f"cross-border share {result.cross_border_share:.3f}"
            )
        for note in result.notes:
            out_console.print(f"note: {note}")
        return
    name = table or _TABLES[kind][0]
    emit(getattr(result, name), fmt, out, title=f"{kind} network {name}")


@handle_errors
def gravity_cmd(
    focus: Annotated[
        str | None,
        typer.Option("--focus", help="ISO3 country whose expected-vs-actual partners are listed."),
    ] = None,
    by: Annotated[
        str,
        typer.Option("--by", help="Order partners by 'ratio' (actual/expected) or 'gap' (USD)."),
    ] = "ratio",
    include_domestic: Annotated[
        bool,
        typer.Option(
            "--include-domestic", metavar="", help="Keep domestic pairs, with a home dummy."
        ),
    ] = False,
    engine: Annotated[
        str, typer.Option("--engine", help="pyfixest (default) or statsmodels.")
    ] = "pyfixest",
    limit: Annotated[int, typer.Option("--limit", help="Partners shown on screen.")] = 20,
    db: DbOpt = None,
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    attribution: AttributionOpt = "equal",
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Gravity model (PPML, origin and destination fixed effects): distance, language, bloc.

    With --focus, lists the partners where the focus country is most under-invested (actual
    far below what the model expects). JSON gives everything; csv/parquet/xlsx give the focus
    table (or the coefficients without --focus).

    Example: vcflows gravity --focus KOR --db deals.duckdb --from 2018 --format table
    """
    check_format(fmt)
    if by not in ("ratio", "gap"):
        raise OptionError(f"--by: expected 'ratio' or 'gap', got {by!r}")
    if engine not in ("pyfixest", "statsmodels"):
        raise OptionError(f"--engine: expected 'pyfixest' or 'statsmodels', got {engine!r}")
    opts = flow_options(year_from, year_to, attribution, sector, stage)
    path, is_demo = resolve_db(db)
    label = DEMO_LABEL if is_demo else ""
    con = connect(path, read_only=True)
    try:
        flows = flow_matrix(con, opts)
    finally:
        con.close()
    result = fit_gravity(
        flows,
        include_domestic=include_domestic,
        engine=engine,  # type: ignore[arg-type]
    )
    gaps = expected_vs_actual(result, focus, by=by) if focus else None  # type: ignore[arg-type]
    if fmt == "json":
        payload = result.to_dict()
        payload["options"] = opts.describe()
        if gaps is not None:
            payload["focus"] = focus.upper() if focus else None
            payload["expected_vs_actual"] = to_records(gaps)
        write_json(payload, out)
        return
    if fmt == "table" and out is None:
        title = f"Gravity (PPML, {result.engine}): {opts.describe()}{label}"
        out_console.print(_rich_table(result.coefficients, title))
        out_console.print(
            f"{result.formula}; robust (HC1) SEs; {result.n_obs:,} pairs estimated, "
            f"{len(result.dropped):,} dropped"
        )
        for reason, n in result.dropped_counts.items():
            out_console.print(f"  dropped {n:,}: {reason}")
        if gaps is not None:
            out_console.print(
                _rich_table(
                    gaps.head(limit), f"{focus.upper() if focus else ''}: expected vs actual"
                )
            )
        for note in result.notes:
            out_console.print(f"note: {note}")
        return
    emit(gaps if gaps is not None else result.coefficients, fmt, out, title="gravity")


def register(app: typer.Typer) -> None:
    """Add the network and gravity commands to ``app``."""
    app.command("network")(network_cmd)
    app.command("gravity")(gravity_cmd)
