"""Big-tech groups: investors grouped by name whatever their type (hand-computed values)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pycountry
import pytest

from vcflows import schema as s
from vcflows.flows import FlowOptions
from vcflows.network import corporate_network
from vcflows.network.groups import corporate_groups, investor_groups
from vcflows.sources import SourceBatch, read_source
from vcflows.store import connect, ingest_batch

INVESTORS = [
    ("i1", "Intel Capital", "USA", "other"),  # a member, typed "other" by the export
    ("i2", "GV", "USA", "vc"),
    ("i3", "Google Ventures, LLC", "USA", "unknown"),  # legal form: same key as the member
    ("i4", "Intelligent Systems", "USA", "vc"),  # starts like "Intel": not a member
    ("i5", "QUALCOMM Executive", None, "angel"),  # a person, not Qualcomm
    ("i6", "Samsung Ventures", "KOR", "unknown"),
    ("i7", "KR VC", "KOR", "vc"),
    ("i8", "삼성벤처투자(주)", "KOR", "unknown"),  # a Korean export's spelling of Samsung's arm
    ("i9", "삼성", "KOR", "vc"),  # not a listed name: no substring matching in any script
]
ROUNDS = [  # round, company, company country, amount, investors (equal split)
    ("r1", "c1", "KOR", 100.0, ["i1", "i7"]),
    ("r2", "c2", "USA", 300.0, ["i2", "i3", "i4"]),
    ("r3", "c3", "GBR", 90.0, ["i6", "i5", "i7"]),
    ("r4", "c1", "KOR", 40.0, ["i6"]),
    ("r5", "c4", None, 60.0, ["i6"]),  # a company of unknown country: neither home nor abroad
]


@pytest.fixture
def con():  # type: ignore[no-untyped-def]
    b = SourceBatch(source="test")
    b.companies = pd.DataFrame(
        [{s.COMPANY_ID: c, s.NAME: c, s.COUNTRY: k, s.IS_AI: True} for _, c, k, _, _ in ROUNDS]
    )
    b.rounds = pd.DataFrame(
        [
            {
                s.ROUND_ID: r,
                s.COMPANY_ID: c,
                s.ANNOUNCED_ON: "2021-06-01",
                s.STAGE: "seed",
                s.AMOUNT_USD: usd,
            }
            for r, c, _, usd, _ in ROUNDS
        ]
    )
    b.participations = pd.DataFrame(
        [{s.ROUND_ID: r, s.INVESTOR_ID: i} for r, _, _, _, ids in ROUNDS for i in ids]
    )
    b.investors = pd.DataFrame(
        [
            {s.INVESTOR_ID: i, s.NAME: n, s.COUNTRY: k, s.INVESTOR_TYPE: t}
            for i, n, k, t in INVESTORS
        ]
    )
    db = connect(":memory:")
    ingest_batch(db, b)
    return db


def test_the_shipped_table_is_well_formed() -> None:
    groups = corporate_groups()
    assert groups["key"].is_unique and (groups["key"].str.len() >= 2).all()
    assert all(pycountry.countries.get(alpha_3=c) for c in groups["group_country"].unique())
    assert {"Alphabet", "Microsoft", "NVIDIA", "Samsung", "Tencent", "SoftBank"} <= set(
        groups["corporate_group"]
    )


def test_members_are_found_by_name_key_only(con) -> None:  # type: ignore[no-untyped-def]
    found = investor_groups(con).set_index("investor_id")["corporate_group"].to_dict()
    assert found == {
        "i1": "Intel",
        "i2": "Alphabet",
        "i3": "Alphabet",
        "i6": "Samsung",
        "i8": "Samsung",
    }


def test_groups_table_by_hand(con) -> None:  # type: ignore[no-untyped-def]
    res = corporate_network(con, FlowOptions())
    g = res.groups.set_index("corporate_group")
    assert list(g.index) == ["Alphabet", "Samsung", "Intel"]  # by amount (200, 130, 50)
    assert g.loc["Alphabet", ["investors", "degree", "amount_usd", "rounds"]].tolist() == [
        2,
        1,
        200.0,
        1,
    ]  # GV and Google Ventures: 100 each of r2
    assert g.loc["Alphabet", "foreign_share"] == 0.0
    assert g.loc["Samsung", "amount_usd"] == pytest.approx(30 + 40 + 60)
    assert g.loc["Samsung", "foreign_share"] == pytest.approx(30 / 70)  # GBR of KOR's group
    inv = res.investors.set_index("investor_id")
    assert inv.loc["i6", "foreign_share"] == pytest.approx(30 / 70)  # the same for the arm
    assert g.loc["Samsung", "top_country"] == "KOR"
    assert g.loc["Intel", "foreign_share"] == 1.0 and g.loc["Intel", "group_country"] == "USA"
    # Members count as corporate investors whatever their type; the others do not.
    assert sorted(res.investors["investor_id"]) == ["i1", "i2", "i3", "i6"]
    kor = res.country_share.set_index("company_country").loc["KOR"]
    assert kor["corporate_usd"] == pytest.approx(50 + 40) and kor["inbound_usd"] == 140
    # The groups add up their members.
    members = res.investors.dropna(subset=["corporate_group"])
    assert res.groups["amount_usd"].sum() == pytest.approx(members["amount_usd"].sum())


def test_real_sample_finds_the_big_corporate_investors(open2014_sample: Path) -> None:
    db = connect(":memory:")
    ingest_batch(db, read_source([open2014_sample], "crunchbase-open"))
    res = corporate_network(db, FlowOptions(sector="all"))
    g = res.groups.set_index("corporate_group")
    # Intel Capital is typed "other" and Google Ventures "vc" in this export.
    assert {"Intel", "Alphabet", "Qualcomm", "Samsung"} <= set(g.index)
    assert g.loc["Alphabet", "investors"] >= 3  # Google, Google Ventures, Google Capital
    types = dict(
        db.execute(
            "SELECT name, investor_type FROM investors WHERE name = 'Intel Capital'"
        ).fetchall()
    )
    assert types["Intel Capital"] == "other"
    intel = res.investors[res.investors["investor_name"] == "Intel Capital"]
    assert len(intel) == 1 and intel["amount_usd"].iloc[0] > 0
    members = res.investors.dropna(subset=["corporate_group"])
    assert res.groups["amount_usd"].sum() == pytest.approx(members["amount_usd"].sum())
