"""Build small hand-made deal stores through the real ingest path (SourceBatch + ingest_batch).

``companies``: id -> (name, country, is_ai); ``investors``: id -> (name, country, type);
``rounds``: (round_id, company_id, "YYYY-MM-DD" or None, stage, amount or None, participants)
with participants a list of investor ids, or of (investor_id, is_lead).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.sources import SourceBatch
from vcflows.store import connect, ingest_batch


def build(
    companies: Mapping[str, tuple[str, str | None, bool]],
    investors: Mapping[str, tuple[str, str | None, str]],
    rounds: Sequence[tuple[Any, ...]],
    path: str = ":memory:",
) -> duckdb.DuckDBPyConnection:
    """Return a vcflows database holding exactly these records."""
    comp = [
        {s.COMPANY_ID: k, s.NAME: n, s.COUNTRY: c, s.IS_AI: ai, s.SOURCE: "test"}
        for k, (n, c, ai) in companies.items()
    ]
    inv = [
        {s.INVESTOR_ID: k, s.NAME: n, s.COUNTRY: c, s.INVESTOR_TYPE: t, s.SOURCE: "test"}
        for k, (n, c, t) in investors.items()
    ]
    rnd, par = [], []
    for rid, cid, date, stage, amount, parts in rounds:
        rnd.append(
            {
                s.ROUND_ID: rid,
                s.COMPANY_ID: cid,
                s.ANNOUNCED_ON: date,
                s.STAGE: stage,
                s.AMOUNT_USD: amount,
                s.SOURCE: "test",
            }
        )
        for p in parts:
            iid, lead = (p, None) if isinstance(p, str) else p
            par.append({s.ROUND_ID: rid, s.INVESTOR_ID: iid, s.IS_LEAD: lead, s.SOURCE: "test"})
    batch = SourceBatch(
        source="test",
        companies=pd.DataFrame(comp, columns=s.columns(s.COMPANIES)),
        rounds=pd.DataFrame(rnd, columns=s.columns(s.ROUNDS)),
        participations=pd.DataFrame(par, columns=s.columns(s.PARTICIPATIONS)),
        investors=pd.DataFrame(inv, columns=s.columns(s.INVESTORS)),
    )
    con = connect(path)
    ingest_batch(con, batch)
    return con
