"""Compute everything the report shows, once: library calls -> plain dict of tables and facts.

The template and the summary only read what this module returns; every number in the text
comes from one of these tables. Optional analyses (networks, gravity, policy implications)
join in when their modules are installed, and the report notes the ones that are not.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.findings import evaluate_findings, findings_frame
from vcflows.findings.sensitivity import without_mega_rounds
from vcflows.flows import (
    ATTRIBUTIONS,
    FlowOptions,
    base_relation,
    flow_matrix,
    flow_totals,
    selected_rounds_sql,
    unattributed,
)
from vcflows.flows import columns as c
from vcflows.indicators import country_indicators, profile
from vcflows.indicators.country import flow_aggregates, indicators_from_aggregates
from vcflows.indicators.coverage import coverage as published_coverage
from vcflows.indicators.stages import stage_shares_from
from vcflows.presentation import derive as d
from vcflows.report import _analyses as an
from vcflows.report._talent import talent_tables
from vcflows.store import facts as store_facts
from vcflows.store.link import summary as link_summary

#: Thresholds of "larger markets" for hubs and outbound cooperators (share of the world total).
MIN_MARKET_SHARE = 0.01


def _period(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, rounds_sql: str, params: list[object]
) -> tuple[int | None, int | None]:
    """The years the report covers: the options' bounds, else the selected rounds' years.

    Not the store's: one stray early round of another sector (a 1921 date in a Crunchbase
    export) would otherwise head an AI report whose first AI round is from 2000.
    """
    lo, hi = con.execute(f"SELECT min(year), max(year) FROM ({rounds_sql})", params).fetchall()[0]
    return (
        opts.year_from if opts.year_from is not None else lo,
        opts.year_to if opts.year_to is not None else hi,
    )


def _coverage(
    con: duckdb.DuckDBPyConnection, rounds_sql: str, params: list[object]
) -> dict[str, Any]:
    """The selected rounds' last announced date and their count per company country.

    The summary reads them to tell a partial final year and a national deal list.
    """
    last = con.execute(
        f"SELECT max({s.ANNOUNCED_ON}) FROM {s.ROUNDS} WHERE {s.ROUND_ID} IN "
        f"(SELECT {s.ROUND_ID} FROM ({rounds_sql}))",
        params,
    ).fetchall()[0][0]
    counts = con.execute(
        f"SELECT {c.COMPANY_COUNTRY}, count(*) FROM ({rounds_sql}) "
        f"WHERE {c.COMPANY_COUNTRY} IS NOT NULL GROUP BY 1 ORDER BY 1",
        params,
    ).fetchall()
    return {
        "last_announced": last.isoformat() if last is not None else None,
        "rounds_by_company_country": {str(k): int(n) for k, n in counts},
    }


def _growth_without_partial(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    tables: dict[str, pd.DataFrame],
    period: tuple[int | None, int | None],
    coverage: dict[str, Any],
) -> None:
    """Recompute the receivers' growth up to the last complete year when the final one is partial."""

    lo, hi = period
    partial = d.partial_year(coverage["last_announced"])
    top = tables["top_receivers"]
    if lo is None or hi is None or partial != hi or "growth" not in top.columns:
        return
    g = d.growth_received(flow_matrix(con, opts, by=("year",)), int(lo), int(hi) - 1)
    tables["top_receivers"] = top.assign(growth=top["country"].map(g).astype(float))


def _sensitivity(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str, base: pd.DataFrame, n: int = 10
) -> pd.DataFrame:
    """Headline shares of the top countries (and the focus) under every attribution method."""

    keep = list(
        base.sort_values(["invested_in_usd", "country"], ascending=[False, True])["country"].head(n)
    )
    if focus not in keep:
        keep.append(focus)
    out = pd.DataFrame({"country": keep})
    for method in ATTRIBUTIONS:
        ind = (
            base
            if method == opts.attribution
            else country_indicators(con, dataclasses.replace(opts, attribution=method))  # type: ignore[arg-type]
        )
        part = ind[["country", "share_global", "foreign_share_in"]].rename(
            columns={
                "share_global": f"share_global_{method}",
                "foreign_share_in": f"foreign_share_in_{method}",
            }
        )
        out = out.merge(part, on="country", how="left")
    return out


