"""The corporate investment network: corporate and CVC investors and the countries they fund.

The graph is bipartite: corporate investors (``investor_type`` in ``cvc``, ``corporate``) on
one side, company countries on the other; an edge weighs the USD an investor put into AI
companies of a country (investor-level shares, see :mod:`vcflows.network._scope`).

Metrics (for the methods appendix)
----------------------------------
degree
    Number of distinct company countries an investor funded (its bipartite degree);
    ``degree_centrality`` divides it by the number of company countries in scope.
strength (amount_usd)
    USD attributed to the investor over all its in-scope participations.
foreign_share
    Share of that amount going to companies outside the investor's own country, among
    companies of a known country (NaN when the investor's country is unknown or no amount
    went to a known country); a big-tech group's, outside the group's home country.
corporate_share (per company country)
    Share of a country's inbound investor-backed AI money that comes through corporate
    investors: sum over its rounds of amount x min(1, corporate participations' weight) over
    the sum of amounts of its rounds with at least one participation. Under ``equal`` this is
    the corporate investors' equal shares; under ``full`` the amount of rounds with at least
    one corporate investor. ``foreign_corporate_share`` counts only corporate investors from
    another (known) country.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from vcflows.exports import to_records
from vcflows.flows import FlowOptions
from vcflows.network._scope import CORPORATE_TYPES, participations_table, relation
from vcflows.network.groups import GROUP, corporate_groups

#: Corporate investors: typed as such, or a member of a big-tech group whatever its type.
_CORP = "(investor_type IN ({}) OR {} IS NOT NULL)".format(
    ", ".join(f"'{t}'" for t in CORPORATE_TYPES), GROUP
)


@dataclass(frozen=True)
class CorporateNetworkResult:
    """Corporate investors, their portfolios by country and each country's corporate share.

    Attributes
    ----------
    investors : DataFrame
        investor_id, investor_name, investor_country, investor_type, degree,
        degree_centrality, amount_usd, rounds, companies, foreign_share, top_country; sorted by
        amount desc, degree desc, investor_id.
    portfolio : DataFrame
        investor_id, company_country, amount_usd, rounds, companies; sorted by investor_id,
        amount desc, company_country.
    country_share : DataFrame
        company_country, inbound_usd, corporate_usd, corporate_share, foreign_corporate_usd,
        foreign_corporate_share, rounds, corporate_rounds; sorted by inbound_usd desc.
    groups : DataFrame
        Big-tech groups (:mod:`vcflows.network.groups`): corporate_group, group_country,
        investors (their investor records in scope), degree, amount_usd, rounds, companies,
        foreign_share (of the amount into companies of a known country, the share outside
        the group's home country), top_country, home_usd and abroad_usd (those two amounts);
        sorted by amount desc.
    notes : list of str
        How the figures were computed.
    """

    investors: pd.DataFrame
    portfolio: pd.DataFrame
    country_share: pd.DataFrame
    groups: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the three tables and the notes."""
        return {
            "investors": to_records(self.investors),
            "portfolio": to_records(self.portfolio),
            "country_share": to_records(self.country_share),
            "groups": to_records(self.groups),
            "notes": list(self.notes),
        }


def _portfolio(con: duckdb.DuckDBPyConnection, rel: str, params: list[object]) -> pd.DataFrame:
    return con.execute(
        f"""
        SELECT investor_id, company_country,
               coalesce(fsum(round_usd * w), 0.0) AS amount_usd,
               count(DISTINCT round_id) AS rounds, count(DISTINCT company_id) AS companies
        FROM ({rel}) WHERE {_CORP}
        GROUP BY ALL
        ORDER BY investor_id, amount_usd DESC, company_country NULLS LAST
        """,
        params,
    ).fetchdf()


def _investors(con: duckdb.DuckDBPyConnection, rel: str, params: list[object]) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH x AS (SELECT * FROM ({rel}) WHERE {_CORP}),
        by_c AS (
            SELECT investor_id, company_country, coalesce(fsum(round_usd * w), 0.0) AS usd
            FROM x WHERE company_country IS NOT NULL GROUP BY ALL
        ),
        top AS (
            SELECT investor_id, arg_max(company_country, (usd, company_country)) AS top_country
            FROM by_c GROUP BY ALL
        ),
        scope AS (SELECT count(DISTINCT company_country) AS n FROM ({rel}))
        SELECT investor_id, any_value(investor_name) AS investor_name,
               any_value(investor_country) AS investor_country,
               any_value(investor_type) AS investor_type,
               count(DISTINCT company_country) AS degree,
               count(DISTINCT company_country) / greatest(any_value(scope.n), 1) AS degree_centrality,
               coalesce(fsum(round_usd * w), 0.0) AS amount_usd,
               count(DISTINCT round_id) AS rounds, count(DISTINCT company_id) AS companies,
               CASE WHEN any_value(investor_country) IS NOT NULL
                    THEN coalesce(fsum(round_usd * w) FILTER (WHERE company_country IS NOT NULL
                             AND company_country <> investor_country), 0.0)
                         / nullif(fsum(round_usd * w) FILTER (WHERE company_country IS NOT NULL), 0)
                    END AS foreign_share,
               any_value(top.top_country) AS top_country, any_value({GROUP}) AS {GROUP}
        FROM x LEFT JOIN top USING (investor_id) CROSS JOIN scope
        GROUP BY investor_id
        ORDER BY amount_usd DESC, degree DESC, investor_id
        """,
        [*params, *params],
    ).fetchdf()


def _groups(con: duckdb.DuckDBPyConnection, rel: str, params: list[object]) -> pd.DataFrame:
    usd = "coalesce(fsum(round_usd * w), 0.0)"
    known = "company_country IS NOT NULL"
    return con.execute(
        f"""
        WITH x AS (SELECT * FROM ({rel}) WHERE {GROUP} IS NOT NULL),
        by_c AS (
            SELECT {GROUP}, company_country, {usd} AS usd FROM x WHERE {known} GROUP BY ALL
        ),
        top AS (
            SELECT {GROUP}, arg_max(company_country, (usd, company_country)) AS top_country
            FROM by_c GROUP BY ALL
        ),
        a AS (
            SELECT {GROUP}, any_value(group_country) AS group_country,
                   count(DISTINCT investor_id) AS investors,
                   count(DISTINCT company_country) AS degree, {usd} AS amount_usd,
                   count(DISTINCT round_id) AS rounds, count(DISTINCT company_id) AS companies,
                   any_value(top.top_country) AS top_country,
                   coalesce(fsum(round_usd * w) FILTER (WHERE company_country = group_country),
                            0.0) AS home_usd,
                   coalesce(fsum(round_usd * w) FILTER (WHERE {known}
                       AND company_country <> group_country), 0.0) AS abroad_usd
            FROM x LEFT JOIN top USING ({GROUP})
            GROUP BY {GROUP}
        )
        -- home and abroad split the amount into companies of a known country
        SELECT {GROUP}, group_country, investors, degree, amount_usd, rounds, companies,
               abroad_usd / nullif(home_usd + abroad_usd, 0) AS foreign_share,
               top_country, home_usd, abroad_usd
        FROM a
        ORDER BY amount_usd DESC, {GROUP}
        """,
        params,
    ).fetchdf()


def _country_share(con: duckdb.DuckDBPyConnection, rel: str, params: list[object]) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH per_round AS (
            SELECT round_id, any_value(company_country) AS company_country,
                   any_value(round_usd) AS usd,
                   least(1.0, sum(w)) AS w_all,
                   least(1.0, coalesce(sum(w) FILTER (WHERE {_CORP}), 0.0)) AS w_corp,
                   least(1.0, coalesce(sum(w) FILTER (
                       WHERE {_CORP} AND investor_country IS NOT NULL
                         AND investor_country <> company_country), 0.0)) AS w_fcorp,
                   bool_or({_CORP}) AS has_corp
            FROM ({rel}) WHERE company_country IS NOT NULL GROUP BY round_id
        )
        SELECT company_country,
               coalesce(fsum(usd * w_all), 0.0) AS inbound_usd,
               coalesce(fsum(usd * w_corp), 0.0) AS corporate_usd,
               coalesce(fsum(usd * w_corp), 0.0) / nullif(fsum(usd * w_all), 0) AS corporate_share,
               coalesce(fsum(usd * w_fcorp), 0.0) AS foreign_corporate_usd,
               coalesce(fsum(usd * w_fcorp), 0.0) / nullif(fsum(usd * w_all), 0)
                   AS foreign_corporate_share,
               count(*) AS rounds, count(*) FILTER (WHERE has_corp) AS corporate_rounds
        FROM per_round GROUP BY company_country
        ORDER BY inbound_usd DESC, company_country
        """,
        params,
    ).fetchdf()


