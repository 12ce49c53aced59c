"""Pure derivations from the library's tables to the tables the report quotes and plots.

Every function takes DataFrames with the contract's columns (see ``notes/contracts.md``) and
returns a new, explicitly sorted DataFrame, so the same input always gives the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions
from vcflows.indicators.profile import peer_group

OTHER = "OTHER"


def shares_by_year(
    fm_year: pd.DataFrame, *, top: int = 6, focus: str | None = None
) -> pd.DataFrame:
    """Share of each company country in the world's attributed AI VC, per year.

    Parameters
    ----------
    fm_year : DataFrame
        Flow matrix by year: investor_country, company_country, year, amount_usd, deals.
    top : int
        Countries kept by their total over all years; the rest are summed as ``"OTHER"``.
    focus : str, optional
        A country kept in any case (the report's focus), after the top countries.

    Returns
    -------
    DataFrame
        year, country, amount_usd, share (share of that year's amount), deals, deals_share
        (share of that year's deals), sorted by year then the countries' overall order
        (largest first, OTHER last).
    """
    per = fm_year[fm_year["year"].notna()].copy() if not fm_year.empty else fm_year
    if not per.empty:
        per["year"] = per["year"].astype(int)
    return _shares_by(per, "year", top, focus)


def shares_by_stage(
    stages: pd.DataFrame, *, top: int = 6, focus: str | None = None
) -> pd.DataFrame:
    """Share of each company country in the world's attributed AI VC, per stage group.

    Parameters
    ----------
    stages : DataFrame
        :func:`vcflows.indicators.stage_shares_from` of the flow matrix by stage.
    top : int
        Countries kept by their total over all stages; the rest are summed as ``"OTHER"``.
    focus : str, optional
        A country kept in any case (the report's focus), after the top countries.

    Returns
    -------
    DataFrame
        stage_group (:data:`vcflows.schema.STAGE_GROUPS`), country, amount_usd, share (of
        that group's amount), deals, deals_share (of its deals), sorted by group then the
        countries' overall order (largest first, OTHER last).
    """
    per = stages.rename(columns={"country": "company_country"})
    out = _shares_by(per, "stage_group", top, focus)
    out["_g"] = out["stage_group"].map({g: i for i, g in enumerate(s.STAGE_GROUPS)})
    return out.sort_values("_g", kind="mergesort").drop(columns="_g").reset_index(drop=True)


def _shares_by(per: pd.DataFrame, key: str, top: int, focus: str | None) -> pd.DataFrame:
    """Each company country's share of amount and of deals within each value of ``key``."""
    cols = [key, "country", s.AMOUNT_USD, "share", "deals", "deals_share"]
    if per.empty:
        return pd.DataFrame(columns=cols)
    per = per.groupby([key, "company_country"], as_index=False)[[s.AMOUNT_USD, "deals"]].sum()
    per = per.rename(columns={"company_country": "country"})
    totals = per.groupby("country")[s.AMOUNT_USD].sum().reset_index()
    totals = totals.sort_values([s.AMOUNT_USD, "country"], ascending=[False, True])
    keep = list(totals["country"].head(top))
    if focus is not None and focus not in keep and (totals["country"] == focus).any():
        keep.append(focus)
    per["country"] = per["country"].where(per["country"].isin(keep), OTHER)
    per = per.groupby([key, "country"], as_index=False)[[s.AMOUNT_USD, "deals"]].sum()
    for value, share in ((s.AMOUNT_USD, "share"), ("deals", "deals_share")):
        total = per.groupby(key)[value].transform("sum")
        per[share] = (per[value] / total).where(total > 0, 0.0)
    order = {c: i for i, c in enumerate([*keep, OTHER])}
    per["_o"] = per["country"].map(order)
    return per.sort_values([key, "_o"]).drop(columns="_o").reset_index(drop=True)[cols]


def trend(shares: pd.DataFrame, country: str) -> dict[str, Any] | None:
    """First and last year's share of ``country`` in a :func:`shares_by_year` table."""
    rows = shares[shares["country"] == country].sort_values("year")
    years = sorted(shares["year"].unique())
    if len(years) < 2:
        return None
    by_year = dict(zip(rows["year"], rows["share"], strict=True))
    first, last = years[0], years[-1]
    return {
        "year_first": int(first),
        "year_last": int(last),
        "share_first": float(by_year.get(first, 0.0)),
        "share_last": float(by_year.get(last, 0.0)),
    }


def partial_year(
    last_announced: str | None, complete_from: tuple[int, int] = (12, 1)
) -> int | None:
    """The year of the data's last announced date when it ends before ``complete_from``.

    Parameters
    ----------
    last_announced : str, optional
        ISO date of the last selected round.
    complete_from : (int, int)
        Month and day from which a final year counts as complete (1 December).

    Returns
    -------
    int or None
        The partial final year, or None when the data end late enough (or hold no date).
    """
    if not last_announced:
        return None
    day = pd.Timestamp(last_announced)
    return None if (day.month, day.day) >= complete_from else int(day.year)


def growth_received(fm_year: pd.DataFrame, first: int, last: int) -> pd.Series:
    """Compound annual growth of the money each company country received, ``first`` to ``last``.

    NaN where the first year's amount is 0 or the span is shorter than a year.
    """
    if fm_year.empty or last <= first:
        return pd.Series(dtype=float)
    per = fm_year[fm_year["year"].notna()].copy()
    per["year"] = per["year"].astype(int)
    wide = per.pivot_table(
        index="company_country", columns="year", values=s.AMOUNT_USD, aggfunc="sum", fill_value=0.0
    )
    v0 = wide[first] if first in wide.columns else pd.Series(0.0, index=wide.index)
    v1 = wide[last] if last in wide.columns else pd.Series(0.0, index=wide.index)
    ratio = (v1 / v0.where(v0 > 0)).astype(float)
    return (ratio ** (1.0 / (last - first)) - 1.0).astype(float)


def top_receivers(ind: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` countries receiving the most AI VC, with their headline indicators."""
    cols = [
        "country",
        "invested_in_usd",
        "share_global",
        "deals_in",
        "domestic_share_in",
        "foreign_share_in",
        "us_share_in",
        "invested_out_usd",
        "overseas_share_out",
        "growth",
    ]
    have = [c for c in cols if c in ind.columns]
    out = ind[ind["invested_in_usd"] > 0].sort_values(
        ["invested_in_usd", "country"], ascending=[False, True]
    )
    out = out.head(n)[have].reset_index(drop=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def investor_countries(ind: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The largest investor countries with the share they keep at home.

    ``domestic_share_out`` is ``1 - overseas_share_out``: the part of a country's investors'
    AI VC that stays in companies of the same country.
    """
    out = ind[ind["invested_out_usd"] > 0].sort_values(
        ["invested_out_usd", "country"], ascending=[False, True]
    )
    out = out.head(n)[["country", "invested_out_usd", "deals_out", "overseas_share_out"]].copy()
    out["domestic_share_out"] = 1.0 - out["overseas_share_out"]
    return out.reset_index(drop=True)


def _partners(ind: pd.DataFrame, column: str, role: str, countries: Sequence[str]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    lookup = ind.set_index("country")
    for c in countries:
        partners: Any = lookup.at[c, column] if c in lookup.index else None
        items: list[dict[str, Any]] = list(partners) if partners is not None else []
        for i, p in enumerate(items, start=1):
            rows.append(
                {
                    role: c,
                    "rank": i,
                    "partner": p["partner"],
                    s.AMOUNT_USD: float(p[s.AMOUNT_USD]),
                    "share": float(p["share"]),
                }
            )
    return pd.DataFrame(rows, columns=[role, "rank", "partner", s.AMOUNT_USD, "share"])


def hubs(
    ind: pd.DataFrame, *, min_share: float = 0.01, n: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Foreign-capital hubs: the larger markets most reliant on foreign capital.

    Parameters
    ----------
    ind : DataFrame
        Country indicators.
    min_share : float
        Only countries with at least this share of global AI VC received count as "larger
        markets" (small markets with one foreign deal would otherwise lead).
    n : int
        Number of hubs.

    Returns
    -------
    (DataFrame, DataFrame)
        The hubs (country, invested_in_usd, share_global, foreign_share_in) sorted by foreign
        share, and their top sources (hub, rank, partner, amount_usd, share).
    """
    big = ind[(ind["share_global"] >= min_share) & (ind["invested_in_usd"] > 0)]
    top = big.sort_values(
        ["foreign_share_in", "invested_in_usd", "country"], ascending=[False, False, True]
    )
    top = top.head(n)[["country", "invested_in_usd", "share_global", "foreign_share_in"]]
    top = top.reset_index(drop=True)
    sources = _partners(ind, "top_sources", "hub", list(top["country"]))
    sources = sources[sources["partner"] != sources["hub"]].reset_index(drop=True)
    return top, sources


def outbound(
    ind: pd.DataFrame, *, min_share: float = 0.01, n: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outbound cooperators: the larger investor countries investing most abroad.

    Returns the countries (country, invested_out_usd, overseas_out_usd, overseas_share_out)
    with at least ``min_share`` of all invested AI VC, sorted by overseas share, and their top
    foreign destinations (investor, rank, partner, amount_usd, share). ``overseas_out_usd`` is
    the part of ``invested_out_usd`` that went to companies abroad.
    """
    total = float(ind["invested_out_usd"].sum())
    big = ind[(ind["invested_out_usd"] >= min_share * total) & (ind["invested_out_usd"] > 0)]
    top = big.sort_values(
        ["overseas_share_out", "invested_out_usd", "country"], ascending=[False, False, True]
    )
    cols = ["country", "invested_out_usd", "overseas_out_usd", "overseas_share_out"]
    top = top.head(n)[cols].reset_index(drop=True)
    dest = _partners(ind, "top_destinations", "investor", list(top["country"]))
    dest = dest[dest["partner"] != dest["investor"]].reset_index(drop=True)
    dest["rank"] = dest.groupby("investor").cumcount() + 1
    return top, dest


def top_pairs(fm: pd.DataFrame, n: int = 15, *, cross_border: bool = True) -> pd.DataFrame:
    """The ``n`` largest bilateral flows (investor_country -> company_country)."""
    pairs = fm.groupby(["investor_country", "company_country"], as_index=False)[
        [s.AMOUNT_USD, "deals"]
    ].sum()
    if cross_border:
        pairs = pairs[pairs["investor_country"] != pairs["company_country"]]
    pairs = pairs[pairs[s.AMOUNT_USD] > 0]
    pairs = pairs.sort_values(
        [s.AMOUNT_USD, "investor_country", "company_country"], ascending=[False, True, True]
    )
    return pairs.head(n).reset_index(drop=True)


def focus_position(
    ind: pd.DataFrame, focus: str, *, peers: Sequence[str] = (), target_rank: int = 3
) -> dict[str, Any] | None:
    """Rank of the focus country by AI VC received, its peers and the gap to a target rank.

    Peers default to the countries ranked up to three places either side of the focus.
    The gap is what the focus country would need on top of its amount to pass the country
    now at ``target_rank`` (0 when it already ranks there or better).
    """
    ranked = ind[ind["invested_in_usd"] > 0].sort_values(
        ["invested_in_usd", "country"], ascending=[False, True]
    )
    ranked = ranked.reset_index(drop=True)
    if focus not in set(ranked["country"]):
        return None
    pos = int(ranked.index[ranked["country"] == focus][0])
    row = ranked.iloc[pos]
    if not peers:
        lo, hi = max(0, pos - 3), min(len(ranked), pos + 4)
        peers = [c for c in ranked["country"].iloc[lo:hi] if c != focus]
    peer_rows = ranked[ranked["country"].isin(list(peers))]
    target = min(max(1, target_rank), len(ranked))
    target_amount = float(ranked.iloc[target - 1]["invested_in_usd"])
    gap = max(0.0, target_amount - float(row["invested_in_usd"])) if pos + 1 > target else 0.0
    return {
        "country": focus,
        "rank": pos + 1,
        "n": len(ranked),
        "invested_in_usd": float(row["invested_in_usd"]),
        "share_global": float(row["share_global"]),
        "foreign_share_in": float(row["foreign_share_in"]),
        "peers": list(peer_rows["country"]),
        "peer_median_foreign_share": float(peer_rows["foreign_share_in"].median())
        if len(peer_rows)
        else None,
        "target_rank": target,
        "target_country": str(ranked.iloc[target - 1]["country"]),
        "gap_to_target_usd": gap,
    }


PEER_COLUMNS: tuple[str, ...] = (
    "country",
    "invested_in_usd",
    "share_global",
    "foreign_share_in",
    "us_share_in",
    "overseas_share_out",
    "partner_hhi",
    "growth",
)


def peer_table(ind: pd.DataFrame, focus: str, peers: Sequence[str]) -> pd.DataFrame:
    """Headline indicators of the focus country and its peers, sorted by AI VC received."""
    cols = PEER_COLUMNS
    rows = ind[ind["country"].isin([focus, *peers])]
    rows = rows.sort_values(["invested_in_usd", "country"], ascending=[False, True])
    return rows[[c for c in cols if c in rows.columns]].reset_index(drop=True)


def profile_peers(ind: pd.DataFrame, focus: str) -> list[str]:
    """The report's peers of ``focus``, largest recipient first.

    The library's peer group (:func:`vcflows.indicators.profile.peer_group`: the
    :data:`~vcflows.indicators.profile.PEER_TOP` countries by share_global), without the focus
    and without countries that received nothing (they have no foreign share in), as the report
    keeps them.
    """
    group = peer_group(ind, focus)
    rows = ind[ind["country"].isin(group - {focus}) & (ind["invested_in_usd"] > 0)]
    rows = rows.sort_values(["invested_in_usd", "country"], ascending=[False, True])
    return [str(x) for x in rows["country"]]


def with_expected_over_actual(gaps: pd.DataFrame) -> pd.DataFrame:
    """Gravity gaps with ``expected_over_actual`` (expected / actual; NaN where nothing flowed).

    The report's definition, quoted as "N times the observed flow"; the dashboard shows the
    same column.
    """
    out = gaps.copy()
    actual = out["actual_usd"].astype(float)
    out["expected_over_actual"] = (out["expected_usd"].astype(float) / actual).where(actual > 0)
    return out


def scenario_by_case(comparison: pd.DataFrame) -> pd.DataFrame:
    """The fund scenario's comparison with one row per case, one column per indicator.

    ``comparison`` has one row per indicator (columns indicator, baseline, scenario, change);
    turned round, each column holds one indicator and is formatted as that indicator (USD,
    share, count), as the report shows it. The case column ``scenario_case`` holds
    ``baseline``, ``with_fund`` and ``change``.
    """
    return (
        comparison.rename(columns={"scenario": "with_fund"})
        .set_index("indicator")
        .T.rename_axis(None, axis=1)
        .reset_index(names="scenario_case")
    )


#: Trend tables of :func:`trend_tables` -> their columns (from ``country_trends``).
TREND_TABLE_COLUMNS: dict[str, list[str]] = {
    "trend_amounts": ["country", "year", "invested_in_usd", "rounds_in", "few_rounds_in"],
    "trend_foreign_share": [
        "country",
        "year",
        "rounds_in",
        "foreign_share_in",
        "foreign_share_in_ci_low",
        "foreign_share_in_ci_high",
        "few_rounds_in",
    ],
    "trend_overseas_share": [
        "country",
        "year",
        "rounds_out",
        "overseas_share_out",
        "overseas_share_out_ci_low",
        "overseas_share_out_ci_high",
        "few_rounds_out",
    ],
}


def trend_tables(trends: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The table of each trend chart, from :func:`vcflows.indicators.trends.country_trends`."""
    return {name: trends[cols].reset_index(drop=True) for name, cols in TREND_TABLE_COLUMNS.items()}


def focus_trends(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    ind: pd.DataFrame,
    focus: str,
    aggregates: pd.DataFrame | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """The trend tables of the focus and its peers, and the settings the charts state.

    The report's focus chapter and the dashboard's country and focus views both call this:
    peers as :func:`focus_position` chooses them, 90% intervals from 200 resamples (seed 0),
    and few deals below the findings' minimum rounds.
    """
    from vcflows.findings import FindingOptions
    from vcflows.indicators import IntervalOptions
    from vcflows.indicators.trends import country_trends

    ci, min_rounds = IntervalOptions(), FindingOptions().min_rounds
    position = focus_position(ind, focus)
    countries = [focus, *(position["peers"] if position else [])]
    trends = country_trends(
        con, opts, countries, ci=ci, min_rounds=min_rounds, aggregates=aggregates
    )
    settings = {"level": ci.level, "resamples": ci.resamples, "min_rounds": min_rounds}
    return trend_tables(trends), settings
