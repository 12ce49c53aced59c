"""Big-tech groups: an export's investors grouped under the technology group they belong to.

Exports type investors unevenly: on the Crunchbase 2014 sample Intel Capital is an "other"
investor, Google Ventures a "vc" and Samsung Ventures "unknown", so a corporate network by
investor type alone misses the largest corporate investors. The shipped table
``data/corporate_groups.csv`` names the venture arms of large technology groups; an investor
whose name key (:func:`vcflows.normalize.name_key`) equals a member's belongs to that group and
counts as a corporate investor (:mod:`vcflows.network.corporate`), whatever its type.
"""

from __future__ import annotations

import re
import uuid
from functools import lru_cache
from importlib import resources

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import VcflowsError
from vcflows.normalize import name_key

#: Column of the participations (and investors) naming an investor's big-tech group.
GROUP = "corporate_group"
GROUP_COUNTRY = "group_country"
#: The columns of a groups table shown to readers (CLI screen, report, dashboard).
SHOWN_COLUMNS: tuple[str, ...] = (
    GROUP,
    GROUP_COUNTRY,
    "investors",
    "degree",
    "amount_usd",
    "foreign_share",
    "top_country",
)


@lru_cache(maxsize=1)
def corporate_groups() -> pd.DataFrame:
    """The shipped big-tech groups: one row per member name.

    Returns
    -------
    pandas.DataFrame
        Columns ``corporate_group``, ``group_country`` (ISO3 of the group's home), ``member``
        (an investor name as exports write it) and ``key`` (its name key, unique).
    """
    path = resources.files("vcflows.data") / "corporate_groups.csv"
    with path.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, comment="#", dtype=str)
    table = table.rename(columns={"group": GROUP})
    table["key"] = table["member"].map(name_key)
    if table["key"].duplicated().any() or (table["key"] == "").any():
        dup = table.loc[table["key"].duplicated(keep=False), "member"].tolist()
        raise VcflowsError(f"corporate_groups.csv: member names that match alike: {dup}")
    return table


def investor_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The store's investors that belong to a big-tech group.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.

    Returns
    -------
    pandas.DataFrame
        ``investor_id``, ``corporate_group``, ``group_country``, sorted by investor_id.
    """
    groups = corporate_groups()
    # A name whose key equals a member's starts, once lower-cased and reduced to letters and
    # digits, with that key: a cheap join in SQL (on the first two characters, then the whole
    # key) leaves few names for name_key in Python.
    latin = [k for k in groups["key"] if re.fullmatch(r"[a-z0-9]+", k)]
    # Members written in another script ("삼성벤처투자") can only be names with a non-ASCII
    # character: those all go to name_key (an export in Latin script has none of them).
    other = (
        f"UNION SELECT {s.INVESTOR_ID}, {s.NAME} FROM {s.INVESTORS} "
        f"WHERE NOT regexp_matches({s.NAME}, '^[\x00-\x7f]*$')"
        if len(latin) < len(groups)
        else ""
    )
    alnum = f"regexp_replace(lower(strip_accents({s.NAME})), '[^a-z0-9]', '', 'g')"
    candidates = con.execute(
        f"""WITH n AS (
            SELECT {s.INVESTOR_ID}, {s.NAME}, {alnum} AS a FROM {s.INVESTORS}
            WHERE {s.NAME} IS NOT NULL
        ), k AS (SELECT unnest(?::VARCHAR[]) AS key)
        SELECT DISTINCT n.{s.INVESTOR_ID}, n.{s.NAME}
        FROM n JOIN k ON left(n.a, 2) = left(k.key, 2) AND starts_with(n.a, k.key)
        {other}
        ORDER BY 1""",
        [sorted(latin)],
    ).fetchall()
    by_key = groups.set_index("key")[[GROUP, GROUP_COUNTRY]]
    rows = [
        (investor_id, *by_key.loc[key])
        for investor_id, name in candidates
        if (key := name_key(name)) in by_key.index
    ]
    return pd.DataFrame(rows, columns=[s.INVESTOR_ID, GROUP, GROUP_COUNTRY], dtype=object)


def with_groups(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Add ``corporate_group`` and ``group_country`` to a participations table, in place."""
    name = f"_vcf_groups_{uuid.uuid4().hex[:12]}"
    con.register(name, investor_groups(con))
    try:
        for column in (GROUP, GROUP_COUNTRY):
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR").fetchall()
        con.execute(
            f"UPDATE {table} AS p SET {GROUP} = g.{GROUP}::VARCHAR, "
            f"{GROUP_COUNTRY} = g.{GROUP_COUNTRY}::VARCHAR "
            f"FROM {name} g WHERE p.{s.INVESTOR_ID} = g.{s.INVESTOR_ID}::VARCHAR"
        ).fetchall()
    finally:
        con.unregister(name)
