"""The home big-tech rule on the real Crunchbase 2014 sample: its queries give its figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from vcflows.flows import FlowOptions
from vcflows.network import corporate_network
from vcflows.policy import gather, run_rules
from vcflows.sources import read_source
from vcflows.store import connect, ingest_batch


def test_korean_groups_invest_abroad_on_the_2014_sample(open2014_sample: Path) -> None:
    con = connect(":memory:")
    ingest_batch(con, read_source([open2014_sample], "crunchbase-open"))
    opts = FlowOptions(sector="all")
    inputs = gather(con, "KOR", opts, with_gravity=False)
    item = {i.id: i for i in run_rules(inputs).implications}["home_big_tech"]
    assert item.figures["groups"].split(", ")[0] == "Samsung"  # Samsung Ventures, typed unknown
    assert item.figures["abroad_share"] > 0.5
    assert item.text.startswith("South Korea's own big-tech groups (Samsung")
    ns: dict[str, object] = {"FlowOptions": FlowOptions, "con": con}
    ns["corporate_network"] = corporate_network
    opts_q, table_q, share_q, usd_q = item.queries
    exec(opts_q, ns)
    exec(table_q, ns)
    assert eval(share_q, ns) == pytest.approx(item.figures["abroad_share"])
    abroad, home = eval(usd_q, ns)
    assert (abroad, home) == pytest.approx((item.figures["abroad_usd"], item.figures["home_usd"]))
