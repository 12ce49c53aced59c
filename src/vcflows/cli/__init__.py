"""The ``vcflows`` command line. Each command group lives in its own module and registers here."""

from __future__ import annotations

import logging

import typer

app = typer.Typer(
    name="vcflows",
    help="Cross-border venture-capital flows into AI companies: from deal exports to policy evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help paragraphs are reflowed to the terminal (a docstring's line breaks are not kept).
    rich_markup_mode="markdown",
)

# The command groups, each registering its commands on ``app`` (imported after ``app`` exists;
# listed here so the CLI's surface is in one place, in the order of ``vcflows --help``).
from vcflows.cli import (  # noqa: E402
    _analysis,
    _beyond,
    _coverage,
    _demo,
    _findings,
    _ingest,
    _link,
    _policy,
    _report,
    _serve,
    _talent,
)

_GROUPS = (
    _ingest,
    _link,
    _demo,
    _analysis,
    _coverage,
    _findings,
    _beyond,
    _talent,
    _policy,
    _report,
    _serve,
)
for _module in _GROUPS:
    _module.register(app)


def main() -> None:
    """Entry point of the ``vcflows`` console script."""
    # kaleido's browser driver logs every step at INFO on the root logger; keep the CLI quiet.
    logging.basicConfig(level=logging.WARNING)
    for name in ("kaleido", "choreographer", "logistro"):
        logging.getLogger(name).setLevel(logging.WARNING)
    from vcflows.cli._interrupt import install

    install()  # SIGINT/SIGTERM unwind and exit 130/143; a file-size limit fails a write cleanly
    app()
