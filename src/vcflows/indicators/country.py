"""Country indicators of cross-border AI VC: who funds whose AI, domestic vs foreign.

All heavy work (attribution over every participation) runs in DuckDB once per call, in a
temporary table; the indicators are then computed from small aggregates (one row per country
pair, per country-year) with vectorized pandas.

Definitions (``M[i, c]`` = attributed amount from investors of country ``i`` to companies of
country ``c``; ``D[i, c]`` the same in deal weights; "foreign" means ``i != c``):

- ``invested_in_usd`` = Σ_i M[i, c]; ``deals_in`` = Σ_i D[i, c].
- ``share_global`` = invested_in_usd / Σ M (all attributed money); ``share_global_deals`` likewise.
- ``domestic_share_in`` = M[c, c] / invested_in_usd; ``foreign_share_in`` = 1 − that;
  ``us_share_in`` = M[USA, c] / invested_in_usd; ``*_deals`` versions use D.
- ``invested_out_usd`` = Σ_c M[i, c]; ``overseas_share_out`` = (invested_out_usd − M[i, i]) /
  invested_out_usd.
- ``top_sources`` / ``top_destinations``: the ``top_n`` foreign partners by amount, each
  ``{partner, amount_usd, share}`` with share of the country's invested_in_usd
  (resp. invested_out_usd), so the sources' shares add up to at most foreign_share_in.
- ``partner_hhi`` = Σ_p (M[p, c] / Σ_{q≠c} M[q, c])² over foreign sources p: 1 = a single foreign
  source, 1/k = k equal ones (``partner_hhi_out``: the same over foreign destinations).
- ``growth`` = (in[y1] / in[y0])^(1 / (y1 − y0)) − 1, the compound annual growth of
  invested_in_usd between the first (y0) and last (y1) year of the period (the option's
  years, else the selection's first and last years); NaN when in[y0] = 0 or y1 = y0.
- ``unattributed_in_usd``: the country's companies' money that could not be attributed
  (unknown investor country, or no recorded investor). Shares use attributed money only.

A share whose denominator is 0 is NaN (undefined), never 0.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions, flow_matrix, shares_with
from vcflows.flows import columns as c
from vcflows.flows.base import base_relation
from vcflows.indicators.intervals import IntervalOptions, add_intervals, share_intervals

US: str = "USA"

#: Output columns of :func:`country_indicators`, in order (the contract's, then extras).
INDICATOR_COLUMNS: tuple[str, ...] = (
    c.COUNTRY,
    "invested_in_usd",
    "deals_in",
    "share_global",
    "share_global_deals",
    "domestic_share_in",
    "foreign_share_in",
    "us_share_in",
    "domestic_share_in_deals",
    "foreign_share_in_deals",
    "invested_out_usd",
    "deals_out",
    "overseas_share_out",
    "overseas_share_out_deals",
    "top_sources",
    "top_destinations",
    "partner_hhi",
    "growth",
    "unattributed_in_usd",
    # extras
    "foreign_in_usd",
    "overseas_out_usd",
    "partner_hhi_out",
    "rounds_in",
    "unattributed_in_share",
)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den, NaN where den is 0 (an undefined share is not a zero share)."""
    den = den.astype(float)
    return (num.astype(float) / den.where(den != 0)).astype(float)


def _top_partners(
    foreign: pd.DataFrame, key: str, partner: str, totals: pd.Series, top_n: int
) -> pd.Series:
    """Per country ``key``: list of its ``top_n`` foreign partners by amount."""
    top = foreign[foreign[s.AMOUNT_USD] > 0].sort_values(
        [key, s.AMOUNT_USD, partner], ascending=[True, False, True]
    )
    top = top.groupby(key, sort=True).head(top_n)
    lists: dict[str, list[dict[str, object]]] = {}
    for country, grp in top.groupby(key, sort=True):  # one iteration per country, not per row
        total = float(totals.get(country, 0.0))
        lists[str(country)] = [
            {
                "partner": str(p),
                "amount_usd": float(a),
                "share": float(a) / total if total > 0 else float("nan"),
            }
            for p, a in zip(grp[partner], grp[s.AMOUNT_USD], strict=True)
        ]
    return pd.Series(lists, dtype=object)


