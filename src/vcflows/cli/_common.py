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

from vcflows.cli._interrupt import guarded
from vcflows.errors import VcflowsError
from vcflows.exports import OUTPUT_FORMATS, neutralize_formulas, to_json, write_table
from vcflows.files import explain
from vcflows.presentation.i18n import Text
from vcflows.presentation.tables import cell, column_kind, column_label

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
    """Turn errors into a one-line message and an exit code (no traceback).

    :class:`VcflowsError` and operating-system errors (a full disk, a read-only folder) exit
    with code 2; an interruption not handled by the command itself (see
    :func:`vcflows.cli._interrupt.guarded`) exits with 130 (SIGINT) or 143 (SIGTERM).
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with guarded(_nothing_partial):
                return func(*args, **kwargs)
        except VcflowsError as exc:
            _error_line(str(exc))
        except OSError as exc:
            reason, advice = explain(exc)
            where = f"{exc.filename}: " if exc.filename else ""
            _error_line(f"{where}{reason}: {advice}, then retry")
        raise typer.Exit(code=2) from None

    return wrapper


def _error_line(message: str) -> None:
    # soft_wrap: one line, however narrow the terminal (a long path must not split it)
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


def _nothing_partial() -> str:
    return (
        "files are written whole or not at all and the database changes only by whole "
        "transactions, so nothing partial was kept"
    )


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
    """The table as the report and the dashboard show it: named headers, formatted cells.

    Numbers go through :mod:`vcflows.presentation` (percentages, money with units, whole
    deal counts, country names); raw values stay in --format json / csv / parquet / xlsx.
    """
    text = Text("en")
    table = Table(title=title, show_lines=False)
    kinds = {col: column_kind(str(col)) for col in df.columns}
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and kinds[col] != "country"
        table.add_column(
            column_label(str(col), text) or str(col).replace("_", " "),
            justify="right" if numeric else "left",
        )
    fractional = False
    # A long table of indicators (one row each, e.g. a scenario's comparison): a row's
    # numbers take the kind of its indicator, not of their column.
    by_row = "indicator" in df.columns
    for row in df.itertuples(index=False):
        cells = []
        record = dict(zip(df.columns, row, strict=True))
        for col, v in record.items():
            kind = kinds[col]
            if by_row and col != "indicator" and isinstance(v, int | float):
                kind = column_kind(str(record["indicator"]))
            cells.append(cell(v, kind, text))
            fractional |= kind == "count" and _is_fraction(v)
        table.add_row(*cells)
    if fractional:
        table.caption = text.section("definition")["deals"]
    return table


def _is_fraction(v: Any) -> bool:
    return isinstance(v, float) and not pd.isna(v) and abs(v - round(v)) > 1e-6


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
