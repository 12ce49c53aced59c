"""FlowOptions: validated once, clear errors naming the option."""

from __future__ import annotations

import pytest

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions, parse_sector


def test_defaults_are_ai_all_years_equal() -> None:
    o = FlowOptions()
    assert (o.year_from, o.year_to, o.attribution, o.sector, o.stages) == (
        None,
        None,
        "equal",
        "ai",
        None,
    )


def test_sector_list_is_normalized_and_sorted() -> None:
    o = FlowOptions(sector=" Software, FinTech ,software")
    assert o.sector == "fintech,software"
    assert o.categories == ("fintech", "software")
    assert FlowOptions(sector="ALL").sector == "all"


def test_stages_sorted_and_deduplicated() -> None:
    assert FlowOptions(stages=("seed", "series_a", "seed")).stages == ("seed", "series_a")


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"attribution": "half"}, "attribution"),
        ({"year_from": 2020, "year_to": 2019}, "--from 2020 is after --to 2019"),
        ({"year_from": 20}, "plausible year"),
        ({"year_to": "2020"}, "year_to"),
        ({"sector": "  "}, "sector"),
        ({"sector": ",,"}, "sector"),
        ({"stages": ("seed", "series_z")}, "series_z"),
        ({"stages": ()}, "stages"),
    ],
)
def test_bad_values_raise_option_error(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(OptionError, match=fragment):
        FlowOptions(**kwargs)  # type: ignore[arg-type]


def test_from_dict_rejects_unknown_keys() -> None:
    assert FlowOptions.from_dict({"attribution": "lead"}).attribution == "lead"
    with pytest.raises(OptionError, match="colour"):
        FlowOptions.from_dict({"colour": "red"})


def test_options_are_frozen_and_hashable() -> None:
    o = FlowOptions(year_from=2020)
    assert hash(o) == hash(FlowOptions(year_from=2020))
    with pytest.raises(AttributeError):
        o.year_from = 2021  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "sector", "categories"),
    [
        ("ai", "ai", ()),  # the AI taxonomy
        (" AI ", "ai", ()),
        ("all", "all", ()),
        ("ai,", "ai,", ("ai",)),  # a comma makes a tag list: the tag "ai", not the taxonomy
        (",AI", "ai,", ("ai",)),
        ("ai, ai ,", "ai,", ("ai",)),
        ("all,", "all,", ("all",)),
        ("ai,fintech", "ai,fintech", ("ai", "fintech")),
        ("Fintech", "fintech", ("fintech",)),  # one tag without a comma is a list too
        ("fintech,", "fintech", ("fintech",)),
    ],
)
def test_sector_parse_rule(value: str, sector: str, categories: tuple[str, ...]) -> None:
    o = FlowOptions(sector=value)
    assert (o.sector, o.categories) == (sector, categories)
    assert FlowOptions(sector=o.sector) == o  # the canonical form parses to itself
    assert parse_sector(value) == sector


def test_sector_tag_list_described_as_categories() -> None:
    assert FlowOptions(sector="ai,").describe().startswith("categories ai,")  # "ai," then ","
    assert FlowOptions(sector="ai").describe().startswith("AI companies")