def _core_tables(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    focus: str,
    ind: pd.DataFrame,
    fm: pd.DataFrame,
    stages: pd.DataFrame,
) -> tuple[dict[str, pd.DataFrame], dict[str, Any] | None]:
    """The tables every report has, and the focus country's position (None if absent)."""

    fm_year = flow_matrix(con, opts, by=("year",))
    unat = unattributed(con, opts)
    shares = d.shares_by_year(fm_year, focus=focus)
    hubs, hub_sources = d.hubs(ind, min_share=MIN_MARKET_SHARE)
    outbound, outbound_dest = d.outbound(ind, min_share=MIN_MARKET_SHARE)
    position = d.focus_position(ind, focus)
    tables: dict[str, pd.DataFrame] = {
        "indicators": ind,
        "top_receivers": d.top_receivers(ind),
        "choropleth": ind[["country", "invested_in_usd", "share_global", "deals_in"]]
        .loc[lambda x: x["invested_in_usd"] > 0]
        .reset_index(drop=True),
        "sankey_pairs": d.top_pairs(fm, 15),
        "flow_matrix": fm.sort_values(
            [s.AMOUNT_USD, "investor_country", "company_country"], ascending=[False, True, True]
        ).reset_index(drop=True),
        "shares_by_year": shares,
        "shares_by_stage": d.shares_by_stage(stages, focus=focus),
        "investor_countries": d.investor_countries(ind),
        "hubs": hubs,
        "hub_sources": hub_sources,
        "outbound": outbound,
        "outbound_destinations": outbound_dest,
        "peers": d.peer_table(ind, focus, position["peers"] if position else []),
        "unattributed": unat,
        "ingest_log": store_facts.ingest_log(con),
        "quarantine": store_facts.quarantine_summary(con),
        "conflicts": store_facts.conflicts_summary(con),
        "links": link_summary(con),
    }
    tables["sensitivity"] = _sensitivity(con, opts, focus, ind)
    return tables, position


def _add_typology(
    typ: Any, ind: pd.DataFrame, tables: dict[str, pd.DataFrame], extras: dict[str, Any]
) -> None:
    """The typology table and the quadrant chart's table (labelled when the typology ran)."""
    quad = ind[
        ["country", "invested_in_usd", "foreign_share_in", "overseas_share_out", "invested_out_usd"]
    ]
    quad = quad[(quad["invested_in_usd"] > 0) & (quad["invested_out_usd"] > 0)].copy()
    if typ is not None:
        labels, thresholds = an.typology_frame(typ)
        if {"country", "label"} <= set(labels.columns):
            quad = quad.merge(labels[["country", "label"]], on="country", how="left")
        extras["typology_thresholds"] = thresholds
        extras["typology_agreement"] = {
            "adjusted_rand": getattr(typ, "adjusted_rand", None),
            "match_share": getattr(typ, "match_share", None),
        }
        tables["typology"] = labels.reset_index(drop=True)
    tables["quadrant"] = quad.sort_values(
        ["invested_in_usd", "country"], ascending=[False, True]
    ).reset_index(drop=True)


