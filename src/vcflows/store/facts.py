"""Facts about the data a report rests on, read straight from the store.

The cover states the source format and files, the years covered, rounds and participations,
and the data-quality appendix shows the ingest log, the quarantine and the conflicts.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.store._sql import has_column, has_table

_LOG_COLS = [
    "source",
    "source_file",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "rows_skipped",
    "note",
]


def ingest_log(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The ingest log (one row per ingested file), sorted by source then file."""
    if not has_table(con, s.INGEST_LOG):
        return pd.DataFrame(columns=_LOG_COLS)
    df = con.execute(
        f"SELECT {', '.join(_LOG_COLS)} FROM {s.INGEST_LOG} ORDER BY source, source_file, rows_read"
    ).fetchdf()
    return df.reset_index(drop=True)


def quarantine_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Quarantine records by source file, table, field, action (row rejected or field left
    unknown) and reason (largest first)."""
    cols = [s.Q_SOURCE_FILE, s.Q_TABLE, s.Q_FIELD, "quarantine_action", s.Q_REASON]
    if not has_table(con, s.QUARANTINE):
        return pd.DataFrame(columns=[*cols, "rows"])
    kept = (
        f"coalesce({s.Q_ROW_KEPT}, false)"
        if has_column(con, s.QUARANTINE, s.Q_ROW_KEPT)
        else "false"
    )
    # Reasons often quote the offending value; group on the text before the quote so that
    # one cause is one line.
    df = con.execute(
        f"""
        SELECT {s.Q_SOURCE_FILE}, {s.Q_TABLE}, {s.Q_FIELD},
               CASE WHEN {kept} THEN 'field' ELSE 'row' END AS quarantine_action,
               trim(split_part({s.Q_REASON}, '''', 1)) AS {s.Q_REASON}, count(*) AS rows
        FROM {s.QUARANTINE} GROUP BY ALL
        ORDER BY rows DESC, {s.Q_SOURCE_FILE}, {s.Q_TABLE}, {s.Q_FIELD}, {s.Q_REASON}
        """
    ).fetchdf()
    return df.reset_index(drop=True)


def conflicts_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Conflicts (fields whose values disagreed) by table, field and scope (largest first)."""
    cols = ["entity_table", s.C_FIELD, "conflict_scope", "conflicts"]
    if not has_table(con, s.CONFLICTS):
        return pd.DataFrame(columns=cols)
    df = con.execute(
        f"SELECT {s.C_TABLE} AS entity_table, {s.C_FIELD}, {s.C_SCOPE} AS conflict_scope, "
        f"count(*) AS conflicts FROM {s.CONFLICTS} GROUP BY ALL ORDER BY conflicts DESC, 1, 2, 3"
    ).fetchdf()
    return df.reset_index(drop=True)


def store_facts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Counts and provenance of the whole store (before any option filters).

    Returns
    -------
    dict
        ``rounds``, ``participations``, ``companies``, ``investors``, ``quarantined`` (rows
        rejected whole),
        ``year_min``, ``year_max`` and ``sources`` (distinct provenance labels of rounds).
    """
    counts = {
        t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
        for t in (s.ROUNDS, s.PARTICIPATIONS, s.COMPANIES, s.INVESTORS)
    }
    rejected = (  # rows rejected whole, not the fields left unknown in loaded rows
        f" WHERE NOT coalesce({s.Q_ROW_KEPT}, false)"
        if has_table(con, s.QUARANTINE) and has_column(con, s.QUARANTINE, s.Q_ROW_KEPT)
        else ""
    )
    quarantined = (
        int(con.execute(f"SELECT count(*) FROM {s.QUARANTINE}{rejected}").fetchall()[0][0])
        if has_table(con, s.QUARANTINE)
        else 0
    )
    lo, hi = con.execute(
        f"SELECT min(year({s.ANNOUNCED_ON})), max(year({s.ANNOUNCED_ON})) FROM {s.ROUNDS}"
    ).fetchall()[0]
    sources = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT {s.SOURCE} FROM {s.ROUNDS} WHERE {s.SOURCE} IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    return {
        "rounds": counts[s.ROUNDS],
        "participations": counts[s.PARTICIPATIONS],
        "companies": counts[s.COMPANIES],
        "investors": counts[s.INVESTORS],
        "quarantined": quarantined,
        "year_min": int(lo) if lo is not None else None,
        "year_max": int(hi) if hi is not None else None,
        "sources": sources,
    }


def selection_participations(
    con: duckdb.DuckDBPyConnection, rounds_sql: str, params: list[object]
) -> int:
    """Number of participations in the rounds selected by ``rounds_sql``."""
    rows = con.execute(
        f"SELECT count(*) FROM {s.PARTICIPATIONS} p "
        f"WHERE p.{s.ROUND_ID} IN (SELECT {s.ROUND_ID} FROM ({rounds_sql}))",
        params,
    ).fetchall()
    return int(rows[0][0])
