"""Flow matrix breakdowns and determinism."""

from __future__ import annotations

import pytest
from deals import make_db

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions, flow_matrix

ROUNDS = [
    ("r1", "c1", "GBR", 2020, 100.0, [("u", "USA"), ("g", "GBR")], "seed"),
    ("r2", "c1", "GBR", 2021, 40.0, [("u", "USA")], "series_a"),
    ("r3", "c2", "GBR", 2021, 60.0, [("u", "USA")], "seed"),
]


def test_by_year_and_stage() -> None:
    con = make_db(ROUNDS)
    m = flow_matrix(con, FlowOptions(), by=("year", "stage"))
    assert list(m.columns) == [
        "investor_country", "company_country", "year", "stage", "amount_usd", "deals",
    ]  # fmt: skip
    rows = {(r.investor_country, r.year, r.stage): r.amount_usd for r in m.itertuples()}
    assert rows == {
        ("GBR", 2020, "seed"): 50.0,
        ("USA", 2020, "seed"): 50.0,
        ("USA", 2021, "seed"): 60.0,
        ("USA", 2021, "series_a"): 40.0,
    }
    by_year = flow_matrix(con, FlowOptions(), by=["year"])
    usa = by_year[by_year["investor_country"] == "USA"].set_index("year")["amount_usd"].to_dict()
    assert usa == {2020: 50.0, 2021: 100.0}


def test_bad_breakdown_is_rejected() -> None:
    con = make_db(ROUNDS)
    with pytest.raises(OptionError, match="by"):
        flow_matrix(con, FlowOptions(), by=("investor_type",))


def test_same_input_gives_identical_output() -> None:
    a = flow_matrix(make_db(ROUNDS), FlowOptions(), by=("year",))
    b = flow_matrix(make_db(list(reversed(ROUNDS))), FlowOptions(), by=("year",))
    assert a.to_csv() == b.to_csv()
