"""`vcflows link`: one record for what two sources report alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.table import Table

from vcflows import schema as s
from vcflows.cli._common import console, emit, handle_errors, out_console
from vcflows.cli._interrupt import guarded
from vcflows.flows import base_relation, refresh_flow_base
from vcflows.store import connect, has_table
from vcflows.store.link import LinkOptions, link_sources


@handle_errors
def link(
    db: Annotated[Path, typer.Option("--db", help="DuckDB database to link.")] = Path(
        "vcflows.duckdb"
    ),
    days: Annotated[
        int, typer.Option("--days", help="Largest gap between two sources' dates of one round.")
    ] = LinkOptions.days,
    amount_tolerance: Annotated[
        float,
        typer.Option(
            "--amount-tolerance",
            help="Largest difference between two sources' amounts of one round, as a share "
            "of the larger.",
        ),
    ] = LinkOptions.amount_tolerance,
    prefer: Annotated[
        list[str] | None,
        typer.Option(
            "--prefer",
            help="Source whose records are kept (repeat, best first; default: the first ingested).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", metavar="", help="Show what would be merged; change nothing."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the links found to this CSV file, both records side by side for review.",
        ),
    ] = None,
) -> None:
    """Merge the companies, rounds and investors that two sources report alike.

    Each record goes into the preferred source's record of the same company, round or
    investor (unknown fields filled, known ones kept); the merged record is kept whole in
    table `links` with the rule that matched it. Run after ingesting a second source.

    Example: vcflows link --db deals.duckdb --dry-run
    """
    if not db.exists():
        raise typer.BadParameter(f"{db}: no such database")
    opts = LinkOptions(days=days, amount_tolerance=amount_tolerance, prefer=tuple(prefer or ()))
    con = connect(db)
    before = _link_rows(con)
    with guarded(lambda: _link_kept(db, before)):
        try:
            with console.status("matching records across sources..."):
                result = link_sources(con, opts, apply=not dry_run)
            if result.applied and len(result.links):
                with console.status("indexing for the flow queries..."):
                    refresh_flow_base(con)
        finally:
            con.close()
    verb = "would merge" if dry_run else "merged"
    table = Table(title=f"Cross-source links ({verb})")
    for col in ("kind", "merged", "by rule", "ambiguous, left alone"):
        table.add_column(col, justify="left" if col in ("kind", "by rule") else "right")
    merged = result.merged()
    for kind, n in merged.items():
        rules = result.links.loc[result.links["kind"] == kind, "rule"].value_counts()
        by_rule = ", ".join(f"{r} {c:,}" for r, c in sorted(rules.items()))
        table.add_row(kind, f"{n:,}", by_rule, f"{result.ambiguous.get(kind, 0):,}")
    out_console.print(table)
    out_console.print(
        f"USD {result.double_counted_usd:,.0f} in {merged['round']:,} round(s) "
        f"{'would no longer be' if dry_run else 'no longer'} counted twice"
    )
    if out is not None:
        emit(result.links, "csv", out)


def _link_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Records merged by every committed link (rows of table ``links``; 0 before the first)."""
    if not has_table(con, s.LINKS):
        return 0
    return int(con.execute(f"SELECT count(*) FROM {s.LINKS}").fetchall()[0][0])


def _link_kept(db: Path, before: int) -> str:
    """What an interrupted or failed link left in ``db``, from a look at table ``links``."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        now = _link_rows(con)
        indexed = base_relation(con) is not None
    finally:
        con.close()
    if now == before:
        return f"{db} is as it was before this run (nothing of it was committed)"
    index = (
        "the flow base is current"
        if indexed
        else f"the flow base was not rebuilt: `vcflows reindex --db {db}` does it"
    )
    return f"the link of {now - before:,} record(s) was committed to {db} whole; {index}"


def register(app: typer.Typer) -> None:
    """Add the link command to ``app``."""
    app.command("link")(link)
