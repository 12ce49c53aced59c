"""Two sources exporting the same deals: once linked, the store answers as with one source."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from vcflows.flows import FlowOptions, flow_matrix, refresh_flow_base
from vcflows.indicators import country_indicators
from vcflows.store import connect, link_sources
from vcflows.store.bulk import ingest_generic

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # the benchmarks' export generator, as tests/benchmarks use it
    sys.path.insert(0, str(REPO))


def _answers(con) -> tuple[pd.DataFrame, pd.DataFrame, int]:  # type: ignore[no-untyped-def]
    refresh_flow_base(con)
    key = ["investor_country", "company_country"]
    fm = flow_matrix(con, FlowOptions()).sort_values(key).reset_index(drop=True)
    ind = country_indicators(con, FlowOptions()).sort_values("country").reset_index(drop=True)
    rounds = int(con.execute("SELECT count(*) FROM rounds").fetchall()[0][0])
    return fm, ind, rounds


def test_twin_exports_linked_give_the_one_source_answers(tmp_path: Path) -> None:
    from benchmarks.data import MAPPING, paths, prepare

    prepare(10_000, log=False)  # the demo universe's deal export (shared with the benchmarks)
    export = paths(10_000)["parquet"]
    twin = tmp_path / "twin.toml"  # the same export, as another vendor's
    twin.write_text(
        MAPPING.read_text(encoding="utf-8").replace('source = "bench"', 'source = "twin"'),
        encoding="utf-8",
    )
    one = connect(tmp_path / "one.duckdb")
    ingest_generic(one, [export], mapping=MAPPING)
    fm1, ind1, rounds1 = _answers(one)

    two = connect(tmp_path / "two.duckdb")
    ingest_generic(two, [export], mapping=MAPPING)
    ingest_generic(two, [export], mapping=twin)
    assert _answers(two)[2] == 2 * rounds1  # every deal twice before linking
    result = link_sources(two)
    fm2, ind2, rounds2 = _answers(two)

    assert result.merged()["round"] == rounds1 == rounds2
    assert result.ambiguous == {"company": 0, "round": 0, "investor": 0, "participation": 0}
    pd.testing.assert_frame_equal(fm1, fm2)
    pd.testing.assert_frame_equal(ind1, ind2)
