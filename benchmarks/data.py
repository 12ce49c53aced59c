"""Benchmark data: the demo universe at a given size, and its deal export (CSV and Parquet).

Everything is generated once per size into ``benchmarks/.data/`` (git-ignored) and reused:
``demo-p<size>.duckdb`` (the generated store), ``deals-p<size>.csv`` and
``deals-p<size>.parquet`` (one row per participation, the shape of a PitchBook-style
deal-investor export, read back through :data:`MAPPING`).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from vcflows import schema as s
from vcflows.demo import build_db

ROOT = Path(__file__).resolve().parent
DATA = ROOT / ".data"
MAPPING = ROOT / "mapping.toml"
SEED = 7
#: Participations per demo round (measured on the demo universe: about 4.65); used to turn
#: a participation target into a number of rounds.
PARTICIPATIONS_PER_ROUND = 4.65

#: Export column per canonical field (the headers :data:`MAPPING` names).
_EXPORT = f"""
    SELECT r.{s.ROUND_ID} AS "Deal ID", r.{s.COMPANY_ID} AS "Company ID",
           c.{s.NAME} AS "Company", c.{s.COUNTRY} AS "HQ Country",
           c.{s.CATEGORIES} AS "Industries", c.{s.DESCRIPTION} AS "Description",
           strftime(r.{s.ANNOUNCED_ON}, '%Y-%m-%d') AS "Deal Date", r.{s.STAGE} AS "Stage",
           CAST(r.{s.AMOUNT_USD} AS VARCHAR) AS "Amount USD",
           p.{s.INVESTOR_ID} AS "Investor ID", i.{s.NAME} AS "Investor",
           i.{s.COUNTRY} AS "Investor Country", i.{s.INVESTOR_TYPE} AS "Investor Type",
           CASE WHEN p.{s.IS_LEAD} THEN 'yes' ELSE 'no' END AS "Lead"
    FROM {s.PARTICIPATIONS} p
    JOIN {s.ROUNDS} r USING ({s.ROUND_ID})
    JOIN {s.COMPANIES} c ON c.{s.COMPANY_ID} = r.{s.COMPANY_ID}
    JOIN {s.INVESTORS} i USING ({s.INVESTOR_ID})
    ORDER BY r.{s.ROUND_ID}, p.{s.INVESTOR_ID}
"""


def rounds_for(participations: int) -> int:
    """Demo rounds that give about ``participations`` participations."""
    return max(1_000, round(participations / PARTICIPATIONS_PER_ROUND))


def paths(size: int) -> dict[str, Path]:
    """Cache paths of one size: ``db``, ``csv``, ``parquet``."""
    return {
        "db": DATA / f"demo-p{size}.duckdb",
        "csv": DATA / f"deals-p{size}.csv",
        "parquet": DATA / f"deals-p{size}.parquet",
    }


def prepare(size: int, *, log: bool = True) -> dict[str, Path]:
    """Generate (once) the demo store and deal exports of ``size`` participations.

    Returns
    -------
    dict
        The paths of :func:`paths`, all existing.
    """
    DATA.mkdir(parents=True, exist_ok=True)
    p = paths(size)
    if not p["db"].exists():
        if log:
            print(f"[data] generating demo: {rounds_for(size):,} rounds -> {p['db'].name}")
        build_db(p["db"], rounds=rounds_for(size), seed=SEED)
    for fmt in ("csv", "parquet"):
        if p[fmt].exists():
            continue
        if log:
            print(f"[data] exporting {p[fmt].name}")
        tmp = p[fmt].with_suffix(f".tmp{os.getpid()}")
        opts = "FORMAT csv, HEADER" if fmt == "csv" else "FORMAT parquet, COMPRESSION zstd"
        con = duckdb.connect(str(p["db"]), read_only=True)
        try:
            con.execute("SET enable_progress_bar = false").fetchall()
            con.execute(f"COPY ({_EXPORT}) TO '{tmp}' ({opts})").fetchall()
        finally:
            con.close()
        tmp.replace(p[fmt])
    return p


def participations(db: Path) -> int:
    """Participation count of a store."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {s.PARTICIPATIONS}").fetchall()[0][0])
    finally:
        con.close()
