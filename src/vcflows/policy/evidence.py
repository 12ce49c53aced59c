"""Evidence-carrying policy implications: figures, the queries behind them, rendered text.

An implication's sentence is a template whose every number is a placeholder filled from its
``figures`` dict through a named format, so a sentence cannot state a number that is not
evidence: :func:`render` refuses templates holding a digit of their own. Each implication also
lists the ``queries`` (library calls, with the options) that produced its figures, so a reader
can recompute every number.

Formats (how a figure appears in text):

``pct``     share in [0, 1] as a percentage with one decimal: 0.1234 -> "12.3%".
``usd``     amount, as the report writes it (:func:`vcflows.display.usd`): "$1.2 bn",
            "$45.6 m", "$12.3 k", "$400".
``times``   multiple with one decimal: 3.04 -> "3.0×".
``count``   whole number with thousands separators: 1234 -> "1,234".
``index``   index in [0, 1] with two decimals: 0.456 -> "0.46".
``country``   an ISO-3 country code, written as its name reads in a sentence: "China", "the
            United States" (an English possessive drops the "s" after a final s: "the
            United States' investors"), "중국".
``countries`` comma-separated ISO-3 codes, each as ``country`` ("USA,JPN" -> "the United
            States, Japan"; "미국, 일본").
``label``   a typology label, translated in other languages ("통합 약함").
``text``    a string figure (a company name) as is.

Korean sentences (``lang="ko"``) write amounts in Korean units ("86.7억 달러") and countries
by name; the other formats are the same in every language. A sentence that opens with a
name starts with a capital ("The United States ...").
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from vcflows.display import (
    capitalize_first,
    country_in_text,
    resolve_josa,
    typology_label,
    usd,
)
from vcflows.errors import VcflowsError

Figure = float | str


def _names(lang: str) -> Callable[[Any], str]:
    return lambda codes: ", ".join(country_in_text(c.strip(), lang) for c in str(codes).split(","))


#: The named formats of figures in text (see the module docstring).
FORMATS: dict[str, Callable[[Any], str]] = {
    "pct": lambda x: f"{float(x) * 100:.1f}%",
    "usd": lambda x: usd(float(x), "en"),
    "times": lambda x: f"{float(x):,.1f}×",
    "count": lambda x: f"{round(float(x)):,}",
    "index": lambda x: f"{float(x):.2f}",
    "country": lambda x: country_in_text(str(x), "en"),
    "countries": _names("en"),
    "label": str,
    "text": str,
}


#: The format of placeholders a rule does not list: the country figures every rule names.
NAMED_FORMATS: dict[str, str] = {
    "focus": "country",
    "partner": "country",
    "target_country": "country",
    "top_partner": "country",
    "foreign_countries": "countries",
    "label": "label",
}

#: Formats that differ by language (the others are those of :data:`FORMATS`).
LOCAL_FORMATS: dict[str, dict[str, Callable[[Any], str]]] = {
    "en": {},
    "ko": {
        "usd": lambda x: usd(float(x), "ko"),
        "country": lambda x: country_in_text(str(x), "ko"),
        "countries": _names("ko"),
        "label": lambda x: typology_label(str(x), "ko"),
    },
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
        Placeholder name -> format name (see :data:`FORMATS`); placeholders not listed take
        their :data:`NAMED_FORMATS` entry, else ``text``.
    queries : list of str
        The calls that produced the figures.
    priority : float
        Rule weight × relative shortfall of the focus against its benchmark (the tie-break
        after ``amount_usd``).
    amount_usd : float
        The money at stake in USD (definitions in :mod:`vcflows.policy.rules`); NaN when the
        rule states no amount (ranked after every implication that does).
    """

    id: str
    rule: str
    template: str
    figures: dict[str, Figure]
    formats: dict[str, str]
    queries: list[str]
    priority: float
    amount_usd: float = float("nan")


@dataclass(frozen=True)
class Implication:
    """A ranked policy implication with the evidence behind it.

    Attributes
    ----------
    id, rule : str
        Identifier and producing rule.
    rank : int
        1 = most money at stake (by amount_usd, then priority, then rule order, then id).
    priority : float
        Rule weight × relative shortfall (see :mod:`vcflows.policy.rules`).
    amount_usd : float
        The money at stake in USD (NaN: the rule states no amount).
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
    amount_usd: float = float("nan")

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
        if math.isnan(self.amount_usd):
            out["amount_usd"] = None
        return out


@dataclass(frozen=True)
class Skipped:
    """A rule that did not speak, and why."""

    rule: str
    reason: str


def placeholders(template: str) -> list[str]:
    """Names of the ``{placeholders}`` of a template, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def render(
    template: str, figures: Mapping[str, Figure], formats: Mapping[str, str], lang: str = "en"
) -> str:
    """Fill a template with formatted figures (``lang`` picks :data:`LOCAL_FORMATS`).

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
        kind = formats.get(name, NAMED_FORMATS.get(name, "text"))
        if kind not in FORMATS:
            raise ValueError(f"unknown format {kind!r} for figure {name!r}")
        values[name] = LOCAL_FORMATS.get(lang, {}).get(kind, FORMATS[kind])(value)
    for name, value in values.items():  # "the United States's" -> "the United States'"
        if value.endswith("s"):
            template = template.replace(f"{{{name}}}'s", f"{{{name}}}'")
    text = capitalize_first(template.format(**values))
    return resolve_josa(text) if lang == "ko" else text
