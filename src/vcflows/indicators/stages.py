"""Each country's share of global AI VC by stage group: where in the funding ladder it stands.

Stage groups are :data:`vcflows.schema.STAGE_GROUP`'s: ``early`` (pre-seed to series A),
``late`` (series B on, growth) and ``other`` (grants, debt, unknown). A country whose
companies take a far smaller share of late-stage than of early-stage money starts companies
but does not scale them; the policy rules compare that ratio with the peer group's.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.flows import FlowOptions, flow_matrix

STAGE_SHARE_COLUMNS = ["country", "stage_group", s.AMOUNT_USD, "share", "deals", "deals_share"]


def stage_shares_from(fm_stage: pd.DataFrame) -> pd.DataFrame:
    """Each company country's share of each stage group's attributed amount and deals.

    Parameters
    ----------
    fm_stage : DataFrame
        ``flow_matrix(con, opts, by=("stage",))``.

    Returns
    -------
    DataFrame
        country, stage_group, amount_usd, share (of the group's amount; 0 when the group has
        no known amount), deals, deals_share; sorted by country then early, late, other.
    """
    if fm_stage.empty:
        return pd.DataFrame(columns=STAGE_SHARE_COLUMNS)
    fm = fm_stage.assign(stage_group=fm_stage[s.STAGE].map(s.STAGE_GROUP).fillna("other"))
    out = fm.groupby(["company_country", "stage_group"], as_index=False)[
        [s.AMOUNT_USD, "deals"]
    ].sum()
    out = out.rename(columns={"company_country": "country"})
    for value, share in ((s.AMOUNT_USD, "share"), ("deals", "deals_share")):
        total = out.groupby("stage_group")[value].transform("sum")
        out[share] = (out[value] / total).where(total > 0, 0.0)
    out["_g"] = out["stage_group"].map({g: i for i, g in enumerate(s.STAGE_GROUPS)})
    out = out.sort_values(["country", "_g"], kind="mergesort").drop(columns="_g")
    return out.reset_index(drop=True)[STAGE_SHARE_COLUMNS]


def stage_shares(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    """Each company country's share of global AI VC per stage group (see the module docstring).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection and attribution (a stage filter leaves only its groups).

    Returns
    -------
    DataFrame
        As :func:`stage_shares_from`.
    """
    return stage_shares_from(flow_matrix(con, opts, by=("stage",)))
