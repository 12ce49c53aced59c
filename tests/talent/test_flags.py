"""Talent flags by hand: founder titles, dates against the founding date, name keys, degrees."""

from __future__ import annotations

import datetime as dt

import pytest
from deals import make_db  # type: ignore[import-not-found]
from hypothesis import given
from hypothesis import strategies as st
from talent_people import Person, add_people  # type: ignore[import-not-found]

from vcflows import schema as s
from vcflows.errors import InputFileError
from vcflows.normalize import is_founder_title
from vcflows.talent import load_talent_list, talent_flags

D = dt.date
U = 1_000_000.0


def _universe() -> dict[str, tuple[bool | None, str]]:
    """Company -> (talent_founded, why); None: the company has no founder (not listed)."""
    return {
        "k1": (True, "Co-Founder | CTO, OpenAI role ended before founding"),
        "k2": (False, "DeepMind role ended after founding"),
        "k3": (False, "'OpenAI Alumni Ventures' merely contains a listed name"),
        "k4": (None, "the only person is a CEO: no founder"),
        "k5": (True, "Ph.D. in Machine Learning"),
        "k6": (False, "an MBA in computer science is no doctorate"),
        "k7": (True, "Naver role without end date, started before the first round"),
        "k8": (False, "Meta FAIR role started after the first round"),
        "k9": (None, "'Foundry Lead' is not a founder title"),
    }


def _db():  # type: ignore[no-untyped-def]
    rounds = [(f"r{k}", k, "KOR", 2021, U, [("us", "USA")]) for k in _universe()]
    founded = {k: {s.FOUNDED_ON: D(2020, 1, 1)} for k in _universe() if k not in ("k7", "k8")}
    con = make_db(rounds, companies=founded)
    add_people(
        con,
        [
            Person("p1", "k1", "Co-Founder | CTO", roles=[("OpenAI", D(2016, 1, 1), D(2019, 6, 30))]),
            Person("p2", "k2", "Founder", roles=[("Google DeepMind", D(2017, 1, 1), D(2021, 3, 1))]),
            Person("p3", "k3", "Founder | CEO", roles=[("OpenAI Alumni Ventures", None, D(2018, 1, 1))]),
            Person("p4", "k4", "CEO", roles=[("OpenAI", None, D(2018, 1, 1))]),
            Person("p5", "k5", "cofounder", degrees=[("Ph.D.", "Machine Learning")]),
            Person("p6", "k6", "FOUNDER", degrees=[("MBA", "Computer Science")]),
            Person("p7", "k7", "CEO/Founder", roles=[("Naver Corp.", D(2019, 1, 1), None)]),
            Person("p8", "k8", "Co Founder", roles=[("Meta FAIR", D(2022, 1, 1), None)]),
            Person("p9", "k9", "Foundry Lead", roles=[("OpenAI", None, D(2015, 1, 1))]),
        ],
    )  # fmt: skip
    return con


def test_hand_computed_flags() -> None:
    flags = talent_flags(_db())
    got = dict(zip(flags.companies[s.COMPANY_ID], flags.companies["talent_founded"], strict=True))
    expected = {k: v for k, (v, _) in _universe().items() if v is not None}
    assert got == expected
    ev = flags.evidence.set_index(s.COMPANY_ID)
    assert ev.loc["k1", "matched"] == "OpenAI" and ev.loc["k1", "match"] == "organisation"
    assert ev.loc["k1", "detail"] == "ended 2019-06-30, before founding 2020-01-01"
    assert ev.loc["k5", "match"] == "degree" and "Machine Learning" in ev.loc["k5", "matched"]
    # k7 has no founding date: the first round (2021-06-01) is the reference, and the role's
    # missing end date is said.
    assert ev.loc["k7", "matched"] == "Naver"
    assert ev.loc["k7", "detail"] == "no end date (started 2019-01-01; first round 2021-06-01)"
    refs = flags.companies.set_index(s.COMPANY_ID)["reference"]
    assert refs["k7"] == "first_round" and refs["k1"] == "founded_on"


def test_no_people_no_flags() -> None:
    con = make_db([("r1", "k1", "KOR", 2021, U, [("us", "USA")])])
    flags = talent_flags(con)
    assert not flags.has_people and flags.companies.empty


@pytest.mark.parametrize(
    ("title", "founder"),
    [
        ("Founder | CEO", True), ("Co-Founder | CTO", True), ("Co Founder", True),
        ("Cofounder", True), ("CEO/Founder", True), ("FOUNDERS", True),
        ("Founding Partner", False), ("Foundry Lead", False), ("Founderscoin Advisor", False),
        ("CEO", False), ("", False), (None, False),
    ],
)  # fmt: skip
def test_founder_titles(title: str | None, founder: bool) -> None:
    assert is_founder_title(title) is founder


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


@given(WORD, WORD, st.sampled_from([" | ", " / ", ", ", " & ", "-"]))
def test_founder_is_a_whole_word(prefix: str, other: str, sep: str) -> None:
    # A founder word among others makes a founder title, whatever the case...
    assert is_founder_title(f"{other.upper()}{sep}Founder")
    # ...glued to other letters it is another word (unless that word is "co").
    glued = f"{prefix}founder{other}"
    assert is_founder_title(glued) is False


def test_names_match_by_key_never_by_substring() -> None:
    talent = load_talent_list()
    assert talent.org("OpenAI, L.L.C.") is not None
    assert talent.org("Massachusetts Institute of Technology - MIT") is not None
    for name in ("OpenAI Alumni Ventures", "Google", "DeepMindful Labs", "Naver Webtoon"):
        assert talent.org(name) is None, name


def test_user_list_adds_and_excludes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "mine.toml"
    extra.write_text(
        'exclude = ["NAVER"]\n[[organisations]]\nname = "Upstage AI Lab"\nkind = "ai_lab"\n'
        'rationale = "a test"\nsource = "here"\n',
        encoding="utf-8",
    )
    talent = load_talent_list([extra])
    assert talent.org("Upstage AI Lab") is not None
    assert talent.org("Naver") is None and talent.org("Clova AI") is None
    bad = tmp_path / "bad.toml"
    bad.write_text('[[organisations]]\nname = "X"\nkind = "lab"\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"bad.toml.*organisations\[1\]"):
        load_talent_list([bad])
