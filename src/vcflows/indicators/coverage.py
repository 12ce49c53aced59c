"""Coverage: how much of the published AI venture-capital market a store holds.

The published totals (``vcflows/data/published/ai_vc_totals.csv``, every row with its source)
are OECD.AI's "VC investments in AI" (Preqin data): venture-capital money invested in AI
companies, by the company's country and the year of the deal, in current USD. The store's
side is read on the same definition:

- the rounds of companies the AI taxonomy marks (``sector="ai"``), whatever the investors'
  countries (the published totals count domestic and foreign money alike);
- venture rounds only: grants and debt are not venture capital and are left out
  (:data:`NON_VC_STAGES`); every other stage, ``unknown`` included, counts;
- ``data_usd`` = the sum of the rounds' known amounts (the whole round, not an attribution),
  by company country and year of announcement.

``ratio`` = data_usd / published_usd; ``flag`` is ``low`` below :data:`LOW` (0.5), ``high``
above :data:`HIGH` (1.5), ``within`` between them (both bounds included), and
``no_published`` where no published figure exists for that country and year (ratio NaN).
Published figures for years inside the period the store covers but with no round in the
store are listed with ``data_usd`` 0 (ratio 0, ``low``). Rounds without a company country or
a year are listed in a row whose country or year is empty (``no_published``), so the rows'
``data_usd`` add up to the store's total on the definition above.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Final

import duckdb
import numpy as np
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions, base_relation, selected_rounds_sql
from vcflows.flows import columns as c

#: Stages that are not venture capital, left out of the comparison.
NON_VC_STAGES: Final[tuple[str, ...]] = ("grant", "debt")
#: Ratios below this are flagged ``low``, above :data:`HIGH` ``high``.
LOW: Final = 0.5
HIGH: Final = 1.5
#: The measure the published file holds (OECD.AI, Preqin data).
MEASURE: Final = "vc_in_ai_companies"

DATA_USD: Final = "data_usd"
PUBLISHED_USD: Final = "published_usd"
RATIO: Final = "ratio"
FLAG: Final = "flag"
FLAG_LOW: Final = "low"
FLAG_HIGH: Final = "high"
FLAG_WITHIN: Final = "within"
FLAG_NO_PUBLISHED: Final = "no_published"

#: Output columns of :func:`coverage`, in order.
COVERAGE_COLUMNS: tuple[str, ...] = (
    c.COUNTRY,
    c.YEAR,
    DATA_USD,
    c.ROUNDS,
    PUBLISHED_USD,
    RATIO,
    FLAG,
    s.SOURCE,
)

#: The definition of both sides, for captions and the report's appendix.
DEFINITION: Final = (
    "VC invested in AI companies by company country and year (OECD.AI, Preqin data); "
    "the store's side: known amounts of AI companies' rounds, grants and debt left out"
)

_PUBLISHED_FILE = "data/published/ai_vc_totals.csv"


@cache
def _published_cached() -> pd.DataFrame:
    path = resources.files("vcflows").joinpath(_PUBLISHED_FILE)
    with path.open("r", encoding="utf-8") as fh:
        raw = pd.read_csv(fh, dtype={s.COUNTRY: str, "measure": str, s.SOURCE: str})
    raw = raw[raw["measure"] == MEASURE]
    return pd.DataFrame(
        {
            c.COUNTRY: raw[s.COUNTRY].astype(object),
            c.YEAR: raw["year"].astype("int64"),
            PUBLISHED_USD: raw[s.AMOUNT_USD].astype(float),
            s.SOURCE: raw[s.SOURCE].astype(object),
        }
    ).reset_index(drop=True)


def published_totals() -> pd.DataFrame:
    """The published AI-VC totals shipped with vcflows (module docstring).

    Returns
    -------
    pd.DataFrame
        country, year, published_usd, source: one row per country and year with a figure.
    """
    return _published_cached().copy()


def flag_ratio(ratio: float) -> str:
    """``low`` / ``within`` / ``high`` for a ratio (bounds :data:`LOW`, :data:`HIGH` are within).

    A NaN ratio (no published figure) is ``no_published``.
    """
    if not np.isfinite(ratio):
        return FLAG_NO_PUBLISHED
    if ratio < LOW:
        return FLAG_LOW
    if ratio > HIGH:
        return FLAG_HIGH
    return FLAG_WITHIN


def coverage_from(
    data: pd.DataFrame, published: pd.DataFrame, years: tuple[int | None, int | None]
) -> pd.DataFrame:
    """Compare the store's totals with published ones (definitions in the module docstring).

    Parameters
    ----------
    data : pd.DataFrame
        country, year, data_usd, rounds: the store's totals (country or year may be NULL).
    published : pd.DataFrame
        country, year, published_usd, source (as :func:`published_totals`).
    years : tuple of int or None
        First and last year the store covers: published figures outside are left out (a
        store of 2014 deals says nothing of 2023's market); None leaves that side open.

    Returns
    -------
    pd.DataFrame
        Columns :data:`COVERAGE_COLUMNS`, sorted by country then year (empty ones last).
    """
    lo, hi = years
    pub = published
    if lo is not None:
        pub = pub[pub[c.YEAR] >= lo]
    if hi is not None:
        pub = pub[pub[c.YEAR] <= hi]
    data = data.astype({DATA_USD: float, c.ROUNDS: "int64"})
    data = data.assign(**{c.YEAR: data[c.YEAR].astype("Int64")})
    pub = pub.assign(**{c.YEAR: pub[c.YEAR].astype("Int64")})
    out = data.merge(pub, on=[c.COUNTRY, c.YEAR], how="outer", validate="one_to_one")
    out[DATA_USD] = out[DATA_USD].fillna(0.0).astype(float)
    out[c.ROUNDS] = out[c.ROUNDS].fillna(0).astype("int64")
    published_usd = out[PUBLISHED_USD].astype(float)
    out[RATIO] = (out[DATA_USD] / published_usd.where(published_usd > 0)).astype(float)
    out[FLAG] = [flag_ratio(float(r)) for r in out[RATIO]]
    out[s.SOURCE] = out[s.SOURCE].astype(object).where(out[s.SOURCE].notna(), None)
    out = out.sort_values([c.COUNTRY, c.YEAR], na_position="last", kind="mergesort")
    return out[list(COVERAGE_COLUMNS)].reset_index(drop=True)


def coverage_options(opts: FlowOptions | None = None) -> FlowOptions:
    """The selection the comparison reads: AI companies, venture stages, ``opts``' years."""
    opts = opts or FlowOptions()
    stages = tuple(st for st in s.STAGES if st not in NON_VC_STAGES)
    return FlowOptions(year_from=opts.year_from, year_to=opts.year_to, sector="ai", stages=stages)


def coverage(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions | None = None,
    published: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The store's AI venture totals against the published ones, per country and year.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Only its years are read: the sector is AI and the stages the venture ones whatever it
        says, as the published totals are defined (module docstring).
    published : pd.DataFrame, optional
        Published totals (default :func:`published_totals`).

    Returns
    -------
    pd.DataFrame
        As :func:`coverage_from`; the years compared are ``opts``' bounds, else those of the
        store's selected rounds.
    """
    sel = coverage_options(opts)
    rounds_sql, params = selected_rounds_sql(sel, base_relation(con))
    data = con.execute(
        f"""
        SELECT {c.COMPANY_COUNTRY} AS {c.COUNTRY}, {c.YEAR},
               coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {DATA_USD}, count(*) AS {c.ROUNDS}
        FROM ({rounds_sql}) GROUP BY ALL ORDER BY ALL
        """,
        params,
    ).fetchdf()
    known = data[c.YEAR].dropna()
    lo = sel.year_from if sel.year_from is not None else (int(known.min()) if len(known) else None)
    hi = sel.year_to if sel.year_to is not None else (int(known.max()) if len(known) else None)
    if lo is None and hi is None:  # no dated round: no year of the published side applies
        lo, hi = 1, 0
    return coverage_from(data, published if published is not None else published_totals(), (lo, hi))
