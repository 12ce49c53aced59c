"""With --sector all the report's wording drops "AI" everywhere but in the methods text."""

from __future__ import annotations

import pytest

from vcflows.presentation.i18n import LANGS, Text, _load


@pytest.mark.parametrize("lang", LANGS)
def test_all_sectors_wording_has_no_ai_outside_kept_sections(lang: str) -> None:
    neutral = Text(lang, all_sectors=True)
    keep = set(_load(lang)["all_sectors"]["keep"]) | {"all_sectors"}
    terms = _load(lang)["all_sectors"]["terms"]  # about AI itself, not the companies' sector

    def without_terms(value: str) -> str:
        for term in terms:
            value = value.replace(term, "")
        return value

    leftovers = [
        f"{section}.{key}: {value}"
        for section, table in _load(lang).items()
        if section not in keep and isinstance(table, dict)
        for key, value in neutral.section(section).items()
        if "AI" in without_terms(value) and key != "sector_all"  # "no AI filter" is right
    ]
    assert leftovers == []


def test_ai_wording_is_untouched_by_default_and_methods_keep_it() -> None:
    ai, neutral = Text("en"), Text("en", all_sectors=True)
    assert ai.get("text.report_title") == "Cross-border venture capital in AI"
    assert neutral.get("text.report_title") == "Cross-border venture capital"
    sentence = neutral.get(
        "sentence.global_top_short",
        c1="United States",
        s1="76.2%",
        period="2005–2014",
        usd1="$70 bn",
    )
    assert (
        sentence == "United States received 76.2% of global venture capital in 2005–2014 ($70 bn)."
    )
    assert "AI" in neutral.get("methods.ai_identification")


def test_free_text_follows_the_sector_wording() -> None:
    label = "AI VC by year: domestic and cross-border"
    assert Text("en").words(label) == label
    assert Text("en", all_sectors=True).words(label) == "VC by year: domestic and cross-border"
