"""One module per view; each exposes ``render(ex, sel) -> View``.

A view returns its page content and the table its download buttons export (the same numbers
the page shows, at full precision).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection


@dataclass
class View:
    """A rendered view: its title, content, and the table behind it."""

    title: str
    children: list[Any]
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    table_name: str = "table"


Renderer = Callable[[Explorer, Selection], View]


def renderers() -> dict[str, Renderer]:
    """View id -> render function (imported here so the registry is in one place)."""
    from vcflows.dashboard.views import companies, country, flows, focus, networks, world

    return {
        "world": world.render,
        "flows": flows.render,
        "country": country.render,
        "networks": networks.render,
        "companies": companies.render,
        "focus": focus.render,
    }


#: Navigation labels, in menu order.
TITLES: dict[str, str] = {
    "world": "World overview",
    "flows": "Bilateral flows",
    "country": "Country",
    "networks": "Networks",
    "companies": "Companies",
    "focus": "Focus profile",
}
