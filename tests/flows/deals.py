"""Build small canonical databases for flow and indicator tests.

A round is written as ``(round_id, company_id, company_country, year, amount, investors)``
with ``investors`` a list of ``(investor_id, investor_country)`` or
``(investor_id, investor_country, is_lead)``; an optional 7th item is the stage. Companies are
AI (``is_ai`` TRUE) unless ``companies`` overrides their fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.sources import SourceBatch
from vcflows.store import connect, ingest_batch

Round = tuple[Any, ...]


def make_batch(
    rounds: Sequence[Round],
    *,
    companies: Mapping[str, Mapping[str, Any]] | None = None,
    extra_investors: Sequence[tuple[str, str | None]] = (),
) -> SourceBatch:
    """The batch of canonical tables holding ``rounds`` (as :func:`make_db` ingests it)."""
    comp: dict[str, dict[str, Any]] = {}
    inv: dict[str, dict[str, Any]] = {}
    rnd, par = [], []
    for item in rounds:
        rid, cid, ccountry, year, amount, investors = item[:6]
        stage = item[6] if len(item) > 6 else "seed"
        comp.setdefault(cid, {s.COMPANY_ID: cid, s.NAME: cid, s.COUNTRY: ccountry, s.IS_AI: True})
        rnd.append(
            {
                s.ROUND_ID: rid,
                s.COMPANY_ID: cid,
                s.ANNOUNCED_ON: dt.date(year, 6, 1) if year is not None else None,
                s.STAGE: stage,
                s.AMOUNT_USD: amount,
            }
        )
        for spec in investors:
            iid, icountry = spec[0], spec[1]
            lead = spec[2] if len(spec) > 2 else None
            inv.setdefault(iid, {s.INVESTOR_ID: iid, s.COUNTRY: icountry, s.INVESTOR_TYPE: "vc"})
            par.append({s.ROUND_ID: rid, s.INVESTOR_ID: iid, s.IS_LEAD: lead})
    for iid, icountry in extra_investors:
        inv.setdefault(iid, {s.INVESTOR_ID: iid, s.COUNTRY: icountry, s.INVESTOR_TYPE: "vc"})
    for cid, fields in (companies or {}).items():
        comp.setdefault(cid, {s.COMPANY_ID: cid})
        comp[cid].update(fields)
    return SourceBatch(
        source="test",
        companies=pd.DataFrame(list(comp.values()), columns=s.columns(s.COMPANIES)),
        rounds=pd.DataFrame(rnd, columns=s.columns(s.ROUNDS)),
        participations=pd.DataFrame(par, columns=s.columns(s.PARTICIPATIONS)),
        investors=pd.DataFrame(list(inv.values()), columns=s.columns(s.INVESTORS)),
    )


def make_db(
    rounds: Sequence[Round],
    *,
    companies: Mapping[str, Mapping[str, Any]] | None = None,
    extra_investors: Sequence[tuple[str, str | None]] = (),
    path: str = ":memory:",
) -> duckdb.DuckDBPyConnection:
    """Return a vcflows database (in memory unless ``path``) holding ``rounds``."""
    con = connect(path)
    ingest_batch(con, make_batch(rounds, companies=companies, extra_investors=extra_investors))
    return con
