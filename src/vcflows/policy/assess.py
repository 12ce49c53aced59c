"""Run the rule set for a focus country and rank what it says."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from vcflows.errors import OptionError
from vcflows.flows import FlowOptions
from vcflows.policy.evidence import Draft, Implication, Skipped, SkipRule, render
from vcflows.policy.inputs import PolicyInputs, PolicySettings, gather
from vcflows.policy.rules import RULES, TEMPLATES, small_gravity_gaps
from vcflows.policy.wording import sector_words

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
        Ranked (rank 1 first: the most money at stake).
    skipped : list of Skipped
        Rules that did not speak, with the reason.
    missing : dict of str to str
        Inputs that could not be computed, with the reason.
    peers : list of str
        The peer group of the benchmarks.
    notes : list of str
        What was left out and why (gravity gaps under the floor), to be printed with the
        implications.
    settings : PolicySettings
        The thresholds used.
    small_gaps : tuple of (int, float, float)
        The gravity gaps left out: how many, their sum and the floor, in USD (the note's
        figures, for faces that word it in another language).
    """

    focus: str
    options: FlowOptions
    implications: list[Implication]
    skipped: list[Skipped] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)
    peers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    settings: PolicySettings = field(default_factory=PolicySettings)
    small_gaps: tuple[int, float, float] = (0, 0.0, 0.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the whole result."""
        return {
            "focus": self.focus,
            "options": self.options.describe(),
            "peers": list(self.peers),
            "implications": [i.to_dict() for i in self.implications],
            "skipped": [{"rule": s.rule, "reason": s.reason} for s in self.skipped],
            "missing": dict(self.missing),
            "notes": list(self.notes),
            "settings": {
                "min_gap_share": self.settings.min_gap_share,
                "champion_min_foreign_share": self.settings.champion_min_foreign_share,
            },
        }


def _rank_key(order: int, d: Draft) -> tuple[bool, float, float, int, str]:
    """Most money at stake first (no amount last), then priority, rule order, id."""
    known = not math.isnan(d.amount_usd)
    return (not known, -d.amount_usd if known else 0.0, -d.priority, order, d.id)


def _notes(inputs: PolicyInputs, small: tuple[int, float, float]) -> list[str]:
    """The note on the gravity gaps dropped for being small."""
    n, total, floor = small
    if not n:
        return []
    return [
        f"{n} gravity gap{'' if n == 1 else 's'} under {inputs.settings.min_gap_share:.1%} of "
        f"{inputs.focus}'s inbound money (USD {floor:,.0f}) left out, together USD {total:,.0f}"
    ]


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
        Implications sorted by the money at stake (``amount_usd``, descending; implications
        without an amount last), then priority (descending), rule order and id. The sentences
        follow the selection's sector (:func:`~vcflows.policy.wording.sector_words`).
    """
    if lang not in TEMPLATES:
        raise OptionError(f"lang: expected one of {', '.join(TEMPLATES)}, got {lang!r}")
    drafts: list[tuple[int, Draft]] = []
    skipped: list[Skipped] = []
    for order, (name, rule) in enumerate(RULES):
        try:
            drafts.extend((order, d) for d in rule(inputs))
        except SkipRule as exc:
            skipped.append(Skipped(name, sector_words(str(exc), inputs.opts)))
            log.info("policy rule %s skipped for %s: %s", name, inputs.focus, exc)
    drafts.sort(key=lambda od: _rank_key(*od))
    templates = TEMPLATES[lang]
    small = small_gravity_gaps(inputs)
    implications = [
        Implication(
            id=d.id,
            rule=d.rule,
            rank=rank,
            priority=float(d.priority),
            text=sector_words(
                render(templates[d.template], d.figures, d.formats, lang), inputs.opts, lang
            ),
            figures=dict(d.figures),
            queries=list(d.queries),
            amount_usd=float(d.amount_usd),
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
        notes=_notes(inputs, small),
        settings=inputs.settings,
        small_gaps=small,
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
    settings: PolicySettings | None = None,
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
    settings : PolicySettings, optional
        Thresholds: smallest gravity gap stated, champions' minimum foreign share.

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
        settings=settings,
    )
    return run_rules(inputs, lang)


def implications(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions | None = None,
    *,
    peers: Sequence[str] = (),
    lang: str = "en",
    settings: PolicySettings | None = None,
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
    settings : PolicySettings, optional
        Thresholds (see :class:`~vcflows.policy.inputs.PolicySettings`).

    Returns
    -------
    list of Implication
        Rank 1 first (the most money at stake).
    """
    return assess(con, focus, opts, peers=peers, lang=lang, settings=settings).implications
