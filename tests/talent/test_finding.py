"""The finding talent_draws_foreign and the per-country comparison, on hand universes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from deals import make_db  # type: ignore[import-not-found]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from talent_people import Person, add_people  # type: ignore[import-not-found]

from vcflows import FindingOptions, evaluate_findings, talent_analysis
from vcflows.findings import CLAIMS
from vcflows.findings.talent import CLAIM
from vcflows.flows import FlowOptions

U = 1_000_000.0
D = dt.date
OPTS = FindingOptions(min_rounds=1, resamples=200, seed=3)
N = 12  # talent-founded Korean companies (the guard asks for 10)


def _world(talent_foreign: bool) -> tuple[list[tuple[Any, ...]], list[Person]]:
    """Korea: N talent-founded companies and N others; one of the groups half foreign-funded.

    The others' founders worked at a listed lab too, but left after founding (no talent);
    o0 draws a third of its money from Japan whatever the world. Japan: one talent-founded
    company (below the guard).
    """
    mixed = [("us", "USA"), ("kr", "KOR")]
    home = [("kr", "KOR")]
    rounds = [
        (f"t{i}", f"t{i}", "KOR", 2021, (1 + i) * U, mixed if talent_foreign else home)
        for i in range(N)
    ]
    rounds += [
        (f"o{i}", f"o{i}", "KOR", 2021, (2 + i) * U, home if talent_foreign else mixed)
        for i in range(1, N)
    ]
    rounds += [("o0", "o0", "KOR", 2021, 6 * U, [("kr", "KOR"), ("jp", "JPN"), ("kr2", "KOR")])]
    rounds += [("j1", "j1", "JPN", 2021, 4 * U, [("jp", "JPN")])]
    left_late = [("OpenAI", D(2015, 1, 1), D(2022, 1, 1))]
    people = [Person(f"pt{i}", f"t{i}", roles=[("OpenAI", None, D(2020, 1, 1))]) for i in range(N)]
    people += [Person(f"po{i}", f"o{i}", "Co-Founder", roles=left_late) for i in range(N)]
    people += [Person("pj", "j1", degrees=[("PhD", "Statistics")])]
    return rounds, people


def _db(talent_foreign: bool):  # type: ignore[no-untyped-def]
    rounds, people = _world(talent_foreign)
    con = make_db(rounds)
    add_people(con, people)
    return con


def _talent(found: tuple[Any, ...]) -> dict[str, Any]:
    return {f.subject: f for f in found if f.claim == CLAIM}


def _hand_difference(talent_foreign: bool) -> float:
    o_amounts = [(2 + i) * U for i in range(1, N)]
    o0 = 6 * U
    if talent_foreign:  # talent half foreign; others foreign only in o0's Japanese third
        return 0.5 - (o0 / 3) / (sum(o_amounts) + o0)
    others = (0.5 * sum(o_amounts) + o0 / 3) / (sum(o_amounts) + o0)
    return 0.0 - others


@pytest.mark.parametrize("talent_foreign", [True, False])
def test_finding_on_hand_universes(talent_foreign: bool) -> None:
    found = _talent(evaluate_findings(_db(talent_foreign), FlowOptions(), "KOR", OPTS))
    kor = found["KOR"]
    assert kor.value == pytest.approx(_hand_difference(talent_foreign))
    assert kor.reason is None and kor.holds is talent_foreign
    assert kor.ci_low is not None and kor.ci_high is not None
    assert kor.ci_low <= kor.value <= kor.ci_high
    assert (kor.ci_low > 0) is talent_foreign and (kor.ci_high < 0) is not talent_foreign
    assert kor.figures["talent_companies"] == N and kor.figures["other_companies"] == N
    # Japan has founder data but one talent-founded company: undetermined, said why.
    assert list(found) == ["KOR", "JPN"]
    assert found["JPN"].holds is None and "1 talent-founded company" in found["JPN"].reason


def test_guard_threshold_is_an_option() -> None:
    strict = FindingOptions(thresholds={"talent_min_companies": N + 1}, min_rounds=1)
    kor = _talent(evaluate_findings(_db(True), FlowOptions(), "KOR", strict))["KOR"]
    assert kor.holds is None and f"fewer than {N + 1}" in kor.reason


def test_without_people_one_undetermined_record_naming_the_files() -> None:
    rounds, _ = _world(True)
    found = evaluate_findings(make_db(rounds), FlowOptions(), "KOR", OPTS)
    assert found[-1].claim == CLAIM == CLAIMS[-1]
    talent = [f for f in found if f.claim == CLAIM]
    assert len(talent) == 1 and talent[0].subject == "KOR" and talent[0].holds is None
    for needed in ("people.csv", "jobs.csv", "founders"):
        assert needed in talent[0].reason


def test_people_data_leave_the_other_findings_unchanged() -> None:
    rounds, people = _world(True)
    bare = make_db(rounds)
    before = [f for f in evaluate_findings(bare, FlowOptions(), "KOR", OPTS) if f.claim != CLAIM]
    add_people(bare, people)
    after = [f for f in evaluate_findings(bare, FlowOptions(), "KOR", OPTS) if f.claim != CLAIM]
    assert before == after


def test_country_table_hand_computed() -> None:
    res = talent_analysis(_db(True), FlowOptions(), resamples=0)
    kor = res.countries.set_index("country").loc["KOR"]
    t_usd = sum((1 + i) * U for i in range(N))
    all_usd = t_usd + sum((2 + i) * U for i in range(1, N)) + 6 * U
    assert kor["ai_usd"] == pytest.approx(all_usd)
    assert kor["talent_share"] == pytest.approx(t_usd / all_usd)
    assert kor["talent_foreign_share"] == pytest.approx(0.5)
    assert kor["ci_low"] is None or kor["ci_low"] != kor["ci_low"]  # no resamples, no interval


ROUND = st.tuples(
    st.sampled_from(["KOR", "JPN", "USA"]),
    st.floats(min_value=0.1, max_value=100.0),
    st.lists(st.sampled_from(["KOR", "JPN", "USA", "GBR"]), min_size=1, max_size=3),
    st.booleans(),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ROUND, min_size=1, max_size=12))
def test_money_is_conserved(spec: list[tuple[str, float, list[str], bool]]) -> None:
    rounds, people = [], []
    for k, (country, amount, investors, talented) in enumerate(spec):
        inv = [(f"i{j}{c}", c) for j, c in enumerate(investors)]
        rounds.append((f"r{k}", f"c{k}", country, 2021, amount * U, inv))
        lab = "OpenAI" if talented else "Acme Robotics"
        people.append(Person(f"p{k}", f"c{k}", roles=[(lab, None, D(2019, 1, 1))]))
    con = make_db(rounds)
    add_people(con, people)
    res = talent_analysis(con, FlowOptions(), resamples=20)
    for country, group in res.companies.groupby("country"):
        row = res.countries.set_index("country").loc[country]
        raised = sum(a for _, _, c, _, a, _ in rounds if c == country)
        assert row["ai_usd"] == pytest.approx(raised)
        assert group["total_usd"].sum() == pytest.approx(raised)
        talent_usd = sum(
            r[4] for r, p in zip(rounds, spec, strict=True) if r[2] == country and p[3]
        )
        assert row["talent_usd"] == pytest.approx(talent_usd)
        assert 0.0 <= row["talent_share"] <= 1.0
        assert row["talent_companies"] + row["other_companies"] == len(group)
