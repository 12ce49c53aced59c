"""`vcflows findings`: the reproduced report's findings tested on the data at hand."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

import typer

from vcflows.cli._common import DbOpt, FormatOpt, OutOpt, emit, handle_errors
from vcflows.cli._options import (
    FocusOpt,
    FromOpt,
    SectorOpt,
    StageOpt,
    ToOpt,
    check_format,
    flow_options,
    open_db,
    write_json,
)
from vcflows.errors import InputFileError
from vcflows.findings import FindingOptions, evaluate_findings, findings_frame
from vcflows.talent import load_talent_list

#: Columns shown by `vcflows findings --format table` (files and JSON get every field).
_TABLE_COLUMNS = (
    "claim",
    "subject",
    "value",
    "ci_low",
    "ci_high",
    "comparator",
    "threshold",
    "holds",
    "robust",
    "n_rounds",
    "reason",
)


def _read_thresholds(path: Path) -> dict[str, float]:
    """The ``[thresholds]`` table (or top-level keys) of a TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputFileError(str(path), f"cannot read thresholds ({exc})") from exc
    table = data.get("thresholds", data)
    if not isinstance(table, dict):
        raise InputFileError(str(path), "[thresholds] must be a table of numbers")
    return dict(table)


@handle_errors
def findings_cmd(
    db: DbOpt = None,
    focus: FocusOpt = "KOR",
    year_from: FromOpt = None,
    year_to: ToOpt = None,
    sector: SectorOpt = "ai",
    stage: StageOpt = None,
    thresholds_file: Annotated[
        Path | None,
        typer.Option(
            "--thresholds", help="TOML file with a [thresholds] table (claim id = value)."
        ),
    ] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option("--threshold", help="Override one threshold: CLAIM=VALUE (repeatable)."),
    ] = None,
    min_rounds: Annotated[
        int, typer.Option("--min-rounds", help="Rounds a subject needs in the claim's direction.")
    ] = 30,
    talent_list: Annotated[
        list[Path] | None,
        typer.Option(
            "--talent-list",
            help="TOML file extending data/ai_talent.toml for talent_draws_foreign (repeatable).",
        ),
    ] = None,
    resamples: Annotated[int, typer.Option("--resamples", help="Bootstrap resamples.")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 0,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Do these data support the report's findings? Each claim with its value, interval and verdict.

    JSON is a list of records (claim, subject, value, threshold, comparator, holds, reason,
    n_rounds, amount_usd, ci_low, ci_high, robust, figures, query); every record carries the
    threshold it was tested against.

    Example: vcflows findings --db deals.duckdb --focus KOR --from 2015 --format json
    """
    check_format(fmt)
    opts = flow_options(year_from, year_to, "equal", sector, stage)
    table = _read_thresholds(thresholds_file) if thresholds_file else {}
    for item in threshold or ():
        key, sep, value = item.partition("=")
        try:
            table[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise typer.BadParameter(f"--threshold: expected CLAIM=NUMBER, got {item!r}")
    options = FindingOptions(
        thresholds=table, min_rounds=min_rounds, resamples=resamples, seed=seed
    )
    with open_db(db) as (con, label):
        talent = load_talent_list(talent_list or ())
        found = evaluate_findings(con, opts, focus=focus, options=options, talent=talent)
    if fmt == "json":
        write_json([f.to_record() for f in found], out)
        return
    df = findings_frame(found)
    if fmt == "table":
        df = df[list(_TABLE_COLUMNS)]
    emit(df, fmt, out, title=f"Findings: {opts.describe()}, focus {focus.upper()}{label}")


def register(app: typer.Typer) -> None:
    """Add the findings command to ``app``."""
    app.command("findings")(findings_cmd)
