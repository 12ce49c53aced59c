"""`vcflows ingest` and `vcflows info`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.table import Table

from vcflows import schema as s
from vcflows.cli._common import console, handle_errors, out_console, resolve_db
from vcflows.cli._interrupt import guarded
from vcflows.errors import OptionError
from vcflows.flows import base_relation, refresh_flow_base
from vcflows.sources import FORMATS, check_encoding, read_source
from vcflows.sources.investor_list import InvestorList, read_investor_list
from vcflows.sources.mappings import Mapping, load_mapping, read_country_aliases
from vcflows.store import connect, has_table, info, ingest_batch
from vcflows.store.bulk import ingest_generic
from vcflows.store.db import IngestResult
from vcflows.store.resolve import ResolveResult, resolve_investors

#: DuckDB's memory cap during an ingest: with the vectorized reader, a 2 GB export loads
#: within about 1.5 GB of process memory (see README, Performance).
DEFAULT_MEMORY_LIMIT = "1GB"
_MEMORY = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def _files_of(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(q for q in p.iterdir() if q.is_file()) if p.is_dir() else [p])
    return files


def _link_hint(con: duckdb.DuckDBPyConnection, db: Path) -> str | None:
    """A pointer to `vcflows link` when the store holds rounds of several sources."""
    n = con.execute(f"SELECT count(DISTINCT {s.SOURCE}) FROM {s.ROUNDS}").fetchall()[0][0]
    if n < 2 or has_table(con, s.LINKS):
        return None
    return (
        f"the database holds rounds of {n} sources; a deal two of them report is counted "
        f"twice until linked: `vcflows link --db {db} --dry-run` lists them"
    )


def _generic_mapping(fmt: str, mapping: str | None, aliases: Path | None) -> Mapping | str | None:
    """The generic format's mapping with the aliases of ``--country-aliases`` added."""
    if aliases is None:
        return mapping
    if fmt != "generic":
        raise OptionError("--country-aliases: applies to --format generic (with a mapping) only")
    return load_mapping(mapping).with_country_aliases(read_country_aliases(aliases))


def _print_resolved(listing: InvestorList, res: ResolveResult) -> None:
    """Say what ``--investors`` resolved, and which names stayed unknown."""
    out_console.print(
        f"investor list {Path(listing.path).name}: resolved the country of {res.resolved:,} of "
        f"the {res.unknown_before:,} investors of unknown country (matched by name key; "
        f"{res.typed:,} also got their type); {len(res.still_unknown):,} still unknown"
    )
    if listing.problems:
        out_console.print(
            f"  {len(listing.problems):,} row(s) of the list not used, e.g. {listing.problems[0]}"
        )
    if res.ambiguous:
        out_console.print(
            f"  {len(res.ambiguous):,} name(s) the list gives two countries, left unknown: "
            + ", ".join(res.ambiguous[:10])
        )
    if res.still_unknown:
        shown = ", ".join(f"{name} ({n:,})" for name, n in res.still_unknown[:20])
        more = len(res.still_unknown) - 20
        out_console.print(
            f"  still unknown (participations): {shown}"
            + (f" and {more:,} more" if more > 0 else "")
        )


def _load(
    con: duckdb.DuckDBPyConnection,
    db: Path,
    paths: list[Path],
    fmt: str,
    mapping: str | None,
    encoding: str | None,
    generic_mapping: Mapping | str | None,
    listing: InvestorList | None,
) -> tuple[IngestResult, ResolveResult | None, str | None]:
    """Ingest ``paths`` (one transaction), resolve investors, rebuild the flow base."""
    resolved = None
    if fmt == "generic":  # vectorized in DuckDB; same result as the row-by-row path
        with console.status(f"loading {len(paths)} path(s) into {db}..."):
            result = ingest_generic(con, list(paths), mapping=generic_mapping, encoding=encoding)
    else:
        with console.status(f"reading {len(paths)} path(s) as {fmt}..."):
            batch = read_source(paths, fmt, mapping=mapping)
        with console.status(f"loading into {db}..."):
            result = ingest_batch(con, batch, files=_files_of(paths))
    if listing is not None:
        resolved = resolve_investors(con, listing)
    with console.status("indexing for the flow queries..."):
        refresh_flow_base(con)
    shared_hint = _link_hint(con, db)
    return result, resolved, shared_hint


def _log_rows(con: duckdb.DuckDBPyConnection) -> int:
    """Rows of the ingest log: one per file of every committed ingest."""
    return int(con.execute(f"SELECT count(*) FROM {s.INGEST_LOG}").fetchall()[0][0])


