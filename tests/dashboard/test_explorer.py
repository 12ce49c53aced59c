"""The dashboard's cached analyses are the library's, and shared between pages."""

from __future__ import annotations

from pathlib import Path

from vcflows.dashboard.data import Explorer
from vcflows.flows import FlowOptions
from vcflows.network import corporate_network, syndicate_network
from vcflows.policy import implications
from vcflows.store import connect


def test_focus_page_evidence_is_the_cli_s_and_reuses_the_networks(demo_db: Path) -> None:
    opts = FlowOptions(year_from=2018)
    con = connect(demo_db, read_only=True)
    try:
        want = [i.to_dict() for i in implications(con, "KOR", opts)]
        corp = corporate_network(con, opts).country_share
        ties = syndicate_network(con, opts).country_ties
    finally:
        con.close()
    ex = Explorer(demo_db)
    try:
        assert ex.implications(opts, "KOR") == want
        # the networks page then reads the tables the focus page's evidence was built from
        assert ex.corporate(opts).country_share.equals(corp)
        assert ex.syndicate(opts).country_ties.equals(ties)
        info = ex._investor_networks.cache_info()  # type: ignore[attr-defined,unused-ignore]
        assert (info.misses, info.hits) == (1, 2)  # computed once, for the focus page
    finally:
        ex.close()
