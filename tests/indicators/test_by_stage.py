"""Country indicators by stage group: each group's rows are the whole-period indicators of it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from deals import make_db
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.flows import FlowOptions
from vcflows.indicators import (
    INDICATOR_BY_STAGE_COLUMNS,
    country_indicators,
    country_indicators_by_stage,
)

_INVESTOR_COUNTRY = {"i1": "KOR", "i2": "USA", "i3": "GBR", "i4": None}
_COMPANY_COUNTRY = {"c1": "KOR", "c2": "USA", "c3": "GBR", "c4": None}
_round = st.tuples(
    st.sampled_from(sorted(_COMPANY_COUNTRY)),
    st.sampled_from([2020, 2021, None]),
    st.none() | st.floats(min_value=1.0, max_value=1e6, allow_nan=False),
    st.lists(
        st.tuples(st.sampled_from(sorted(_INVESTOR_COUNTRY)), st.booleans() | st.none()),
        max_size=3,
        unique_by=lambda t: t[0],
    ),
    st.sampled_from(["seed", "series_a", "series_b", "growth", "grant", "unknown"]),
)
_SUMMED = ("invested_in_usd", "deals_in", "invested_out_usd", "deals_out", "unattributed_in_usd")


def _rounds(drawn: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [
        (
            f"r{k}",
            cid,
            _COMPANY_COUNTRY[cid],
            year,
            amount,
            [(iid, _INVESTOR_COUNTRY[iid], lead) for iid, lead in invs],
            stage,
        )
        for k, (cid, year, amount, invs, stage) in enumerate(drawn)
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drawn=st.lists(_round, min_size=1, max_size=8),
    attribution=st.sampled_from(["equal", "lead", "full"]),
)
def test_stage_groups_sum_to_the_whole_period_and_match_a_stage_filter(
    drawn: list[tuple[Any, ...]], attribution: str
) -> None:
    con = make_db(_rounds(drawn))
    opts = FlowOptions(attribution=attribution)  # type: ignore[arg-type]
    by_stage = country_indicators_by_stage(con, opts)
    assert list(by_stage.columns) == list(INDICATOR_BY_STAGE_COLUMNS)
    whole = country_indicators(con, opts).set_index("country")
    summed = by_stage.groupby("country")[list(_SUMMED)].sum()
    for col in _SUMMED:  # money and deals are conserved across the groups
        pd.testing.assert_series_equal(
            summed[col].reindex(whole.index, fill_value=0.0),
            whole[col].astype(float),
            check_names=False,
            rtol=1e-9,
        )
    for group in s.STAGE_GROUPS:
        stages = tuple(st_ for st_, g in s.STAGE_GROUP.items() if g == group)
        expected = country_indicators(con, FlowOptions(attribution=attribution, stages=stages))  # type: ignore[arg-type]
        got = by_stage[by_stage["stage_group"] == group].drop(columns="stage_group")
        assert len(got) == len(expected)
        if len(expected):
            pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


ROUNDS = [
    ("r1", "k1", "KOR", 2020, 40.0, [("kor_a", "KOR"), ("us_a", "USA")], "seed"),
    ("r2", "k1", "KOR", 2021, 300.0, [("us_a", "USA")], "series_b"),
    ("r3", "u1", "USA", 2021, 500.0, [("us_a", "USA")], "series_a"),
]


def test_hand_case_and_stage_filter() -> None:
    con = make_db(ROUNDS)
    ind = country_indicators_by_stage(con).set_index(["country", "stage_group"])
    assert ind.loc[("KOR", "early"), "invested_in_usd"] == 40.0
    assert ind.loc[("KOR", "early"), "foreign_share_in"] == pytest.approx(0.5)
    assert ind.loc[("KOR", "late"), "foreign_share_in"] == 1.0
    assert ind.loc[("USA", "early"), "invested_out_usd"] == 520.0
    assert ind.loc[("USA", "early"), "share_global"] == pytest.approx(500 / 540)
    only_seed = country_indicators_by_stage(con, FlowOptions(stages=("seed",)))
    assert set(only_seed["stage_group"]) == {"early"}
    assert only_seed.set_index("country").loc["KOR", "invested_in_usd"] == 40.0


def test_cli_by_stage_json(tmp_path: Path) -> None:
    path = tmp_path / "deals.duckdb"
    make_db(ROUNDS, path=str(path)).close()
    res = CliRunner().invoke(app, ["indicators", "--db", str(path), "--by", "stage", "-f", "json"])
    assert res.exit_code == 0, res.output
    recs = json.loads(res.stdout)
    assert {(r["country"], r["stage_group"]) for r in recs} == {
        ("KOR", "early"),
        ("USA", "early"),
        ("KOR", "late"),
        ("USA", "late"),
    }
    assert all(set(r) == set(INDICATOR_BY_STAGE_COLUMNS) for r in recs)
