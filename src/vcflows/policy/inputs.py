"""Gather what the policy rules read: profile, typology, stage shares, networks, gravity gaps.

Each analysis is computed once per call. An analysis that cannot run on the data (e.g. a
gravity model on a handful of countries) is recorded as missing with its reason, and the rules
that need it skip cleanly; the focus country's profile is required (no profile, no policy).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TypeVar

import duckdb
import numpy as np
import pandas as pd

from vcflows.cases.champions import MIN_FOREIGN_SHARE, check_share
from vcflows.cases.champions import champions as _champions
from vcflows.errors import VcflowsError
from vcflows.flows import FlowOptions, flow_matrix
from vcflows.indicators import CountryProfile, TypologyResult, profile, stage_shares, typology

log = logging.getLogger("vcflows.policy")


#: Default smallest gravity gap stated, as a share of the focus country's inbound money.
MIN_GAP_SHARE: float = 0.01


@dataclass(frozen=True)
class PolicySettings:
    """Thresholds of the rules that are the user's to choose.

    Attributes
    ----------
    min_gap_share : float
        Gravity gaps smaller than this share of the focus country's inbound money are dropped
        (and counted in a note); default 1%.
    champion_min_foreign_share : float
        Minimum foreign share of a champion's attributed money; default 20%
        (:data:`vcflows.cases.champions.MIN_FOREIGN_SHARE`).
    """

    min_gap_share: float = MIN_GAP_SHARE
    champion_min_foreign_share: float = MIN_FOREIGN_SHARE

    def __post_init__(self) -> None:
        check_share(self.min_gap_share, "min_gap_share")
        check_share(self.champion_min_foreign_share, "champion_min_foreign_share")


@dataclass
class PolicyInputs:
    """The evidence the rules read, with the options that produced it.

    Attributes
    ----------
    focus : str
        ISO3 code of the focus country.
    opts : FlowOptions
        Selection and attribution.
    peers : list of str
        The peer group (profile's: top countries by share_global plus named peers), without
        the focus, sorted.
    profile : CountryProfile
        The focus country's profile (indicators of the peer group, rank, gap, champions).
    typology : TypologyResult
        Labels of the peer group (each label depends on its own row only).
    corporate : DataFrame or None
        ``corporate_network(...).country_share``; None when unavailable.
    groups : DataFrame or None
        ``corporate_network(...).groups`` (big-tech groups); None when unavailable.
    syndicate : DataFrame or None
        ``syndicate_network(...).country_ties``; None when unavailable.
    gravity_gaps : DataFrame or None
        ``expected_vs_actual(fit_gravity(flow_matrix(...)), focus, by="gap")``; None when the
        model cannot be estimated.
    stages : DataFrame or None
        ``stage_shares(con, opts)``: each country's share of global AI VC per stage group.
    missing : dict of str to str
        Unavailable inputs and why.
    settings : PolicySettings
        The rules' thresholds.
    champions : DataFrame or None
        ``champions(con, opts, country=focus, min_foreign_share=...)``; None: the profile's.
    """

    focus: str
    opts: FlowOptions
    peers: list[str]
    profile: CountryProfile
    typology: TypologyResult
    corporate: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    syndicate: pd.DataFrame | None = None
    gravity_gaps: pd.DataFrame | None = None
    stages: pd.DataFrame | None = None
    missing: dict[str, str] = field(default_factory=dict)
    settings: PolicySettings = field(default_factory=PolicySettings)
    champions: pd.DataFrame | None = None

    @property
    def focus_champions(self) -> pd.DataFrame:
        """The focus country's champions at the settings' minimum foreign share."""
        return self.profile.champions if self.champions is None else self.champions

    @property
    def opts_line(self) -> str:
        """The first query line: binds ``opts`` so the others can be rerun as written."""
        return f"opts = {self.opts!r}"

    @property
    def peers_line(self) -> str:
        """Query line binding the peer group."""
        return f"peers = {self.peers!r}  # profile(con, {self.focus!r}, opts) peer group"


@dataclass
class Precomputed:
    """Analyses the caller already ran for the same focus and options (the report does).

    Each one given is used as is instead of being computed again; each left None is computed
    by :func:`gather` as usual. They must come from the same ``con``, ``focus``, ``opts`` and
    ``peers`` as the :func:`gather` call, or the evidence would not match its query lines.

    Attributes
    ----------
    profile : CountryProfile, optional
        ``profile(con, focus, opts, peers=peers)``.
    corporate : DataFrame, optional
        ``corporate_network(con, opts).country_share``.
    groups : DataFrame, optional
        ``corporate_network(con, opts).groups``.
    syndicate : DataFrame, optional
        ``syndicate_network(con, opts).country_ties``.
    gravity_gaps : DataFrame, optional
        ``expected_vs_actual(fit_gravity(flow_matrix(con, opts)), focus, by="gap")``.
    stages : DataFrame, optional
        ``stage_shares(con, opts)``.
    """

    profile: CountryProfile | None = None
    corporate: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    syndicate: pd.DataFrame | None = None
    gravity_gaps: pd.DataFrame | None = None
    stages: pd.DataFrame | None = None


T = TypeVar("T")


def _try(
    name: str,
    missing: dict[str, str],
    compute: Callable[[], pd.DataFrame],
    known: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """``known`` when given, else ``compute()``; None (reason in ``missing``) if it fails."""
    if known is not None:
        return known
    return _try_any(name, missing, compute)


def _try_any(name: str, missing: dict[str, str], compute: Callable[[], T]) -> T | None:
    """``compute()``; None (reason in ``missing``) if it fails."""
    try:
        return compute()
    except (VcflowsError, ValueError, np.linalg.LinAlgError) as exc:
        # A model that does not fit the data is a finding, not a crash: the rules skip.
        missing[name] = f"{type(exc).__name__}: {exc}"
        log.info("policy input %s unavailable: %s", name, exc)
        return None


def gather(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions,
    *,
    peers: Sequence[str] = (),
    with_networks: bool = True,
    with_gravity: bool = True,
    precomputed: Precomputed | None = None,
    settings: PolicySettings | None = None,
) -> PolicyInputs:
    """Compute every input of the rules for ``focus``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    focus : str
        ISO3 code of the focus country.
    opts : FlowOptions
        Selection and attribution.
    peers : sequence of str
        Extra peers (ISO3) added to the profile's default peer group.
    with_networks, with_gravity : bool
        Compute the network and gravity inputs (switch off for speed; their rules then skip).
    precomputed : Precomputed, optional
        Inputs already computed for the same focus, options and peers (used as given).
    settings : PolicySettings, optional
        The rules' thresholds (default :class:`PolicySettings`).

    Returns
    -------
    PolicyInputs
        The evidence, with the reason of every missing input.

    Raises
    ------
    OptionError
        When the focus country has no flows in the selection (from :func:`profile`).
    """
    known = precomputed or Precomputed()
    prof = known.profile or profile(con, focus, opts, peers=peers)
    group = sorted(str(c) for c in prof.indicators["country"] if c != prof.focus)
    missing: dict[str, str] = {}
    inputs = PolicyInputs(
        focus=prof.focus,
        opts=opts,
        peers=group,
        profile=prof,
        typology=typology(prof.indicators),
        missing=missing,
        settings=settings or PolicySettings(),
    )
    if inputs.settings.champion_min_foreign_share != MIN_FOREIGN_SHARE:
        # The profile lists the champions at the default threshold.
        inputs.champions = _champions(
            con,
            opts,
            country=prof.focus,
            min_foreign_share=inputs.settings.champion_min_foreign_share,
        )
    inputs.stages = _try("stages", missing, lambda: stage_shares(con, opts), known.stages)
    if with_networks:
        from vcflows.network import corporate_network, participations_table, syndicate_ties

        # Both networks read the selection's participations: select them once.
        corp_known = known.corporate is not None and known.groups is not None
        shared = not corp_known and known.syndicate is None
        with participations_table(con, opts) if shared else nullcontext() as table:
            corp = (
                None
                if corp_known
                else _try_any(
                    "corporate", missing, lambda: corporate_network(con, opts, participations=table)
                )
            )
            inputs.corporate = known.corporate if corp is None else corp.country_share
            inputs.groups = known.groups if corp is None else corp.groups
            inputs.syndicate = _try(
                "syndicate",
                missing,
                lambda: syndicate_ties(con, opts, participations=table).country_ties,
                known.syndicate,
            )
    else:
        missing["corporate"] = missing["syndicate"] = "networks not requested"
    if with_gravity:
        from vcflows.gravity import expected_vs_actual, fit_gravity

        inputs.gravity_gaps = _try(
            "gravity",
            missing,
            lambda: expected_vs_actual(fit_gravity(flow_matrix(con, opts)), prof.focus, by="gap"),
            known.gravity_gaps,
        )
    else:
        missing["gravity"] = "gravity model not requested"
    return inputs
