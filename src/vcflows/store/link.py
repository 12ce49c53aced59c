"""Cross-source linkage: a company, round or investor reported by two sources is stored once.

IDs carry their source's prefix (``cb:…``, ``cbo:…``, ``dealroom:…``), so the same deal in a
Crunchbase and a Dealroom export is two rounds to the store, and its money counts twice.
:func:`link_sources` finds such records with deterministic rules and merges each into the
record of the preferred source, by the store's merge rule (the kept record's unknown fields
are filled from the merged one; its known fields stay):

``company``
    The same name key (:func:`vcflows.normalize.name_key`) in two sources and
    ``name+country`` the same country, ``name+country unknown`` one country unknown, or
    ``name+round`` different countries but a matching round (below) in each.
``round``
    Two rounds of one company (after the company links) from two sources, dated at most
    ``days`` apart, whose amounts agree within ``amount_tolerance`` of the larger
    (``date+amount``) or whose stage is the same specific stage (``date+stage``), or dated
    the same day with nothing that disagrees (``same date``: amounts or specific stages
    unknown on one side or equal). One to one, nearest date first.
``investor``
    The same name key in two sources and ``name+country`` / ``name+country unknown`` as for
    companies, or ``name+round``: both took part in one (linked) round.
``participation``
    A merged round or investor can leave one investor twice in one round: one row is kept.

A record that two records of the other source would claim (or that would claim two) is
ambiguous and left alone: within a source, IDs are authoritative. The preferred source is
the first of ``prefer``, then the first ingested. Every merged record goes whole (JSON) into
table :data:`vcflows.schema.LINKS` with the ID it was merged into and the rule, so nothing
is lost: records before = records after + links. An ingest that brings a linked record back
(the same file again) merges it again (:func:`reapply`): re-ingesting still adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.normalize import name_key
from vcflows.store import touched
from vcflows.store._sql import first_known, has_table, keep_stored, rollback

_DDL = (
    f"CREATE TABLE IF NOT EXISTS {s.LINKS} ({s.LINK_KIND} VARCHAR, {s.LINK_ID} VARCHAR, "
    f"{s.LINK_CANONICAL} VARCHAR, {s.LINK_RULE} VARCHAR, {s.LINK_RECORD} VARCHAR)"
)
#: Columns that refer to each kind's key: remapped to the canonical ID when merged.
_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "company": ((s.ROUNDS, s.COMPANY_ID),),
    "round": ((s.PARTICIPATIONS, s.ROUND_ID),),
    "investor": ((s.PARTICIPATIONS, s.INVESTOR_ID),),
}
_LINK_COLUMNS = [s.LINK_KIND, s.LINK_ID, s.LINK_CANONICAL, s.LINK_RULE]
_REVIEW_COLUMNS = ["record", "canonical_record"]  # what a reviewer reads (LinkResult.links)
#: Shortest name key that may link two records (one letter or digit says too little).
_MIN_KEY = 2


@dataclass(frozen=True)
class LinkOptions:
    """How close two sources' records must be to be one.

    Parameters
    ----------
    days : int
        Largest gap between two sources' dates of one round (announcement dates drift).
    amount_tolerance : float
        Largest difference between two sources' amounts of one round, as a share of the
        larger.
    prefer : tuple of str
        Sources whose records are kept, best first (``source`` values as stored, e.g.
        ``crunchbase-bulk``); the others follow in the order they were first ingested.
    """

    days: int = 31
    amount_tolerance: float = 0.10
    prefer: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.days < 0:
            raise OptionError(f"days must be >= 0, got {self.days}")
        if not 0 <= self.amount_tolerance < 1:
            raise OptionError(f"amount_tolerance must be in [0, 1), got {self.amount_tolerance}")


@dataclass
class LinkResult:
    """What a linkage run found (and merged, when applied)."""

    #: New links: kind, id, canonical_id, rule, and both records as a reviewer reads them
    #: (``record``, ``canonical_record``: name and country, or date, stage and amount).
    links: pd.DataFrame
    ambiguous: dict[str, int] = field(default_factory=dict)  #: records left alone, per kind
    double_counted_usd: float = 0.0  #: the merged rounds' amounts, counted twice before
    applied: bool = True

    def merged(self) -> dict[str, int]:
        """Records merged into another source's record, per kind (all kinds listed)."""
        counts = self.links[s.LINK_KIND].value_counts()
        return {k: int(counts.get(k, 0)) for k in s.LINK_TABLES}


