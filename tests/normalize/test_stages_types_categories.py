"""Stages, investor types and categories to controlled vocabularies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.normalize import clean_categories, to_investor_type, to_stage


@pytest.mark.parametrize(
    ("round_type", "code", "expected"),
    [
        ("venture", "A", "series_a"),
        ("venture", "B", "series_b"),
        ("venture", "C", "series_c"),
        ("venture", "D", "series_d_plus"),
        ("venture", "E", "series_d_plus"),
        ("venture", None, "unknown"),
        ("venture", "", "unknown"),
        ("seed", None, "seed"),
        ("angel", None, "seed"),
        ("pre_seed", None, "pre_seed"),
        ("Pre-Seed", None, "pre_seed"),
        ("series_a", None, "series_a"),
        ("series_d", None, "series_d_plus"),
        ("SERIES E", None, "series_d_plus"),
        ("Series B", None, "series_b"),
        ("private_equity", None, "growth"),
        ("PE Growth/Expansion", None, "growth"),
        ("grant", None, "grant"),
        ("debt_financing", None, "debt"),
        ("post_ipo_debt", None, "debt"),
        ("undisclosed", None, "unknown"),
        (None, None, "unknown"),
        ("convertible_note", None, "other"),
        ("equity_crowdfunding", None, "other"),
        ("post_ipo_equity", None, "other"),
        ("Early Stage VC", "Series B1", "series_b"),
        ("Later Stage VC", "Series A-2", "series_a"),
        ("Later Stage VC", None, "unknown"),
        ("Seed Round", None, "seed"),
        ("Angel (individual)", None, "seed"),
        ("seed", "A", "seed"),  # the code only refines venture-like rounds
        ("private_equity", "B", "growth"),
    ],
)
def test_to_stage(round_type: str | None, code: str | None, expected: str) -> None:
    assert to_stage(round_type, code) == expected


@given(st.one_of(st.none(), st.text(max_size=30)), st.one_of(st.none(), st.text(max_size=10)))
def test_to_stage_always_in_vocabulary(round_type: str | None, code: str | None) -> None:
    assert to_stage(round_type, code) in s.STAGES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("venture_capital", "vc"),
        ("Venture Capital", "vc"),
        ("micro_vc", "vc"),
        ("corporate_venture_capital", "cvc"),
        ("Corporate Venture Capital", "cvc"),
        ("individual", "angel"),
        ("angel", "angel"),
        ("angel_group", "angel"),
        ("government_office", "government"),
        ("accelerator", "accelerator"),
        ("incubator", "accelerator"),
        ("Accelerator/Incubator", "accelerator"),
        ("private_equity_firm", "pe"),
        ("PE/Buyout", "pe"),
        ("Corporation", "corporate"),
        ("investment_bank", "other"),
        ("hedge_fund", "other"),
        ("", "unknown"),
        (None, "unknown"),
        ("investment_bank, venture_capital", "vc"),
    ],
)
def test_to_investor_type(raw: str | None, expected: str) -> None:
    assert to_investor_type(raw) == expected


@given(st.one_of(st.none(), st.text(max_size=30)))
def test_investor_type_always_in_vocabulary(raw: str | None) -> None:
    assert to_investor_type(raw) in s.INVESTOR_TYPES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("|Software|Machine Learning|", "software|machine learning"),
        ("a, b", "a|b"),
        ("Hospitality|Mobile|Travel", "hospitality|mobile|travel"),
        ("AI;  Deep   Learning; ai", "ai|deep learning"),
        ("||", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_categories(raw: str | None, expected: str | None) -> None:
    assert clean_categories(raw) == expected
