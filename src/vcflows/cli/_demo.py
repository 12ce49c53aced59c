"""`vcflows demo`: generate the synthetic, calibrated demo universe."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from vcflows.cli._common import console, emit, handle_errors, out_console
from vcflows.cli._interrupt import file_state, guarded
from vcflows.demo import (
    DEFAULT_ROUNDS,
    SYNTHETIC_LABEL,
    DemoSummary,
    build_db,
    cache_path,
    cached_db,
    summarize,
    summary_frame,
)
from vcflows.errors import OptionError
from vcflows.store import connect


@handle_errors
def demo(
    rounds: Annotated[
        int,
        typer.Option(
            "--rounds",
            help="Funding rounds to generate (AI and non-AI); underscores allowed: 2_000_000.",
        ),
    ] = DEFAULT_ROUNDS,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same tables.")] = 42,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="DuckDB file to create. Default: the cached embedded demo of this size and seed.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Replace --db if it exists.")
    ] = False,
) -> None:
    """Generate the SYNTHETIC demo deal universe, calibrated to published aggregates.

    AI VC amounts per company country and year match OECD.AI figures (and labelled
    assumptions); the cross-border structure reproduces what public reports describe. Large
    sizes are generated in chunks with bounded memory. Without --db, the cached embedded demo
    of this size and seed is built (once) and described.

    Example: vcflows demo --rounds 2_000_000 --seed 7 --db bench.duckdb
    """
    if db is None:
        target = cache_path(rounds, seed)
        before = file_state(target)
        with guarded(lambda: _demo_kept(target, before)):
            path = cached_db(rounds, seed)
        con = connect(path, read_only=True)
        try:
            summary = summarize(con, seed=seed)
        finally:
            con.close()
    else:
        if db.exists() and not force:
            raise OptionError(f"{db} exists; pass --force to replace it, or choose another --db")
        path = db
        before = file_state(db)
        with guarded(lambda: _demo_kept(db, before)):
            summary = _build_with_progress(db, rounds, seed)
    out_console.print(f"[bold]{path}[/]")
    out_console.print(f"[bold yellow]{SYNTHETIC_LABEL}[/]")
    emit(summary_frame(summary), "table", None, title="Demo universe (SYNTHETIC)")


def _build_with_progress(db: Path, rounds: int, seed: int) -> DemoSummary:
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("generating chunks", total=None)

        def _tick(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return build_db(db, rounds=rounds, seed=seed, on_chunk=_tick)


def _demo_kept(path: Path, before: tuple[int, int] | None) -> str:
    """What an interrupted or failed demo build left: the whole database, or nothing new."""
    if file_state(path) not in (before, None):
        return f"the demo database was complete before the interruption: {path}"
    if before is not None:
        return f"no demo database was written; {path} is left as it was"
    return f"no demo database was written (nothing at {path}, no temporary file left)"


def register(app: typer.Typer) -> None:
    """Add the demo command to ``app``."""
    app.command("demo")(demo)
