"""The dashboard's data service: library calls on a read-only database, cached per selection.

Every table the dashboard shows comes from the same library functions the CLI calls
(``vcflows indicators`` = ``shares_table`` + ``indicators_on``; ``vcflows flows`` =
``matrix_from`` on the same shares; ``profile`` for ``vcflows profile``, ...). The only SQL here is the drill-down into one
cell of the flow matrix, which filters the flow engine's own attribution query
(:func:`vcflows.flows.shares_sql`), so the rounds listed add up to the cell; and a company
name search.

Concurrency: one read-only DuckDB connection is opened when the app starts (its path is
fixed then; nothing a request sends names a file). Each computation runs on its own cursor
(a DuckDB cursor is a separate connection to the same database, safe to use from its own
thread). Results are memoized with :func:`functools.lru_cache` keyed on the validated,
hashable :class:`~vcflows.flows.FlowOptions` (and focus/company), so revisiting a selection
costs nothing. Cached frames are shared: callers must not modify them in place.

Bounded memory under load: each analysis remembers at most ``cache_size`` selections (least
recently used first out), and at most ``compute_slots`` of the heavy analyses (investor
networks, findings, policy evidence, fund scenario, gravity gaps) are computed at once: a
cache miss waits for a slot, a hit never waits. Without that bound, 20 users opening new
selections at once would each hold a heavy analysis's working memory at the same time (the
findings' bootstrap weights alone are 200 x rounds floats: about 1 GB at 1M rounds); with it
the peak is a few of those, whatever the number of users. The analyses that read the flow
base or return bounded results (indicators, matrices, totals, profile, a cell's rounds, a
search, a funding path) take no slot, so the world, flows, country and companies pages never
wait behind a networks or focus page. Slots are per thread and re-entrant: a heavy analysis
computing another one (the policy evidence reads the networks) keeps its slot.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.cases import FundingPath, funding_path
from vcflows.dashboard.state import Catalog
from vcflows.errors import VcflowsError
from vcflows.findings import Finding, evaluate_findings
from vcflows.flows import FlowOptions, base_relation, flow_totals, shares_sql, shares_table
from vcflows.flows import columns as c
from vcflows.flows.matrix import matrix_from
from vcflows.gravity import expected_vs_actual, fit_gravity
from vcflows.indicators import CountryProfile, TypologyResult, profile, typology
from vcflows.indicators.country import indicators_on
from vcflows.network import (
    corporate_network,
    country_network,
    participations_table,
    syndicate_ties,
)
from vcflows.policy import Precomputed, gather, run_rules
from vcflows.policy.scenario import FUND_SHARE_OF_INBOUND, ScenarioResult, fund_scenario
from vcflows.presentation.derive import focus_trends
from vcflows.store import connect, facts

P = ParamSpec("P")
R = TypeVar("R")

#: Rounds listed at most in a drill-down and companies in a search (the totals use all).
MAX_DRILL_ROWS = 500
MAX_SEARCH_ROWS = 50
_CATEGORY_LIMIT = 60
#: Analyses computed at once by default (the machine this was tuned on has two cores).
COMPUTE_SLOTS = 2


@dataclass(frozen=True)
class _Bundle:
    indicators: pd.DataFrame
    matrix: pd.DataFrame
    matrix_by_year: pd.DataFrame


class _Slots:
    """At most ``n`` computations at once; a thread already holding a slot re-enters freely."""

    def __init__(self, n: int) -> None:
        if n < 1:
            raise ValueError(f"compute_slots must be at least 1, got {n}")
        self._sem = threading.BoundedSemaphore(n)
        self._held = threading.local()

    def wrap(self, fn: Callable[P, R]) -> Callable[P, R]:
        """``fn`` run while holding a slot (re-entrant within a thread)."""

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            depth = getattr(self._held, "depth", 0)
            if depth:
                self._held.depth = depth + 1
                try:
                    return fn(*args, **kwargs)
                finally:
                    self._held.depth = depth
            with self._sem:
                self._held.depth = 1
                try:
                    return fn(*args, **kwargs)
                finally:
                    self._held.depth = 0

        return run


class Explorer:
    """Cached access to the analyses of one vcflows database.

    Parameters
    ----------
    db_path : Path
        The DuckDB file, opened read-only for the life of the app.
    is_demo : bool
        Whether it is the embedded synthetic demo (said on every page).
    cache_size : int
        Selections remembered per analysis (least recently used first out).
    compute_slots : int
        Analyses computed at once (further cache misses wait for a slot).
    """

    def __init__(
        self,
        db_path: Path,
        *,
        is_demo: bool = False,
        cache_size: int = 32,
        compute_slots: int = COMPUTE_SLOTS,
    ) -> None:
        self.db_path = Path(db_path)
        self.is_demo = is_demo
        self._con = connect(self.db_path, read_only=True)
        self._lock = threading.Lock()
        with self.cursor() as cur:
            self.catalog = _catalog(cur)
            self.store_facts = facts.store_facts(cur)
            self.ingest_log = facts.ingest_log(cur)
        slots = _Slots(compute_slots)

        def heavy(fn: Callable[P, R]) -> Callable[P, R]:
            # memory- or CPU-heavy on large stores: computed in a slot
            return lru_cache(maxsize=cache_size)(slots.wrap(fn))  # type: ignore[return-value]

        def memo(fn: Callable[P, R]) -> Callable[P, R]:
            # reads the flow base or the tables with bounded results: never waits for a slot
            return lru_cache(maxsize=cache_size)(fn)  # type: ignore[return-value]

        self._bundle: Callable[[FlowOptions], _Bundle] = memo(self._compute_bundle)
        self.indicators: Callable[[FlowOptions], pd.DataFrame] = memo(self._indicators)
        self.totals: Callable[[FlowOptions], dict[str, Any]] = memo(self._totals)
        self.matrix: Callable[[FlowOptions], pd.DataFrame] = memo(self._matrix)
        self.matrix_by_year: Callable[[FlowOptions], pd.DataFrame] = memo(self._matrix_by_year)
        self.typology: Callable[[FlowOptions], TypologyResult] = memo(self._typology)
        self.profile: Callable[[FlowOptions, str], CountryProfile] = memo(self._profile)
        self.country_network: Callable[[FlowOptions], Any] = memo(self._country_network)
        self._investor_networks: Callable[[FlowOptions], tuple[Any, Any]] = heavy(
            self._compute_investor_networks
        )
        self.corporate: Callable[[FlowOptions], Any] = memo(self._corporate)
        self.syndicate: Callable[[FlowOptions], Any] = memo(self._syndicate)
        self.gravity_gaps: Callable[[FlowOptions, str], pd.DataFrame] = heavy(self._gravity_gaps)
        self.implications: Callable[[FlowOptions, str], list[dict[str, Any]]] = heavy(
            self._implications
        )
        self.findings: Callable[[FlowOptions, str], tuple[Finding, ...]] = heavy(self._findings)
        self.cell_rounds: Callable[[FlowOptions, str, str], pd.DataFrame] = memo(self._cell_rounds)
        self.search: Callable[[str], pd.DataFrame] = memo(self._search)
        self.funding_path: Callable[[FlowOptions, str], FundingPath] = memo(self._funding_path)
        self.fund_scenario: Callable[[FlowOptions, str], Any] = heavy(self._fund_scenario)
        self.trends: Callable[
            [FlowOptions, str], tuple[dict[str, pd.DataFrame], dict[str, Any]]
        ] = heavy(self._trends)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A private cursor on the database for one computation."""
        with self._lock:  # creating cursors concurrently is not documented as safe
            cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def close(self) -> None:
        """Close the database connection."""
        self._con.close()

    # --- analyses (each the library call the CLI makes) ------------------------------------
    def _compute_bundle(self, opts: FlowOptions) -> _Bundle:
        """Indicators and flow matrices of one selection from a single attribution pass.

        ``country_indicators`` and ``flow_matrix`` each attribute every round; here the
        shares are materialized once (:func:`vcflows.flows.shares_table`, as the profile
        does) and the same library aggregations read them: the tables are identical to the
        CLI's, at a third of the cost.
        """
        with self.cursor() as cur, shares_table(cur, opts) as table:
            return _Bundle(
                indicators=indicators_on(cur, table, opts),
                matrix=matrix_from(cur, table, []),
                matrix_by_year=matrix_from(cur, table, [], [c.YEAR]),
            )

    def _indicators(self, opts: FlowOptions) -> pd.DataFrame:
        return self._bundle(opts).indicators

    def _totals(self, opts: FlowOptions) -> dict[str, Any]:
        with self.cursor() as cur:
            return flow_totals(cur, opts)

    def _matrix(self, opts: FlowOptions) -> pd.DataFrame:
        return self._bundle(opts).matrix

    def _matrix_by_year(self, opts: FlowOptions) -> pd.DataFrame:
        return self._bundle(opts).matrix_by_year

    def _trends(
        self, opts: FlowOptions, focus: str
    ) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
        """The focus's and its peers' trend tables, as the report's focus chapter has them."""
        with self.cursor() as cur:
            return focus_trends(cur, opts, self.indicators(opts), focus)

    def _typology(self, opts: FlowOptions) -> TypologyResult:
        return typology(self.indicators(opts))

    def _profile(self, opts: FlowOptions, focus: str) -> CountryProfile:
        with self.cursor() as cur:
            return profile(cur, focus, opts)

    def _country_network(self, opts: FlowOptions) -> Any:
        return country_network(self.matrix(opts))

    def _compute_investor_networks(self, opts: FlowOptions) -> tuple[Any, Any]:
        """The corporate network and the co-investment ties by country, for one selection.

        The networks page shows both and the focus page's policy evidence reads both: they
        are computed once per selection, from one selection of the participations.
        """
        with self.cursor() as cur, participations_table(cur, opts) as table:
            return (
                corporate_network(cur, opts, participations=table),
                syndicate_ties(cur, opts, participations=table),
            )

    def _corporate(self, opts: FlowOptions) -> Any:
        return self._investor_networks(opts)[0]

    def _syndicate(self, opts: FlowOptions) -> Any:
        return self._investor_networks(opts)[1]

    def _gravity_gaps(self, opts: FlowOptions, focus: str) -> pd.DataFrame:
        """The focus country's partners, expected vs actual inflows (largest dollar gap first)."""
        gaps = expected_vs_actual(fit_gravity(self.matrix(opts)), focus, by="gap")
        inbound = gaps[gaps["direction"] == "inbound"]
        return (
            inbound[inbound["expected_usd"] > inbound["actual_usd"]].head(10).reset_index(drop=True)
        )

    def _implications(self, opts: FlowOptions, focus: str) -> list[dict[str, Any]]:
        """``vcflows.policy.implications``, reusing this selection's cached analyses."""
        known = Precomputed(profile=self.profile(opts, focus))
        try:  # the networks page's tables (computed now if it was not visited)
            corp, ties = self._investor_networks(opts)
            known.corporate, known.syndicate = corp.country_share, ties.country_ties
        except VcflowsError:  # gather tries again and records why they are missing
            pass
        with self.cursor() as cur:
            items = run_rules(gather(cur, focus, opts, precomputed=known))
        return [i.to_dict() for i in items.implications]

    def _fund_scenario(self, opts: FlowOptions, focus: str) -> ScenarioResult:
        """``vcflows.policy.fund_scenario`` with the report's fund (a share of the inbound money)."""
        with self.cursor() as cur:
            return fund_scenario(cur, focus, opts, fund_share_of_inbound=FUND_SHARE_OF_INBOUND)

    def _findings(self, opts: FlowOptions, focus: str) -> tuple[Finding, ...]:
        """``vcflows.evaluate_findings`` for this selection (the report's scorecard)."""
        with self.cursor() as cur:
            return evaluate_findings(cur, opts, focus)

    def _funding_path(self, opts: FlowOptions, company_id: str) -> FundingPath:
        with self.cursor() as cur:
            return funding_path(cur, company_id, opts)

    def _cell_rounds(self, opts: FlowOptions, investor: str, company_country: str) -> pd.DataFrame:
        """Rounds behind one cell of the flow matrix: the attributed share of each round.

        The shares come from the flow engine's attribution query, so ``attributed_usd`` adds
        up to the cell's amount in :func:`vcflows.flows.flow_matrix` (the first
        :data:`MAX_DRILL_ROWS` rounds by attributed amount are listed; ``n_rounds`` and
        ``cell_usd`` give the whole cell).
        """
        with self.cursor() as cur:
            sql, params = shares_sql(opts, base_relation(cur))
            df = cur.execute(self._cell_query(sql), [*params, investor, company_country]).fetchdf()
        df[s.ANNOUNCED_ON] = df[s.ANNOUNCED_ON].astype(str).where(df[s.ANNOUNCED_ON].notna(), "")
        return df

    @staticmethod
    def _cell_query(sql: str) -> str:
        """The drill-down query over a shares query ``sql`` (parameters: its own, then the
        investor and company countries)."""
        ic, cc = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY
        return f"""
            WITH sh AS (
                SELECT * FROM ({sql}) WHERE {c.REASON} IS NULL AND {ic} = ? AND {cc} = ?
            )
            SELECT sh.{s.ROUND_ID}, r.{s.ANNOUNCED_ON}, sh.{s.STAGE}, sh.{s.COMPANY_ID},
                   co.{s.NAME} AS company_name, r.{s.AMOUNT_USD} AS round_usd,
                   sh.{s.AMOUNT_USD} AS attributed_usd, sh.{c.DEALS} AS deals,
                   count(*) OVER () AS n_rounds, fsum(sh.{s.AMOUNT_USD}) OVER () AS cell_usd
            FROM sh JOIN {s.ROUNDS} r ON sh.{s.ROUND_ID} = r.{s.ROUND_ID}
            LEFT JOIN {s.COMPANIES} co ON sh.{s.COMPANY_ID} = co.{s.COMPANY_ID}
            ORDER BY sh.{s.AMOUNT_USD} DESC NULLS LAST, r.{s.ANNOUNCED_ON}, sh.{s.ROUND_ID}
            LIMIT {MAX_DRILL_ROWS}
        """

    def _search(self, text: str) -> pd.DataFrame:
        """Companies whose name or id contains ``text`` (case-insensitive), by name."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self.cursor() as cur:
            return cur.execute(
                f"""
                SELECT co.{s.COMPANY_ID}, co.{s.NAME}, co.{s.COUNTRY} AS country,
                       co.{s.CATEGORIES}
                FROM {s.COMPANIES} co
                WHERE co.{s.NAME} ILIKE ? ESCAPE '\\' OR co.{s.COMPANY_ID} ILIKE ? ESCAPE '\\'
                ORDER BY lower(co.{s.NAME}), co.{s.COMPANY_ID}
                LIMIT {MAX_SEARCH_ROWS}
                """,
                [pattern, pattern],
            ).fetchdf()


def _catalog(cur: duckdb.DuckDBPyConnection) -> Catalog:
    """Countries, years and the most common category tags of the database."""
    countries = {
        str(r[0])
        for r in cur.execute(
            f"SELECT DISTINCT {s.COUNTRY} FROM {s.COMPANIES} WHERE {s.COUNTRY} IS NOT NULL "
            f"UNION SELECT DISTINCT {s.COUNTRY} FROM {s.INVESTORS} WHERE {s.COUNTRY} IS NOT NULL"
        ).fetchall()
    }
    lo, hi = cur.execute(
        f"SELECT min(year({s.ANNOUNCED_ON})), max(year({s.ANNOUNCED_ON})) FROM {s.ROUNDS}"
    ).fetchall()[0]
    cats = cur.execute(
        f"""
        SELECT tag FROM (
            SELECT trim(unnest(string_split({s.CATEGORIES}, '|'))) AS tag FROM {s.COMPANIES}
            WHERE {s.CATEGORIES} IS NOT NULL
        ) WHERE tag <> '' GROUP BY tag ORDER BY count(*) DESC, tag
        """
    ).fetchall()
    focus = "KOR" if "KOR" in countries else (min(countries) if countries else "KOR")
    return Catalog(
        countries=frozenset(countries),
        year_min=None if lo is None else int(lo),
        year_max=None if hi is None else int(hi),
        categories=frozenset(str(r[0]) for r in cats),
        top_categories=tuple(str(r[0]) for r in cats[:_CATEGORY_LIMIT]),
        default_focus=focus,
    )
