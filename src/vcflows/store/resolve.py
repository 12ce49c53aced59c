"""Filling unknown investor countries (and types) of a store from an investor list.

``vcflows ingest --investors FILE`` reads any investor list
(:func:`vcflows.sources.investor_list.read_investor_list`) and, for every stored investor of
unknown country, looks its name up by name key (:func:`vcflows.normalize.name_key`). A match
fills the country, and the investor type where it is unknown; a stored value is never
overwritten (the store's merge rule). Names the list gives two countries resolve nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from vcflows import schema as s
from vcflows.normalize import name_key
from vcflows.sources.investor_list import InvestorList
from vcflows.store import touched


@dataclass(frozen=True)
class ResolveResult:
    """What :func:`resolve_investors` did.

    Attributes
    ----------
    unknown_before : int
        Stored investors of unknown country before.
    resolved : int
        Of them, those whose country the list gave.
    typed : int
        Of the resolved, those whose unknown type the list also gave.
    ambiguous : list of str
        Names the list gives two or more countries (left unknown).
    still_unknown : list of tuple
        (name, participations) of the investors left unknown, most participations first.
    """

    unknown_before: int
    resolved: int
    typed: int
    ambiguous: list[str]
    still_unknown: list[tuple[str, int]]


def resolve_investors(con: duckdb.DuckDBPyConnection, listing: InvestorList) -> ResolveResult:
    """Fill the unknown countries of stored investors from an investor list, in one transaction.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable vcflows database.
    listing : InvestorList
        The list, read by :func:`~vcflows.sources.investor_list.read_investor_list`.

    Returns
    -------
    ResolveResult
    """
    rows = con.execute(
        f"SELECT i.{s.INVESTOR_ID}, i.{s.NAME}, i.{s.INVESTOR_TYPE}, count(p.{s.ROUND_ID}) "
        f"FROM {s.INVESTORS} i LEFT JOIN {s.PARTICIPATIONS} p USING ({s.INVESTOR_ID}) "
        f"WHERE i.{s.COUNTRY} IS NULL GROUP BY ALL ORDER BY 4 DESC, 2, 1"
    ).fetchall()
    ids: list[str] = []
    countries: list[str] = []
    kinds: list[str | None] = []
    ambiguous: list[str] = []
    unknown: list[tuple[str, int]] = []
    typed = 0
    for investor_id, name, kind, n in rows:
        key = name_key(name) if name else ""
        hit = listing.entries.get(key) if key else None
        if hit is None:
            if key in listing.ambiguous:
                ambiguous.append(str(name))
            unknown.append((str(name or investor_id), int(n)))
            continue
        fill = kind in (None, s.PLACEHOLDERS[s.INVESTOR_TYPE]) and hit.investor_type != "unknown"
        typed += fill
        ids.append(investor_id)
        countries.append(hit.country)
        kinds.append(hit.investor_type if fill else None)
    if ids:
        table = pa.table({"id": ids, "country": countries, "kind": kinds})
        con.register("_resolve_arrow", table)
        con.execute("BEGIN TRANSACTION")
        try:
            touched.begin(con)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _resolve AS SELECT id AS {s.INVESTOR_ID}, "
                "country, kind FROM _resolve_arrow"
            ).fetchall()
            con.execute(
                f"UPDATE {s.INVESTORS} AS t SET {s.COUNTRY} = r.country, "
                f"{s.INVESTOR_TYPE} = coalesce(r.kind, t.{s.INVESTOR_TYPE}) FROM _resolve r "
                f"WHERE t.{s.INVESTOR_ID} = r.{s.INVESTOR_ID} AND t.{s.COUNTRY} IS NULL"
            ).fetchall()
            touched.record(con, s.INVESTORS, "_resolve")
            touched.finish(con)
            con.execute("DROP TABLE _resolve").fetchall()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("_resolve_arrow")
    return ResolveResult(len(rows), len(ids), typed, sorted(ambiguous), unknown)
