"""`vcflows findings`: JSON records, thresholds from options and from a TOML file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deals import make_db  # type: ignore[import-not-found]
from typer.testing import CliRunner
from worlds import reported_world  # type: ignore[import-not-found]

from vcflows.cli import app

runner = CliRunner()
FIELDS = [
    "claim", "subject", "value", "threshold", "comparator", "holds", "reason", "n_rounds",
    "amount_usd", "ci_low", "ci_high", "robust", "figures", "query",
]  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "deals.duckdb"
    make_db(reported_world(), path=str(path)).close()
    return path


def _json(*args: str) -> list[dict[str, object]]:
    res = runner.invoke(app, ["findings", *args, "--format", "json", "--resamples", "20"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def test_json_records_carry_every_field(db: Path) -> None:
    recs = _json("--db", str(db), "--min-rounds", "1")
    assert recs and all(list(r) == FIELDS for r in recs)
    by = {(r["claim"], r["subject"]): r for r in recs}
    assert by["foreign_hub", "GBR"]["figures"] == {"top_source": "USA"}
    assert by["foreign_hub", "GBR"]["holds"] is True
    # default coverage guard: every subject has fewer than 30 rounds
    default = _json("--db", str(db))
    assert all(r["holds"] is None and r["reason"] for r in default)


def test_thresholds_from_option_and_file(db: Path, tmp_path: Path) -> None:
    toml = tmp_path / "t.toml"
    toml.write_text("[thresholds]\nforeign_hub = 0.9\n", encoding="utf-8")
    recs = _json("--db", str(db), "--min-rounds", "1", "--thresholds", str(toml),
                 "--threshold", "outward=0.8")  # fmt: skip
    for r in recs:
        if r["claim"] == "foreign_hub":
            assert r["threshold"] == 0.9 and r["holds"] is False
        if r["claim"] == "outward":
            assert r["threshold"] == 0.8
    bad = runner.invoke(app, ["findings", "--db", str(db), "--threshold", "nonsense=1"])
    assert bad.exit_code != 0 and "nonsense" in bad.output
