"""Funding-path charts of the focus country's champions: one per champion, tables exported."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from report_helpers import COMPANIES, OPTS, ROUNDS, M, make_small_db

from vcflows import schema as s
from vcflows.cases import funding_path
from vcflows.report import ReportResult, build_report
from vcflows.store import connect

# Four more KOR companies, each with a foreign investor: with co7 (USD 6 m, us1 + kr1)
# KOR then has five foreign-backed companies; the report keeps the top three by money raised:
# ka (30 + 12 = 42 m), kb (25 m), kc (8 m); co7 (6 m) and kd (4 m) are left out.
EXTRA_COMPANIES = [("ka", "KOR"), ("kb", "KOR"), ("kc", "KOR"), ("kd", "KOR")]
EXTRA_ROUNDS: list[tuple[str, str, str, float | None, list[str]]] = [
    ("ka1", "ka", "2020-02-01", 30 * M, ["us1", "kr1"]),
    ("ka2", "ka", "2021-08-01", 12 * M, ["us2"]),
    ("ka3", "ka", "2021-09-01", None, ["us1"]),
    ("kb1", "kb", "2021-03-01", 25 * M, ["gb1", "kr1"]),
    ("kc1", "kc", "2020-09-01", 8 * M, ["cn1"]),
    ("kd1", "kd", "2021-10-01", 4 * M, ["us1"]),
]


def _build(db: Path, out: Path) -> ReportResult:
    con = connect(db, read_only=True)
    try:
        return build_report(con, focus="KOR", opts=OPTS, out=out)
    finally:
        con.close()


def _figures(html: str) -> list[str]:
    return sorted(part.split('"', 1)[0] for part in html.split('id="fig-funding_path_')[1:])


def test_small_universe_has_one_chart_for_its_one_champion(small_db: Path, tmp_path: Path) -> None:
    # KOR companies: co5 (kr1 only, not foreign-backed) and co7 (us1 + kr1): one champion.
    res = _build(small_db, tmp_path / "report.html")
    html = res.html.read_text(encoding="utf-8")
    assert _figures(html) == ["1"]
    assert "Funding path of Company co7" in html
    folder = tmp_path / "report_tables"
    champs = pd.read_csv(folder / "champions.csv")
    assert list(champs["company_id"]) == ["co7"]
    table = pd.read_csv(folder / "funding_path_1.csv")
    assert set(table["company_id"]) == {"co7"}
    assert table["amount_usd"].sum() == 6 * M


@pytest.fixture(scope="module")
def top3_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("top3") / "top3.duckdb"
    return make_small_db(path, COMPANIES + EXTRA_COMPANIES, ROUNDS + EXTRA_ROUNDS)


def test_top_three_champions_each_get_a_chart_and_a_table(top3_db: Path, tmp_path: Path) -> None:
    res = _build(top3_db, tmp_path / "report.html")
    html = res.html.read_text(encoding="utf-8")
    assert _figures(html) == ["1", "2", "3"]
    folder = tmp_path / "report_tables"
    assert not (folder / "funding_path_4.csv").exists()
    assert list(pd.read_csv(folder / "champions.csv")["company_id"]) == ["ka", "kb", "kc"]
    expected = {"ka": 42 * M, "kb": 25 * M, "kc": 8 * M}
    con = connect(top3_db, read_only=True)
    try:
        for i, cid in enumerate(("ka", "kb", "kc"), start=1):
            table = pd.read_csv(folder / f"funding_path_{i}.csv")
            path = funding_path(con, cid, OPTS)
            assert set(table["company_id"]) == {cid}
            assert table["amount_usd"].sum() == path.rounds[s.AMOUNT_USD].sum() == expected[cid]
            assert list(table["round_id"]) == list(path.rounds[s.ROUND_ID])
            assert f"Funding path of Company {cid}" in html
    finally:
        con.close()
    # Every chart says its units and has a text alternative naming its rounds.
    for i in (1, 2, 3):
        fig = html.split(f'id="fig-funding_path_{i}"', 1)[1].split("</figure>", 1)[0]
        assert "Text alternative:" in fig and "current USD" in fig
        assert "[funding_path_" + str(i) + ".csv]" in fig
    assert "2020-02-01 Series A $30.0 m (50.0%)" in html  # ka1: us1 foreign, kr1 domestic
