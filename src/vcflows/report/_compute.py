"""Compute everything the report shows, once: library calls -> plain dict of tables and facts.

The template and the summary only read what this module returns; every number in the text
comes from one of these tables. Optional analyses (networks, gravity, policy implications)
join in when their modules are installed, and the report notes the ones that are not.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import VcflowsError
from vcflows.flows import ATTRIBUTIONS, FlowOptions
from vcflows.report import _derive as d
from vcflows.report import _meta

#: Thresholds of "larger markets" for hubs and outbound cooperators (share of the world total).
MIN_MARKET_SHARE = 0.01
#: Champions of the focus country whose funding path the report draws.
CHAMPIONS_TOP = 3


def _period(opts: FlowOptions, facts: dict[str, Any]) -> tuple[int | None, int | None]:
    lo = opts.year_from if opts.year_from is not None else facts.get("year_min")
    hi = opts.year_to if opts.year_to is not None else facts.get("year_max")
    return lo, hi


def _optional(name: str, notes: list[dict[str, str]], run: Callable[[], Any]) -> Any:
    """Run an optional analysis; record why it is missing instead of failing the report.

    Only a missing module or a named vcflows error (e.g. too few countries to fit a model)
    is tolerated; any other exception is a bug and propagates.
    """
    try:
        return run()
    except ModuleNotFoundError as exc:
        notes.append({"analysis": name, "reason": "missing", "module": str(exc.name)})
    except (ImportError, AttributeError) as exc:  # module present, function not (yet)
        notes.append({"analysis": name, "reason": "missing", "module": str(exc)})
    except VcflowsError as exc:
        notes.append({"analysis": name, "reason": "error", "module": str(exc)})
    return None


def _typology_frame(result: Any) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Country -> label table and thresholds from a TypologyResult, whatever its layout."""
    labels = getattr(result, "labels", None)
    if isinstance(labels, pd.DataFrame):
        frame = labels.copy()
    elif isinstance(result, pd.DataFrame):
        frame = result.copy()
    else:
        frame = pd.DataFrame(columns=["country", "label"])
    if "label" not in frame.columns:
        for alt in ("typology", "type", "cluster"):
            if alt in frame.columns:
                frame = frame.rename(columns={alt: "label"})
                break
    raw = getattr(result, "thresholds", None)
    if dataclasses.is_dataclass(raw) and not isinstance(raw, type):
        thresholds: dict[str, Any] = dataclasses.asdict(raw)
    else:
        thresholds = dict(raw) if isinstance(raw, dict) else {}
    return frame, thresholds


def _sensitivity(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str, base: pd.DataFrame, n: int = 10
) -> pd.DataFrame:
    """Headline shares of the top countries (and the focus) under every attribution method."""
    from vcflows.indicators import country_indicators

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


def _gravity(fm: pd.DataFrame, focus: str) -> dict[str, Any]:
    from vcflows.gravity import expected_vs_actual, fit_gravity

    result = fit_gravity(fm)
    # Largest dollar gaps first: the partners whose missing money matters most.
    gaps = expected_vs_actual(result, focus, by="gap")
    inbound = gaps[(gaps["direction"] == "inbound") & (gaps["expected_usd"] > gaps["actual_usd"])]
    inbound = inbound.head(10).reset_index(drop=True)
    # The summary quotes expected / actual ("N times the observed flow"); keep it as a column.
    actual = inbound["actual_usd"].astype(float)
    inbound["expected_over_actual"] = (inbound["expected_usd"].astype(float) / actual).where(
        actual > 0
    )
    return {
        "coefficients": result.coefficients.reset_index(drop=True),
        "gaps": inbound,
        "dropped": len(result.dropped),
        "n_obs": int(result.n_obs),
        "engine": result.engine,
        "formula": result.formula,
        "notes": list(result.notes),
    }