def _log_rows_at(db: Path) -> int | None:
    """Rows of the ingest log of the database file ``db``; None when there is none."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return _log_rows(con) if has_table(con, s.INGEST_LOG) else 0
    finally:
        con.close()


def _wal(db: Path) -> Path:
    """DuckDB's write-ahead log of the database ``db``."""
    return db.with_name(db.name + ".wal")


def _remove_db(db: Path) -> None:
    """Remove a database this run created and committed nothing to (with its log file)."""
    db.unlink(missing_ok=True)
    _wal(db).unlink(missing_ok=True)


def _ingest_kept(db: Path, before: int) -> str:
    """What an interrupted or failed ingest left in ``db``, from a look at its ingest log."""
    now = _log_rows_at(db)
    if now is None:
        return f"no database was created at {db}"
    if now == before:
        return f"{db} is as it was before this run (nothing of it was committed)"
    con = duckdb.connect(str(db), read_only=True)
    try:
        indexed = base_relation(con) is not None
    finally:
        con.close()
    index = (
        "the flow base is current"
        if indexed
        else f"the flow base was not rebuilt: `vcflows reindex --db {db}` does it "
        "(the analyses work meanwhile, slower)"
    )
    return f"the ingest of {now - before:,} file(s) was committed to {db} whole; {index}"


