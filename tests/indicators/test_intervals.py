"""Bootstrap intervals of the share indicators: definition, containment, shrinkage, seed."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from deals import make_db
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vcflows.cli import app
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.indicators import (
    INDICATOR_BY_YEAR_COLUMNS,
    INDICATOR_COLUMNS,
    SHARE_INDICATORS,
    IntervalOptions,
    country_indicators,
    country_indicators_by_year,
    share_intervals,
)
from vcflows.indicators.intervals import ci_high, ci_low, poisson_weights

_INVESTOR_COUNTRY = {"i1": "KOR", "i2": "USA", "i3": "GBR", "i4": None}
_COMPANY_COUNTRY = {"c1": "KOR", "c2": "USA", "c3": "GBR", "c4": None}
_round = st.tuples(
    st.sampled_from(sorted(_COMPANY_COUNTRY)),
    st.sampled_from([2020, 2021, None]),
    st.none() | st.floats(min_value=1.0, max_value=1e6, allow_nan=False),
    st.lists(
        st.tuples(st.sampled_from(sorted(_INVESTOR_COUNTRY)), st.booleans()),
        max_size=3,
        unique_by=lambda t: t[0],
    ),
)
_SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _rounds(drawn: list[tuple[Any, ...]], copies: int = 1) -> list[tuple[Any, ...]]:
    """Rounds ``r00``, ``r01``, … (ids sort as drawn), each ``copies`` times."""
    return [
        (
            f"r{k:02d}" + (f"_{j:02d}" if copies > 1 else ""),
            cid,
            _COMPANY_COUNTRY[cid],
            year,
            amount,
            [(iid, _INVESTOR_COUNTRY[iid], lead) for iid, lead in invs],
        )
        for k, (cid, year, amount, invs) in enumerate(drawn)
        for j in range(copies)
    ]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking rebuilds stores: slow
)
@given(
    drawn=st.lists(_round, min_size=1, max_size=5),
    attribution=st.sampled_from(["equal", "lead", "full"]),
    by_year=st.booleans(),
)
def test_each_resample_is_the_indicators_of_the_rounds_drawn_that_many_times(
    drawn: list[tuple[Any, ...]], attribution: str, by_year: bool
) -> None:
    """The interval is the percentile interval of the indicators of the resampled stores.

    A Poisson resample draws round ``r`` ``w_r`` times: the reference builds that store (each
    round copied ``w_r`` times) and computes its indicators with the ordinary functions.
    """
    opts = FlowOptions(attribution=attribution)  # type: ignore[arg-type]
    ci = IntervalOptions(level=0.8, resamples=8, seed=3)
    rounds = _rounds(drawn)
    got = share_intervals(make_db(rounds), opts, ci, by_year=by_year)
    keys = ["country", "year"] if by_year else ["country"]
    # Rounds weighed: those of the selection (dated ones only by year), in id order.
    weighed = [r for r in rounds if r[3] is not None] if by_year else rounds
    drawn_weights = poisson_weights(len(weighed), ci.resamples, ci.seed)
    weights = np.vstack([np.empty((0, len(weighed))), *drawn_weights])
    samples = []
    index = pd.MultiIndex.from_frame(got[keys]) if by_year else pd.Index(got["country"])
    for w in weights:
        copies = [
            (f"{r[0]}_{j}", *r[1:]) for r, n in zip(weighed, w, strict=True) for j in range(int(n))
        ]
        one = (
            (country_indicators_by_year if by_year else country_indicators)(make_db(copies), opts)
            if copies
            else pd.DataFrame(columns=[*keys, *SHARE_INDICATORS, "invested_in_usd", "deals_in"])
        ).set_index(keys)
        frame = one[list(SHARE_INDICATORS)].reindex(index)
        # A country absent from a resample received none of its money: a share of 0 of the
        # world total (of its year), when that total is not 0.
        for share, total in (
            ("share_global", "invested_in_usd"),
            ("share_global_deals", "deals_in"),
        ):
            if by_year:
                tot = one[total].groupby(level="year").sum()
                year_tot = index.get_level_values("year").map(tot).to_numpy(dtype=float)
                defined = np.nan_to_num(year_tot) > 0
            else:
                defined = np.full(len(index), float(one[total].sum()) > 0)
            frame[share] = frame[share].where(frame[share].notna() | ~defined, 0.0)
        samples.append(frame)
    if got.empty:  # no country in any round: no resample has a share either
        return
    for name in SHARE_INDICATORS:
        values = np.column_stack([s[name].to_numpy(dtype=float) for s in samples])
        tail = (1 - ci.level) / 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a share undefined throughout
            lo, hi = np.nanquantile(values, [tail, 1 - tail], axis=1)
        np.testing.assert_allclose(got[ci_low(name)], lo, rtol=1e-9, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(got[ci_high(name)], hi, rtol=1e-9, atol=1e-12, err_msg=name)


@_SETTINGS
@given(drawn=st.lists(_round, min_size=1, max_size=8), by_year=st.booleans())
def test_intervals_contain_the_point_value(drawn: list[tuple[Any, ...]], by_year: bool) -> None:
    con = make_db(_rounds(drawn))
    ci = IntervalOptions(level=0.5, resamples=40, seed=1)
    plain = (country_indicators_by_year if by_year else country_indicators)(con)
    ind = (country_indicators_by_year if by_year else country_indicators)(con, ci=ci)
    # The point values and their order are those without intervals.
    pd.testing.assert_frame_equal(ind[list(plain.columns)], plain)
    for name in SHARE_INDICATORS:
        point, low, high = ind[name], ind[ci_low(name)], ind[ci_high(name)]
        assert (point.isna() == low.isna()).all() and (point.isna() == high.isna()).all(), name
        ok = point.notna()
        assert (low[ok] <= point[ok]).all() and (point[ok] <= high[ok]).all(), name
        assert (low[ok] >= -1e-12).all() and (high[ok] <= 1 + 1e-12).all(), name


def _width(ind: pd.DataFrame, name: str) -> pd.Series:
    return (ind[ci_high(name)] - ind[ci_low(name)]).fillna(0.0)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=st.lists(_round, min_size=2, max_size=6))
def test_intervals_shrink_as_the_rounds_grow(drawn: list[tuple[Any, ...]]) -> None:
    """The same deals, each repeated 16 times: same shares, intervals no wider (about 1/4)."""
    ci = IntervalOptions(level=0.9, resamples=200, seed=0)
    small = country_indicators(make_db(_rounds(drawn)), ci=ci).set_index("country")
    large = country_indicators(make_db(_rounds(drawn, copies=16)), ci=ci).set_index("country")
    large = large.reindex(small.index)
    for name in SHARE_INDICATORS:
        pd.testing.assert_series_equal(large[name], small[name], rtol=1e-9, atol=1e-12)
        assert (_width(large, name) <= _width(small, name) + 1e-9).all(), name


def _world(n: int) -> list[tuple[Any, ...]]:
    """``n`` rounds of three countries, a deterministic mix of domestic and foreign money."""
    rng = np.random.default_rng(11)
    out = []
    for k in range(n):
        cc = ("KOR", "USA", "GBR")[k % 3]
        invs = [("i_" + ic, ic) for ic in ("KOR", "USA", "GBR") if rng.random() < 0.5] or [
            ("i_" + cc, cc)
        ]
        out.append(
            (f"r{k:04d}", f"c{k % 40}{cc}", cc, 2019 + k % 4, float(rng.lognormal(15, 1)), invs)
        )
    return out


def test_one_seed_gives_byte_identical_output_and_another_seed_differs() -> None:
    con = make_db(_world(300))
    runs = [
        country_indicators_by_year(con, ci=IntervalOptions(0.9, 100, seed)).to_csv(index=False)
        for seed in (5, 5, 6)
    ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_more_rounds_narrow_the_interval_on_one_world() -> None:
    """A sample of 60 rounds of the same world gives a wider interval than all 600."""
    ci = IntervalOptions(0.9, 200, 0)
    world = _world(600)
    few = country_indicators(make_db(world[:60]), ci=ci).set_index("country")
    many = country_indicators(make_db(world), ci=ci).set_index("country")
    for country in ("KOR", "USA", "GBR"):
        assert _width(many, "foreign_share_in")[country] < _width(few, "foreign_share_in")[country]


def test_without_ci_the_columns_are_unchanged() -> None:
    con = make_db(_world(30))
    assert list(country_indicators(con).columns) == list(INDICATOR_COLUMNS)
    assert list(country_indicators_by_year(con).columns) == list(INDICATOR_BY_YEAR_COLUMNS)
    with_ci = country_indicators(con, ci=IntervalOptions())
    i = list(with_ci.columns).index("foreign_share_in")
    assert list(with_ci.columns)[i : i + 3] == [
        "foreign_share_in",
        "foreign_share_in_ci_low",
        "foreign_share_in_ci_high",
    ]
    assert len(with_ci.columns) == len(INDICATOR_COLUMNS) + 2 * len(SHARE_INDICATORS)


@pytest.mark.parametrize(
    "kwargs",
    [{"level": 1.0}, {"level": 0.0}, {"resamples": 0}, {"seed": -1}, {"level": True}],
)
def test_bad_interval_options_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(OptionError):
        IntervalOptions(**kwargs)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "deals.duckdb"
    make_db(_world(90), path=str(path)).close()
    return path


def test_cli_ci_by_year_json_and_identical_reruns(db: Path) -> None:
    runner = CliRunner()
    args = ["indicators", "--db", str(db), "--by", "year", "--ci", "0.9", "-f", "json"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    recs = json.loads(first.stdout)
    assert {r["year"] for r in recs} == {2019, 2020, 2021, 2022}
    for r in recs:
        for name in SHARE_INDICATORS:
            if r[name] is not None:
                assert r[ci_low(name)] <= r[name] <= r[ci_high(name)]
    plain = runner.invoke(app, ["indicators", "--db", str(db), "-f", "json"])
    assert not any(k.endswith("_ci_low") for k in json.loads(plain.stdout)[0])
    csv = runner.invoke(app, ["indicators", "--db", str(db), "--ci", "0.9", "-f", "csv"])
    assert csv.exit_code == 0, csv.output
    assert "foreign_share_in,foreign_share_in_ci_low,foreign_share_in_ci_high" in csv.stdout
    table = runner.invoke(app, ["indicators", "--db", str(db), "--ci", "0.9"])
    assert table.exit_code == 0, table.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [(["--ci", "1.5"], "--ci"), (["--ci", "0.9", "--resamples", "0"], "resamples")],
)
def test_cli_ci_rejects_bad_values(db: Path, extra: list[str], message: str) -> None:
    res = CliRunner().invoke(app, ["indicators", "--db", str(db), *extra])
    assert res.exit_code != 0
    assert message in res.output