def corporate_network(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, *, participations: str | None = None
) -> CorporateNetworkResult:
    """Corporate and CVC investors in AI companies: portfolios, centrality and country shares.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Round selection (years, stages, sector) and attribution method.
    participations : str, optional
        A table of this selection's participations
        (:func:`vcflows.network.participations_table` with the same ``opts``), so that callers
        building several networks select and weigh the participations once.

    Returns
    -------
    CorporateNetworkResult
        Investor table (most central first), portfolios by company country and the share of
        each country's inbound money that comes through corporate investors.
    """
    if participations is None:  # the three tables read the participations: select them once
        with participations_table(con, opts) as table:
            return corporate_network(con, opts, participations=table)
    rel, params = relation(con, opts, participations)
    notes = [
        f"corporate investors: investor_type in {', '.join(CORPORATE_TYPES)}, or a member of "
        f"one of the {corporate_groups()[GROUP].nunique()} big-tech groups of "
        "data/corporate_groups.csv (matched by name key) whatever its type",
        f"amounts: investor-level {opts.attribution} attribution of round amounts, computed "
        "from the canonical tables with the flow engine's round selection",
        "inbound_usd: amounts of a country's rounds with at least one investor (any country)",
    ]
    return CorporateNetworkResult(
        investors=_investors(con, rel, params),
        portfolio=_portfolio(con, rel, params),
        country_share=_country_share(con, rel, params),
        groups=_groups(con, rel, params),
        notes=notes,
    )