def link_sources(
    con: duckdb.DuckDBPyConnection, opts: LinkOptions | None = None, *, apply: bool = True
) -> LinkResult:
    """Find the records two sources report alike and merge them, in one transaction.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable vcflows database, outside any open transaction.
    opts : LinkOptions, optional
        Matching tolerances and source preference.
    apply : bool
        Merge what was found; ``False`` rolls everything back (a dry run: round links still
        see the company links, as they would).

    Returns
    -------
    LinkResult
        The new links, the ambiguous records left alone and the amount no longer counted
        twice. Run :func:`vcflows.flows.refresh_flow_base` afterwards, as after an ingest.
    """
    opts = opts or LinkOptions()
    empty = pd.DataFrame(columns=[*_LINK_COLUMNS, *_REVIEW_COLUMNS], dtype=object)
    ambiguous = dict.fromkeys(s.LINK_TABLES, 0)
    con.execute("BEGIN TRANSACTION")
    try:
        sources = _rank_sources(con, opts.prefer)
        if missing := [p for p in opts.prefer if p not in sources]:
            raise OptionError(
                f"prefer: no source {', '.join(map(repr, missing))} in this store "
                f"(its sources: {', '.join(sorted(sources))})"
            )
        if len(sources) < 2:  # nothing to link: leave the store as it is
            con.execute("ROLLBACK")
            return LinkResult(empty, ambiguous, 0.0, apply)
        con.execute(_DDL).fetchall()
        _name_keys(con)
        companies, ambiguous["company"] = _unique(_name_pairs(con, "company", opts))
        found = [_described(con, "company", companies)]
        _merge(con, "company", companies)
        rounds = _round_links(con, opts)
        twice = _amount_of(con, rounds)
        found.append(_described(con, "round", rounds))
        _merge(con, "round", rounds)
        investors, ambiguous["investor"] = _unique(_name_pairs(con, "investor", opts))
        found.append(_described(con, "investor", investors))
        _merge(con, "investor", investors)
        parts, _ = _merge_participations(con, rounds, investors)
        found.append(parts)
        _forget_temp(con)
        con.execute("COMMIT" if apply else "ROLLBACK")
    except BaseException:
        rollback(con)
        raise
    links = pd.concat(found, ignore_index=True)[[*_LINK_COLUMNS, *_REVIEW_COLUMNS]]
    return LinkResult(links, ambiguous, twice, apply)


