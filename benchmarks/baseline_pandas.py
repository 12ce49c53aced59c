"""The baseline: what an analyst would write in pandas, from the same deal export.

Read the participation-shaped export, drop duplicate (deal, investor) rows, mark AI companies
with the same taxonomy (source flag when given, else tags or a keyword regex), split each AI
round's amount equally among its participations, keep the shares whose two countries are
known, ``groupby`` into the flow matrix, then ``groupby`` again into the main country
indicators. No vcflows code runs here except loading the taxonomy's word lists.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from vcflows.flows.taxonomy import load_taxonomy

#: Export columns (benchmarks/mapping.toml).
DEAL, COMPANY, INVESTOR = "Deal ID", "Company ID", "Investor ID"
NAME, DESC, TAGS = "Company", "Description", "Industries"
CC, IC, AMOUNT = "HQ Country", "Investor Country", "Amount USD"

#: Indicators compared with vcflows' country_indicators.
INDICATORS = (
    "invested_in_usd",
    "deals_in",
    "invested_out_usd",
    "deals_out",
    "share_global",
    "domestic_share_in",
    "foreign_share_in",
    "us_share_in",
    "overseas_share_out",
)


def _is_ai(companies: pd.DataFrame) -> pd.Series:
    tx = load_taxonomy()
    words = sorted(tx.keywords, key=lambda t: (-len(t), t))
    rx = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    tags = companies[TAGS].fillna("").str.lower().str.split("|")
    tagged = tags.map(lambda ts: any(t.strip() in tx.tags for t in ts))
    named = companies[NAME].fillna("").str.contains(rx)
    described = companies[DESC].fillna("").str.contains(rx)
    return tagged | named | described


def flow_matrix(path: Path) -> pd.DataFrame:
    """Equal-attribution flow matrix of AI companies from the deal export.

    Returns
    -------
    pd.DataFrame
        investor_country, company_country, amount_usd, deals; sorted by the two countries.
    """
    cols = [DEAL, COMPANY, INVESTOR, NAME, DESC, TAGS, CC, IC, AMOUNT]
    df = pd.read_parquet(path, columns=cols)
    df = df.drop_duplicates([DEAL, INVESTOR])
    companies = df.drop_duplicates(COMPANY)[[COMPANY, NAME, DESC, TAGS]]
    ai = set(companies.loc[_is_ai(companies), COMPANY])
    df = df[df[COMPANY].isin(ai)]
    amount = pd.to_numeric(df[AMOUNT].replace("", np.nan), errors="coerce")
    n = df.groupby(DEAL)[DEAL].transform("size")
    df = df.assign(share=amount / n, deal=1.0 / n)
    df = df[(df[CC].fillna("") != "") & (df[IC].fillna("") != "")]
    m = df.groupby([IC, CC], as_index=False).agg(amount_usd=("share", "sum"), deals=("deal", "sum"))
    m.columns = ["investor_country", "company_country", "amount_usd", "deals"]
    return m.sort_values(["investor_country", "company_country"]).reset_index(drop=True)


def indicators(matrix: pd.DataFrame) -> pd.DataFrame:
    """Main country indicators from the flow matrix (one row per country, sorted by country)."""
    ic, cc = "investor_country", "company_country"
    inflow = matrix.groupby(cc)[["amount_usd", "deals"]].sum()
    outflow = matrix.groupby(ic)[["amount_usd", "deals"]].sum()
    dom = matrix[matrix[ic] == matrix[cc]].groupby(cc)["amount_usd"].sum()
    us = matrix[matrix[ic] == "USA"].groupby(cc)["amount_usd"].sum()
    countries = sorted(set(inflow.index) | set(outflow.index))
    out = pd.DataFrame(index=pd.Index(countries, name="country"))
    out["invested_in_usd"] = inflow["amount_usd"].reindex(countries, fill_value=0.0)
    out["deals_in"] = inflow["deals"].reindex(countries, fill_value=0.0)
    out["invested_out_usd"] = outflow["amount_usd"].reindex(countries, fill_value=0.0)
    out["deals_out"] = outflow["deals"].reindex(countries, fill_value=0.0)
    out["share_global"] = out["invested_in_usd"] / matrix["amount_usd"].sum()
    d = dom.reindex(countries, fill_value=0.0)
    inv_in = out["invested_in_usd"].where(out["invested_in_usd"] != 0)
    inv_out = out["invested_out_usd"].where(out["invested_out_usd"] != 0)
    out["domestic_share_in"] = d / inv_in
    out["foreign_share_in"] = (out["invested_in_usd"] - d) / inv_in
    out["us_share_in"] = us.reindex(countries, fill_value=0.0) / inv_in
    out["overseas_share_out"] = (out["invested_out_usd"] - d) / inv_out
    return out.reset_index()


def run(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole baseline: (flow matrix, indicators)."""
    m = flow_matrix(path)
    return m, indicators(m)


def compare(
    matrix: pd.DataFrame, ind: pd.DataFrame, vc_matrix: pd.DataFrame, vc_ind: pd.DataFrame
) -> None:
    """Assert the baseline's numbers equal vcflows' (relative 1e-9); raise AssertionError."""
    keys = ["investor_country", "company_country"]
    got = vc_matrix.sort_values(keys).reset_index(drop=True)[[*keys, "amount_usd", "deals"]]
    pd.testing.assert_frame_equal(
        got.astype({"amount_usd": float, "deals": float}),
        matrix.astype({"amount_usd": float, "deals": float}),
        check_dtype=False,
        rtol=1e-9,
    )
    vc = vc_ind.sort_values("country").reset_index(drop=True)[["country", *INDICATORS]]
    pd.testing.assert_frame_equal(
        vc.astype(dict.fromkeys(INDICATORS, float)),
        ind[["country", *INDICATORS]].astype(dict.fromkeys(INDICATORS, float)),
        check_dtype=False,
        rtol=1e-9,
    )
