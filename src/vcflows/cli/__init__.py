"""The ``vcflows`` command line. Each command group lives in its own module and registers here."""

from __future__ import annotations

import importlib
import logging

import typer

app = typer.Typer(
    name="vcflows",
    help="Cross-border venture-capital flows into AI companies: from deal exports to policy evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules; each exposes register(app). Listed here so the CLI's surface is in one place.
_COMMAND_MODULES = (
    "vcflows.cli._ingest",
    "vcflows.cli._link",
    "vcflows.cli._demo",
    "vcflows.cli._analysis",
    "vcflows.cli._findings",
    "vcflows.cli._beyond",
    "vcflows.cli._policy",
    "vcflows.cli._report",
    "vcflows.cli._serve",
)

for _name in _COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a command group not built yet
        if exc.name != _name:
            raise
        continue
    _module.register(app)


def main() -> None:
    """Entry point of the ``vcflows`` console script."""
    # kaleido's browser driver logs every step at INFO on the root logger; keep the CLI quiet.
    logging.basicConfig(level=logging.WARNING)
    for name in ("kaleido", "choreographer", "logistro"):
        logging.getLogger(name).setLevel(logging.WARNING)
    app()
