"""Champions: the companies that raised the most in their country and drew foreign investors.

Definitions (for the methods appendix):

- *total_usd*: sum of the known amounts of the company's rounds that ``opts`` selects (years,
  stages, sector), whoever the investors.
- *foreign_share*: the foreign investors' part of the company's attributed money, by the flow
  engine's attribution (:mod:`vcflows.flows.attribution`): ``foreign_usd / attributed_usd``,
  where ``foreign_usd`` is attributed to investor countries other than the company's. Like
  the country indicators, it counts attributed money only (investors of unknown country are
  left out of both terms). ``equal`` and ``lead`` are used as asked; ``full`` is not a split
  (it credits every country with the whole round), so the share then falls back to ``equal``.
- *champion*: a company with foreign money (``foreign_usd > 0``) making at least
  ``min_foreign_share`` of its attributed money (default :data:`MIN_FOREIGN_SHARE`, 20%: a
  company 0.4% foreign is not "foreign-backed"); a country's champions are its ``top`` such
  companies by total_usd (ties by company_id). ``rank_in_country`` is the company's rank
  by total_usd among all the country's companies in the selection, foreign-backed or not.
"""

from __future__ import annotations

import dataclasses
import re

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows import FlowOptions, base_relation, selected_rounds_sql, shares_sql
from vcflows.flows import columns as c

#: Output columns of :func:`champions`, in order.
CHAMPION_COLUMNS: tuple[str, ...] = (
    s.COMPANY_ID,
    s.NAME,
    "country",
    "total_usd",
    "foreign_share",
    "foreign_investor_countries",
    "rounds",
    "first_round",
    "last_round",
    "foreign_usd",
    "attributed_usd",
    "rank_in_country",
)

_ISO3 = re.compile(r"^[A-Z]{3}$")

#: Default minimum foreign share of a champion's attributed money.
MIN_FOREIGN_SHARE: float = 0.2


def share_options(opts: FlowOptions) -> FlowOptions:
    """The options a foreign *share* is computed with: ``full`` falls back to ``equal``."""
    if opts.attribution == "full":
        return dataclasses.replace(opts, attribution="equal")
    return opts


def as_dates(values: pd.Series) -> pd.Series:
    """DuckDB DATE values (read as timestamps) as ``datetime.date`` objects, NULL as None."""
    stamps = pd.to_datetime(values)
    return pd.Series(
        [None if pd.isna(v) else v.date() for v in stamps], index=values.index, dtype=object
    )


def check_country(code: str, what: str = "country") -> str:
    """Upper-case an ISO3 code, or raise OptionError naming ``what``."""
    value = code.strip().upper()
    if not _ISO3.match(value):
        raise OptionError(f"{what}: expected an ISO 3166-1 alpha-3 code such as KOR, got {code!r}")
    return value


def check_share(value: float, what: str) -> float:
    """A share in [0, 1] as a float, or raise OptionError naming ``what``."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not 0.0 <= float(value) <= 1.0:
        raise OptionError(f"{what}: expected a share between 0 and 1, got {value!r}")
    return float(value)


def champions(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions | None = None,
    country: str | None = None,
    top: int = 5,
    min_foreign_share: float = MIN_FOREIGN_SHARE,
) -> pd.DataFrame:
    """The top foreign-backed companies of each country (or of one country) by money raised.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Round selection and attribution (default: AI companies, all years, equal).
    country : str, optional
        ISO3 code; default every company country.
    top : int
        Champions kept per country.
    min_foreign_share : float
        Minimum foreign share of a champion's attributed money, in [0, 1] (default 20%).

    Returns
    -------
    pd.DataFrame
        Columns :data:`CHAMPION_COLUMNS` (definitions in the module docstring), sorted by
        country, total_usd descending, company_id. Empty when no company qualifies.

    Raises
    ------
    OptionError
        On a malformed country code, a non-positive ``top`` or a ``min_foreign_share``
        outside [0, 1].
    """
    opts = opts or FlowOptions()
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise OptionError(f"top: expected a positive integer, got {top!r}")
    share = check_share(min_foreign_share, "min_foreign_share")
    code = check_country(country) if country is not None else None
    base = base_relation(con)  # the store's flow base when current (same rows, faster)
    rounds_sql, rparams = selected_rounds_sql(opts, base)
    shares, sparams = shares_sql(share_options(opts), base)
    ic, cc = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY
    # One country: filter the rounds and shares first, not only the ranked companies.
    only = f"{cc} = ?" if code else "TRUE"
    df = con.execute(
        f"""
        WITH r AS (SELECT * FROM ({rounds_sql}) WHERE {only}),
        sh AS (SELECT * FROM ({shares}) WHERE {only}),
        per_company AS (
            SELECT r.{s.COMPANY_ID}, any_value(r.{cc}) AS cc,
                   coalesce(fsum(r.{s.AMOUNT_USD}), 0.0) AS total_usd,
                   count(*) AS rounds,
                   min(x.{s.ANNOUNCED_ON}) AS first_round, max(x.{s.ANNOUNCED_ON}) AS last_round
            FROM r JOIN {s.ROUNDS} x ON r.{s.ROUND_ID} = x.{s.ROUND_ID}
            WHERE r.{cc} IS NOT NULL
            GROUP BY r.{s.COMPANY_ID}
        ),
        attributed AS (
            SELECT {s.COMPANY_ID},
                   coalesce(fsum({s.AMOUNT_USD}), 0.0) AS attributed_usd,
                   coalesce(fsum({s.AMOUNT_USD}) FILTER (WHERE {ic} <> {cc}), 0.0) AS foreign_usd,
                   string_agg(DISTINCT {ic}, ',' ORDER BY {ic}) FILTER (WHERE {ic} <> {cc})
                       AS foreign_investor_countries
            FROM sh WHERE {c.REASON} IS NULL
            GROUP BY {s.COMPANY_ID}
        ),
        ranked AS (
            SELECT p.*, a.attributed_usd, a.foreign_usd, a.foreign_investor_countries,
                   row_number() OVER (PARTITION BY p.cc
                                      ORDER BY p.total_usd DESC, p.{s.COMPANY_ID}) AS rank_in_country
            FROM per_company p LEFT JOIN attributed a ON p.{s.COMPANY_ID} = a.{s.COMPANY_ID}
        )
        SELECT k.{s.COMPANY_ID}, co.{s.NAME}, k.cc AS country, k.total_usd,
               k.foreign_usd / k.attributed_usd AS foreign_share,
               k.foreign_investor_countries, k.rounds, k.first_round, k.last_round,
               k.foreign_usd, k.attributed_usd, k.rank_in_country
        FROM ranked k LEFT JOIN {s.COMPANIES} co ON k.{s.COMPANY_ID} = co.{s.COMPANY_ID}
        WHERE k.foreign_usd > 0 AND k.foreign_usd >= ? * k.attributed_usd
        QUALIFY row_number() OVER (PARTITION BY k.cc
                                   ORDER BY k.total_usd DESC, k.{s.COMPANY_ID}) <= {int(top)}
        ORDER BY country, k.total_usd DESC, k.{s.COMPANY_ID}
        """,
        [*rparams, *([code] if code else []), *sparams, *([code] if code else []), share],
    ).fetchdf()
    df["rounds"] = df["rounds"].astype("int64")
    df["rank_in_country"] = df["rank_in_country"].astype("int64")
    for col in ("first_round", "last_round"):
        df[col] = as_dates(df[col])
    return df[list(CHAMPION_COLUMNS)].reset_index(drop=True)