def _networks(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, fm: pd.DataFrame
) -> dict[str, Any]:
    from vcflows.network import corporate_network, country_network, syndicate_network

    cn = country_network(fm)
    corp = corporate_network(con, opts)
    syn = syndicate_network(con, opts)
    share = corp.country_share
    inbound = float(share["inbound_usd"].sum())
    corporate = float(share["corporate_usd"].sum())
    central = corp.investors.sort_values(
        ["degree_centrality", "amount_usd", "investor_id"], ascending=[False, False, True]
    ).head(15)
    tables = {
        "network_nodes": cn.nodes.reset_index(drop=True),
        "network_communities": cn.communities.reset_index(drop=True),
        "corporate_investors": central.reset_index(drop=True),
        "corporate_country_share": share.reset_index(drop=True),
        "corporate_totals": pd.DataFrame(
            [
                {
                    "inbound_usd": inbound,
                    "corporate_usd": corporate,
                    "corporate_share": corporate / inbound if inbound > 0 else float("nan"),
                }
            ]
        ),
        "syndicate_country_ties": syn.country_ties.reset_index(drop=True),
    }
    facts = {
        "modularity": cn.modularity,
        "reciprocity": cn.reciprocity,
        "syndicate_cross_border_share": syn.cross_border_share,
    }
    return {"tables": tables, "facts": facts}


def _champion_paths(
    con: duckdb.DuckDBPyConnection, focus: str, opts: FlowOptions
) -> dict[str, pd.DataFrame]:
    """The focus country's top champions and, per champion, its rounds (``funding_path_<n>``)."""
    from vcflows.cases import champions, funding_path

    champs = champions(con, opts, country=focus, top=CHAMPIONS_TOP)
    tables = {"champions": champs}
    for i, cid in enumerate(champs[s.COMPANY_ID], start=1):
        rounds = funding_path(con, str(cid), opts).rounds
        tables[f"funding_path_{i}"] = rounds.assign(**{s.COMPANY_ID: str(cid)})[
            [s.COMPANY_ID, *rounds.columns]
        ]
    return tables


def _policy(
    con: duckdb.DuckDBPyConnection, focus: str, opts: FlowOptions, lang: str
) -> list[dict[str, Any]]:
    """``vcflows.policy`` implications in ``lang``: text, raw figures, their formats, query.

    ``formats`` (figure -> policy format name, e.g. ``"pct"``) come from the rules' drafts,
    so the report formats each evidence figure as its sentence does (``peer_median`` is a
    share in one rule and an HHI in another).
    """
    policy = importlib.import_module("vcflows.policy")
    inputs = policy.gather(con, focus, opts)
    result = policy.run_rules(inputs, lang)
    formats: dict[str, dict[str, str]] = {}
    for _, rule in policy.RULES:
        try:
            formats.update({draft.id: dict(draft.formats) for draft in rule(inputs)})
        except policy.SkipRule:
            continue
    return [
        {
            "id": item.id,
            "text": item.text,
            "figures": dict(item.figures),
            "formats": formats.get(item.id, {}),
            "query": item.query,
        }
        for item in result.implications
    ]


