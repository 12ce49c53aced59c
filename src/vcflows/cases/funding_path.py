"""The funding path of one company: its rounds, investors, foreign share and pace.

Per round (definitions for the methods appendix):

- *foreign_share*: the foreign investors' part of the round under the flow engine's
  attribution (:mod:`vcflows.flows.attribution`), taken on deal weights so rounds of unknown
  amount have one too: under ``equal`` it is (foreign participations) / (participations whose
  investor country is known); under ``lead`` the same over leads (all participations when no
  lead is marked). ``full`` falls back to ``equal`` (see :mod:`vcflows.cases.champions`). NaN
  when no investor country is known, or the company's country is unknown.
- *foreign_usd*: the round amount attributed to foreign investor countries (NaN when the
  amount is unknown).
- *days_since_previous*: days since the previous dated round of the company (NaN for the
  first one and for undated rounds).

The company's own ``foreign_share`` is ``Σ foreign_usd / Σ attributed_usd`` over its rounds, the
same definition as :func:`vcflows.cases.champions`. A named company is shown whatever its
sector: the options' sector filter does not apply here; years and stages do.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.cases.champions import as_dates, share_options
from vcflows.errors import OptionError
from vcflows.exports import to_records
from vcflows.flows import FlowOptions, base_relation, shares_sql
from vcflows.flows import columns as c

#: Columns of :attr:`FundingPath.rounds`, in order.
ROUND_COLUMNS: tuple[str, ...] = (
    s.ROUND_ID,
    s.ANNOUNCED_ON,
    s.STAGE,
    s.AMOUNT_USD,
    "n_investors",
    "foreign_investors",
    "foreign_share",
    "foreign_usd",
    "attributed_usd",
    "days_since_previous",
    "investors",
)

#: Columns of :attr:`FundingPath.participants`, in order.
PARTICIPANT_COLUMNS: tuple[str, ...] = (
    s.ROUND_ID,
    s.INVESTOR_ID,
    "investor_name",
    "investor_country",
    "investor_type",
    "is_lead",
    "foreign",
)

_MAX_CANDIDATES = 10


@dataclass(frozen=True)
class FundingPath:
    """One company's funding history.

    Attributes
    ----------
    company_id, name, country, categories : str or None
        The company as stored.
    options : FlowOptions
        The selection used (years, stages, attribution of the foreign share).
    rounds : DataFrame
        Columns :data:`ROUND_COLUMNS`, in date order (undated rounds last, then by round_id);
        ``investors`` summarizes the participants as ``name (country, type, lead); ...``.
    participants : DataFrame
        Columns :data:`PARTICIPANT_COLUMNS`, one row per (round, investor); ``foreign`` is
        NULL when either country is unknown.
    notes : list of str
        How the figures were computed, and what was left out.
    """

    company_id: str
    name: str | None
    country: str | None
    categories: str | None
    options: FlowOptions
    rounds: pd.DataFrame
    participants: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def total_usd(self) -> float:
        """Sum of the known round amounts."""
        return float(self.rounds[s.AMOUNT_USD].sum())

    @property
    def foreign_share(self) -> float:
        """Foreign investors' part of the attributed money (NaN when nothing is attributed)."""
        att = float(self.rounds["attributed_usd"].sum())
        return float(self.rounds["foreign_usd"].sum()) / att if att > 0 else float("nan")

    @property
    def foreign_countries(self) -> list[str]:
        """Distinct foreign investor countries over the path, sorted."""
        p = self.participants
        return sorted({str(x) for x in p.loc[_flag(p["foreign"]), "investor_country"]})

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the company, summary figures, rounds with nested investors."""
        rounds = to_records(self.rounds.drop(columns=["investors"]))
        by_round: dict[str, list[dict[str, object]]] = {}
        for rec in to_records(self.participants):
            by_round.setdefault(str(rec[s.ROUND_ID]), []).append(
                {k: v for k, v in rec.items() if k != s.ROUND_ID}
            )
        for rec in rounds:
            rec["investors"] = by_round.get(str(rec[s.ROUND_ID]), [])
        share = self.foreign_share
        return {
            "company_id": self.company_id,
            "name": self.name,
            "country": self.country,
            "categories": self.categories,
            "options": self.options.describe(),
            "total_usd": self.total_usd,
            "foreign_share": None if math.isnan(share) else share,
            "foreign_countries": self.foreign_countries,
            "rounds": rounds,
            "notes": list(self.notes),
        }


def find_company(con: duckdb.DuckDBPyConnection, company: str) -> str:
    """Resolve a company id or a case-insensitive exact name to a company_id.

    Raises
    ------
    OptionError
        When nothing matches, or a name matches several companies; the message lists the
        candidates (id, name, country).
    """
    query = company.strip()
    if not query:
        raise OptionError("company: expected a company id or name, got an empty string")
    hit = con.execute(
        f"SELECT {s.COMPANY_ID} FROM {s.COMPANIES} WHERE {s.COMPANY_ID} = ? "
        f"UNION SELECT {s.COMPANY_ID} FROM {s.ROUNDS} WHERE {s.COMPANY_ID} = ?",
        [query, query],
    ).fetchall()
    if hit:
        return str(hit[0][0])
    exact = _candidates(con, f"lower({s.NAME}) = lower(?)", [query])
    if len(exact) == 1:
        return str(exact[0][0])
    if exact:
        raise OptionError(
            f"company: {len(exact)} companies are named {query!r}; give the id of one: "
            + _list(exact)
        )
    like = _candidates(
        con, f"{s.NAME} ILIKE ? OR {s.COMPANY_ID} ILIKE ?", [f"%{query}%", f"%{query}%"]
    )
    if like:
        more = " (first matches)" if len(like) == _MAX_CANDIDATES else ""
        raise OptionError(f"company: no company {query!r}; candidates{more}: {_list(like)}")
    raise OptionError(f"company: no company id or name matches {query!r}")


def _candidates(
    con: duckdb.DuckDBPyConnection, predicate: str, params: list[object]
) -> list[tuple[Any, ...]]:
    return con.execute(
        f"SELECT {s.COMPANY_ID}, {s.NAME}, {s.COUNTRY} FROM {s.COMPANIES} WHERE {predicate} "
        f"ORDER BY lower({s.NAME}), {s.COMPANY_ID} LIMIT {_MAX_CANDIDATES}",
        params,
    ).fetchall()


def _list(rows: list[tuple[Any, ...]]) -> str:
    return "; ".join(
        f"{cid} ({name}, {country or 'country unknown'})" for cid, name, country in rows
    )


def _rounds(
    con: duckdb.DuckDBPyConnection, company_ids: list[str], opts: FlowOptions
) -> pd.DataFrame:
    """Rounds of several companies at once (one attribution pass), with their company_id."""
    shares, params = shares_sql(opts, base_relation(con))
    ic, cc = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY
    return con.execute(
        f"""
        WITH sh AS (
            SELECT * FROM ({shares}) WHERE list_contains(?::VARCHAR[], {s.COMPANY_ID})
        ),
        per_round AS (
            SELECT {s.ROUND_ID},
                   coalesce(fsum({c.DEALS}) FILTER (WHERE {c.REASON} IS NULL AND {ic} <> {cc}), 0.0)
                       / fsum({c.DEALS}) FILTER (WHERE {c.REASON} IS NULL) AS foreign_share,
                   coalesce(fsum({s.AMOUNT_USD}) FILTER (WHERE {c.REASON} IS NULL AND {ic} <> {cc}), 0.0)
                       AS foreign_usd,
                   coalesce(fsum({s.AMOUNT_USD}) FILTER (WHERE {c.REASON} IS NULL), 0.0)
                       AS attributed_usd
            FROM sh GROUP BY {s.ROUND_ID}
        )
        SELECT r.{s.COMPANY_ID}, r.{s.ROUND_ID}, r.{s.ANNOUNCED_ON}, r.{s.STAGE},
               r.{s.AMOUNT_USD}, pr.foreign_share,
               CASE WHEN r.{s.AMOUNT_USD} IS NULL THEN NULL ELSE pr.foreign_usd END AS foreign_usd,
               pr.attributed_usd,
               CASE WHEN r.{s.ANNOUNCED_ON} IS NOT NULL THEN date_diff('day',
                   lag(r.{s.ANNOUNCED_ON}) OVER (
                       PARTITION BY r.{s.COMPANY_ID}, r.{s.ANNOUNCED_ON} IS NULL
                       ORDER BY r.{s.ANNOUNCED_ON}, r.{s.ROUND_ID}),
                   r.{s.ANNOUNCED_ON}) END AS days_since_previous
        FROM {s.ROUNDS} r JOIN per_round pr ON r.{s.ROUND_ID} = pr.{s.ROUND_ID}
        ORDER BY r.{s.COMPANY_ID}, r.{s.ANNOUNCED_ON} NULLS LAST, r.{s.ROUND_ID}
        """,
        [*params, company_ids],
    ).fetchdf()


def _participants(con: duckdb.DuckDBPyConnection, round_ids: list[str]) -> pd.DataFrame:
    """Participants of the given rounds; ``foreign`` compares with the round's company."""
    return con.execute(
        f"""
        SELECT p.{s.ROUND_ID}, p.{s.INVESTOR_ID}, i.{s.NAME} AS investor_name,
               i.{s.COUNTRY} AS investor_country,
               coalesce(i.{s.INVESTOR_TYPE}, 'unknown') AS investor_type,
               coalesce(p.{s.IS_LEAD}, FALSE) AS is_lead,
               CASE WHEN i.{s.COUNTRY} IS NULL OR co.{s.COUNTRY} IS NULL THEN NULL
                    ELSE i.{s.COUNTRY} <> co.{s.COUNTRY} END AS foreign
        FROM {s.PARTICIPATIONS} p
        JOIN {s.ROUNDS} r ON p.{s.ROUND_ID} = r.{s.ROUND_ID}
        LEFT JOIN {s.INVESTORS} i ON p.{s.INVESTOR_ID} = i.{s.INVESTOR_ID}
        LEFT JOIN {s.COMPANIES} co ON r.{s.COMPANY_ID} = co.{s.COMPANY_ID}
        WHERE list_contains(?::VARCHAR[], p.{s.ROUND_ID})
        ORDER BY p.{s.ROUND_ID}, is_lead DESC, investor_name NULLS LAST, p.{s.INVESTOR_ID}
        """,
        [round_ids],
    ).fetchdf()


