"""Evidence-carrying policy implications: figures, the queries behind them, rendered text.

An implication's sentence is a template whose every number is a placeholder filled from its
``figures`` dict through a named format, so a sentence cannot state a number that is not
evidence: :func:`render` refuses templates holding a digit of their own. Each implication also
lists the ``queries`` (library calls, with the options) that produced its figures, so a reader
can recompute every number.

Formats (how a figure appears in text):

``pct``     share in [0, 1] as a percentage with one decimal: 0.1234 -> "12.3%".
``usd``     amount: "USD 1.23 bn" (≥ 1e9), "USD 45.6 m" (≥ 1e6), else "USD 12,345".
``times``   multiple with one decimal: 3.04 -> "3.0×".
``count``   whole number with thousands separators: 1234 -> "1,234".
``index``   index in [0, 1] with two decimals: 0.456 -> "0.46".
``text``    a string figure (country code, company name, label) as is.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from vcflows.errors import VcflowsError

Figure = float | str


def _usd(x: float) -> str:
    if abs(x) >= 1e9:
        return f"USD {x / 1e9:,.2f} bn"
    if abs(x) >= 1e6:
        return f"USD {x / 1e6:,.1f} m"
    return f"USD {x:,.0f}"


#: The named formats of figures in text (see the module docstring).
FORMATS: dict[str, Callable[[Any], str]] = {
    "pct": lambda x: f"{float(x) * 100:.1f}%",
    "usd": lambda x: _usd(float(x)),
    "times": lambda x: f"{float(x):,.1f}×",
    "count": lambda x: f"{round(float(x)):,}",
    "index": lambda x: f"{float(x):.2f}",
    "text": str,
}

_DIGIT = re.compile(r"\d")


class SkipRule(VcflowsError):
    """A rule cannot speak: an input is missing or the situation it targets does not hold."""


@dataclass(frozen=True)
class Draft:
    """What a rule emits before rendering: the template key, figures and their provenance.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``"foreign_share"`` or ``"gravity_partner:CHN"``.
    rule : str
        The rule that produced it.
    template : str
        Key of the sentence template (see :data:`vcflows.policy.rules.TEMPLATES`).
    figures : dict
        The numbers (float) and names (str) the sentence states, and the ones its priority uses.
    formats : dict
        Placeholder name -> format name (see :data:`FORMATS`); placeholders not listed are ``text``.
    queries : list of str
        The calls that produced the figures.
    priority : float
        Rule weight × relative shortfall of the focus against its benchmark (higher first).
    """

    id: str
    rule: str
    template: str
    figures: dict[str, Figure]
    formats: dict[str, str]
    queries: list[str]
    priority: float


@dataclass(frozen=True)
class Implication:
    """A ranked policy implication with the evidence behind it.

    Attributes
    ----------
    id, rule : str
        Identifier and producing rule.
    rank : int
        1 = most pressing (by priority, then rule order, then id).
    priority : float
        Rule weight × relative shortfall (see :mod:`vcflows.policy.rules`).
    text : str
        The sentence, every number of which is one of ``figures`` (formatted).
    figures : dict of str to float or str
        The evidence.
    queries : list of str
        How each figure was produced (library calls; the first line binds ``opts``).
    """

    id: str
    rule: str
    rank: int
    priority: float
    text: str
    figures: dict[str, Figure]
    queries: list[str] = field(default_factory=list)

    @property
    def query(self) -> str:
        """All queries on one line (for tables and report footnotes)."""
        return "; ".join(self.queries)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (NaN figures become None)."""
        out = asdict(self)
        out["figures"] = {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in self.figures.items()
        }
        out["query"] = self.query
        return out


@dataclass(frozen=True)
class Skipped:
    """A rule that did not speak, and why."""

    rule: str
    reason: str


def placeholders(template: str) -> list[str]:
    """Names of the ``{placeholders}`` of a template, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def render(template: str, figures: Mapping[str, Figure], formats: Mapping[str, str]) -> str:
    """Fill a template with formatted figures.

    Raises
    ------
    ValueError
        When the template holds a digit outside its placeholders (a number without evidence),
        names a figure that is missing or NaN, or uses an unknown format.
    """
    literal = "".join(text for text, _, _, _ in string.Formatter().parse(template))
    if _DIGIT.search(literal):
        raise ValueError(f"template states a number of its own: {template!r}")
    values: dict[str, str] = {}
    for name in placeholders(template):
        if name not in figures:
            raise ValueError(f"template needs figure {name!r}, which the rule did not provide")
        value = figures[name]
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"figure {name!r} is not a finite number")
        kind = formats.get(name, "text")
        if kind not in FORMATS:
            raise ValueError(f"unknown format {kind!r} for figure {name!r}")
        values[name] = FORMATS[kind](value)
    return template.format(**values)