def _hhi(foreign: pd.DataFrame, key: str) -> pd.Series:
    tot = foreign.groupby(key)[s.AMOUNT_USD].transform("sum")
    sq = (foreign[s.AMOUNT_USD] / tot.where(tot > 0)) ** 2
    out = sq.groupby(foreign[key]).sum(min_count=1)
    return out.astype(float)


def _growth(in_by_year: pd.DataFrame, period: tuple[int | None, int | None]) -> pd.Series:
    y0, y1 = period
    if y0 is None or y1 is None or y1 <= y0 or in_by_year.empty:
        return pd.Series(dtype=float)
    wide = in_by_year.pivot_table(
        index=c.COMPANY_COUNTRY, columns=c.YEAR, values=s.AMOUNT_USD, aggfunc="sum", fill_value=0.0
    )
    v0 = wide[y0] if y0 in wide.columns else pd.Series(0.0, index=wide.index)
    v1 = wide[y1] if y1 in wide.columns else pd.Series(0.0, index=wide.index)
    ratio = _ratio(v1, v0)
    return (ratio ** (1.0 / (y1 - y0)) - 1.0).astype(float)


def indicators_from(
    pairs: pd.DataFrame,
    *,
    in_by_year: pd.DataFrame | None = None,
    lost: pd.DataFrame | None = None,
    rounds_in: pd.Series | None = None,
    period: tuple[int | None, int | None] = (None, None),
    top_n: int = 5,
) -> pd.DataFrame:
    """Compute the country indicators from small aggregates (see the module docstring).

    Parameters
    ----------
    pairs : pd.DataFrame
        investor_country, company_country, amount_usd, deals (attributed flows).
    in_by_year : pd.DataFrame, optional
        company_country, year, amount_usd (attributed inflows by year), for ``growth``.
    lost : pd.DataFrame, optional
        company_country, amount_usd (unattributed amounts), for ``unattributed_in_usd``.
    rounds_in : pd.Series, optional
        Selected rounds per company country (attributed or not).
    period : tuple of int or None
        First and last year for ``growth``.
    top_n : int
        Partners listed in ``top_sources`` / ``top_destinations``.

    Returns
    -------
    pd.DataFrame
        Columns :data:`INDICATOR_COLUMNS`, sorted by invested_in_usd desc then country.
    """
    ic, cc, amt, dl = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, s.AMOUNT_USD, c.DEALS
    pairs = pairs[[ic, cc, amt, dl]].astype({ic: object, cc: object, amt: float, dl: float})
    lost_by = pd.Series(dtype=float)
    if lost is not None and not lost.empty:
        known = lost[lost[cc].notna()]
        lost_by = known.groupby(cc)[amt].sum().astype(float)
    names = set(pairs[ic]) | set(pairs[cc]) | set(lost_by.index)
    countries = pd.Index(sorted(str(n) for n in names), name=c.COUNTRY)

    def by(key: str, col: str, frame: pd.DataFrame = pairs) -> pd.Series:
        return frame.groupby(key)[col].sum().reindex(countries, fill_value=0.0).astype(float)

    dom = pairs[pairs[ic] == pairs[cc]]
    foreign = pairs[pairs[ic] != pairs[cc]]
    out = pd.DataFrame(index=countries)
    out["invested_in_usd"] = by(cc, amt)
    out["deals_in"] = by(cc, dl)
    total_amt, total_deals = float(pairs[amt].sum()), float(pairs[dl].sum())
    out["share_global"] = out["invested_in_usd"] / total_amt if total_amt > 0 else np.nan
    out["share_global_deals"] = out["deals_in"] / total_deals if total_deals > 0 else np.nan
    dom_amt, dom_deals = by(cc, amt, dom), by(cc, dl, dom)
    out["domestic_share_in"] = _ratio(dom_amt, out["invested_in_usd"])
    out["foreign_share_in"] = _ratio(out["invested_in_usd"] - dom_amt, out["invested_in_usd"])
    out["us_share_in"] = _ratio(by(cc, amt, pairs[pairs[ic] == US]), out["invested_in_usd"])
    out["domestic_share_in_deals"] = _ratio(dom_deals, out["deals_in"])
    out["foreign_share_in_deals"] = _ratio(out["deals_in"] - dom_deals, out["deals_in"])
    out["invested_out_usd"] = by(ic, amt)
    out["deals_out"] = by(ic, dl)
    out["overseas_share_out"] = _ratio(out["invested_out_usd"] - dom_amt, out["invested_out_usd"])
    out["overseas_share_out_deals"] = _ratio(out["deals_out"] - dom_deals, out["deals_out"])
    sources = _top_partners(foreign, cc, ic, out["invested_in_usd"], top_n)
    dests = _top_partners(foreign, ic, cc, out["invested_out_usd"], top_n)
    out["top_sources"] = [sources.get(k, []) for k in countries]
    out["top_destinations"] = [dests.get(k, []) for k in countries]
    out["partner_hhi"] = _hhi(foreign, cc).reindex(countries).astype(float)
    growth = _growth(in_by_year, period) if in_by_year is not None else pd.Series(dtype=float)
    out["growth"] = growth.reindex(countries).astype(float)
    out["unattributed_in_usd"] = lost_by.reindex(countries, fill_value=0.0).astype(float)
    out["foreign_in_usd"] = by(cc, amt, foreign)
    out["overseas_out_usd"] = by(ic, amt, foreign)
    out["partner_hhi_out"] = _hhi(foreign, ic).reindex(countries).astype(float)
    rin = rounds_in if rounds_in is not None else pd.Series(dtype="int64")
    out["rounds_in"] = rin.reindex(countries, fill_value=0).astype("int64")
    out["unattributed_in_share"] = _ratio(
        out["unattributed_in_usd"], out["unattributed_in_usd"] + out["invested_in_usd"]
    )
    out = out.reset_index()
    out = out.sort_values(["invested_in_usd", c.COUNTRY], ascending=[False, True], kind="mergesort")
    return out[list(INDICATOR_COLUMNS)].reset_index(drop=True)