def _flag(values: pd.Series) -> pd.Series:
    """A nullable boolean column as plain bools, NULL counting as False."""
    return values.astype("boolean").fillna(False).astype(bool)


def _summary(p: pd.DataFrame) -> pd.Series:
    """Per round: 'name (country, type, lead); ...' (the display form of the participants)."""
    if p.empty:
        return pd.Series(dtype=object)
    label = (
        p["investor_name"].astype(object).fillna(p[s.INVESTOR_ID]).astype(str)
        + " ("
        + p["investor_country"].astype(object).fillna("?").astype(str)
        + ", "
        + p["investor_type"].astype(str)
        + p["is_lead"].map({True: ", lead", False: ""}).astype(str)
        + ")"
    )
    return label.groupby(p[s.ROUND_ID], sort=False).agg("; ".join)


def _path(
    con: duckdb.DuckDBPyConnection,
    company_id: str,
    rounds: pd.DataFrame,
    participants: pd.DataFrame,
    opts: FlowOptions,
    scope: FlowOptions,
) -> FundingPath:
    """One company's FundingPath from its rows of :func:`_rounds` and :func:`_participants`."""
    info = con.execute(
        f"SELECT {s.NAME}, {s.COUNTRY}, {s.CATEGORIES} FROM {s.COMPANIES} WHERE {s.COMPANY_ID} = ?",
        [company_id],
    ).fetchall()
    name, country, categories = info[0] if info else (None, None, None)
    by_round = participants[s.ROUND_ID]
    # Counted as plain integers: with no participant at all, an aggregate of the nullable
    # ``foreign`` column would keep its boolean dtype.
    counts = {
        "n_investors": by_round.value_counts(),
        "foreign_investors": _flag(participants["foreign"]).astype("int64").groupby(by_round).sum(),
    }
    rounds = rounds.copy()
    for col, per_round in counts.items():
        rounds[col] = rounds[s.ROUND_ID].map(per_round).fillna(0).astype("int64")
    rounds["days_since_previous"] = rounds["days_since_previous"].astype(float)
    rounds[s.ANNOUNCED_ON] = as_dates(rounds[s.ANNOUNCED_ON])
    rounds["investors"] = rounds[s.ROUND_ID].map(_summary(participants)).astype(object).fillna("")
    notes = [
        f"foreign share per round: {scope.attribution} attribution on deal weights; "
        "investors of unknown country are left out",
    ]
    if opts.attribution == "full":
        notes.append("'full' attribution is not a split: foreign shares use 'equal'")
    if country is None:
        notes.append("the company's country is unknown: foreign shares are undefined")
    if rounds.empty:
        notes.append(f"no round of {company_id} in this selection ({opts.describe()})")
    return FundingPath(
        company_id=company_id,
        name=None if name is None else str(name),
        country=None if country is None else str(country),
        categories=None if categories is None else str(categories),
        options=opts,
        rounds=rounds[list(ROUND_COLUMNS)].reset_index(drop=True),
        participants=participants[list(PARTICIPANT_COLUMNS)].reset_index(drop=True),
        notes=notes,
    )


