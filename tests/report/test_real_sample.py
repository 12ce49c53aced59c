"""The report on the real 10% sample of the Crunchbase 2014 open export (all sectors)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vcflows.flows import FlowOptions
from vcflows.store import connect, ingest_batch

pytest.importorskip("vcflows.sources.crunchbase_open")


@pytest.mark.slow
def test_report_on_the_real_2014_sample(open2014_sample: Path, tmp_path: Path) -> None:
    from vcflows.report import build_report
    from vcflows.sources import read_source

    db = tmp_path / "cb2014.duckdb"
    con = connect(db)
    try:
        files = sorted(p for p in open2014_sample.iterdir() if p.is_file())
        ingest_batch(con, read_source([open2014_sample], "crunchbase-open"), files=files)
    finally:
        con.close()
    con = connect(db, read_only=True)
    try:
        note = "A 10% sample of the 2014 Crunchbase open export, all sectors."
        res = build_report(
            con,
            focus="KOR",
            opts=FlowOptions(sector="all"),
            out=tmp_path / "r.html",
            data_note=note,
        )
    finally:
        con.close()
    html = res.html.read_text(encoding="utf-8")
    assert note in html and "SYNTHETIC" not in html
    assert "crunchbase" in html.lower()  # the cover names the source format and files
    top = pd.read_csv(tmp_path / "r_tables" / "top_receivers.csv")
    # Independent check of the headline: the shares in the table are each country's received
    # amount over the sum of all countries' received amounts.
    ind = pd.read_csv(tmp_path / "r_tables" / "indicators.csv")
    total = ind["invested_in_usd"].sum()
    for _, row in top.head(5).iterrows():
        assert row["share_global"] == pytest.approx(row["invested_in_usd"] / total, rel=1e-9)
    assert top.iloc[0]["country"] == "USA"
    first = res.summary["global"][0]
    assert first.figs[1].value == "USA" and first.text.startswith("The United States received")
    # Real data has holes: some money is unattributed and the cover says how much.
    totals = pd.read_csv(tmp_path / "r_tables" / "totals.csv").iloc[0]
    assert totals["unattributed_usd"] > 0
    assert "could not be attributed to an investor country" in html
    # Big-tech groups: Intel Capital is typed "other" in this export, and still a corporate
    # investor of the Intel group.
    groups = pd.read_csv(tmp_path / "r_tables" / "corporate_groups.csv")
    assert "Intel" in set(groups["corporate_group"]) and ">Big-tech group<" in html
    top = groups.iloc[0]
    said = [s.text for s in res.summary["corporate"]]
    assert any(
        x.startswith(f"Among big-tech groups, {top['corporate_group']} invested the most")
        and f"{top['foreign_share']:.1%} of it outside" in x
        for x in said
    ), said


@pytest.mark.slow
def test_report_on_the_bulk_sample_states_no_undefined_figure(
    bulk_sample: Path, tmp_path: Path
) -> None:
    # 50 rounds whose investors mostly lack a country: little to cluster or compare, and the
    # report says so rather than printing "nan" or a dash where a figure belongs.
    from vcflows.report import build_report
    from vcflows.sources import read_source

    db = tmp_path / "bulk.duckdb"
    con = connect(db)
    try:
        files = sorted(p for p in bulk_sample.iterdir() if p.is_file())
        ingest_batch(con, read_source([bulk_sample], "crunchbase-bulk"), files=files)
    finally:
        con.close()
    con = connect(db, read_only=True)
    try:
        res = build_report(con, focus="USA", opts=FlowOptions(), out=tmp_path / "r.html")
    finally:
        con.close()
    html = res.html.read_text(encoding="utf-8")
    assert "adjusted Rand index nan" not in html and "labels for – of" not in html
