"""Each country's share of global AI VC per stage group."""

from __future__ import annotations

import pandas as pd
import pytest

from vcflows.indicators import STAGE_SHARE_COLUMNS, stage_shares_from


def test_stage_shares_by_hand() -> None:
    fm = pd.DataFrame(
        [
            ("USA", "USA", "seed", 60.0, 2.0),
            ("USA", "KOR", "series_a", 40.0, 1.0),
            ("KOR", "KOR", "series_b", 10.0, 1.0),
            ("USA", "USA", "growth", 90.0, 1.0),
            ("USA", "USA", "unknown", 5.0, 1.0),
            ("USA", "USA", None, 5.0, 1.0),  # no stage: other
        ],
        columns=["investor_country", "company_country", "stage", "amount_usd", "deals"],
    )
    out = stage_shares_from(fm)
    assert list(out.columns) == STAGE_SHARE_COLUMNS
    assert list(zip(out["country"], out["stage_group"], strict=True)) == [
        ("KOR", "early"),
        ("KOR", "late"),
        ("USA", "early"),
        ("USA", "late"),
        ("USA", "other"),
    ]
    kor = out[out["country"] == "KOR"].set_index("stage_group")
    assert kor.loc["early", "share"] == pytest.approx(0.4)  # 40 of 100 early-stage dollars
    assert kor.loc["late", "share"] == pytest.approx(0.1)  # 10 of 100 late-stage dollars
    assert kor.loc["early", "deals_share"] == pytest.approx(1 / 3)
    assert out["amount_usd"].sum() == fm["amount_usd"].sum()  # nothing lost
    assert stage_shares_from(fm.iloc[:0]).empty