def compute(
    con: duckdb.DuckDBPyConnection,
    *,
    focus: str,
    opts: FlowOptions,
    is_demo: bool = False,
    data_note: str | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """Run every analysis the report needs and return its tables and facts.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open vcflows database.
    focus : str
        ISO-3 code of the focus country.
    opts : FlowOptions
        Period, attribution, sector and stages.
    is_demo : bool
        Whether the database is the embedded synthetic demo.
    data_note : str, optional
        The analyst's caveat, shown on the cover.
    lang : {"en", "ko"}
        Language of the generated policy implications.

    Returns
    -------
    dict
        ``meta`` (provenance and options), ``tables`` (name -> DataFrame, all exported),
        ``facts`` (derived scalars the summary quotes), ``extras`` (optional analyses) and
        ``notes`` (optional analyses left out, and why).
    """

    notes: dict[str, list[dict[str, str]]] = {
        k: []
        for k in (
            "findings",
            "talent",
            "typology",
            "profile",
            "champions",
            "network",
            "gravity",
            "implications",
            "scenario",
        )
    }
    with an.Background() as bg:
        # The workers start at once: the analysis thread with the seconds-long imports of
        # scikit-learn and pyfixest, the query thread with the investor networks (they need
        # only the options); both overlap the flow queries below.
        bg.submit(an.preload, an.HEAVY_MODULES)
        inv_result = bg.submit_query(con, an.investor_networks, opts)
        facts_store = store_facts.store_facts(con)
        totals = flow_totals(con, opts)
        rounds_sql, rparams = selected_rounds_sql(opts, base_relation(con))
        year_from, year_to = _period(con, opts, rounds_sql, rparams)
        coverage = _coverage(con, rounds_sql, rparams)
        # The indicators and the profile read the same aggregates: compute them once.
        agg = flow_aggregates(con, opts)
        ind = indicators_from_aggregates(agg, opts)  # = country_indicators(con, opts)
        fm = flow_matrix(con, opts)
        stages = stage_shares_from(flow_matrix(con, opts, by=("stage",)))  # report and policy
        # Typology, gravity and the country network need no connection: they run in the
        # analysis thread (on copies: nothing is shared with this thread).
        typ_result = bg.submit(an.run_typology, ind.copy())
        grav_result = bg.submit(an.gravity, fm.copy(), focus) if len(fm) else None
        cn_result = bg.submit(an.country_network, fm.copy()) if len(fm) else None
        tables, position = _core_tables(con, opts, focus, ind, fm, stages)
        trend_tables, trend_opts = d.focus_trends(con, opts, ind, focus, aggregates=agg)
        tables.update(trend_tables)
        _growth_without_partial(con, opts, tables, (year_from, year_to), coverage)
        participations = store_facts.selection_participations(con, rounds_sql, rparams)
        found = an.optional(
            "findings", notes["findings"], lambda: evaluate_findings(con, opts, focus)
        )
        # The focus's findings without the mega-rounds (its sentence shows only a change).
        mega = without_mega_rounds(con, opts, focus) if found is not None else None
        talent = an.optional("talent", notes["talent"], lambda: talent_tables(con, opts, focus))
        tables["totals"] = pd.DataFrame([{**totals, "participations": participations}])
        tables["coverage"] = published_coverage(con, opts)
        prof = an.optional(
            "profile",
            notes["profile"],
            lambda: profile(con, focus, opts, aggregates=agg, indicators=ind),
        )
        paths = an.optional(
            "champions", notes["champions"], lambda: an.champion_paths(con, focus, opts, prof)
        )
        # Network and gravity need flows (country_network fails on an empty matrix).
        net = (
            an.optional("network", notes["network"], lambda: an.networks(inv_result, cn_result))
            if cn_result is not None
            else None
        )
        typ = an.optional("typology", notes["typology"], typ_result)
        grav = an.optional("gravity", notes["gravity"], grav_result) if grav_result else None

    # Tables and extras in the order the analyses are presented (the export order).
    extras: dict[str, Any] = {"trends": trend_opts}
    if found is not None:
        tables["findings"] = findings_frame(found)
        extras["findings"] = found
    if mega is not None:
        tables["mega_rounds"] = mega.frame()
    if talent is not None and found is not None:  # only stores with founder data
        tables.update(talent)
        extras["talent"] = True
    _add_typology(typ, ind, tables, extras)
    if prof is not None:
        an.merge_profile(prof, tables, extras)
    if paths is not None:
        tables.update(paths)
    if net is not None:
        tables.update(net["tables"])
        extras["network"] = net["facts"]
    if grav is not None:
        extras["gravity"] = {k: v for k, v in grav.items() if k != "all_gaps"}
        tables["gravity_coefficients"] = grav["coefficients"]
        tables["gravity_gaps"] = grav["gaps"]
    known: dict[str, Any] = {
        "profile": prof,
        "corporate": net["corporate_share"] if net else None,
        "groups": net["corporate_groups"] if net else None,
        "syndicate": net["syndicate_ties"] if net else None,
        "gravity_gaps": grav["all_gaps"] if grav else None,
        "stages": stages,
    }
    policy = an.optional(
        "implications", notes["implications"], lambda: an.policy(con, focus, opts, lang, known)
    )
    if policy is not None:
        extras["implications"] = policy["items"]
        extras["small_gaps"] = policy["small_gaps"]
    scenario = an.optional(
        "scenario", notes["scenario"], lambda: an.fund_scenario(con, focus, opts)
    )
    if scenario is not None:
        tables.update(scenario["tables"])
        extras["fund_scenario"] = scenario["assumptions"]

    pos = extras.get("position_override")
    if position is not None and pos:
        position.update(pos)
        # Ranks count only the countries that received money (the profile counts them all).
        position["n"] = int((ind["invested_in_usd"] > 0).sum())
    tables["focus_position"] = pd.DataFrame(
        [{**position, "peers": ",".join(position["peers"])}] if position else [],
        columns=[
            "country",
            "rank",
            "n",
            "invested_in_usd",
            "share_global",
            "foreign_share_in",
            "peers",
            "peer_median_foreign_share",
            "target_rank",
            "target_country",
            "gap_to_target_usd",
        ],
    )

    meta = {
        "focus": focus,
        "opts": dataclasses.asdict(opts),
        "year_from": year_from,
        "year_to": year_to,
        "is_demo": is_demo,
        **coverage,
        "data_note": data_note,
        "store": facts_store,
        "totals": totals,
        "participations": participations,
    }
    facts = {"position": position, "min_market_share": MIN_MARKET_SHARE}
    # Notes in the order of ``notes``'s keys (the order the analyses are presented).
    notes_list = [n for kind in notes.values() for n in kind]
    return {"meta": meta, "tables": tables, "facts": facts, "extras": extras, "notes": notes_list}
