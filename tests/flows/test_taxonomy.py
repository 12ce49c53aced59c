"""The AI taxonomy: tags, whole-word keywords, the source's is_ai override, audit terms."""

from __future__ import annotations

from deals import make_db

from vcflows import schema as s
from vcflows.flows import FlowOptions, ai_companies, flow_matrix, load_taxonomy


def _db() -> object:
    rounds = [(f"r{i}", f"c{i}", "USA", 2020, 10.0, [("i1", "USA")]) for i in range(1, 8)]
    companies = {
        # tag match
        "c1": {s.IS_AI: None, s.CATEGORIES: "software|machine learning"},
        # keyword match in the description, as a whole word, case-insensitive
        "c2": {s.IS_AI: None, s.DESCRIPTION: "We build Deep Learning models."},
        # "Thai" and "Kai" contain "ai" but not as a word: no match
        "c3": {s.IS_AI: None, s.NAME: "Kai Thai Food", s.DESCRIPTION: "Thai restaurants"},
        # the bare token AI in the name
        "c4": {s.IS_AI: None, s.NAME: "Acme AI"},
        # the source says not AI: overrides a matching tag
        "c5": {s.IS_AI: False, s.CATEGORIES: "artificial intelligence"},
        # the source says AI although nothing matches
        "c6": {s.IS_AI: True, s.CATEGORIES: "fintech"},
        # a broad neighbour category is deliberately not AI
        "c7": {s.IS_AI: None, s.CATEGORIES: "big data|analytics"},
    }
    return make_db(rounds, companies=companies)


def test_ai_verdicts_and_audit_terms() -> None:
    con = _db()
    ai = ai_companies(con).set_index("company_id")  # type: ignore[arg-type]
    assert sorted(ai.index) == ["c1", "c2", "c4", "c6"]
    assert ai.loc["c1", "matched_terms"] == "tag:machine learning"
    assert ai.loc["c2", "matched_terms"] == "keyword:deep learning"
    assert ai.loc["c4", "matched_terms"] == "keyword:ai"
    assert ai.loc["c6", "ai_source"] == "source"
    assert ai.loc["c1", "ai_source"] == "taxonomy"


def test_sector_all_lists_every_company_with_its_verdict() -> None:
    con = _db()
    every = ai_companies(con, "all").set_index("company_id")  # type: ignore[arg-type]
    assert len(every) == 7
    assert not every.loc["c5", "is_ai"]
    assert every.loc["c5", "matched_terms"] == "tag:artificial intelligence"  # audit still shows it
    assert not every.loc["c3", "is_ai"]


def test_category_list_selects_tagged_companies() -> None:
    con = _db()
    sel = ai_companies(con, "fintech, Big Data")  # type: ignore[arg-type]
    assert sorted(sel["company_id"]) == ["c6", "c7"]


def test_sector_changes_what_flows_count() -> None:
    con = _db()
    ai = flow_matrix(con, FlowOptions(sector="ai"))  # type: ignore[arg-type]
    every = flow_matrix(con, FlowOptions(sector="all"))  # type: ignore[arg-type]
    assert ai["amount_usd"].sum() == 40.0  # c1, c2, c4, c6
    assert every["amount_usd"].sum() == 70.0


def test_shipped_taxonomy_has_rationale_and_sources() -> None:
    tx = load_taxonomy()
    assert "machine learning" in tx.tags and "ai" in tx.keywords
    assert "OECD" in tx.rationale and len(tx.sources) >= 1
    assert len(set(tx.tags)) == len(tx.tags)


def _tagged_db() -> object:
    rounds = [(f"r{i}", f"c{i}", "CAN", 2021, 10.0, [("i1", "USA")]) for i in range(1, 8)]
    neutral = {s.IS_AI: None, s.DESCRIPTION: "A company."}
    companies = {
        "c1": {**neutral, s.NAME: "Alpha", s.CATEGORIES: "ai|software"},  # tracker tag "AI"
        "c2": {**neutral, s.NAME: "Beta", s.CATEGORIES: "artificial intelligence (ai)"},
        "c3": {**neutral, s.NAME: "Gamma", s.CATEGORIES: "generative ai|saas"},
        "c4": {**neutral, s.NAME: "Delta", s.CATEGORIES: "thai food|restaurants"},  # substring
        "c5": {**neutral, s.NAME: "Epsilon", s.CATEGORIES: "aids research"},
        "c6": {**neutral, s.NAME: "Zeta", s.CATEGORIES: "fintech"},
        "c7": {**neutral, s.NAME: "Eta", s.CATEGORIES: "ai-ready|hardware"},  # another tag
    }
    return make_db(rounds, companies=companies)


def test_ai_tags_are_whole_tags() -> None:
    con = _tagged_db()
    ai = ai_companies(con).set_index("company_id")  # type: ignore[arg-type]
    assert sorted(ai.index) == ["c1", "c2", "c3"]
    assert ai.loc["c1", "matched_terms"] == "tag:ai"
    assert ai.loc["c2", "matched_terms"] == "tag:artificial intelligence (ai)"
    assert ai.loc["c3", "matched_terms"] == "tag:generative ai"


def test_sector_ai_comma_selects_the_tag_not_the_taxonomy() -> None:
    con = _tagged_db()
    assert sorted(ai_companies(con, "ai,")["company_id"]) == ["c1"]  # type: ignore[arg-type]
    assert sorted(ai_companies(con, "ai")["company_id"]) == ["c1", "c2", "c3"]  # type: ignore[arg-type]
    tagged = flow_matrix(con, FlowOptions(sector="ai,"))  # type: ignore[arg-type]
    assert tagged["amount_usd"].sum() == 10.0


def test_shipped_taxonomy_has_crunchbase_ai_categories() -> None:
    tags = set(load_taxonomy().tags)
    crunchbase = {
        "artificial intelligence (ai)", "generative ai", "machine learning",
        "natural language processing", "computer vision", "intelligent systems",
        "predictive analytics",
    }  # fmt: skip
    assert crunchbase | {"ai"} <= tags
