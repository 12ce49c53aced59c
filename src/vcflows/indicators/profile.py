"""A focus country's profile: its indicators beside peers, rank, partners, scenario.

Definitions:

- *peer group*: the ``peer_top`` countries with the largest share_global, plus named peers,
  plus the focus country.
- *rank*: position of the focus by invested_in_usd among all countries (1 = largest).
- *gap to target rank*: ``max(0, in[target] − in[focus])``, the extra inbound money that would
  bring the focus level with the country now at ``target_rank``. There is no target (the
  ``target_country`` is None, the gap 0, and a note says why) when fewer than ``target_rank``
  countries received money in the selection: a country that received nothing is no rank to
  reach (countries that only invest appear in the indicators with $0 received).
- *scenario*: extra foreign inbound money ``x`` that lifts the focus's foreign_share_in to a
  target ``t`` (a chosen peer's foreign_share_in, or the peer group's median), all else equal.
  With foreign inbound ``F`` and total inbound ``T``: ``(F + x) / (T + x) = t`` gives
  ``x = (t·T − F) / (1 − t)``; ``x = 0`` when the focus already reaches ``t``; undefined (NaN)
  when ``t = 1``. The scenario is *unavailable* (``scenario["unavailable"]`` holds the reason,
  ``extra_foreign_usd`` is NaN) when the focus received no money (it has no foreign share to
  raise) or no peer has a foreign share (no peer received money): see :func:`scenario_statement`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.cases.champions import champions as _champions
from vcflows.errors import OptionError
from vcflows.exports import to_records
from vcflows.flows import FlowOptions, base_relation, shares_with
from vcflows.flows import columns as c
from vcflows.indicators.country import (
    flow_aggregates,
    indicators_from_aggregates,
    reciprocity_from,
)

_ISO3 = re.compile(r"^[A-Z]{3}$")


def _iso3(code: str, what: str) -> str:
    value = code.strip().upper()
    if not _ISO3.match(value):
        raise OptionError(f"{what}: expected an ISO 3166-1 alpha-3 code such as KOR, got {code!r}")
    return value


@dataclass
class CountryProfile:
    """Everything the profile of one focus country shows."""

    focus: str
    options: FlowOptions
    indicators: pd.DataFrame
    rank: int
    n_countries: int
    target_rank: int
    target_country: str | None
    gap_to_target_usd: float
    partners: pd.DataFrame
    companies_from_abroad: pd.DataFrame
    scenario: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    champions: pd.DataFrame = field(default_factory=pd.DataFrame)  # see vcflows.cases
    n_received: int = 0  # countries that received money from investors of known country

    @property
    def focus_row(self) -> pd.Series:
        """The focus country's indicators."""
        return self.indicators.loc[self.indicators[c.COUNTRY] == self.focus].iloc[0]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the whole profile."""
        scen = {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in self.scenario.items()
        }
        return {
            "focus": self.focus,
            "options": self.options.describe(),
            "rank": self.rank,
            "n_countries": self.n_countries,
            "n_received": self.n_received,
            "target_rank": self.target_rank,
            "target_country": self.target_country,
            "gap_to_target_usd": self.gap_to_target_usd,
            "indicators": to_records(self.indicators),
            "partners": to_records(self.partners),
            "companies_from_abroad": to_records(self.companies_from_abroad),
            "scenario": scen,
            "notes": list(self.notes),
            "champions": to_records(self.champions),
        }


#: Size of the default peer group (countries by share_global).
PEER_TOP = 15


def peer_group(
    ind: pd.DataFrame, focus: str, peers: Sequence[str] = (), peer_top: int = PEER_TOP
) -> set[str]:
    """The peer group of ``focus``: the ``peer_top`` countries by share_global, named peers
    present in ``ind``, and the focus itself (see the module docstring)."""
    countries = set(ind[c.COUNTRY])
    top = ind.sort_values([c.SHARE_GLOBAL, c.COUNTRY], ascending=[False, True], kind="mergesort")
    return set(top[c.COUNTRY].head(peer_top)) | {p for p in peers if p in countries} | {focus}


def scenario_extra_foreign(foreign_in: float, total_in: float, target: float) -> float:
    """Extra foreign inbound money x with (foreign_in + x) / (total_in + x) = target.

    Returns 0 when the current share already reaches ``target``, NaN when ``target`` is
    undefined or ≥ 1 (no finite amount reaches a 100% foreign share).
    """
    if not math.isfinite(target) or target >= 1.0:
        return float("nan")
    if total_in > 0 and foreign_in / total_in >= target:
        return 0.0
    return max(0.0, (target * total_in - foreign_in) / (1.0 - target))


def _target(
    ind: pd.DataFrame, focus: str, rank: int, target_rank: int
) -> tuple[str | None, float, str | None]:
    """Target country, gap to it and, when there is no target, why (see the module)."""
    received = ind[ind[c.INVESTED_IN_USD] > 0]
    if len(received) < target_rank:
        n = len(received)
        who = "no country" if n == 0 else f"only {n} {'country' if n == 1 else 'countries'}"
        return (
            None,
            0.0,
            f"target rank {target_rank}: {who} received money from investors of known country "
            "in this selection, so no country holds that rank",
        )
    target = str(received[c.COUNTRY].iloc[target_rank - 1])
    if rank <= target_rank:
        return target, 0.0, None
    f_in = float(ind.loc[ind[c.COUNTRY] == focus, c.INVESTED_IN_USD].iloc[0])
    t_in = float(received[c.INVESTED_IN_USD].iloc[target_rank - 1])
    return target, max(0.0, t_in - f_in), None


def _scenario(
    focus: str, label: str, target: float, foreign_in: float, total_in: float, current: float
) -> dict[str, Any]:
    """The scenario dict (module docstring), with the reason when it is unavailable."""
    unavailable: str | None = None
    if total_in <= 0:
        unavailable = (
            f"{focus} received no money from investors of known country in this selection, "
            "so it has no foreign share to raise"
        )
    elif not math.isfinite(target):
        unavailable = (
            f"no {'peer' if label == 'peer median' else label} received money from investors "
            "of known country in this selection, so there is no foreign share to aim at"
        )
    return {
        "peer": label,
        "target_foreign_share_in": target,
        "current_foreign_share_in": current,
        c.FOREIGN_IN_USD: foreign_in,
        c.INVESTED_IN_USD: total_in,
        "extra_foreign_usd": float("nan")
        if unavailable
        else scenario_extra_foreign(foreign_in, total_in, target),
        "unavailable": unavailable,
    }


def scenario_statement(p: CountryProfile) -> str:
    """The profile's scenario in one sentence, or what is missing for it.

    Parameters
    ----------
    p : CountryProfile
        A profile.

    Returns
    -------
    str
        "Scenario: ..." with the figures, or "Scenario unavailable: <reason>."
    """
    sc = p.scenario
    if sc.get("unavailable"):
        return f"Scenario unavailable: {sc['unavailable']}."
    extra = float(sc["extra_foreign_usd"])
    if not math.isfinite(extra):
        return (
            f"Scenario unavailable: {sc['peer']}'s foreign share "
            f"{sc['target_foreign_share_in']:.3f} cannot be reached by adding foreign money."
        )
    head = (
        f"Scenario: {sc['peer']}'s foreign_share_in is {sc['target_foreign_share_in']:.3f} and "
        f"{p.focus}'s is {sc['current_foreign_share_in']:.3f}"
    )
    if extra <= 0:
        return f"{head}; {p.focus} already reaches it."
    return f"{head}; reaching it takes USD {extra:,.0f} more foreign inbound money."


def position_statement(p: CountryProfile) -> str:
    """The focus's rank and its gap to the target rank in one sentence (or why there is none).

    Parameters
    ----------
    p : CountryProfile
        A profile.

    Returns
    -------
    str
        "KOR: rank 4 of 12 by invested_in_usd; rank 3 is GBR; gap to it: USD 100", or the
        note saying why there is no target.
    """
    head = f"{p.focus}: rank {p.rank} of {p.n_countries} by invested_in_usd"
    if float(p.focus_row[c.INVESTED_IN_USD]) <= 0:
        head = (
            f"{p.focus}: rank {p.rank} of {p.n_countries}, having received no money from "
            "investors of known country in this selection"
        )
    if p.target_country is None:
        return f"{head}; no target: only countries that received money hold a rank to reach"
    return (
        f"{head}; rank {p.target_rank} is {p.target_country}; gap to it: "
        f"USD {p.gap_to_target_usd:,.0f}"
    )


def _partners(pairs: pd.DataFrame, focus: str, top_n: int) -> pd.DataFrame:
    ic, cc, amt = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY, s.AMOUNT_USD
    inbound = pairs[(pairs[cc] == focus) & (pairs[ic] != focus)].groupby(ic)[[amt, c.DEALS]].sum()
    outbound = pairs[(pairs[ic] == focus) & (pairs[cc] != focus)].groupby(cc)[[amt, c.DEALS]].sum()
    names = sorted(set(inbound.index) | set(outbound.index))
    frame = pd.DataFrame({"partner": pd.Series(names, dtype=object)})
    frame["inbound_usd"] = inbound[amt].reindex(names, fill_value=0.0).to_numpy(dtype=float)
    frame["inbound_deals"] = inbound[c.DEALS].reindex(names, fill_value=0.0).to_numpy(dtype=float)
    frame["outbound_usd"] = outbound[amt].reindex(names, fill_value=0.0).to_numpy(dtype=float)
    frame["outbound_deals"] = outbound[c.DEALS].reindex(names, fill_value=0.0).to_numpy(dtype=float)
    total_in = float(pairs.loc[pairs[cc] == focus, amt].sum())
    total_out = float(pairs.loc[pairs[ic] == focus, amt].sum())
    frame["share_in"] = frame["inbound_usd"] / total_in if total_in > 0 else float("nan")
    frame["share_out"] = frame["outbound_usd"] / total_out if total_out > 0 else float("nan")
    rec = reciprocity_from(pairs)
    rec = rec[(rec["country_a"] == focus) | (rec["country_b"] == focus)]
    other = rec["country_b"].where(rec["country_a"] == focus, rec["country_a"])
    frame["reciprocity"] = frame["partner"].map(dict(zip(other, rec["reciprocity"], strict=True)))
    frame = frame.sort_values(
        ["inbound_usd", "inbound_deals", "partner"],
        ascending=[False, False, True],
        kind="mergesort",
    )
    return frame.head(top_n).reset_index(drop=True)


def _companies_from_abroad(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str
) -> pd.DataFrame:
    ic, amt = c.INVESTOR_COUNTRY, s.AMOUNT_USD
    foreign = f"{ic} <> ?"
    with_clause, params = shares_with(opts, base_relation(con))
    return con.execute(
        f"""{with_clause}
        SELECT a.{s.COMPANY_ID}, any_value(co.{s.NAME}) AS {s.NAME},
               coalesce(fsum(a.{amt}) FILTER (WHERE {foreign}), 0.0) AS foreign_usd,
               coalesce(fsum(a.{amt}), 0.0) AS attributed_usd,
               fsum(a.{c.DEALS}) FILTER (WHERE {foreign}) AS foreign_deals,
               count(DISTINCT a.{s.ROUND_ID}) FILTER (WHERE {foreign}) AS foreign_rounds,
               string_agg(DISTINCT {ic}, ',' ORDER BY {ic}) FILTER (WHERE {foreign})
                   AS foreign_countries
        FROM shares a LEFT JOIN {s.COMPANIES} co ON a.{s.COMPANY_ID} = co.{s.COMPANY_ID}
        WHERE a.{c.REASON} IS NULL AND a.{c.COMPANY_COUNTRY} = ?
        GROUP BY a.{s.COMPANY_ID}
        HAVING count(*) FILTER (WHERE {foreign}) > 0
        ORDER BY foreign_usd DESC, a.{s.COMPANY_ID}
        """,
        [*params, focus, focus, focus, focus, focus, focus],
    ).fetchdf()


def profile(
    con: duckdb.DuckDBPyConnection,
    focus: str,
    opts: FlowOptions | None = None,
    *,
    peers: Sequence[str] = (),
    target_rank: int = 3,
    scenario_peer: str | None = None,
    peer_top: int = PEER_TOP,
    top_n: int = 10,
    aggregates: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
) -> CountryProfile:
    """Profile of ``focus`` (ISO3) for the selection ``opts``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    focus : str
        ISO 3166-1 alpha-3 code of the focus country.
    opts : FlowOptions, optional
        Selection and attribution method.
    peers : sequence of str
        Extra peers (ISO3) added to the top ``peer_top`` by share_global.
    target_rank : int
        Rank whose gap is computed (default 3: "top three" national strategies).
    scenario_peer : str, optional
        Peer whose foreign_share_in is the scenario's target; default the peer median.
    peer_top : int
        Size of the default peer group.
    top_n : int
        Foreign partners listed.
    aggregates : pd.DataFrame, optional
        ``flow_aggregates(con, opts)`` when the caller has it already (the report computes
        the country indicators from it), so the deals are aggregated once.
    indicators : pd.DataFrame, optional
        ``indicators_from_aggregates(aggregates, opts)`` (= ``country_indicators(con, opts)``)
        when the caller has it already; only used together with ``aggregates``.

    Returns
    -------
    CountryProfile
        Indicators of the peer group (sorted by invested_in_usd), rank, gap, partners,
        companies that raised from abroad, and the scenario (definitions in the module).

    Raises
    ------
    OptionError
        Bad codes, a focus absent from the selection, or a target rank below 1.
    """
    opts = opts or FlowOptions()
    focus = _iso3(focus, "focus")
    peer_codes = [_iso3(p, "peers") for p in peers]
    scen_peer = _iso3(scenario_peer, "scenario peer") if scenario_peer else None
    agg = flow_aggregates(con, opts) if aggregates is None else aggregates
    if aggregates is None or indicators is None:
        ind = indicators_from_aggregates(agg, opts, top_n=5)
    else:
        ind = indicators
    att = agg[agg[c.REASON].isna()]
    pairs = att.groupby([c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY], as_index=False)[
        [s.AMOUNT_USD, c.DEALS]
    ].sum()
    countries = ind[c.COUNTRY].tolist()
    if focus not in countries:
        raise OptionError(f"focus: {focus} has no flows in this selection ({opts.describe()})")
    if isinstance(target_rank, bool) or not isinstance(target_rank, int) or target_rank < 1:
        raise OptionError(f"target rank: expected a positive integer, got {target_rank!r}")
    notes = [f"peer {p}: no flows in this selection" for p in peer_codes if p not in countries]
    group = peer_group(ind, focus, peer_codes, peer_top)
    if scen_peer and scen_peer not in countries:
        raise OptionError(f"scenario peer: {scen_peer} has no flows in this selection")
    table_view = ind[ind[c.COUNTRY].isin(group)].reset_index(drop=True)
    rank = countries.index(focus) + 1  # ind is sorted by invested_in_usd desc, then country
    f_in = float(ind.loc[ind[c.COUNTRY] == focus, c.INVESTED_IN_USD].iloc[0])
    target_country, gap, why = _target(ind, focus, rank, target_rank)
    if why:
        notes.append(why)
    frow = ind.loc[ind[c.COUNTRY] == focus].iloc[0]
    if scen_peer:
        target = float(ind.loc[ind[c.COUNTRY] == scen_peer, c.FOREIGN_SHARE_IN].iloc[0])
        label = scen_peer
    else:
        others = table_view.loc[table_view[c.COUNTRY] != focus, c.FOREIGN_SHARE_IN]
        target = float(others.median()) if others.notna().any() else float("nan")
        label = "peer median"
    scenario = _scenario(
        focus, label, target, float(frow[c.FOREIGN_IN_USD]), f_in, float(frow[c.FOREIGN_SHARE_IN])
    )
    return CountryProfile(
        focus=focus,
        options=opts,
        indicators=table_view,
        rank=rank,
        n_countries=len(countries),
        n_received=int((ind[c.INVESTED_IN_USD] > 0).sum()),
        target_rank=target_rank,
        target_country=target_country,
        gap_to_target_usd=gap,
        partners=_partners(pairs, focus, top_n),
        companies_from_abroad=_companies_from_abroad(con, opts, focus),
        scenario=scenario,
        notes=notes,
        champions=_champions(con, opts, country=focus),
    )
