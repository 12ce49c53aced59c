"""The report's optional analyses (typology, networks, gravity, champions, policy), each run once.

:func:`vcflows.report._compute.compute` runs them with what it already has: the country
indicators and flow matrix of the selection, the focus country's profile, one materialized
participations table for both investor networks. Analyses that read only those small tables
(typology, gravity, the country network) run in a worker thread (:class:`Background`) while
the main thread runs the database queries: DuckDB releases the GIL, and the worker's first
steps are the seconds-long imports of scikit-learn and pyfixest.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.cases import champions, funding_paths
from vcflows.errors import VcflowsError
from vcflows.flows import FlowOptions
from vcflows.gravity import expected_vs_actual, fit_gravity
from vcflows.indicators import CountryProfile, TypologyResult, typology
from vcflows.network import (
    CountryNetworkResult,
    corporate_network,
    participations_table,
    syndicate_ties,
)
from vcflows.network import country_network as _country_network
from vcflows.policy import RULES, Precomputed, SkipRule, gather, run_rules
from vcflows.policy.scenario import FUND_SHARE_OF_INBOUND
from vcflows.policy.scenario import fund_scenario as _fund_scenario
from vcflows.presentation import derive as d

#: Champions of the focus country whose funding path the report draws.
CHAMPIONS_TOP = 3


def optional(name: str, notes: list[dict[str, str]], run: Callable[[], Any]) -> Any:
    """Run an optional analysis; record why it is missing instead of failing the report.

    Only a named vcflows error (e.g. too few countries to fit a model) is tolerated; any
    other exception, a missing name or module included, is a bug and propagates.
    """
    try:
        return run()
    except VcflowsError as exc:
        notes.append({"analysis": name, "reason": "error", "module": str(exc)})
    return None


class Background:
    """Worker threads for the analyses that can run beside the main thread's queries.

    One thread runs the connection-free analyses (:meth:`submit`), another the queries of
    the investor networks on their own cursor (:meth:`submit_query`): DuckDB releases the
    GIL while a query runs, so Python work of one thread overlaps queries of another. Each
    ``submit`` returns a zero-argument callable that gives the task's result (or raises its
    exception) in the caller's thread, so :func:`optional` handles it as if it ran there.
    Leaving the ``with`` block waits for the workers.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vcflows-report")
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vcflows-report-db")

    def __enter__(self) -> Background:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pool.shutdown(wait=True)
        self._db.shutdown(wait=True)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """Queue ``fn(*args)``; return a callable that waits for its result."""
        future: Future[Any] = self._pool.submit(fn, *args)
        return future.result

    def submit_query(
        self, con: duckdb.DuckDBPyConnection, fn: Callable[..., Any], *args: Any
    ) -> Callable[[], Any]:
        """Queue ``fn(cursor, *args)`` on a new cursor of ``con`` (closed afterwards)."""
        cur = con.cursor()  # made here: the connection object is not shared across threads

        def run() -> Any:
            try:
                return fn(cur, *args)
            finally:
                cur.close()

        future: Future[Any] = self._db.submit(run)
        return future.result


#: The modules typology (scikit-learn, scipy) and gravity (pyfixest) import on first use.
HEAVY_MODULES = (
    "sklearn.cluster",
    "sklearn.metrics",
    "sklearn.preprocessing",
    "scipy.optimize",
    "scipy.stats",
    "pyfixest.estimation",
)


def preload(names: tuple[str, ...]) -> None:
    """Import ``names`` now (the heavy ones take seconds: the worker does it while queries run).

    A missing module is left for the analysis that needs it to report.
    """
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def run_typology(ind: pd.DataFrame) -> TypologyResult:
    """:func:`vcflows.indicators.typology` of the country indicators."""
    return typology(ind)