#: ``reason`` marking the selected-rounds rows of :func:`flow_aggregates`.
SELECTED_ROUNDS = "(selected rounds)"


def flow_aggregates(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """Everything the indicators need, from one pass over the deals, as one small table.

    Returns
    -------
    pd.DataFrame
        investor_country, company_country, year, reason, amount_usd, deals, n. Rows with
        ``reason`` NULL are attributed flows, other reasons the unattributed bucket (n =
        rounds), and ``reason ==`` :data:`SELECTED_ROUNDS` rows count the selected rounds per
        company country and year (deals = n = rounds, amount_usd = their known amount).
    """
    sql, params = flow_aggregates_sql(opts, base_relation(con))
    return con.execute(sql, params).fetchdf()


def flow_aggregates_sql(opts: FlowOptions, base: str | None = None) -> tuple[str, list[object]]:
    """The SQL text (DuckDB dialect) of :func:`flow_aggregates` and its parameters.

    Also run, transpiled, by the Spark engine (:mod:`vcflows.engines.spark`). ``base`` as
    for :func:`vcflows.flows.shares_with`.
    """
    with_clause, params = shares_with(opts, base)
    sql = f"""{with_clause}
        SELECT {c.INVESTOR_COUNTRY}, {c.COMPANY_COUNTRY}, {c.YEAR}, {c.REASON},
               fsum({s.AMOUNT_USD}) AS {s.AMOUNT_USD}, fsum({c.DEALS}) AS {c.DEALS},
               count(*) AS n
        FROM shares GROUP BY ALL
        UNION ALL
        SELECT NULL, {c.COMPANY_COUNTRY}, {c.YEAR}, '{SELECTED_ROUNDS}',
               fsum({s.AMOUNT_USD}), count(*), count(*)
        FROM r GROUP BY ALL
        ORDER BY ALL
        """
    return sql, params


def indicators_from_aggregates(
    agg: pd.DataFrame, opts: FlowOptions, top_n: int = 5
) -> pd.DataFrame:
    """Country indicators from :func:`flow_aggregates` (see the module docstring)."""
    ic, cc, yr, amt, dl = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, c.YEAR, s.AMOUNT_USD, c.DEALS
    agg = agg.astype({amt: float, dl: float}).fillna({amt: 0.0})
    reason = agg[c.REASON]
    att = agg[reason.isna()]
    lost = agg[reason.notna() & (reason != SELECTED_ROUNDS)]
    sel = agg[reason == SELECTED_ROUNDS]
    pairs = att.groupby([ic, cc], as_index=False, sort=True)[[amt, dl]].sum()
    in_by_year = att[att[yr].notna()].groupby([cc, yr], as_index=False, sort=True)[[amt]].sum()
    rounds_in = sel[sel[cc].notna()].groupby(cc, sort=True)["n"].sum()
    years = sel[yr].dropna()
    y0 = (
        opts.year_from if opts.year_from is not None else (int(years.min()) if len(years) else None)
    )
    y1 = opts.year_to if opts.year_to is not None else (int(years.max()) if len(years) else None)
    return indicators_from(
        pairs,
        in_by_year=in_by_year,
        lost=lost[[cc, amt]],
        rounds_in=rounds_in,
        period=(y0, y1),
        top_n=top_n,
    )


def country_indicators(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions | None = None,
    top_n: int = 5,
    *,
    ci: IntervalOptions | None = None,
) -> pd.DataFrame:
    """Indicators of every country for the selection ``opts``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Selection and attribution method (default: AI companies, all years, equal).
    top_n : int
        Number of partners in ``top_sources`` / ``top_destinations``.
    ci : IntervalOptions, optional
        Add a bootstrap interval over rounds to every share indicator, as
        ``<name>_ci_low`` / ``<name>_ci_high`` right after it
        (:mod:`vcflows.indicators.intervals`). None (default): no interval columns.

    Returns
    -------
    pd.DataFrame
        One row per country (company or investor country), columns
        :data:`INDICATOR_COLUMNS` (definitions in the module docstring), sorted by
        invested_in_usd descending, then country.
    """
    opts = opts or FlowOptions()
    out = indicators_from_aggregates(flow_aggregates(con, opts), opts, top_n)
    return out if ci is None else add_intervals(out, share_intervals(con, opts, ci))


#: Output columns of :func:`country_indicators_by_year`, in order.
INDICATOR_BY_YEAR_COLUMNS: tuple[str, ...] = (c.COUNTRY, c.YEAR, *INDICATOR_COLUMNS[1:])


def indicators_by_year_from_aggregates(
    agg: pd.DataFrame, opts: FlowOptions, top_n: int = 5
) -> pd.DataFrame:
    """Country indicators per year from :func:`flow_aggregates` (grouped by year already).

    Each year's rows are those :func:`flow_aggregates` returns for the options narrowed to
    that year, so each year's indicators are computed by :func:`indicators_from_aggregates`
    exactly as for ``FlowOptions(year_from=y, year_to=y)``. Rows without a year (rounds
    without an announcement date) are in no year.
    """
    years = sorted(int(y) for y in agg[c.YEAR].dropna().unique())
    frames = []
    for year in years:  # one iteration per year on the small aggregate table, no new query
        one = replace(opts, year_from=year, year_to=year)
        ind = indicators_from_aggregates(agg[agg[c.YEAR] == year], one, top_n)
        frames.append(ind.assign(**{c.YEAR: year}))
    if not frames:
        return pd.DataFrame(
            {
                col: pd.Series(dtype="int64" if col == c.YEAR else object)
                for col in INDICATOR_BY_YEAR_COLUMNS
            }
        )
    out = pd.concat(frames, ignore_index=True)
    out[c.YEAR] = out[c.YEAR].astype("int64")
    return out[list(INDICATOR_BY_YEAR_COLUMNS)]


def country_indicators_by_year(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions | None = None,
    top_n: int = 5,
    *,
    ci: IntervalOptions | None = None,
) -> pd.DataFrame:
    """Indicators of every country in every year of the selection ``opts``.

    One DuckDB pass over the deals (the aggregates of :func:`country_indicators`, which are
    grouped by year already); each year's indicators are then those of the whole-period
    definitions (module docstring) on that year alone: the row for country ``k`` and year
    ``y`` equals the row for ``k`` of ``country_indicators(con, FlowOptions(year_from=y,
    year_to=y, ...))``. Hence ``share_global`` is a share of that year's money, and
    ``growth`` (a rate between a period's first and last years) is NaN in every row.

    Rounds without an announcement date are in no year: they count in the whole-period
    indicators (when no year bound is set) but in no row here.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Selection and attribution method; its years bound the years returned.
    top_n : int
        Number of partners in ``top_sources`` / ``top_destinations``.
    ci : IntervalOptions, optional
        Add a bootstrap interval over each year's rounds to every share indicator, as for
        :func:`country_indicators` (one draw of weights for all years).

    Returns
    -------
    pd.DataFrame
        One row per country and year in which the country received, invested or lost money
        (or deals), columns :data:`INDICATOR_BY_YEAR_COLUMNS`; sorted by year, then
        invested_in_usd descending, then country. Years without any selected round are absent.
    """
    opts = opts or FlowOptions()
    out = indicators_by_year_from_aggregates(flow_aggregates(con, opts), opts, top_n)
    return out if ci is None else add_intervals(out, share_intervals(con, opts, ci, by_year=True))


def indicators_on(
    con: duckdb.DuckDBPyConnection, table: str, opts: FlowOptions, top_n: int = 5
) -> pd.DataFrame:
    """:func:`country_indicators` on a materialized shares table (see ``shares_table``).

    For callers that alter the shares (e.g. scenarios) before computing indicators.
    """
    agg = con.execute(
        f"""
        SELECT {c.INVESTOR_COUNTRY}, {c.COMPANY_COUNTRY}, {c.YEAR}, {c.REASON},
               fsum({s.AMOUNT_USD}) AS {s.AMOUNT_USD}, fsum({c.DEALS}) AS {c.DEALS},
               count(*) AS n
        FROM {table} GROUP BY ALL
        UNION ALL
        SELECT NULL, {c.COMPANY_COUNTRY}, {c.YEAR}, '{SELECTED_ROUNDS}', NULL,
               count(DISTINCT {s.ROUND_ID}), count(DISTINCT {s.ROUND_ID})
        FROM {table} GROUP BY ALL
        ORDER BY ALL
        """
    ).fetchdf()
    return indicators_from_aggregates(agg, opts, top_n)


def reciprocity_from(pairs: pd.DataFrame) -> pd.DataFrame:
    """Reciprocity of every country pair from an attributed flow matrix (see :func:`reciprocity`)."""
    ic, cc, amt = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, s.AMOUNT_USD
    f = pairs[(pairs[ic] != pairs[cc]) & pairs[ic].notna() & pairs[cc].notna()]
    f = f.astype({ic: object, cc: object, amt: float})
    a = f[[ic, cc]].min(axis=1)
    b = f[[ic, cc]].max(axis=1)
    frame = pd.DataFrame(
        {
            "country_a": a.astype(object),
            "country_b": b.astype(object),
            "a_to_b_usd": f[amt].where(f[ic] == a, 0.0),
            "b_to_a_usd": f[amt].where(f[ic] == b, 0.0),
        }
    )
    res = frame.groupby(["country_a", "country_b"], as_index=False)[
        ["a_to_b_usd", "b_to_a_usd"]
    ].sum()
    hi = res[["a_to_b_usd", "b_to_a_usd"]].max(axis=1)
    lo = res[["a_to_b_usd", "b_to_a_usd"]].min(axis=1)
    res["reciprocity"] = _ratio(lo, hi)
    res["total_usd"] = res["a_to_b_usd"] + res["b_to_a_usd"]
    res = res.sort_values(
        ["total_usd", "country_a", "country_b"], ascending=[False, True, True], kind="mergesort"
    )
    return res.reset_index(drop=True)


def reciprocity(con: duckdb.DuckDBPyConnection, opts: FlowOptions | None = None) -> pd.DataFrame:
    """Two-way balance of the flows between every pair of countries.

    ``reciprocity`` = min(a→b, b→a) / max(a→b, b→a): 1 when each funds the other's AI
    equally, 0 when money goes one way only, NaN when no amount is known either way.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Selection and attribution method.

    Returns
    -------
    pd.DataFrame
        Columns country_a, country_b (country_a < country_b), a_to_b_usd, b_to_a_usd,
        reciprocity, total_usd; sorted by total_usd descending then the pair.
    """
    return reciprocity_from(flow_matrix(con, opts or FlowOptions()))
