"""The report on a linked store: the cover says what was counted once, the appendix by rule."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from vcflows import schema as s
from vcflows.flows import FlowOptions
from vcflows.sources import read_source
from vcflows.sources._base import SourceBatch
from vcflows.store import connect, ingest_batch, link_sources
from vcflows.store.link import summary as links_summary


def _source(source: str, on: str, usd: float) -> SourceBatch:
    b = SourceBatch(source=source)
    b.companies = pd.DataFrame(
        [{s.COMPANY_ID: f"{source}:c", s.NAME: "Mistral AI SAS", s.SOURCE: source}]
    )
    b.rounds = pd.DataFrame(
        [
            {
                s.ROUND_ID: f"{source}:r",
                s.COMPANY_ID: f"{source}:c",
                s.ANNOUNCED_ON: on,
                s.STAGE: "seed",
                s.AMOUNT_USD: usd,
                s.SOURCE: source,
            }
        ]
    )
    return b


def test_links_summary_by_kind_and_rule() -> None:
    con = connect(":memory:")
    assert links_summary(con).empty  # no links table: an empty table of the same columns
    ingest_batch(con, _source("a", "2023-06-13", 113e6))
    ingest_batch(con, _source("b", "2023-06-20", 105e6))
    link_sources(con)
    got = links_summary(con)
    assert got[["link_kind", "link_rule", "records"]].values.tolist() == [
        ["company", "name+country unknown", 1],
        ["round", "date+amount", 1],
    ]
    assert got["amount_usd"].tolist()[1] == 105e6  # the merged round's amount, once too many


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_on_two_linked_crunchbase_exports(
    bulk_sample: Path, open2014_sample: Path, tmp_path: Path, lang: str
) -> None:
    from vcflows.report import build_report

    db = tmp_path / "two.duckdb"
    con = connect(db)
    for path, fmt in ((open2014_sample, "crunchbase-open"), (bulk_sample, "crunchbase-bulk")):
        ingest_batch(con, read_source([path], fmt))
    result = link_sources(con)
    con.close()
    con = connect(db, read_only=True)
    try:
        res = build_report(
            con, focus="GBR", opts=FlowOptions(sector="all"), out=tmp_path / "r.html", lang=lang
        )
    finally:
        con.close()
    html = res.html.read_text(encoding="utf-8")
    rounds = result.merged()["round"]
    if lang == "en":
        assert f"{rounds} rounds reported by more than one source counted once" in html
        assert "Records that two sources report alike, merged by vcflows link" in html
        assert "the position of the United Kingdom" in html  # the article, as in sentences
        labels = ["Record", "Matching rule", "Records merged", "Funding rounds"]
    else:
        assert f"라운드 {rounds}건을 한 번만 집계" in html
        labels = ["레코드", "일치 규칙", "병합된 레코드", "투자 라운드"]
    for label in labels:
        assert re.search(rf">\s*{re.escape(label)}\s*<", html), label
    exported = pd.read_csv(tmp_path / "r_tables" / "links.csv")
    assert exported.loc[exported["link_kind"] == "round", "records"].sum() == rounds