def typology_frame(result: TypologyResult) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Country -> label table and the thresholds of a typology."""
    return result.labels.copy(), dataclasses.asdict(result.thresholds)


def gravity(fm: pd.DataFrame, focus: str) -> dict[str, Any]:
    """The gravity model on the flow matrix, with the focus country's largest inbound gaps."""
    result = fit_gravity(fm)
    # Largest dollar gaps first: the partners whose missing money matters most.
    gaps = expected_vs_actual(result, focus, by="gap")
    inbound = gaps[(gaps["direction"] == "inbound") & (gaps["expected_usd"] > gaps["actual_usd"])]
    inbound = inbound.head(10).reset_index(drop=True)
    # The summary quotes expected / actual ("N times the observed flow"); keep it as a column.
    inbound = d.with_expected_over_actual(inbound)
    return {
        "coefficients": result.coefficients.reset_index(drop=True),
        "gaps": inbound,
        "all_gaps": gaps,  # what vcflows.policy reads (not a report table)
        "dropped": len(result.dropped),
        "n_obs": int(result.n_obs),
        "engine": result.engine,
        "formula": result.formula,
        "notes": list(result.notes),
    }


def country_network(fm: pd.DataFrame) -> CountryNetworkResult:
    """:func:`vcflows.network.country_network` of the flow matrix."""
    return _country_network(fm)


