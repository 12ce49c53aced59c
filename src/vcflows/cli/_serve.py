"""`vcflows serve`: the live dashboard (see :mod:`vcflows.dashboard`)."""

from __future__ import annotations

from typing import Annotated

import typer

from vcflows.cli._common import DbOpt, console, handle_errors, resolve_db


@handle_errors
def serve_cmd(
    db: DbOpt = None,
    host: Annotated[
        str,
        typer.Option("--host", help="Interface to bind. Default: loopback only (this machine)."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8050,
) -> None:
    """Explore the flows in the browser: world, bilateral flows, countries, networks, companies.

    The database is opened read-only. Binding to anything but 127.0.0.1 exposes the data to
    your network: do it only on a trusted one.

    Example: vcflows serve --db deals.duckdb --port 8050
    """
    from vcflows.dashboard import create_app

    path, is_demo = resolve_db(db)
    app = create_app(path, is_demo=is_demo, warm=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]warning:[/] serving on {host}: reachable from other machines")
    console.print(f"vcflows dashboard on http://{host}:{port}/ (Ctrl+C to stop)")
    app.run(host=host, port=port, debug=False)


def register(app: typer.Typer) -> None:
    """Add the serve command to ``app``."""
    app.command("serve")(serve_cmd)
