"""Linkage on real data: the Crunchbase bulk sample and the 2014 open export share deals."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from vcflows import schema as s
from vcflows.flows import FlowOptions, flow_matrix, refresh_flow_base
from vcflows.sources import read_source
from vcflows.store import connect, ingest_batch, link_sources


def _ingest(con, path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    files = sorted(p for p in path.iterdir() if p.is_file())
    ingest_batch(con, read_source([path], fmt), files=files)


def test_the_two_crunchbase_exports_share_rounds_counted_once(
    bulk_sample: Path, open2014_sample: Path
) -> None:
    con = connect(":memory:")
    _ingest(con, open2014_sample, "crunchbase-open")  # first ingested: its records are kept
    _ingest(con, bulk_sample, "crunchbase-bulk")
    usd = "SELECT sum(amount_usd) FROM rounds"
    before = con.execute(usd).fetchall()[0][0]
    flows_before = flow_matrix(con, FlowOptions(sector="all"))["amount_usd"].sum()

    result = link_sources(con)
    refresh_flow_base(con)

    merged = result.merged()
    # The bulk sample's October 2013 rounds are in the 2014 export too (25 found by hand).
    assert merged["round"] >= 20 and merged["company"] >= merged["round"] // 2
    assert con.execute(usd).fetchall()[0][0] == pytest.approx(before - result.double_counted_usd)
    # Every merged round: a kept round of the same company within the window, as the rule says.
    pairs = con.execute(
        f"SELECT {s.LINK_RECORD}, r.announced_on, r.amount_usd FROM {s.LINKS} l "
        f"JOIN rounds r ON r.round_id = l.{s.LINK_CANONICAL} WHERE l.{s.LINK_KIND} = 'round'"
    ).fetchall()
    assert len(pairs) == merged["round"]
    for record, kept_on, kept_usd in pairs:
        old = json.loads(record)
        assert old["source"] == "crunchbase-bulk"
        assert abs((date.fromisoformat(old["announced_on"]) - kept_on).days) <= 31
        if old["amount_usd"] is not None and kept_usd is not None:
            assert kept_usd == pytest.approx(old["amount_usd"], rel=0.2)
    # Less money flows now: the double count is gone (the bulk rounds have investors).
    flows_after = flow_matrix(con, FlowOptions(sector="all"))["amount_usd"].sum()
    assert flows_after < flows_before
    # Linked investors are the same firm by name (e.g. the bulk sample's Sequoia Capital).
    names = con.execute(
        f"SELECT json_extract_string({s.LINK_RECORD}, '$.name'), i.name FROM {s.LINKS} l "
        f"JOIN investors i ON i.investor_id = l.{s.LINK_CANONICAL} "
        f"WHERE l.{s.LINK_KIND} = 'investor'"
    ).fetchall()
    assert names and all(a.casefold()[:4] == b.casefold()[:4] for a, b in names)
    # Re-ingesting the bulk sample adds nothing.
    again = read_source([bulk_sample], "crunchbase-bulk")
    assert sum(ingest_batch(con, again).new_records.values()) == 0