def investor_networks(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> tuple[Any, Any]:
    """Corporate network and syndicate ties, both read from one participations table."""
    with participations_table(con, opts) as table:
        corp = corporate_network(con, opts, participations=table)
        syn = syndicate_ties(con, opts, participations=table)
    return corp, syn


def networks(investors: Callable[[], Any], country: Callable[[], Any]) -> dict[str, Any]:
    """Country, corporate and syndicate network tables and facts.

    ``investors`` gives :func:`investor_networks`' result, ``country`` the country network.
    The result keeps the corporate country shares and the syndicate country ties for
    :func:`policy` (the policy rules read the same tables).
    """
    corp, syn = investors()
    cn = country()
    share = corp.country_share
    inbound = float(share["inbound_usd"].sum())
    corporate = float(share["corporate_usd"].sum())
    central = corp.investors.sort_values(
        ["degree_centrality", "amount_usd", "investor_id"], ascending=[False, False, True]
    ).head(15)
    tables = {
        "network_nodes": cn.nodes.reset_index(drop=True),
        "network_communities": cn.communities.reset_index(drop=True),
        "corporate_investors": central.reset_index(drop=True),
        "corporate_country_share": share.reset_index(drop=True),
        "corporate_groups": corp.groups.reset_index(drop=True),
        "corporate_totals": pd.DataFrame(
            [
                {
                    "inbound_usd": inbound,
                    "corporate_usd": corporate,
                    "corporate_share": corporate / inbound if inbound > 0 else float("nan"),
                }
            ]
        ),
        "syndicate_country_ties": syn.country_ties.reset_index(drop=True),
    }
    facts = {
        "modularity": cn.modularity,
        "reciprocity": cn.reciprocity,
        "syndicate_cross_border_share": syn.cross_border_share,
    }
    return {
        "tables": tables,
        "facts": facts,
        "corporate_share": corp.country_share,
        "corporate_groups": corp.groups,
        "syndicate_ties": syn.country_ties,
    }


def champion_paths(
    con: duckdb.DuckDBPyConnection, focus: str, opts: FlowOptions, prof: Any
) -> dict[str, pd.DataFrame]:
    """The focus country's top champions and, per champion, its rounds (``funding_path_<n>``).

    The profile already lists the focus country's champions (more of them, same order), so
    they are taken from it when there is one.
    """
    if prof is not None:
        champs = prof.champions.head(CHAMPIONS_TOP).reset_index(drop=True)
    else:
        champs = champions(con, opts, country=focus, top=CHAMPIONS_TOP)
    tables = {"champions": champs}
    ids = [str(cid) for cid in champs[s.COMPANY_ID]]
    for i, (cid, path) in enumerate(zip(ids, funding_paths(con, ids, opts), strict=True), 1):
        rounds = path.rounds
        tables[f"funding_path_{i}"] = rounds.assign(**{s.COMPANY_ID: cid})[
            [s.COMPANY_ID, *rounds.columns]
        ]
    return tables


def policy(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions,
    lang: str,
    known: dict[str, Any],
) -> dict[str, Any]:
    """``vcflows.policy`` implications in ``lang``: text, raw figures, their formats, query.

    Returns ``{"items": [...], "small_gaps": {...}}``: the implications (rank order, by the
    money at stake) and the gravity gaps the rules left out (how many, their sum, the floor).

    ``known`` holds what the report computed already (profile, corporate shares, syndicate
    ties, gravity gaps), so the rules' inputs are not computed a second time.
    ``formats`` (figure -> policy format name, e.g. ``"pct"``) come from the rules' drafts,
    so the report formats each evidence figure as its sentence does (``peer_median`` is a
    share in one rule and an HHI in another).
    """
    inputs = gather(con, focus, opts, precomputed=Precomputed(**known))
    result = run_rules(inputs, lang)
    formats: dict[str, dict[str, str]] = {}
    for _, rule in RULES:
        try:
            formats.update({draft.id: dict(draft.formats) for draft in rule(inputs)})
        except SkipRule:
            continue
    items = [
        {
            "id": item.id,
            "text": item.text,
            "figures": dict(item.figures),
            "formats": formats.get(item.id, {}),
            "query": item.query,
        }
        for item in result.implications
    ]
    n, total, floor = result.small_gaps
    return {
        "items": items,
        "small_gaps": {
            "n": n,
            "total_usd": total,
            "floor_usd": floor,
            "share": inputs.settings.min_gap_share,
        },
    }


def fund_scenario(con: duckdb.DuckDBPyConnection, focus: str, opts: FlowOptions) -> dict[str, Any]:
    """``vcflows.policy.fund_scenario`` for the focus chapter: tables and stated assumptions.

    The fund is ``FUND_SHARE_OF_INBOUND`` (10%) of the focus's inbound money over the period,
    with the library's default co-investment ratio and absorption cap (all stated).
    """
    res = _fund_scenario(con, focus, opts, fund_share_of_inbound=FUND_SHARE_OF_INBOUND)
    return {
        "tables": {
            # One row per case (baseline, with the fund, change), one column per indicator,
            # so each column is formatted as its indicator (USD, share, count).
            "scenario_comparison": d.scenario_by_case(res.comparison),
            "scenario_allocation": res.allocation,
        },
        "assumptions": list(res.assumptions),
    }


def merge_profile(
    prof: CountryProfile, tables: dict[str, pd.DataFrame], extras: dict[str, Any]
) -> None:
    """Take the focus chapter's rank, gap, peers and scenario from the library's profile."""
    extras["profile"] = prof
    peers = prof.indicators
    tables["peers"] = peers[[c for c in d.PEER_COLUMNS if c in peers.columns]].reset_index(
        drop=True
    )
    tables["profile_partners"] = prof.partners.reset_index(drop=True)
    tables["profile_companies_from_abroad"] = prof.companies_from_abroad.reset_index(drop=True)
    tables["profile_scenario"] = pd.DataFrame([prof.scenario])
    # Peers are countries that received money: one that only invests has no foreign share in.
    others = peers[(peers["country"] != prof.focus) & (peers["invested_in_usd"] > 0)]
    extras["position_override"] = {
        "rank": int(prof.rank),
        "n": int(prof.n_countries),
        "target_rank": int(prof.target_rank),
        "target_country": prof.target_country,
        "gap_to_target_usd": float(prof.gap_to_target_usd),
        "peers": list(others["country"]),
        "peer_median_foreign_share": float(others["foreign_share_in"].median())
        if len(others)
        else None,
    }