def reapply(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Merge again the records of recorded links that an ingest brought back.

    Called by every ingest inside its transaction, so that re-ingesting a file whose records
    were linked adds nothing.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable vcflows database, inside the ingest's transaction.

    Returns
    -------
    dict
        Records merged again, per table (only tables with some).
    """
    if not has_table(con, s.LINKS):
        return {}
    merged: dict[str, int] = {}
    _rank_sources(con, ())
    back: dict[str, pd.DataFrame] = {}
    for kind, table in s.LINK_TABLES.items():
        if kind == "participation":
            continue
        key = s.PRIMARY_KEYS[table][0]
        # Linked IDs in use again: as a record, or in a row that refers to one.
        uses = [f"SELECT {key} AS id FROM {table}"] + [
            f"SELECT {column} FROM {ref}" for ref, column in _REFERENCES[kind]
        ]
        back[kind] = con.execute(
            f"SELECT {', '.join(_LINK_COLUMNS)} FROM {s.LINKS} "
            f"WHERE {s.LINK_KIND} = ? AND {s.LINK_ID} IN ({' UNION ALL '.join(uses)}) "
            f"ORDER BY {s.LINK_ID}",
            [kind],
        ).fetchdf()
        returned = int(
            con.execute(
                f"SELECT count(*) FROM {table} WHERE {key} IN "
                f"(SELECT {s.LINK_ID} FROM {s.LINKS} WHERE {s.LINK_KIND} = ?)",
                [kind],
            ).fetchall()[0][0]
        )
        _merge(con, kind, back[kind])
        if returned:
            merged[table] = returned
    # Participations that came back with their round or investor, now twice there.
    _, removed = _merge_participations(con, back["round"], back["investor"])
    if removed:
        merged[s.PARTICIPATIONS] = removed
    _forget_temp(con)
    return merged


def summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Records merged across sources by kind and rule, with the merged rounds' USD.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.

    Returns
    -------
    pandas.DataFrame
        ``link_kind``, ``link_rule``, ``records`` and ``amount_usd`` (what the merged rounds
        would have added a second time; NaN for other kinds), in the order of
        :data:`vcflows.schema.LINK_TABLES`; empty when the store has no links.
    """
    cols = ["link_kind", "link_rule", "records", s.AMOUNT_USD]
    if not has_table(con, s.LINKS):
        return pd.DataFrame(columns=cols)
    kinds = ", ".join(f"'{k}'" for k in s.LINK_TABLES)
    df = con.execute(
        f"""SELECT {s.LINK_KIND} AS link_kind, {s.LINK_RULE} AS link_rule, count(*) AS records,
            sum(TRY_CAST(json_extract_string({s.LINK_RECORD}, '$.{s.AMOUNT_USD}') AS DOUBLE))
                FILTER (WHERE {s.LINK_KIND} = 'round') AS {s.AMOUNT_USD}
        FROM {s.LINKS} GROUP BY {s.LINK_KIND}, {s.LINK_RULE}
        ORDER BY list_position([{kinds}], {s.LINK_KIND}), {s.LINK_RULE}"""
    ).fetchdf()
    return df.reset_index(drop=True)


# --- preparation ---------------------------------------------------------------------------


def _rank_sources(con: duckdb.DuckDBPyConnection, prefer: tuple[str, ...]) -> set[str]:
    """Temp table ``_lk_rank`` (source, rank): preferred first, then in ingest order.

    Returns the sources the records name (NULL aside).
    """
    stored = {
        row[0]
        for t in s.LINK_TABLES.values()
        for row in con.execute(f"SELECT DISTINCT {s.SOURCE} FROM {t}").fetchall()
    }
    logged = [
        row[0]
        for row in con.execute(
            f"SELECT source FROM {s.INGEST_LOG} GROUP BY source ORDER BY min(rowid)"
        ).fetchall()
    ]
    unknown = sorted(x for x in stored if x is not None and x not in logged)
    order = list(dict.fromkeys([*prefer, *logged, *unknown, None]))
    frame = pd.DataFrame({"source": order, "rank": range(len(order))})
    con.register("_lk_rank_df", frame)
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_rank AS SELECT * FROM _lk_rank_df").fetchall()
    con.unregister("_lk_rank_df")
    return {x for x in stored if x is not None}


def _ranked(table: str, alias: str) -> str:
    """SQL: rows of ``table`` as ``alias`` joined to their source's rank ``{alias}_r.rank``."""
    return (
        f"{table} {alias} JOIN _lk_rank {alias}_r "
        f"ON {alias}_r.source IS NOT DISTINCT FROM {alias}.{s.SOURCE}"
    )


def _name_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``_lk_names`` (name, key) of every company and investor name."""
    names = [
        row[0]
        for row in con.execute(
            f"SELECT {s.NAME} FROM {s.COMPANIES} WHERE {s.NAME} IS NOT NULL UNION "
            f"SELECT {s.NAME} FROM {s.INVESTORS} WHERE {s.NAME} IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    frame = pd.DataFrame({"name": names, "key": [name_key(n) for n in names]}, dtype=object)
    con.register("_lk_names_df", frame)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _lk_names AS SELECT name::VARCHAR AS name, "
        f"key::VARCHAR AS key FROM _lk_names_df WHERE length(key) >= {_MIN_KEY}"
    ).fetchall()
    con.unregister("_lk_names_df")


# --- finding -------------------------------------------------------------------------------


#: Stages that say nothing about which round it is.
_VAGUE_STAGES = "('unknown', 'other')"


def _round_rule(a: str, b: str, opts: LinkOptions) -> str:
    """SQL: the rule by which rounds ``a`` and ``b`` are one round, else NULL.

    ``date+amount``: dates at most ``days`` apart, amounts within the tolerance;
    ``date+stage``: dates as close, the same specific stage; ``same date``: the same day and
    nothing that disagrees (amounts or specific stages known on both sides and different).
    """
    gap = f"abs(datediff('day', {a}.{s.ANNOUNCED_ON}, {b}.{s.ANNOUNCED_ON}))"
    larger = f"greatest({a}.{s.AMOUNT_USD}, {b}.{s.AMOUNT_USD})"
    close = f"abs({a}.{s.AMOUNT_USD} - {b}.{s.AMOUNT_USD}) <= {float(opts.amount_tolerance)!r} * {larger}"
    specific = f"{a}.{s.STAGE} NOT IN {_VAGUE_STAGES} AND {b}.{s.STAGE} NOT IN {_VAGUE_STAGES}"
    return (
        f"CASE WHEN {gap} IS NULL OR {gap} > {int(opts.days)} THEN NULL "
        f"WHEN {close} THEN 'date+amount' "
        f"WHEN {a}.{s.STAGE} = {b}.{s.STAGE} AND {specific} THEN 'date+stage' "
        f"WHEN {gap} = 0 AND NOT coalesce(NOT ({close}), FALSE) "
        f"AND NOT ({specific} AND {a}.{s.STAGE} <> {b}.{s.STAGE}) THEN 'same date' END"
    )


def _name_pairs(con: duckdb.DuckDBPyConnection, kind: str, opts: LinkOptions) -> pd.DataFrame:
    """Candidate links of companies or investors: same name key, two sources, a rule."""
    table = s.LINK_TABLES[kind]
    key = s.PRIMARY_KEYS[table][0]
    if kind == "company":  # a round of each that agrees
        shared = (
            f"SELECT p.id, p.canonical_id FROM p JOIN {s.ROUNDS} ra "
            f"ON ra.{s.COMPANY_ID} = p.canonical_id JOIN {s.ROUNDS} rb "
            f"ON rb.{s.COMPANY_ID} = p.id AND ({_round_rule('ra', 'rb', opts)}) IS NOT NULL WHERE p.rule IS NULL"
        )
    else:  # a round both took part in
        shared = (
            f"SELECT p.id, p.canonical_id FROM p JOIN {s.PARTICIPATIONS} pa "
            f"ON pa.{s.INVESTOR_ID} = p.canonical_id JOIN {s.PARTICIPATIONS} pb "
            f"ON pb.{s.INVESTOR_ID} = p.id AND pb.{s.ROUND_ID} = pa.{s.ROUND_ID} "
            "WHERE p.rule IS NULL"
        )
    return con.execute(
        f"""WITH e AS (
            SELECT t.{key} AS id, t.{s.COUNTRY} AS country, t_r.rank, n.key
            FROM {_ranked(table, "t")} JOIN _lk_names n ON n.name = t.{s.NAME}
        ), p AS (
            SELECT b.id, a.id AS canonical_id, b.rank, a.rank AS canonical_rank,
                   CASE WHEN a.country = b.country THEN 'name+country'
                        WHEN a.country IS NULL OR b.country IS NULL THEN 'name+country unknown'
                   END AS rule
            FROM e a JOIN e b ON a.key = b.key AND a.rank < b.rank
        )
        , shared AS ({shared})
        SELECT '{kind}' AS {s.LINK_KIND}, id, canonical_id,
               coalesce(rule, CASE WHEN (id, canonical_id) IN (SELECT (id, canonical_id) FROM shared)
                                   THEN 'name+round' END) AS {s.LINK_RULE},
               rank, canonical_rank
        FROM p ORDER BY id, canonical_id"""
    ).fetchdf()


def _unique(pairs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Links of the pairs with a rule, one per record; and the records left ambiguous.

    A record links to its candidate of the best-ranked source when that candidate is the
    only one there and no other record of its own source claims the same candidate.
    """
    pairs = pairs[pairs[s.LINK_RULE].notna()]
    best = pairs.groupby(s.LINK_ID)["canonical_rank"].transform("min")
    pairs = pairs[pairs["canonical_rank"] == best]
    per_id = pairs.groupby(s.LINK_ID)[s.LINK_CANONICAL].transform("size")
    per_target = pairs.groupby([s.LINK_CANONICAL, "rank"])[s.LINK_ID].transform("size")
    clear = (per_id == 1) & (per_target == 1)
    ambiguous = int(pairs.loc[~clear, s.LINK_ID].nunique())
    return _to_roots(pairs[clear]), ambiguous


def _to_roots(links: pd.DataFrame) -> pd.DataFrame:
    """Links whose canonical record is itself linked point to where that one goes."""
    target = dict(zip(links[s.LINK_ID], links[s.LINK_CANONICAL], strict=True))

    def root(x: str) -> str:
        seen = set()
        while x in target and x not in seen:  # ranks strictly decrease: no cycle, but be safe
            seen.add(x)
            x = target[x]
        return x

    out = links[_LINK_COLUMNS].reset_index(drop=True)
    out[s.LINK_CANONICAL] = [root(x) for x in out[s.LINK_CANONICAL]]
    return out


def _round_links(con: duckdb.DuckDBPyConnection, opts: LinkOptions) -> pd.DataFrame:
    """One-to-one links of two sources' rounds of one company, nearest date first."""
    pairs = con.execute(
        f"""WITH m AS (
            SELECT {s.COMPANY_ID} FROM {s.ROUNDS} GROUP BY 1 HAVING count(DISTINCT {s.SOURCE}) > 1
        )
        SELECT b.{s.ROUND_ID} AS id, a.{s.ROUND_ID} AS canonical_id,
               {_round_rule("a", "b", opts)} AS {s.LINK_RULE},
               abs(datediff('day', a.{s.ANNOUNCED_ON}, b.{s.ANNOUNCED_ON})) AS gap,
               abs(a.{s.AMOUNT_USD} - b.{s.AMOUNT_USD})
                   / nullif(greatest(a.{s.AMOUNT_USD}, b.{s.AMOUNT_USD}), 0) AS diff
        FROM {_ranked(s.ROUNDS, "a")} JOIN {_ranked(s.ROUNDS, "b")}
            ON a.{s.COMPANY_ID} = b.{s.COMPANY_ID} AND a_r.rank < b_r.rank
        WHERE a.{s.COMPANY_ID} IN (SELECT {s.COMPANY_ID} FROM m) AND ({_round_rule("a", "b", opts)}) IS NOT NULL
        ORDER BY gap, diff NULLS LAST, canonical_id, id"""
    ).fetchall()
    used: set[str] = set()
    rows = []
    for rid, canonical, rule, _, _ in pairs:  # greedy: each round in at most one link
        if rid in used or canonical in used:
            continue
        used.update((rid, canonical))
        rows.append(("round", rid, canonical, rule))
    return _to_roots(pd.DataFrame(rows, columns=_LINK_COLUMNS, dtype=object))


def _amount_of(con: duckdb.DuckDBPyConnection, rounds: pd.DataFrame) -> float:
    """Total amount of the rounds about to be merged away."""
    if rounds.empty:
        return 0.0
    con.register("_lk_amount_df", rounds)
    total = con.execute(
        f"SELECT coalesce(sum({s.AMOUNT_USD}), 0) FROM {s.ROUNDS} "
        f"WHERE {s.ROUND_ID} IN (SELECT {s.LINK_ID} FROM _lk_amount_df)"
    ).fetchall()[0][0]
    con.unregister("_lk_amount_df")
    return float(total)


# --- merging -------------------------------------------------------------------------------


def _archive(con: duckdb.DuckDBPyConnection, kind: str, rows: str, key: str) -> None:
    """Record rows of relation ``rows`` (the table's columns, canonical_id, rule) as links."""
    con.execute(
        f"""INSERT INTO {s.LINKS} SELECT '{kind}', {key}, canonical_id, rule,
            to_json(d.rec)::VARCHAR FROM {rows} d
        WHERE NOT EXISTS (SELECT 1 FROM {s.LINKS} x WHERE x.{s.LINK_KIND} = '{kind}'
                          AND x.{s.LINK_ID} = d.{key})"""
    ).fetchall()


#: SQL of a record as a reviewer reads it, from a row aliased ``t`` of its table.
_SUMMARY = {
    "company": f"coalesce(t.{s.NAME}, '?') || ' (' || coalesce(t.{s.COUNTRY}, '?') || ')'",
    "investor": f"coalesce(t.{s.NAME}, '?') || ' (' || coalesce(t.{s.COUNTRY}, '?') || ')'",
    "round": (
        f"coalesce(strftime(t.{s.ANNOUNCED_ON}, '%Y-%m-%d'), '?') || ' ' || t.{s.STAGE} || ' ' "
        f"|| coalesce(format('USD {{:,.0f}}', t.{s.AMOUNT_USD}), 'amount unknown')"
    ),
}


def _described(con: duckdb.DuckDBPyConnection, kind: str, links: pd.DataFrame) -> pd.DataFrame:
    """``links`` with ``record`` and ``canonical_record``: both records as a reviewer reads
    them ("Upstage (KOR)", "2021-03-10 series_b USD 10,500,000"), before they are merged."""
    if links.empty:
        return links.assign(
            record=pd.Series(dtype=object), canonical_record=pd.Series(dtype=object)
        )
    table = s.LINK_TABLES[kind]
    key = s.PRIMARY_KEYS[table][0]
    con.register("_lk_desc_df", links[_LINK_COLUMNS].reset_index(drop=True))
    summary = _SUMMARY[kind]
    out = con.execute(
        f"""SELECT l.*, {summary.replace("t.", "d.")} AS record,
               {summary.replace("t.", "c.")} AS canonical_record
        FROM (SELECT *, row_number() OVER () AS _i FROM _lk_desc_df) l
        JOIN {table} d ON d.{key} = l.id JOIN {table} c ON c.{key} = l.canonical_id
        ORDER BY l._i"""
    ).fetchdf()
    con.unregister("_lk_desc_df")
    return out.drop(columns="_i")


def _merge(con: duckdb.DuckDBPyConnection, kind: str, links: pd.DataFrame) -> None:
    """Merge each linked record into its canonical one; remap what refers to it."""
    if links.empty:
        return
    table = s.LINK_TABLES[kind]
    key = s.PRIMARY_KEYS[table][0]
    con.register("_lk_df", links[_LINK_COLUMNS])
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_new AS SELECT * FROM _lk_df").fetchall()
    con.unregister("_lk_df")
    others = [c for c in s.columns(table) if c not in (key, s.SOURCE)]
    known = ", ".join(f"{first_known(c)} AS {c}" for c in others)
    sets = ", ".join(f"{c} = {keep_stored(c)}" for c in others)
    # The merged records' known fields fill the kept record's unknown ones, best source first.
    con.execute(
        f"""UPDATE {table} AS t SET {sets} FROM (
            SELECT l.canonical_id, {known} FROM (
                SELECT d.*, d_r.rank AS _rn FROM {_ranked(table, "d")}
            ) d JOIN _lk_new l ON d.{key} = l.id GROUP BY l.canonical_id
        ) n WHERE t.{key} = n.canonical_id"""
    ).fetchall()
    _archive(
        con,
        kind,
        f"(SELECT d.{key}, d AS rec, l.canonical_id, l.rule FROM {table} d "
        f"JOIN _lk_new l ON d.{key} = l.id)",
        key,
    )
    con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM _lk_new)").fetchall()
    for ref_table, column in _REFERENCES[kind]:
        con.execute(
            f"UPDATE {ref_table} SET {column} = l.canonical_id FROM _lk_new l "
            f"WHERE {ref_table}.{column} = l.id"
        ).fetchall()
    _mark_changed(con)


