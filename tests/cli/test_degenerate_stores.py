"""Every command on stores unlike the demo: no Korean deal, a national list, one year, no
investor countries. Each runs or exits with a message naming what is missing; none crashes
or prints NaN (stores in degenerate.py)."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vcflows.cli import app

if "deals" not in sys.modules:  # the small-database builder of tests/flows
    _spec = importlib.util.spec_from_file_location(
        "deals", Path(__file__).resolve().parents[1] / "flows" / "deals.py"
    )
    assert _spec is not None and _spec.loader is not None
    sys.modules["deals"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["deals"])
from deals import make_db
from degenerate import STORES

runner = CliRunner()

COMMANDS = [
    ["profile", "KOR"],
    ["implications", "KOR"],
    ["implications", "KOR", "--lang", "ko", "--format", "json"],
    ["scenario", "KOR", "--fund-usd", "100"],
    ["indicators"],
    ["indicators", "--by", "stage"],
    ["coverage"],
    ["flows"],
    ["champions"],
    ["champions", "--country", "KOR"],
    ["profile", "CAN"],
    ["implications", "CAN"],
    ["scenario", "CAN", "--fund-usd", "100"],
    ["talent"],
]

_NAN = re.compile(r"\bnan\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("degenerate")
    paths = {}
    for name, rounds in STORES.items():
        paths[name] = root / f"{name}.duckdb"
        make_db(rounds, path=str(paths[name])).close()
    return paths


def _invoke(args: list[str]) -> tuple[int, str]:
    res = runner.invoke(app, args)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise AssertionError(f"{' '.join(args)} crashed") from res.exception
    return res.exit_code, " ".join(res.output.split())


@pytest.mark.parametrize("store", sorted(STORES))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_crash_and_no_nan(stores: dict[str, Path], store: str, command: list[str]) -> None:
    code, out = _invoke([*command, "--db", str(stores[store])])
    assert code in (0, 2), out
    if code == 2:  # a user-facing error naming what is missing
        assert out.startswith("error:") and ("no flows" in out or "nobody to co-invest" in out)
    assert not _NAN.search(out), out


def test_target_rank_held_by_a_country_that_received_nothing(stores: dict[str, Path]) -> None:
    # KOR only invests: it ranks 4th of 4 and the 3rd country (JPN) received $0.
    db = str(stores["korea_invests_only"])
    code, out = _invoke(["implications", "KOR", "--db", db])
    assert code == 0
    assert "skipped rank_gap: fewer than 3 countries received money: no rank 3 to reach" in out
    code, out = _invoke(["profile", "KOR", "--db", db])
    assert code == 0
    assert (
        "KOR: rank 4 of 4, having received no money from investors of known country in this "
        "selection; no target" in out
    )
    assert (
        "Scenario unavailable: KOR received no money from investors of known country in this "
        "selection, so it has no foreign share to raise." in out
    )
    assert "target rank 3: only 2 countries received money" in out


def test_national_list_has_no_peer_target(stores: dict[str, Path]) -> None:
    db = str(stores["national"])
    code, out = _invoke(["profile", "CAN", "--db", db])
    assert code == 0 and "CAN: rank 1 of 3 by invested_in_usd; no target" in out
    assert "Scenario unavailable: no peer received money from investors of known country" in out
    code, out = _invoke(["implications", "CAN", "--db", db])
    assert code == 0
    assert "skipped typology: fewer than two countries received money" in out
    # The one champion sentence: Canada's champions hold all its foreign money (430 of 430).
    assert "1. Foreign-backed champions (the top 2 by money raised" in out
    assert "[USD 430 at stake]" in out


def test_no_investor_country_runs_with_default_target_rank(stores: dict[str, Path]) -> None:
    code, out = _invoke(["profile", "KOR", "--db", str(stores["no_investor_countries"])])
    assert code == 0, out
    assert "target rank 3: no country received money from investors of known country" in out
    code, out = _invoke(["implications", "KOR", "--db", str(stores["no_investor_countries"])])
    assert code == 0 and "No implication: no rule found a gap for KOR" in out


def test_missing_focus_and_missing_champions_are_said(stores: dict[str, Path]) -> None:
    db = str(stores["no_korea"])
    code, out = _invoke(["profile", "KOR", "--db", db])
    assert code == 2 and "KOR has no flows in this selection" in out
    code, out = _invoke(["champions", "--country", "KOR", "--db", db])
    assert code == 0
    assert "No company of KOR drew at least 20.0% of its money from foreign investors" in out


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_default_report_on_every_degenerate_store(stores: dict[str, Path], tmp_path: Path) -> None:
    for name, db in stores.items():
        out = tmp_path / f"{name}.html"
        code, msg = _invoke(["report", "--db", str(db), "-o", str(out)])
        assert code == 0, f"{name}: {msg}"
        text = _visible_text(out.read_text(encoding="utf-8"))
        assert "South Korea" in text, name  # the default focus is named, present or not
        assert not _NAN.search(text), name
