"""Options and helpers shared by every CLI command: database resolution, output, errors."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from vcflows.errors import VcflowsError
from vcflows.exports import OUTPUT_FORMATS, neutralize_formulas, to_json, write_table

console = Console(stderr=True)
# Piped or redirected output (a file, a log) has no terminal width: do not squeeze wide
# indicator tables into rich's 80-column default.
out_console = Console(width=None if sys.stdout.isatty() else 200)

P = ParamSpec("P")
R = TypeVar("R")

DbOpt = Annotated[
    Path | None,
    typer.Option("--db", help="DuckDB database. Default: the embedded demo universe (synthetic)."),
]
FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help=f"Output format: {', '.join(OUTPUT_FORMATS)}."),
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of the terminal.")
]


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn :class:`VcflowsError` into a one-line message and exit code 2 (no traceback)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except VcflowsError as exc:
            # soft_wrap: one line, however narrow the terminal (a long path must not split it)
            console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from None

    return wrapper


def resolve_db(db: Path | None) -> tuple[Path, bool]:
    """Return the database to use and whether it is the embedded demo universe."""
    if db is not None:
        return db, False
    from vcflows.demo import default_db

    console.print(
        "[yellow]No --db given: using the embedded demo universe "
        "(SYNTHETIC data calibrated to published aggregates).[/]"
    )
    return default_db(), True


def _rich_table(df: pd.DataFrame, title: str | None) -> Table:
    table = Table(title=title, show_lines=False)
    for col in df.columns:
        table.add_column(
            str(col), justify="right" if pd.api.types.is_numeric_dtype(df[col]) else "left"
        )
    for row in df.itertuples(index=False):
        table.add_row(*(_fmt_cell(v) for v in row))
    return table


def _fmt_cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        if abs(v) >= 1e5:
            return f"{v:,.0f}"
        return f"{v:.3f}"
    if isinstance(v, list):
        return "; ".join(_fmt_cell(x) for x in v[:3])
    if isinstance(v, dict):
        return " ".join(f"{k}={_fmt_cell(x)}" for k, x in v.items())
    return str(v)


def emit(df: pd.DataFrame, fmt: str, out: Path | None, *, title: str | None = None) -> None:
    """Print or write a result table in the requested format."""
    if fmt == "table":
        if out is not None:
            write_table(df, out, "csv")
            console.print(f"wrote {out}")
        else:
            out_console.print(_rich_table(df, title))
        return
    if out is not None:
        write_table(df, out, fmt)
        console.print(f"wrote {out}")
    elif fmt == "json":
        sys.stdout.write(to_json(df) + "\n")
    elif fmt == "csv":
        sys.stdout.write(neutralize_formulas(df).to_csv(index=False, lineterminator="\n"))
    else:
        raise VcflowsError(f"--format {fmt} needs --out FILE")
