"""Measure how closely a generated demo database matches its calibration targets."""

from __future__ import annotations

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.demo._names import AI_TAGS
from vcflows.demo.calibration import AI_AMOUNT, COUNTRY, YEAR, load_calibration

#: SQL pattern matching a '|'-separated category list holding one of the demo's AI tags.
AI_CATEGORY_PATTERN = "(^|\\|)(" + "|".join(AI_TAGS) + ")(\\||$)"


def calibration_error(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Compare the AI amount per company country and year with the calibration targets.

    AI companies are those whose categories hold one of the demo's AI tags (the generator
    leaves ``is_ai`` NULL for the taxonomy to decide, and tags AI companies accordingly).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database written by :func:`vcflows.demo.generate`.

    Returns
    -------
    pandas.DataFrame
        ``country_iso3, year, target_usd, actual_usd, rounds, rel_error`` (actual / target - 1),
        sorted by country and year.
    """
    actual = con.execute(
        f"SELECT c.{s.COUNTRY} AS {COUNTRY}, year(r.{s.ANNOUNCED_ON}) AS {YEAR}, "
        f"coalesce(sum(r.{s.AMOUNT_USD}), 0) AS actual_usd, count(*) AS rounds "
        f"FROM {s.ROUNDS} r JOIN {s.COMPANIES} c USING ({s.COMPANY_ID}) "
        f"WHERE regexp_matches(c.{s.CATEGORIES}, ?) GROUP BY ALL",
        [AI_CATEGORY_PATTERN],
    ).fetchdf()
    targets = (
        load_calibration()
        .targets[[COUNTRY, YEAR, AI_AMOUNT]]
        .rename(columns={AI_AMOUNT: "target_usd"})
    )
    actual[YEAR] = actual[YEAR].astype("int64")
    out = targets.merge(actual, on=[COUNTRY, YEAR], how="outer")
    out["actual_usd"] = out["actual_usd"].fillna(0.0)
    out["rounds"] = out["rounds"].fillna(0).astype("int64")
    out["rel_error"] = out["actual_usd"] / out["target_usd"] - 1.0
    return out.sort_values([COUNTRY, YEAR], ignore_index=True)
