"""Helpers of the dashboard tests: the CLI's JSON for a selection."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from vcflows.cli import app as cli_app


def cli_json(*args: str) -> Any:
    """Run a vcflows command with ``--format json`` and parse its output."""
    result = CliRunner().invoke(cli_app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
