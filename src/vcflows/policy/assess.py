"""Run the rule set for a focus country and rank what it says."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.policy.evidence import Draft, Implication, Skipped, SkipRule, render
from vcflows.policy.inputs import PolicyInputs, gather
from vcflows.policy.rules import RULES, TEMPLATES

log = logging.getLogger("vcflows.policy")


@dataclass(frozen=True)
class PolicyResult:
    """Ranked implications, the rules that skipped and why, and the inputs used.

    Attributes
    ----------
    focus : str
        ISO3 code of the focus country.
    options : FlowOptions
        Selection and attribution.
    implications : list of Implication
        Ranked (rank 1 first).
    skipped : list of Skipped
        Rules that did not speak, with the reason.
    missing : dict of str to str
        Inputs that could not be computed, with the reason.
    peers : list of str
        The peer group of the benchmarks.
    """

    focus: str
    options: FlowOptions
    implications: list[Implication]
    skipped: list[Skipped] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    peers: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the whole result."""
        return {
            "focus": self.focus,
            "options": self.options.describe(),
            "peers": list(self.peers),
            "implications": [i.to_dict() for i in self.implications],
            "skipped": [{"rule": s.rule, "reason": s.reason} for s in self.skipped],
            "missing": dict(self.missing),
        }


def run_rules(inputs: PolicyInputs, lang: str = "en") -> PolicyResult:
    """Apply every rule of :data:`~vcflows.policy.rules.RULES` to gathered inputs and rank.

    Parameters
    ----------
    inputs : PolicyInputs
        What the rules read (see :func:`~vcflows.policy.inputs.gather`).
    lang : {"en", "ko"}
        Language of the sentences.

    Returns
    -------
    PolicyResult
        Implications sorted by priority (descending), then rule order, then id.
    """
    if lang not in TEMPLATES:
        raise OptionError(f"lang: expected one of {', '.join(TEMPLATES)}, got {lang!r}")
    drafts: list[tuple[int, Draft]] = []
    skipped: list[Skipped] = []
    for order, (name, rule) in enumerate(RULES):
        try:
            drafts.extend((order, d) for d in rule(inputs))
        except SkipRule as exc:
            skipped.append(Skipped(name, str(exc)))
            log.info("policy rule %s skipped for %s: %s", name, inputs.focus, exc)
    drafts.sort(key=lambda od: (-od[1].priority, od[0], od[1].id))
    templates = TEMPLATES[lang]
    implications = [
        Implication(
            id=d.id,
            rule=d.rule,
            rank=rank,
            priority=float(d.priority),
            text=render(templates[d.template], d.figures, d.formats, lang),
            figures=dict(d.figures),
            queries=list(d.queries),
        )
        for rank, (_, d) in enumerate(drafts, start=1)
    ]
    return PolicyResult(
        focus=inputs.focus,
        options=inputs.opts,
        implications=implications,
        skipped=skipped,
        missing=dict(inputs.missing),
        peers=list(inputs.peers),
    )


def assess(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions | None = None,
    *,
    peers: Sequence[str] = (),
    lang: str = "en",
    with_networks: bool = True,
    with_gravity: bool = True,
) -> PolicyResult:
    """Gather the evidence for ``focus`` and run the rule set.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    focus : str
        ISO3 code of the focus country.
    opts : FlowOptions, optional
        Selection and attribution (default: AI companies, all years, equal).
    peers : sequence of str
        Extra peers added to the profile's peer group.
    lang : {"en", "ko"}
        Language of the sentences.
    with_networks, with_gravity : bool
        Compute the network / gravity evidence (their rules skip when off).

    Returns
    -------
    PolicyResult
        Ranked implications with their evidence, skipped rules and missing inputs.
    """
    if lang not in TEMPLATES:
        raise OptionError(f"lang: expected one of {', '.join(TEMPLATES)}, got {lang!r}")
    inputs = gather(
        con,
        focus,
        opts or FlowOptions(),
        peers=peers,
        with_networks=with_networks,
        with_gravity=with_gravity,
    )
    return run_rules(inputs, lang)


def implications(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions | None = None,
    *,
    peers: Sequence[str] = (),
    lang: str = "en",
) -> list[Implication]:
    """Ranked policy implications for ``focus``, each with its figures and queries.

    Reads the focus country's indicators against the peer median, its typology, the corporate
    and syndicate networks, the gravity model's under-invested partners and its champions
    (rules in :mod:`vcflows.policy.rules`). Rules whose inputs are missing skip with a logged
    reason (see :func:`assess` to get the reasons back).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    focus : str
        ISO3 code of the focus country.
    opts : FlowOptions, optional
        Selection and attribution.
    peers : sequence of str
        Extra peers added to the profile's peer group.
    lang : {"en", "ko"}
        Language of the sentences.

    Returns
    -------
    list of Implication
        Rank 1 first.
    """
    return assess(con, focus, opts, peers=peers, lang=lang).implications
