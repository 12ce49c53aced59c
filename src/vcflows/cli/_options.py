"""Options shared by the analysis commands (flows, indicators, network, policy, report).

One definition of each option, so every command spells and validates them alike.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer

from vcflows.cli._common import console, resolve_db
from vcflows.errors import OptionError
from vcflows.exports import OUTPUT_FORMATS, atomic_path
from vcflows.flows import ATTRIBUTIONS, FlowOptions
from vcflows.store import connect

#: Appended to table titles when the data is the embedded demo.
DEMO_LABEL = " [embedded demo: SYNTHETIC data]"

FromOpt = Annotated[
    int | None, typer.Option("--from", help="First announcement year (inclusive). Default: all.")
]
ToOpt = Annotated[
    int | None, typer.Option("--to", help="Last announcement year (inclusive). Default: all.")
]
AttributionOpt = Annotated[
    str,
    typer.Option(
        "--attribution",
        "-a",
        help=f"How a round's amount is split among investor countries: {', '.join(ATTRIBUTIONS)}.",
    ),
]
FocusOpt = Annotated[str, typer.Option("--focus", help="Focus country (ISO 3166-1 alpha-3).")]
SectorOpt = Annotated[
    str,
    typer.Option(
        "--sector",
        help="'ai' (AI taxonomy), 'all' (every sector) or comma-separated category tags "
        "(a value with a comma is always a tag list: 'ai,' is the tag 'ai').",
    ),
]
StageOpt = Annotated[
    list[str] | None,
    typer.Option("--stage", help="Keep only this stage (repeatable), e.g. --stage seed."),
]


def flow_options(
    year_from: int | None,
    year_to: int | None,
    attribution: str,
    sector: str,
    stages: list[str] | None,
) -> FlowOptions:
    """Build the validated :class:`FlowOptions` from the command-line values."""
    return FlowOptions(
        year_from=year_from,
        year_to=year_to,
        attribution=attribution,  # type: ignore[arg-type]  # validated by FlowOptions
        sector=sector,
        stages=tuple(stages) if stages else None,
    )


def check_format(fmt: str) -> None:
    """Refuse an unknown ``--format`` before any work is done."""
    if fmt not in OUTPUT_FORMATS:
        raise OptionError(
            f"--format: unknown format {fmt!r}; choose one of {', '.join(OUTPUT_FORMATS)}"
        )


@contextmanager
def open_db(db: Path | None) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """Open the database read-only (the demo when ``db`` is None); yield it with a title label."""
    path, is_demo = resolve_db(db)
    con = connect(path, read_only=True)
    try:
        yield con, DEMO_LABEL if is_demo else ""
    finally:
        con.close()


def write_json(payload: dict[str, Any] | list[dict[str, Any]], out: Path | None) -> None:
    """Print or atomically write a JSON document or list of records (indented, UTF-8, NaN refused)."""
    text = json.dumps(payload, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    if out is None:
        sys.stdout.write(text)
        return
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}")