@handle_errors
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files, or folders holding them.")],
    fmt: Annotated[
        str, typer.Option("--format", help=f"Source layout: {', '.join(FORMATS)}.")
    ] = "generic",
    mapping: Annotated[
        str | None,
        typer.Option("--mapping", help="Column mapping TOML file, or a shipped mapping name."),
    ] = None,
    db: Annotated[Path, typer.Option("--db", help="DuckDB database to load into.")] = Path(
        "vcflows.duckdb"
    ),
    country_aliases: Annotated[
        Path | None,
        typer.Option(
            "--country-aliases",
            help="CSV alias,country of extra country spellings (generic format); a blank "
            "country declares the spelling unknown (e.g. a region).",
        ),
    ] = None,
    investors: Annotated[
        Path | None,
        typer.Option(
            "--investors",
            help="An investor list (name, country, type) filling the unknown investor "
            "countries of the database, matched by name key.",
        ),
    ] = None,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit",
            help="Memory the database engine may use while loading, e.g. 1GB or 4GB; beyond "
            "it, it spills to a temporary folder beside the database.",
        ),
    ] = DEFAULT_MEMORY_LIMIT,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding of the CSV files (e.g. cp949, euc-kr, cp932, gb18030); "
            "default: detected per file. Generic format only.",
        ),
    ] = None,
) -> None:
    """Load deal exports into a vcflows database, with every row accounted for.

    Example: vcflows ingest exports/crunchbase/ --format crunchbase-bulk --db deals.duckdb
    """
    for p in [*paths, *(x for x in (country_aliases, investors) if x is not None)]:
        if not p.exists():
            raise typer.BadParameter(f"{p}: no such file or folder")
    if encoding is not None:
        check_encoding(encoding)  # an unknown name fails before the database is opened
        if fmt != "generic":
            raise typer.BadParameter(f"--encoding applies to the generic format only, not {fmt}")
    generic_mapping = _generic_mapping(fmt, mapping, country_aliases)  # errors before loading
    listing = None
    if investors is not None:
        if isinstance(generic_mapping, Mapping):  # with --country-aliases
            listing = read_investor_list(
                investors, country=generic_mapping.country("investor_country")
            )
        else:
            listing = read_investor_list(investors)
    if not _MEMORY.fullmatch(memory_limit.strip()):
        raise OptionError(
            f"--memory-limit: expected a size such as 1GB or 512MB, got {memory_limit!r}"
        )
    created, had_wal = not db.exists(), _wal(db).exists()
    con = connect(db)
    con.execute(f"SET memory_limit = '{memory_limit.strip()}'").fetchall()
    before = _log_rows(con)
    resolved = None
    with guarded(lambda: _ingest_kept(db, before)):
        try:
            result, resolved, shared_hint = _load(
                con, db, paths, fmt, mapping, encoding, generic_mapping, listing
            )
        except BaseException:
            con.close()
            if created and _log_rows_at(db) == before:  # nothing committed: no empty database
                _remove_db(db)
            elif not had_wal and _wal(db).exists() and not _wal(db).stat().st_size:
                _wal(db).unlink()  # DuckDB's empty log of the failed write: nothing in it
            raise
        finally:
            con.close()
    table = Table(title=f"Row accounting ({fmt})")
    for col in ("file", "read", "loaded", "quarantined", "skipped", "balanced", "flagged"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for a in result.accounts:
        table.add_row(
            a.file,
            f"{a.read:,}",
            f"{a.loaded:,}",
            f"{a.quarantined:,}",
            f"{a.skipped:,}",
            "yes" if a.balanced else "NO",
            f"{a.flagged:,}",
        )
    out_console.print(table)
    out_console.print(
        "read = loaded + quarantined + skipped; flagged: fields of loaded rows left unknown "
        "(an unrecognized optional value), each recorded in the quarantine"
    )
    new = ", ".join(f"{t}: {n:,}" for t, n in result.new_records.items())
    out_console.print(f"new records — {new}")
    if result.conflicts:
        out_console.print(
            f"conflicts: {result.conflicts:,} field(s) on which rows naming the same record gave "
            "different values (the merge rule's choice kept; every value in table conflicts)"
        )
    else:
        out_console.print("conflicts: none (no two rows gave one record different values)")
    for note in result.notes:
        out_console.print(f"note: {note}")
    if shared_hint:
        out_console.print(f"note: {shared_hint}")
    if listing is not None and resolved is not None:
        _print_resolved(listing, resolved)
    if not result.balanced:
        raise typer.Exit(code=1)


@handle_errors
def show_info(
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB database.")] = None,
) -> None:
    """Summarize a database: counts, year range, countries, quarantine.

    Example: vcflows info --db deals.duckdb
    """
    path, is_demo = resolve_db(db)
    con = connect(path, read_only=True)
    try:
        summary = info(con)
        indexed = base_relation(con) is not None
    finally:
        con.close()
    label = " (embedded demo: SYNTHETIC)" if is_demo else ""
    out_console.print(f"[bold]{path}[/]{label}")
    for t, n in summary["counts"].items():
        out_console.print(f"  {t:15s} {n:>12,}")
    lo, hi = summary["years"]
    out_console.print(f"  years          {lo}–{hi}")
    out_console.print(
        f"  rounds with amount {summary['rounds_with_amount']:,}, total USD {summary['total_usd']:,.0f}"
    )
    out_console.print(
        "  company countries (rounds): "
        + ", ".join(f"{c} {n:,}" for c, n in summary["company_countries"])
    )
    out_console.print(
        "  investor countries (participations): "
        + ", ".join(f"{c} {n:,}" for c, n in summary["investor_countries"])
    )
    out_console.print(
        "  flow base: current"
        if indexed
        else "  flow base: missing or out of date (queries run slower; `vcflows reindex` fixes it)"
    )
    if summary["links"]:
        out_console.print(
            "  merged across sources (vcflows link): "
            + ", ".join(f"{kind} {n:,}" for kind, n in summary["links"])
        )
    if summary["quarantine"]:
        out_console.print("  quarantine by reason (rows rejected):")
        for reason, n in summary["quarantine"]:
            out_console.print(f"    {n:>8,}  {reason}")
    if summary["flagged"]:
        out_console.print("  fields left unknown in loaded rows (quarantine, row kept):")
        for reason, n in summary["flagged"]:
            out_console.print(f"    {n:>8,}  {reason}")
    if summary["conflicts"]:
        out_console.print("  conflicts by table and field (values that disagreed):")
        for table_name, field, n in summary["conflicts"]:
            out_console.print(f"    {n:>8,}  {table_name}.{field}")


@handle_errors
def reindex(
    db: Annotated[Path, typer.Option("--db", help="DuckDB database to reindex.")] = Path(
        "vcflows.duckdb"
    ),
) -> None:
    """Rebuild the flow base the analyses read (after editing a database by other means).

    Every ingest does this itself; the analyses never read an index that is out of date with
    the row counts, but an in-place hand edit keeping every count needs a reindex.

    Example: vcflows reindex --db deals.duckdb
    """
    if not db.exists():
        raise typer.BadParameter(f"{db}: no such database")
    con = connect(db)
    try:
        with console.status("indexing for the flow queries..."):
            refresh_flow_base(con)
    finally:
        con.close()
    out_console.print(f"{db}: flow base rebuilt")


def register(app: typer.Typer) -> None:
    """Add the ingest, info and reindex commands to ``app``."""
    app.command("ingest")(ingest)
    app.command("info")(show_info)
    app.command("reindex")(reindex)
