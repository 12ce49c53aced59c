"""`vcflows serve`: the live dashboard (see :mod:`vcflows.dashboard`)."""

from __future__ import annotations

import signal
from contextlib import ExitStack
from typing import Annotated

import typer

from vcflows.cli._common import DbOpt, console, handle_errors, resolve_db
from vcflows.store.snapshot import snapshot as snapshot_of


@handle_errors
def serve_cmd(
    db: DbOpt = None,
    host: Annotated[
        str,
        typer.Option("--host", help="Interface to bind. Default: loopback only (this machine)."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8050,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot",
            metavar="",
            help="Serve a private read-only copy of the database (made at start, removed at "
            "exit), so that ingest and link can write to the original meanwhile.",
        ),
    ] = False,
) -> None:
    """Explore the flows in the browser: world, bilateral flows, countries, networks, companies.

    The database is opened read-only, which keeps writers (ingest, link) out of it while the
    dashboard runs; with --snapshot the dashboard shows a copy taken at start instead. Binding to anything but 127.0.0.1 exposes the data to
    your network: do it only on a trusted one.

    Example: vcflows serve --db deals.duckdb --port 8050
    """
    from vcflows.dashboard import create_app, explorer_of

    path, is_demo = resolve_db(db)
    # SIGTERM unwinds like Ctrl+C, so the snapshot and the connection are cleaned up.
    previous = signal.signal(signal.SIGTERM, _exit_on_term)
    with ExitStack() as stack:
        stack.callback(signal.signal, signal.SIGTERM, previous)
        if snapshot:
            served = stack.enter_context(snapshot_of(path))
            console.print(f"serving a snapshot of {path}: later writes to it are not shown")
        else:
            served = path
        app = create_app(served, is_demo=is_demo, warm=True)
        stack.callback(explorer_of(app).close)
        if host not in ("127.0.0.1", "localhost", "::1"):
            console.print(f"[yellow]warning:[/] serving on {host}: reachable from other machines")
        console.print(f"vcflows dashboard on http://{host}:{port}/ (Ctrl+C to stop)")
        app.run(host=host, port=port, debug=False)


def _exit_on_term(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def register(app: typer.Typer) -> None:
    """Add the serve command to ``app``."""
    app.command("serve")(serve_cmd)