def funding_paths(
    con: duckdb.DuckDBPyConnection, companies: Sequence[str], opts: FlowOptions | None = None
) -> list[FundingPath]:
    """:func:`funding_path` of several companies, attributing the rounds once for all of them.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    companies : sequence of str
        Company ids or names, as for :func:`funding_path`.
    opts : FlowOptions, optional
        As for :func:`funding_path`.

    Returns
    -------
    list of FundingPath
        One per company, in the order given; each equal to ``funding_path(con, company, opts)``.

    Raises
    ------
    OptionError
        Unknown or ambiguous company (the message lists candidates).
    """
    opts = opts or FlowOptions()
    ids = [find_company(con, company) for company in companies]
    if not ids:
        return []
    scope = share_options(dataclasses.replace(opts, sector="all"))
    rounds = _rounds(con, sorted(set(ids)), scope)
    participants = _participants(con, rounds[s.ROUND_ID].astype(str).tolist())
    owner = rounds.set_index(s.ROUND_ID)[s.COMPANY_ID]
    part_owner = participants[s.ROUND_ID].map(owner)
    return [
        _path(
            con,
            cid,
            rounds[rounds[s.COMPANY_ID] == cid].drop(columns=[s.COMPANY_ID]),
            participants[(part_owner == cid).to_numpy()],
            opts,
            scope,
        )
        for cid in ids
    ]


def funding_path(
    con: duckdb.DuckDBPyConnection, company: str, opts: FlowOptions | None = None
) -> FundingPath:
    """Rounds, investors, foreign share per round and time between rounds of one company.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    company : str
        A company_id, or a company name (case-insensitive, exact).
    opts : FlowOptions, optional
        Years and stages select the rounds; ``attribution`` decides the foreign share
        (``full`` falls back to ``equal``). The sector filter is not applied.

    Returns
    -------
    FundingPath
        The company and its rounds (definitions in the module docstring).

    Raises
    ------
    OptionError
        Unknown or ambiguous company (the message lists candidates).
    """
    return funding_paths(con, [company], opts)[0]
