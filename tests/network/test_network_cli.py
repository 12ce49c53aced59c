"""`vcflows network` on the hand-built store."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from vcflows.cli import app

runner = CliRunner()


def test_network_json_for_each_kind(tiny_db_path: Path) -> None:
    for kind, key in (("country", "nodes"), ("corporate", "country_share"), ("syndicate", "pairs")):
        res = runner.invoke(
            app, ["network", "--kind", kind, "--db", str(tiny_db_path), "-f", "json"]
        )
        assert res.exit_code == 0, res.output
        assert key in json.loads(res.stdout)
    res = runner.invoke(
        app, ["network", "--kind", "syndicate", "--db", str(tiny_db_path), "-f", "json"]
    )
    assert json.loads(res.stdout)["n_ties"] == 8


def test_network_table_file_and_options(tiny_db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "share.csv"
    res = runner.invoke(
        app,
        [
            "network",
            "--kind",
            "corporate",
            "--table",
            "country_share",
            "--db",
            str(tiny_db_path),
            "--attribution",
            "full",
            "-f",
            "csv",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out).set_index("company_country")
    assert df.loc["KOR", "corporate_share"] == 1.0  # every KOR round has a corporate investor
    res = runner.invoke(app, ["network", "--db", str(tiny_db_path), "--from", "2021"])
    assert res.exit_code == 0, res.output
    assert "reciprocity" in res.stdout


def test_network_bad_options_exit_2(tiny_db_path: Path) -> None:
    for args in (["--kind", "banks"], ["--table", "pairs"], ["--attribution", "half"]):
        res = runner.invoke(app, ["network", "--db", str(tiny_db_path), *args])
        assert res.exit_code == 2, args
