"""Fund scenario: a public growth fund co-investing with foreign investors in the focus's AI.

Assumptions (stated in every result):

1. The fund invests ``fund_usd`` over the period in the focus country's AI companies that
   already have foreign investors in the selection, pro rata to the foreign money each has
   attracted (company ``j`` gets ``f · a_j / A`` where ``a_j`` is its attributed foreign
   inbound money and ``A = Σ a_j``), subject to an *absorption cap*: no company receives, fund
   and matched foreign money together, more than ``absorption_cap`` (default 3) times what it
   has raised in the selection (``R_j``, the known amounts of its selected rounds). A company
   whose pro-rata part would exceed its cap gets the cap, and the excess is shared pro rata
   among the others (water-filling); what no company can absorb stays unplaced and is reported
   (``fund_unplaced_usd``). The fund dollars placed plus the unplaced ones equal ``fund_usd``.
2. The fund's money is domestic inbound money (investor country = focus).
3. Each fund dollar is matched by ``co_invest_ratio`` (``r``) dollars of foreign money newly
   attracted into the same company, split among foreign investor countries as that company's
   existing foreign money is (country ``k`` brings ``r · f · a_jk / A``).
4. Each company receives one scenario round in the last year of the period, its deal weight
   split among the fund and the foreign co-investors in proportion to their amounts.
5. Everything else is unchanged.

With the focus's inbound ``T``, foreign inbound ``F`` and world total ``W`` (attributed money),
the scenario gives (with ``f`` the fund money placed) ``foreign_share_in = (F + r·f) / (T + f + r·f)`` and ``share_global =
(T + f + r·f) / (W + f + r·f)``. The scenario is not computed by these formulas: its rounds are
added to the attributed shares of the selection (a temporary table) and the indicators are
recomputed by the same code as :func:`vcflows.indicators.country_indicators`, so every
definition (ranks, deal shares, US share) is the library's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final

import duckdb
import numpy as np
import pandas as pd

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.exports import to_records
from vcflows.flows import FlowOptions, base_relation, selected_rounds_sql, shares_sql
from vcflows.flows import columns as c
from vcflows.indicators.country import (
    SELECTED_ROUNDS,
    flow_aggregates,
    indicators_from_aggregates,
)
from vcflows.policy.wording import sector_words

#: Indicators compared side by side, in order.
COMPARED: Final[tuple[str, ...]] = (
    c.INVESTED_IN_USD,
    c.FOREIGN_IN_USD,
    c.SHARE_GLOBAL,
    c.FOREIGN_SHARE_IN,
    c.DOMESTIC_SHARE_IN,
    c.US_SHARE_IN,
    c.DEALS_IN,
    "foreign_share_in_deals",
    "rank",
)

SCENARIO_STAGE: Final = "growth"

#: Default absorption cap: a company receives at most this multiple of what it has raised.
ABSORPTION_CAP: Final = 3.0

#: The fund the report and the dashboard show: this share of the focus's inbound money.
FUND_SHARE_OF_INBOUND: Final = 0.1


@dataclass(frozen=True)
class ScenarioResult:
    """Baseline and scenario indicators of the focus country, and where the money went.

    Attributes
    ----------
    focus : str
        ISO3 code of the focus country.
    options : FlowOptions
        Selection and attribution of the baseline.
    fund_usd, co_invest_ratio : float
        The scenario's parameters.
    absorption_cap : float or None
        No company receives (fund and matched foreign money) more than this multiple of what
        it has raised in the selection; None: no cap.
    fund_placed_usd, fund_unplaced_usd : float
        The fund money the companies absorb under the cap, and the rest (they add up to
        ``fund_usd``).
    comparison : DataFrame
        indicator, baseline, scenario, change (scenario − baseline), for :data:`COMPARED`.
    allocation : DataFrame
        company_id, name, weight, fund_usd, foreign_usd (attracted), existing_foreign_usd,
        raised_usd (what it raised in the selection), cap_usd (absorption_cap × raised_usd,
        NaN without a cap), capped (it receives its cap); sorted by weight descending then
        company_id.
    attracted_by_country : DataFrame
        investor_country, baseline_usd (its attributed money into the focus's companies),
        attracted_usd (scenario); sorted by attracted_usd descending.
    baseline, scenario : DataFrame
        All countries' indicators without and with the scenario.
    year : int or None
        Year the scenario rounds are placed in.
    assumptions : list of str
        The assumptions above, with the figures used.
    """

    focus: str
    options: FlowOptions
    fund_usd: float
    co_invest_ratio: float
    comparison: pd.DataFrame
    allocation: pd.DataFrame
    attracted_by_country: pd.DataFrame
    baseline: pd.DataFrame
    scenario: pd.DataFrame
    year: int | None
    assumptions: list[str] = field(default_factory=list)
    absorption_cap: float | None = ABSORPTION_CAP
    fund_placed_usd: float = 0.0
    fund_unplaced_usd: float = 0.0

    def value(self, indicator: str, which: str = "scenario") -> float:
        """One cell of :attr:`comparison` (``which`` = "baseline", "scenario" or "change")."""
        row = self.comparison.loc[self.comparison["indicator"] == indicator]
        if row.empty:
            raise OptionError(f"indicator {indicator!r} is not compared")
        return float(row[which].iloc[0])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the full indicator tables are left out; see the attributes)."""
        return {
            "focus": self.focus,
            "options": self.options.describe(),
            "fund_usd": self.fund_usd,
            "co_invest_ratio": self.co_invest_ratio,
            "absorption_cap": self.absorption_cap,
            "fund_placed_usd": self.fund_placed_usd,
            "fund_unplaced_usd": self.fund_unplaced_usd,
            "year": self.year,
            "comparison": to_records(self.comparison),
            "allocation": to_records(self.allocation),
            "attracted_by_country": to_records(self.attracted_by_country),
            "assumptions": list(self.assumptions),
        }


def _check(fund_usd: float, ratio: float, cap: float | None) -> None:
    if not (isinstance(fund_usd, int | float) and math.isfinite(fund_usd) and fund_usd > 0):
        raise OptionError(f"fund_usd: expected a positive amount in USD, got {fund_usd!r}")
    if not (isinstance(ratio, int | float) and math.isfinite(ratio) and ratio >= 0):
        raise OptionError(f"co_invest_ratio: expected a number >= 0, got {ratio!r}")
    if cap is not None and not (isinstance(cap, int | float) and math.isfinite(cap) and cap > 0):
        raise OptionError(f"absorption_cap: expected a positive multiple, got {cap!r}")


def capped_allocation(
    weights: np.ndarray, caps: np.ndarray, total: float
) -> tuple[np.ndarray, float]:
    """Share ``total`` pro rata to ``weights``, no part above its cap (water-filling).

    Parameters
    ----------
    weights : ndarray
        Non-negative weights (a zero weight gets nothing).
    caps : ndarray
        Each part's ceiling (``inf``: none).
    total : float
        The amount to share.

    Returns
    -------
    tuple of (ndarray, float)
        The parts, and what could not be placed (``parts.sum() + unplaced == total``).
    """
    w = np.asarray(weights, dtype=float)
    cap = np.asarray(caps, dtype=float)
    parts = np.zeros_like(w)
    active = (w > 0) & (cap > 0)
    remaining = float(total)
    while remaining > 0 and active.any():
        share = remaining * np.where(active, w, 0.0) / w[active].sum()
        room = cap - parts
        over = active & (share >= room)
        if not over.any():
            parts += share
            remaining = 0.0
            break
        # Fill the parts that reach their cap; share the rest again among the others.
        remaining -= float(room[over].sum())
        parts[over] = cap[over]
        active &= ~over
    return parts, max(0.0, float(total) - float(parts.sum()))


def _raised(con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str) -> pd.Series:
    """What each of the focus's companies raised in the selection (known amounts)."""
    rounds, params = selected_rounds_sql(opts, base_relation(con))
    df = con.execute(
        f"""
        SELECT {s.COMPANY_ID}, coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {s.AMOUNT_USD}
        FROM ({rounds}) WHERE {c.COMPANY_COUNTRY} = ?
        GROUP BY ALL ORDER BY ALL
        """,
        [*params, focus],
    ).fetchdf()
    return pd.Series(
        df[s.AMOUNT_USD].to_numpy(dtype=float), index=df[s.COMPANY_ID].astype(str), dtype=float
    )


def _foreign_money(con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str) -> pd.DataFrame:
    """Attributed foreign inbound money of the focus's companies by (company, investor country)."""
    shares, params = shares_sql(opts, base_relation(con))
    return con.execute(
        f"""
        SELECT {s.COMPANY_ID}, {c.INVESTOR_COUNTRY}, fsum({s.AMOUNT_USD}) AS {s.AMOUNT_USD}
        FROM ({shares})
        WHERE {c.REASON} IS NULL AND {c.COMPANY_COUNTRY} = ? AND {c.INVESTOR_COUNTRY} <> ?
          AND {s.AMOUNT_USD} > 0
        GROUP BY ALL ORDER BY ALL
        """,
        [*params, focus, focus],
    ).fetchdf()


def _fund_parts(
    money: pd.DataFrame, raised: pd.Series, fund: float, ratio: float, cap: float | None
) -> tuple[pd.Series, float]:
    """Fund money per company (assumption 1, with the absorption cap) and the unplaced rest."""
    by_company = money.groupby(s.COMPANY_ID, sort=True)[s.AMOUNT_USD].sum()
    by_company.index = by_company.index.astype(str)
    if cap is None:
        caps = np.full(len(by_company), np.inf)
    else:  # fund and matched foreign money together: f_j (1 + r) <= cap · R_j
        caps = cap * raised.reindex(by_company.index, fill_value=0.0).to_numpy() / (1.0 + ratio)
    parts, unplaced = capped_allocation(by_company.to_numpy(dtype=float), caps, fund)
    return pd.Series(parts, index=by_company.index, dtype=float), unplaced


def _scenario_rows(money: pd.DataFrame, focus: str, parts: pd.Series, ratio: float) -> pd.DataFrame:
    """The scenario rounds' attributed money by (company, investor country); assumptions 1-4."""
    placed = parts[parts > 0]
    by_company = money.groupby(s.COMPANY_ID, sort=True)[s.AMOUNT_USD].sum()
    by_company.index = by_company.index.astype(str)
    fund_rows = pd.DataFrame(
        {
            s.COMPANY_ID: pd.Series(placed.index, dtype=object),
            c.INVESTOR_COUNTRY: focus,
            s.AMOUNT_USD: placed.to_numpy(dtype=float),
        }
    )
    ids = money[s.COMPANY_ID].astype(str)
    per_dollar = (parts.reindex(ids, fill_value=0.0) / by_company.reindex(ids)).to_numpy()
    foreign_rows = pd.DataFrame(
        {
            s.COMPANY_ID: ids,
            c.INVESTOR_COUNTRY: money[c.INVESTOR_COUNTRY].astype(str),
            s.AMOUNT_USD: ratio * per_dollar * money[s.AMOUNT_USD].to_numpy(dtype=float),
        }
    )
    rows = pd.concat([fund_rows, foreign_rows[foreign_rows[s.AMOUNT_USD] > 0]], ignore_index=True)
    round_total = rows.groupby(s.COMPANY_ID)[s.AMOUNT_USD].transform("sum")
    rows[c.DEALS] = rows[s.AMOUNT_USD] / round_total
    return rows.sort_values([s.COMPANY_ID, c.INVESTOR_COUNTRY], ignore_index=True)


def _with_scenario(
    agg: pd.DataFrame, rows: pd.DataFrame, focus: str, year: int | None
) -> pd.DataFrame:
    """The flow aggregates plus the scenario rounds (attributed flows and selected rounds)."""
    flows = rows.groupby(c.INVESTOR_COUNTRY, as_index=False, sort=True)[
        [s.AMOUNT_USD, c.DEALS]
    ].sum()
    flows[c.COMPANY_COUNTRY] = focus
    flows[c.REASON] = None
    flows["n"] = rows.groupby(c.INVESTOR_COUNTRY, sort=True).size().to_numpy()
    n_rounds = int(rows[s.COMPANY_ID].nunique())
    selected = pd.DataFrame(
        {
            c.INVESTOR_COUNTRY: [None],
            c.COMPANY_COUNTRY: [focus],
            c.REASON: [SELECTED_ROUNDS],
            s.AMOUNT_USD: [float(rows[s.AMOUNT_USD].sum())],
            c.DEALS: [float(n_rounds)],
            "n": [n_rounds],
        }
    )
    extra = pd.concat([flows, selected], ignore_index=True)
    extra[c.YEAR] = year
    extra = extra.astype({c.INVESTOR_COUNTRY: object, c.REASON: object})
    return pd.concat([agg, extra[list(agg.columns)]], ignore_index=True)


def _with_rank(ind: pd.DataFrame) -> pd.DataFrame:
    out = ind.reset_index(drop=True).copy()
    out["rank"] = range(1, len(out) + 1)  # indicators are sorted by invested_in_usd, country
    return out


def fund_scenario(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions | None = None,
    *,
    fund_usd: float | None = None,
    co_invest_ratio: float = 1.0,
    absorption_cap: float | None = ABSORPTION_CAP,
    fund_share_of_inbound: float | None = None,
) -> ScenarioResult:
    """Effect of a public co-investment fund on the focus country's indicators.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database (read-only is fine: the scenario lives in a temporary table).
    focus : str
        ISO3 code of the focus country.
    opts : FlowOptions, optional
        Selection and attribution of the baseline.
    fund_usd : float, optional
        Size of the fund in USD, invested over the period.
    co_invest_ratio : float
        Foreign dollars attracted per fund dollar (0 = the fund alone).
    absorption_cap : float or None
        No company receives (fund and matched foreign money) more than this multiple of what
        it has raised in the selection (default 3); None: no cap.
    fund_share_of_inbound : float, optional
        Instead of ``fund_usd``: a fund of this share of the focus's inbound money over the
        period (e.g. :data:`FUND_SHARE_OF_INBOUND`); stated in the assumptions.

    Returns
    -------
    ScenarioResult
        Baseline vs scenario indicators side by side, the allocation and the assumptions
        (module docstring).

    Raises
    ------
    OptionError
        Bad amounts (or both or neither of ``fund_usd`` and ``fund_share_of_inbound``), a
        focus absent from the selection or without inbound money (for a share of it), or no
        focus company with foreign investors to co-invest with.
    """
    opts = opts or FlowOptions()
    if (fund_usd is None) == (fund_share_of_inbound is None):
        raise OptionError("fund scenario: give either fund_usd or fund_share_of_inbound")
    given = float("nan")  # _check refuses it
    if fund_usd is not None:
        given = fund_usd
    elif fund_share_of_inbound is not None:
        given = fund_share_of_inbound
    _check(given, co_invest_ratio, absorption_cap)
    focus = focus.strip().upper()
    ratio = float(co_invest_ratio)
    cap = None if absorption_cap is None else float(absorption_cap)
    agg = flow_aggregates(con, opts)
    baseline = _with_rank(indicators_from_aggregates(agg, opts))
    if focus not in set(baseline[c.COUNTRY]):
        raise OptionError(f"focus: {focus} has no flows in this selection ({opts.describe()})")
    sizing: list[str] = []
    if fund_share_of_inbound is not None:
        invested = float(baseline.loc[baseline[c.COUNTRY] == focus, c.INVESTED_IN_USD].iloc[0])
        if invested <= 0:
            raise OptionError(
                f"fund scenario: {focus} received no money from investors of known country in "
                f"this selection ({opts.describe()}), so a fund sized on it is zero"
            )
        fund = float(fund_share_of_inbound) * invested
        sizing = [
            f"fund size: {fund_share_of_inbound:.0%} of {focus}'s inbound money over the period "
            f"(USD {invested:,.0f}), i.e. USD {fund:,.0f}"
        ]
    else:
        fund = float(given)
    money = _foreign_money(con, opts, focus)
    if money.empty:
        raise OptionError(
            sector_words(
                f"scenario: no AI company of {focus} has foreign investors with a known amount "
                f"in this selection ({opts.describe()}); there is nobody to co-invest with",
                opts,
            )
        )
    years = agg.loc[agg[c.REASON] == SELECTED_ROUNDS, c.YEAR].dropna()
    last = int(years.max()) if len(years) else None
    year = opts.year_to if opts.year_to is not None else last
    raised = _raised(con, opts, focus)
    parts, unplaced = _fund_parts(money, raised, fund, ratio, cap)
    rows = _scenario_rows(money, focus, parts, ratio)
    scenario = _with_rank(indicators_from_aggregates(_with_scenario(agg, rows, focus, year), opts))
    b = baseline.loc[baseline[c.COUNTRY] == focus, list(COMPARED)].iloc[0]
    sc = scenario.loc[scenario[c.COUNTRY] == focus, list(COMPARED)].iloc[0]
    comparison = pd.DataFrame(
        {
            "indicator": list(COMPARED),
            "baseline": b.to_numpy(dtype=float),
            "scenario": sc.to_numpy(dtype=float),
        }
    )
    comparison["change"] = comparison["scenario"] - comparison["baseline"]
    allocation = _allocation(con, money, rows, focus, raised, cap)
    attracted = _attracted(money, rows, focus)
    total_foreign = float(money[s.AMOUNT_USD].sum())
    placed = fund - unplaced
    n_capped = int(allocation["capped"].sum())
    if cap is None:
        cap_line = "no absorption cap: a company may receive any multiple of what it has raised"
    else:
        cap_line = (
            f"absorption cap: no company receives, fund and matched foreign money together, "
            f"more than {cap:g}× what it has raised in the selection (companies at the cap: "
            f"{n_capped} of {len(allocation)})"
        )
        if unplaced > 0:
            cap_line += (
                f", and USD {unplaced:,.0f} of the fund cannot be placed (USD {placed:,.0f} is)"
            )
    assumptions = [
        *sizing,
        f"fund of USD {fund:,.0f} invested in {focus}'s AI companies that already have foreign "
        f"investors ({len(allocation)} compan{'y' if len(allocation) == 1 else 'ies'}), pro "
        f"rata to their attributed foreign money "
        f"(USD {total_foreign:,.0f} in total)",
        cap_line,
        f"the fund's money counts as domestic inbound money ({focus} -> {focus})",
        f"each fund dollar is matched by {ratio:g} dollar(s) of newly attracted foreign money "
        "in the same company, split among foreign investor countries as its existing foreign "
        "money is",
        f"one scenario round per company in {year if year is not None else 'an unknown year'}, "
        "its deal weight split by amounts; everything else unchanged",
        f"baseline: {opts.describe()}",
    ]
    return ScenarioResult(
        focus=focus,
        options=opts,
        fund_usd=fund,
        co_invest_ratio=ratio,
        comparison=comparison,
        allocation=allocation,
        attracted_by_country=attracted,
        baseline=baseline,
        scenario=scenario,
        year=year,
        assumptions=[sector_words(a, opts) for a in assumptions],
        absorption_cap=cap,
        fund_placed_usd=placed,
        fund_unplaced_usd=unplaced,
    )


def _allocation(
    con: duckdb.DuckDBPyConnection,
    money: pd.DataFrame,
    rows: pd.DataFrame,
    focus: str,
    raised: pd.Series,
    cap: float | None,
) -> pd.DataFrame:
    existing = money.groupby(s.COMPANY_ID)[s.AMOUNT_USD].sum()
    fund = rows[rows[c.INVESTOR_COUNTRY] == focus].groupby(s.COMPANY_ID)[s.AMOUNT_USD].sum()
    foreign = rows[rows[c.INVESTOR_COUNTRY] != focus].groupby(s.COMPANY_ID)[s.AMOUNT_USD].sum()
    ids = sorted(existing.index.astype(str))
    names = dict(
        con.execute(
            f"SELECT {s.COMPANY_ID}, {s.NAME} FROM {s.COMPANIES} "
            f"WHERE list_contains(?::VARCHAR[], {s.COMPANY_ID})",
            [ids],
        ).fetchall()
    )
    out = pd.DataFrame({s.COMPANY_ID: pd.Series(ids, dtype=object)})
    out[s.NAME] = out[s.COMPANY_ID].map(names).astype(object)
    out["existing_foreign_usd"] = existing.reindex(ids).to_numpy(dtype=float)
    out["weight"] = out["existing_foreign_usd"] / out["existing_foreign_usd"].sum()
    out["fund_usd"] = fund.reindex(ids, fill_value=0.0).to_numpy(dtype=float)
    out["foreign_usd"] = foreign.reindex(ids, fill_value=0.0).to_numpy(dtype=float)
    out["raised_usd"] = raised.reindex(ids, fill_value=0.0).to_numpy(dtype=float)
    out["cap_usd"] = float("nan") if cap is None else cap * out["raised_usd"]
    received = out["fund_usd"] + out["foreign_usd"]
    out["capped"] = (received >= out["cap_usd"] * (1 - 1e-9)) if cap is not None else False
    out = out.sort_values(["weight", s.COMPANY_ID], ascending=[False, True], kind="mergesort")
    cols = [
        s.COMPANY_ID,
        s.NAME,
        "weight",
        "fund_usd",
        "foreign_usd",
        "existing_foreign_usd",
        "raised_usd",
        "cap_usd",
        "capped",
    ]
    return out[cols].reset_index(drop=True)


def _attracted(money: pd.DataFrame, rows: pd.DataFrame, focus: str) -> pd.DataFrame:
    base = money.groupby(c.INVESTOR_COUNTRY)[s.AMOUNT_USD].sum()
    foreign = rows[rows[c.INVESTOR_COUNTRY] != focus]
    attracted = foreign.groupby(c.INVESTOR_COUNTRY)[s.AMOUNT_USD].sum()
    names = sorted(str(k) for k in base.index)
    out = pd.DataFrame({c.INVESTOR_COUNTRY: pd.Series(names, dtype=object)})
    out["baseline_usd"] = base.reindex(names).to_numpy(dtype=float)
    out["attracted_usd"] = attracted.reindex(names, fill_value=0.0).to_numpy(dtype=float)
    return out.sort_values(
        ["attracted_usd", c.INVESTOR_COUNTRY], ascending=[False, True], kind="mergesort"
    ).reset_index(drop=True)