def _merge_profile(prof: Any, tables: dict[str, pd.DataFrame], extras: dict[str, Any]) -> None:
    """Take the focus chapter's rank, gap, peers and scenario from the library's profile."""
    extras["profile"] = prof
    peers = prof.indicators
    tables["peers"] = peers[[c for c in d.PEER_COLUMNS if c in peers.columns]].reset_index(
        drop=True
    )
    tables["profile_partners"] = prof.partners.reset_index(drop=True)
    tables["profile_companies_from_abroad"] = prof.companies_from_abroad.reset_index(drop=True)
    tables["profile_scenario"] = pd.DataFrame([prof.scenario])
    others = peers[peers["country"] != prof.focus]
    extras["position_override"] = {
        "rank": int(prof.rank),
        "n": int(prof.n_countries),
        "target_rank": int(prof.target_rank),
        "target_country": prof.target_country,
        "gap_to_target_usd": float(prof.gap_to_target_usd),
        "peers": list(others["country"]),
        "peer_median_foreign_share": float(others["foreign_share_in"].median())
        if len(others)
        else None,
    }


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
    from vcflows.flows import flow_matrix, flow_totals, selected_rounds_sql, unattributed
    from vcflows.indicators import country_indicators

    notes: list[dict[str, str]] = []
    facts_store = _meta.store_facts(con)
    totals = flow_totals(con, opts)
    rounds_sql, rparams = selected_rounds_sql(opts)
    year_from, year_to = _period(opts, facts_store)

    ind = country_indicators(con, opts)
    fm = flow_matrix(con, opts)
    fm_year = flow_matrix(con, opts, by=("year",))
    unat = unattributed(con, opts)

    shares = d.shares_by_year(fm_year)
    hubs, hub_sources = d.hubs(ind, min_share=MIN_MARKET_SHARE)
    outbound, outbound_dest = d.outbound(ind, min_share=MIN_MARKET_SHARE)
    top = d.top_receivers(ind)
    position = d.focus_position(ind, focus)
    peers = d.peer_table(ind, focus, position["peers"] if position else [])

    tables: dict[str, pd.DataFrame] = {
        "indicators": ind,
        "top_receivers": top,
        "choropleth": ind[["country", "invested_in_usd", "share_global", "deals_in"]]
        .loc[lambda x: x["invested_in_usd"] > 0]
        .reset_index(drop=True),
        "sankey_pairs": d.top_pairs(fm, 15),
        "flow_matrix": fm.sort_values(
            [s.AMOUNT_USD, "investor_country", "company_country"], ascending=[False, True, True]
        ).reset_index(drop=True),
        "shares_by_year": shares,
        "investor_countries": d.investor_countries(ind),
        "hubs": hubs,
        "hub_sources": hub_sources,
        "outbound": outbound,
        "outbound_destinations": outbound_dest,
        "peers": peers,
        "unattributed": unat,
        "ingest_log": _meta.ingest_log(con),
        "quarantine": _meta.quarantine_summary(con),
    }
    tables["sensitivity"] = _sensitivity(con, opts, focus, ind)
    participations = _meta.selection_participations(con, rounds_sql, rparams)
    tables["totals"] = pd.DataFrame([{**totals, "participations": participations}])

    extras: dict[str, Any] = {}
    typ = _optional(
        "typology", notes, lambda: importlib.import_module("vcflows.indicators").typology(ind)
    )
    quad = ind[
        ["country", "invested_in_usd", "foreign_share_in", "overseas_share_out", "invested_out_usd"]
    ]
    quad = quad[(quad["invested_in_usd"] > 0) & (quad["invested_out_usd"] > 0)].copy()
    if typ is not None:
        labels, thresholds = _typology_frame(typ)
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

    prof = _optional(
        "profile",
        notes,
        lambda: importlib.import_module("vcflows.indicators").profile(con, focus, opts),
    )
    if prof is not None:
        _merge_profile(prof, tables, extras)

    paths = _optional("champions", notes, lambda: _champion_paths(con, focus, opts))
    if paths is not None:
        tables.update(paths)

    # Network and gravity need flows (country_network fails on an empty matrix).
    net = _optional("network", notes, lambda: _networks(con, opts, fm)) if len(fm) else None
    if net is not None:
        tables.update(net["tables"])
        extras["network"] = net["facts"]

    grav = _optional("gravity", notes, lambda: _gravity(fm, focus)) if len(fm) else None
    if grav is not None:
        extras["gravity"] = grav
        tables["gravity_coefficients"] = grav["coefficients"]
        tables["gravity_gaps"] = grav["gaps"]

    policy = _optional("implications", notes, lambda: _policy(con, focus, opts, lang))
    if policy is not None:
        extras["implications"] = policy

    pos = extras.get("position_override")
    if position is not None and pos:
        position.update(pos)
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
        "data_note": data_note,
        "store": facts_store,
        "totals": totals,
        "participations": participations,
    }
    facts = {"position": position, "min_market_share": MIN_MARKET_SHARE}
    return {"meta": meta, "tables": tables, "facts": facts, "extras": extras, "notes": notes}
