"""Cross-source linkage: one record per company, round and investor that two sources report."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pytest
from cleanco import basename
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions, flow_matrix, refresh_flow_base
from vcflows.normalize import name_key
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.store import LinkOptions, connect, info, ingest_batch, link_sources

ALL = FlowOptions(sector="all")


@dataclass
class Deal:
    """One round as a source reports it."""

    company: str
    country: str | None
    date: str
    stage: str
    amount: float | None
    investors: list[tuple[str, str | None, bool | None]] = field(default_factory=list)


def _batch(source: str, deals: list[Deal]) -> SourceBatch:
    """A source's export of ``deals``: IDs of its own (as every adapter's are)."""
    b = SourceBatch(source=source)
    co, rd, pa, iv = [], [], [], []
    for k, d in enumerate(deals):
        cid, rid = f"{source}:co:{d.company}", f"{source}:r:{k}"
        co.append(
            {
                s.COMPANY_ID: cid,
                s.NAME: d.company,
                s.COUNTRY: d.country,
                s.IS_AI: True,
                s.SOURCE: source,
            }
        )
        rd.append(
            {
                s.ROUND_ID: rid,
                s.COMPANY_ID: cid,
                s.ANNOUNCED_ON: d.date,
                s.STAGE: d.stage,
                s.AMOUNT_USD: d.amount,
                s.SOURCE: source,
            }
        )
        for name, country, lead in d.investors:
            iid = f"{source}:inv:{name}"
            iv.append(
                {
                    s.INVESTOR_ID: iid,
                    s.NAME: name,
                    s.COUNTRY: country,
                    s.INVESTOR_TYPE: "vc",
                    s.SOURCE: source,
                }
            )
            pa.append({s.ROUND_ID: rid, s.INVESTOR_ID: iid, s.IS_LEAD: lead, s.SOURCE: source})
    b.companies, b.rounds = pd.DataFrame(co), pd.DataFrame(rd)
    b.participations = pd.DataFrame(pa, columns=s.columns(s.PARTICIPATIONS))
    b.investors = pd.DataFrame(iv, columns=s.columns(s.INVESTORS))
    b.accounts = [FileAccount(f"{source}.csv", read=len(deals), loaded=len(deals))]
    return b


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {
        kind: int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        for kind, table in s.LINK_TABLES.items()
    }


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    tables = [*s.CANONICAL_TABLES, *([s.LINKS] if _has_links(con) else [])]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def _has_links(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [s.LINKS]
        ).fetchall()[0][0]
    )


UPSTAGE_A = [
    Deal(
        "Upstage Co., Ltd.",
        "KOR",
        "2021-03-01",
        "series_b",
        10e6,
        [("SoftBank Ventures Asia", "KOR", True)],
    ),
]
UPSTAGE_B = [
    # The same round nine days later and 5 % larger, with one more investor.
    Deal(
        "Upstage",
        "KOR",
        "2021-03-10",
        "series_b",
        10.5e6,
        [("SoftBank Ventures Asia Corp.", "KOR", None), ("Sequoia Capital", "USA", True)],
    ),
    Deal("Upstage", "KOR", "2019-06-01", "seed", 1e6, [("Sequoia Capital", "USA", True)]),
]


def _two_sources(a: list[Deal], b: list[Deal]) -> duckdb.DuckDBPyConnection:
    con = connect(":memory:")
    ingest_batch(con, _batch("A", a))
    ingest_batch(con, _batch("B", b))
    return con


def test_one_deal_in_two_sources_counts_once_with_both_investors() -> None:
    con = _two_sources(UPSTAGE_A, UPSTAGE_B)
    before = _counts(con)
    total_before = flow_matrix(con, ALL)["amount_usd"].sum()
    assert total_before == pytest.approx(21.5e6)  # the round counted twice

    result = link_sources(con)
    refresh_flow_base(con)

    assert result.merged() == {"company": 1, "round": 1, "investor": 1, "participation": 1}
    assert result.double_counted_usd == 10.5e6
    rules = dict(zip(result.links["kind"], result.links["rule"], strict=False))
    assert rules == {
        "company": "name+country",
        "round": "date+amount",
        "investor": "name+country",
        "participation": "same round+investor",
    }
    # Both records side by side, as a reviewer reads them before merging.
    review = result.links.set_index("kind")[["record", "canonical_record"]]
    assert review.loc["company"].tolist() == ["Upstage (KOR)", "Upstage Co., Ltd. (KOR)"]
    assert review.loc["round"].tolist() == [
        "2021-03-10 series_b USD 10,500,000",
        "2021-03-01 series_b USD 10,000,000",
    ]
    # Records before = records after + links, kind by kind.
    after = _counts(con)
    assert {k: after[k] + result.merged()[k] for k in after} == before
    # A's round is kept (first ingested), with A's amount; B's seed round moves to A's company.
    rounds = con.execute(
        "SELECT round_id, company_id, amount_usd FROM rounds ORDER BY round_id"
    ).fetchall()
    assert rounds == [
        ("A:r:0", "A:co:Upstage Co., Ltd.", 10e6),
        ("B:r:1", "A:co:Upstage Co., Ltd.", 1e6),
    ]
    # Both sources' investors, once each; A's SoftBank keeps its lead flag.
    parts = con.execute(
        "SELECT investor_id, is_lead FROM participations WHERE round_id = 'A:r:0' ORDER BY 1"
    ).fetchall()
    assert parts == [
        ("A:inv:SoftBank Ventures Asia", True),
        ("B:inv:Sequoia Capital", True),
    ]
    # Money is conserved: each dollar once, split between the two investor countries.
    m = flow_matrix(con, ALL).set_index(["investor_country", "company_country"])["amount_usd"]
    assert m.sum() == pytest.approx(11e6)
    assert m[("KOR", "KOR")] == pytest.approx(5e6)
    assert m[("USA", "KOR")] == pytest.approx(5e6 + 1e6)
    # The merged records are kept whole.
    record = con.execute(
        f"SELECT {s.LINK_RECORD} FROM {s.LINKS} WHERE {s.LINK_KIND} = 'round'"
    ).fetchall()[0][0]
    assert '"round_id":"B:r:0"' in record and '"amount_usd":10500000.0' in record
    assert info(con)["links"] == [
        ("company", 1),
        ("round", 1),
        ("investor", 1),
        ("participation", 1),
    ]


def test_known_fields_stay_and_unknown_ones_are_filled() -> None:
    a = [Deal("Nota", None, "2022-01-05", "unknown", None, [("KB Investment", None, None)])]
    b = [Deal("Nota Inc.", "KOR", "2022-01-07", "series_b", 15e6, [("KB Investment", "KOR", True)])]
    con = _two_sources(a, b)
    # No amount and no stage in A: only the date can match, and one side's stage is unknown.
    assert link_sources(con, apply=False).merged()["round"] == 0
    a[0].stage = "series_b"
    con = _two_sources(a, b)
    result = link_sources(con)
    assert result.merged()["round"] == 1
    assert result.links.set_index("kind").loc["round", "rule"] == "date+stage"
    assert con.execute("SELECT country_iso3 FROM companies").fetchall() == [("KOR",)]
    assert con.execute("SELECT stage, amount_usd FROM rounds").fetchall() == [("series_b", 15e6)]
    assert con.execute("SELECT investor_id, country_iso3 FROM investors").fetchall() == [
        ("A:inv:KB Investment", "KOR")
    ]
    assert con.execute("SELECT is_lead FROM participations").fetchall() == [(True,)]


def test_dry_run_changes_nothing_and_finds_what_a_run_merges() -> None:
    con = _two_sources(UPSTAGE_A, UPSTAGE_B)
    before = _snapshot(con)
    dry = link_sources(con, apply=False)
    assert not dry.applied and dry.merged()["round"] == 1
    assert _snapshot(con) == before
    done = link_sources(con)
    pd.testing.assert_frame_equal(dry.links, done.links)


def test_link_again_and_reingest_add_nothing() -> None:
    con = _two_sources(UPSTAGE_A, UPSTAGE_B)
    link_sources(con)
    refresh_flow_base(con)
    linked = _snapshot(con)
    assert sum(link_sources(con).merged().values()) == 0
    again = ingest_batch(con, _batch("B", UPSTAGE_B))  # the second export once more
    assert sum(again.new_records.values()) == 0
    assert any("merged again" in n for n in again.notes)
    again = ingest_batch(con, _batch("A", UPSTAGE_A))
    assert sum(again.new_records.values()) == 0
    assert _snapshot(con) == linked
    refresh_flow_base(con)
    assert flow_matrix(con, ALL)["amount_usd"].sum() == pytest.approx(11e6)


def test_a_name_two_records_of_one_source_share_is_left_alone() -> None:
    a = [Deal("Layer", "USA", "2020-01-01", "seed", 1e6)]
    b = [
        Deal("Layer", "USA", "2020-01-02", "seed", 1e6),
        Deal("Layer Inc", "USA", "2020-01-03", "seed", 1e6),
    ]
    con = connect(":memory:")
    ingest_batch(con, _batch("A", a))
    batch = _batch("B", b)  # two companies of source B, told apart by their IDs
    batch.companies.loc[1, s.COMPANY_ID] = "B:co:Layer-2"
    batch.rounds.loc[1, s.COMPANY_ID] = "B:co:Layer-2"
    ingest_batch(con, batch)
    result = link_sources(con)
    assert sum(result.merged().values()) == 0
    assert result.ambiguous["company"] == 2


def test_different_countries_need_a_matching_round() -> None:
    a = [Deal("Trustev", "USA", "2013-02-14", "seed", 1e6)]
    b = [Deal("Trustev", "IRL", "2013-10-30", "series_a", 5e6)]
    assert sum(link_sources(_two_sources(a, b)).merged().values()) == 0
    b.append(Deal("Trustev", "IRL", "2013-02-20", "seed", 1.05e6))
    result = link_sources(_two_sources(a, b))
    assert result.links.set_index("kind").loc["company", "rule"] == "name+round"
    assert result.merged()["round"] == 1


def test_prefer_keeps_the_named_source() -> None:
    con = _two_sources(UPSTAGE_A, UPSTAGE_B)
    link_sources(con, LinkOptions(prefer=("B",)))
    rounds = con.execute("SELECT round_id, amount_usd FROM rounds ORDER BY 1").fetchall()
    assert rounds == [("B:r:0", 10.5e6), ("B:r:1", 1e6)]


def test_one_source_is_left_as_it_is_and_an_unknown_preference_refused() -> None:
    con = connect(":memory:")
    ingest_batch(con, _batch("A", UPSTAGE_A))
    before = _snapshot(con)
    result = link_sources(con)
    assert sum(result.merged().values()) == 0 and not _has_links(con)
    assert _snapshot(con) == before
    with pytest.raises(OptionError, match="no source 'Dealroom' in this store"):
        link_sources(con, LinkOptions(prefer=("Dealroom",)))


@pytest.mark.parametrize("kw", [{"days": -1}, {"amount_tolerance": 1.0}])
def test_bad_options_are_refused(kw: dict[str, float]) -> None:
    with pytest.raises(OptionError):
        LinkOptions(**kw)  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------------------

COUNTRIES = ["KOR", "USA", "GBR", None]


@st.composite
def two_exports(draw: st.DrawFn) -> tuple[list[Deal], list[Deal], list[float], float]:
    """Deals of distinct companies, each in A, in B or in both (B's copy drifted a little).

    Returns A's and B's deals, the amount each true deal should count once (A's when A
    has the deal and knows the amount, else B's) and the sum of those whose company has a
    country (the rest cannot flow to a country).
    """
    n = draw(st.integers(1, 8))
    a, b, truth = [], [], []
    for i in range(n):
        amount = draw(st.sampled_from([None, 1e6, 2.5e6, 40e6]))
        country = draw(st.sampled_from(COUNTRIES))
        investors = [
            (f"Fund {j}", draw(st.sampled_from(COUNTRIES[:3])), draw(st.booleans()))
            for j in draw(st.lists(st.integers(0, 5), min_size=1, max_size=3, unique=True))
        ]
        day = draw(st.integers(1, 20))
        deal = Deal(f"Company {i}", country, f"2021-05-{day:02d}", "series_a", amount, investors)
        where = draw(st.sampled_from(["A", "B", "both"]))
        if where != "B":
            a.append(deal)
        if where != "A":
            drift = draw(st.sampled_from([1.0, 0.95, 1.05]))
            b_amount = None if amount is None else amount * drift
            b_investors = draw(st.permutations(investors))[: draw(st.integers(1, len(investors)))]
            b.append(
                Deal(
                    f"Company {i} Ltd",
                    country,
                    f"2021-05-{day + draw(st.integers(0, 9)):02d}",
                    "series_a",
                    b_amount,
                    list(b_investors),
                )
            )
        once = amount if where != "B" else b[-1].amount
        if where == "both" and amount is None:
            once = b[-1].amount
        truth.append((once or 0.0, country))
    located = sum(x for x, country in truth if country is not None)
    return a, b, [x for x, _ in truth], located


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports=two_exports())
def test_linking_counts_each_deal_once_and_loses_no_record(
    exports: tuple[list[Deal], list[Deal], list[float], float],
) -> None:
    a, b, truth, located = exports
    con = _two_sources(a, b)
    before = _counts(con)
    result = link_sources(con)
    refresh_flow_base(con)
    after = _counts(con)
    assert {k: after[k] + result.merged()[k] for k in after} == before
    deals = len({d.company.removesuffix(" Ltd") for d in a + b})
    assert after["round"] == deals
    assert after["company"] == deals
    # Each deal's money once; every investor has a country, so all of it flows that can.
    total = con.execute("SELECT coalesce(sum(amount_usd), 0) FROM rounds").fetchall()[0][0]
    assert total == pytest.approx(sum(truth))
    assert flow_matrix(con, ALL)["amount_usd"].sum() == pytest.approx(located)
    # No investor twice in a round, and linking again finds nothing.
    dup = con.execute(
        "SELECT count(*) FROM (SELECT round_id, investor_id FROM participations "
        "GROUP BY ALL HAVING count(*) > 1)"
    ).fetchall()[0][0]
    assert dup == 0
    assert sum(link_sources(con).merged().values()) == 0


def _cleanco_key(name: str) -> str:
    """name_key by the letter of its docstring: cleanco's basename until nothing changes."""
    text = name.strip()
    for _ in range(3):
        shorter = basename(text).strip()
        if not shorter or shorter == text:
            break
        text = shorter
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


WORDS = [
    "Upstage",
    "Société",
    "Générale",
    "Twelve",
    "Labs",
    "AI",
    "업스테이지",
    "Co.",
    "Ltd",
    "Inc.",
    "GmbH",
    "&",
    "KG",
    "SA",
    "Corp",
    "LLC",
    "Oy",
    "Capital",
    "™",
    ",",
    "-",
    "plc",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), st.sampled_from([" ", ""]))
def test_name_key_agrees_with_cleanco(words: list[str], sep: str) -> None:
    name = sep.join(words) if sep == "" else " ".join(words)
    assert name_key(name) == _cleanco_key(name)


def test_name_key_examples() -> None:
    assert name_key("Upstage Co., Ltd.") == name_key("UPSTAGE") == "upstage"
    assert name_key("Société Générale SA") == name_key("societe generale")
    assert name_key("Sequoia Capital China") != name_key("Sequoia Capital")
    assert name_key(None) == name_key("") == ""


def test_same_day_links_unless_something_disagrees() -> None:
    a = [Deal("Rebellions", "KOR", "2024-01-30", "unknown", None)]
    b = [Deal("Rebellions", "KOR", "2024-01-30", "other", 124e6)]
    result = link_sources(_two_sources(a, b))
    assert result.links.set_index("kind").loc["round", "rule"] == "same date"
    b[0].date = "2024-01-31"  # a day apart, nothing else in common: not linked
    assert link_sources(_two_sources(a, b)).merged()["round"] == 0
    a[0].stage, b[0].stage, b[0].date = "seed", "series_c", "2024-01-30"  # stages disagree
    assert link_sources(_two_sources(a, b)).merged()["round"] == 0


def test_a_later_row_naming_a_merged_id_goes_to_the_kept_record() -> None:
    con = _two_sources(UPSTAGE_A, UPSTAGE_B)
    link_sources(con)
    late = SourceBatch(source="B")  # B's investments file alone, naming B's merged round
    late.participations = pd.DataFrame(
        [{s.ROUND_ID: "B:r:0", s.INVESTOR_ID: "B:inv:KDB", s.IS_LEAD: False, s.SOURCE: "B"}]
    )
    late.investors = pd.DataFrame(
        [
            {
                s.INVESTOR_ID: "B:inv:KDB",
                s.NAME: "KDB",
                s.COUNTRY: "KOR",
                s.INVESTOR_TYPE: "vc",
                s.SOURCE: "B",
            }
        ]
    )
    ingest_batch(con, late)
    rounds = con.execute(
        "SELECT round_id FROM participations WHERE investor_id = 'B:inv:KDB'"
    ).fetchall()
    assert rounds == [("A:r:0",)]
    assert con.execute("SELECT count(*) FROM rounds WHERE round_id = 'B:r:0'").fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("spellings", "bare"),
    [
        (
            ["주식회사 업스테이지", "(주)업스테이지", "업스테이지㈜", "（주） 업스테이지"],
            "업스테이지",
        ),
        (
            ["株式会社プリファードネットワークス", "(株)プリファードネットワークス"],
            "プリファードネットワークス",
        ),
        (["北京智谱华章科技有限公司", "北京智谱华章科技股份有限公司"], "北京智谱华章科技"),
    ],
)
def test_name_key_drops_cjk_legal_forms(spellings: list[str], bare: str) -> None:
    assert {name_key(n) for n in spellings} == {name_key(bare)}
    assert name_key("주식회사") != ""  # nothing else: the form is the name