def _merge_participations(
    con: duckdb.DuckDBPyConnection, rounds: pd.DataFrame, investors: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """Keep one participation per (round, investor) where merged rounds or investors met.

    The best-ranked source's row is kept, with the first known lead flag; other sources'
    rows are recorded as links of kind ``participation`` (ID ``round_id|investor_id``).
    Returns those links and the number of rows removed (same-source repeats included).
    """
    empty = pd.DataFrame(columns=_LINK_COLUMNS, dtype=object)
    if rounds.empty and investors.empty:
        return empty, 0
    con.register("_lk_rounds_df", rounds[[s.LINK_CANONICAL]])
    con.register("_lk_investors_df", investors[[s.LINK_CANONICAL]])
    p = s.PARTICIPATIONS
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_p AS
        SELECT d.*, row_number() OVER w AS k, count(*) OVER w AS n,
               first_value(d.{s.SOURCE}) OVER w AS kept_source
        FROM {_ranked(p, "d")}
        WHERE d.{s.ROUND_ID} IN (SELECT canonical_id::VARCHAR FROM _lk_rounds_df)
           OR d.{s.INVESTOR_ID} IN (SELECT canonical_id::VARCHAR FROM _lk_investors_df)
        WINDOW w AS (PARTITION BY d.{s.ROUND_ID}, d.{s.INVESTOR_ID}
                     ORDER BY d_r.rank, d.{s.SOURCE}, d.{s.IS_LEAD}
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"""
    ).fetchall()
    con.unregister("_lk_rounds_df")
    con.unregister("_lk_investors_df")
    removed = int(con.execute("SELECT count(*) FROM _lk_p WHERE k > 1").fetchall()[0][0])
    if not removed:
        return empty, 0
    # A row of the kept row's own source is that record again (a re-ingest): nothing to keep.
    other = f"k > 1 AND {s.SOURCE} IS DISTINCT FROM kept_source"
    pid = f"{s.ROUND_ID} || '|' || {s.INVESTOR_ID}"
    links = con.execute(
        f"SELECT 'participation' AS {s.LINK_KIND}, {pid} AS {s.LINK_ID}, {pid} AS "
        f"{s.LINK_CANONICAL}, 'same round+investor' AS {s.LINK_RULE} FROM _lk_p "
        f"WHERE {other} ORDER BY 2, {s.SOURCE}"
    ).fetchdf()
    cols = ", ".join(s.columns(p))
    _archive(
        con,
        "participation",
        f"(SELECT {pid} AS pid, struct_pack({cols}) AS rec, {pid} AS canonical_id, "
        f"'same round+investor' AS rule FROM _lk_p WHERE {other})",
        "pid",
    )
    # Replace each key's rows by the kept one, with the first known lead flag.
    con.execute(
        f"""DELETE FROM {p} USING _lk_p x WHERE x.n > 1
            AND {p}.{s.ROUND_ID} = x.{s.ROUND_ID} AND {p}.{s.INVESTOR_ID} = x.{s.INVESTOR_ID}"""
    ).fetchall()
    con.execute(
        f"""INSERT INTO {p} ({cols}) SELECT {s.ROUND_ID}, {s.INVESTOR_ID},
            arg_min({s.IS_LEAD}, k) FILTER (WHERE {s.IS_LEAD} IS NOT NULL),
            arg_min({s.SOURCE}, k)
        FROM _lk_p WHERE n > 1 GROUP BY {s.ROUND_ID}, {s.INVESTOR_ID}"""
    ).fetchall()
    _mark_changed(con)
    return links, removed


def _mark_changed(con: duckdb.DuckDBPyConnection) -> None:
    """Tell the next flow-base refresh to rebuild whole (links reach any round)."""
    touched.begin(con)
    touched.record(con, s.ROUNDS, None)
    touched.finish(con)


def _forget_temp(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("_lk_rank", "_lk_names", "_lk_new", "_lk_p"):
        con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
