"""Assemble the report's chapters (plain dicts) from the computed data, charts and summary.

A chapter is ``{"id", "title", "blocks"}``; a block is one of ``{"kind": "para", "html"}``,
``{"kind": "chart", "chart"}`` (a Chart plus its table), ``{"kind": "table", "html"}``,
``{"kind": "list", "items"}`` or ``{"kind": "note", "text"}``. The template only loops.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from vcflows.findings import Finding, FindingOptions
from vcflows.network import groups
from vcflows.presentation import formatting as fmt
from vcflows.presentation.chart_style import Chart
from vcflows.presentation.derive import TREND_TABLE_COLUMNS
from vcflows.presentation.i18n import Text
from vcflows.presentation.scorecard import scorecard_frame
from vcflows.presentation.tables import html_table, rule_words
from vcflows.presentation.trend_charts import TREND_CHART_IDS
from vcflows.report._summary import Sentence, partial_years
from vcflows.report._talent import talent_blocks

#: Columns shown under each chart (the full table is exported).
CHART_TABLE_COLUMNS: dict[str, list[str]] = {
    "choropleth": ["country", "invested_in_usd", "share_global", "deals_in"],
    "sankey_pairs": ["investor_country", "company_country", "amount_usd", "deals"],
    "shares_by_year": ["year", "country", "amount_usd", "share", "deals_share"],
    "shares_by_stage": ["stage_group", "country", "amount_usd", "share", "deals", "deals_share"],
    "quadrant": ["country", "invested_in_usd", "foreign_share_in", "overseas_share_out", "label"],
    "hub_sources": ["hub", "rank", "partner", "amount_usd", "share"],
    "flow_matrix": ["investor_country", "company_country", "amount_usd", "deals"],
    "gravity_gaps": ["partner", "actual_usd", "expected_usd", "expected_over_actual"],
    "funding_path": ["announced_on", "stage", "amount_usd", "n_investors", "foreign_share"],
    **TREND_TABLE_COLUMNS,
}


def _shown_columns(table: str) -> list[str] | None:
    """Columns under a chart; ``funding_path_<n>`` tables share the ``funding_path`` list."""
    if table in CHART_TABLE_COLUMNS:
        return CHART_TABLE_COLUMNS[table]
    stem, _, n = table.rpartition("_")
    return CHART_TABLE_COLUMNS.get(stem) if n.isdigit() else None


def _para(sentences: list[Sentence]) -> dict[str, Any]:
    return {"kind": "para", "html": Markup(" ").join(s.html for s in sentences)}


def _chart(
    chart: Chart | None, data: dict[str, Any], text: Text, rows: int = 12
) -> list[dict[str, Any]]:
    if chart is None:
        return []
    table = data["tables"][chart.table]
    cols = [c for c in _shown_columns(chart.table) or list(table.columns) if c in table.columns]
    return [
        {
            "kind": "chart",
            "chart": chart,
            "table_html": html_table(
                table,
                text,
                columns=cols,
                max_rows=rows,
                highlight=data["meta"]["focus"],
                caption=text.get("text.chart_table", title=chart.title),
            ),
        }
    ]


def _table(df: pd.DataFrame | None, text: Text, focus: str, **kw: Any) -> list[dict[str, Any]]:
    if df is None or df.empty:
        return []
    return [{"kind": "table", "html": html_table(df, text, highlight=focus, **kw)}]


def _period(data: dict[str, Any], text: Text) -> str:
    """The report's period in words ("2013–2025", or all years)."""
    lo, hi = data["meta"]["year_from"], data["meta"]["year_to"]
    return f"{lo}–{hi}" if lo is not None and hi is not None else text.get("text.all_years")


def _missing(name: str, data: dict[str, Any], text: Text) -> list[dict[str, Any]]:
    for n in data["notes"]:
        if n["analysis"] == name:
            if n["reason"] == "missing":
                return [
                    {"kind": "note", "text": text.get("text.not_available", module=n["module"])}
                ]
            return [{"kind": "note", "text": n["module"]}]
    return [{"kind": "note", "text": text.get("text.no_data")}]


#: Evidence figures that hold an ISO-3 country code.
_EVIDENCE_COUNTRIES = frozenset({"focus", "target_country", "partner", "top_partner"})


def evidence_label(rule: str, name: str, text: Text) -> str:
    """The words for evidence figure ``name`` of policy rule ``rule``.

    A rule's own entry (``"<rule>__<name>"`` of the ``evidence`` text section) first, then the
    figure's entry there, then the table label of that name; else the name in words.
    """
    ev, labels = text.section("evidence"), text.section("label")
    for key, table in ((f"{rule}__{name}", ev), (name, ev), (name, labels)):
        if key in table:
            return table[key]
    return name.replace("_", " ").capitalize()


def evidence_value(name: str, value: object, policy_format: str | None, text: Text) -> str:
    """One evidence figure as the report writes it: countries named, rules and types in words."""
    if name in _EVIDENCE_COUNTRIES and isinstance(value, str):
        return text.country(value)
    if name == "label" and isinstance(value, str):
        return text.section("typology").get(value, value)
    if name == "rule" and isinstance(value, str):
        return rule_words(value, text)
    if name == "foreign_countries" and isinstance(value, str):
        return ", ".join(text.country(v.strip()) for v in value.split(",") if v.strip())
    return fmt.evidence(name, value, policy_format, text.lang)


def _implications(items: list[dict[str, Any]], text: Text) -> list[dict[str, Any]]:
    """Implications with their evidence as (label, value) pairs: figures formatted (shares as
    %, compact USD), countries named; internal identifiers (``*_id``) are left out."""
    return [
        {
            **it,
            "figures": [
                (
                    evidence_label(str(it.get("id", "")), k, text),
                    evidence_value(k, v, it["formats"].get(k), text),
                )
                for k, v in it["figures"].items()
                if not k.endswith("_id")
            ],
        }
        for it in items
    ]


def _small_gaps(gaps: dict[str, Any] | None, focus: str, text: Text) -> list[dict[str, Any]]:
    """The note on the gravity gaps the policy rules left out for being small."""
    if not gaps or not gaps["n"]:
        return []
    return [
        {
            "kind": "note",
            "text": text.get(
                "text.small_gravity_gaps",
                n=gaps["n"],
                share=fmt.evidence("share", gaps["share"], "pct", text.lang),
                focus=text.country(focus),
                floor=fmt.evidence("floor_usd", gaps["floor_usd"], "usd", text.lang),
                total=fmt.evidence("total_usd", gaps["total_usd"], "usd", text.lang),
            ),
        }
    ]


def _scorecard(found: tuple[Finding, ...], text: Text, focus: str) -> list[dict[str, Any]]:
    """The findings chapter: what is tested, then the scorecard."""
    opts = FindingOptions()
    intro = text.get(
        "text.findings_intro", level=fmt.share(opts.ci_level), min_rounds=opts.min_rounds
    )
    table = scorecard_frame(found, text)
    return [
        {"kind": "note", "text": intro},
        *_table(table, text, focus, max_rows=len(table), caption=text.get("caption.findings")),
    ]


def _partial_note(data: dict[str, Any], text: Text) -> list[dict[str, Any]]:
    """A note under the shares by year naming a partial final year, if there is one."""
    shares = data["tables"].get("shares_by_year")
    years = set() if shares is None or shares.empty else {int(y) for y in shares["year"]}
    partial = sorted(partial_years(data) & years)
    if not partial:
        return []
    return [
        {
            "kind": "note",
            "text": text.get(
                "text.partial_year",
                years=", ".join(map(str, partial)),
                last_date=data["meta"]["last_announced"],
            ),
        }
    ]


def build_chapters(
    data: dict[str, Any], text: Text, charts: dict[str, Chart], summary: dict[str, list[Sentence]]
) -> list[dict[str, Any]]:
    """Return the report's chapters in reading order."""
    t = data["tables"]
    focus = data["meta"]["focus"]
    ex = data["extras"]
    ch: list[dict[str, Any]] = []

    def add(cid: str, title: str, blocks: list[dict[str, Any]]) -> None:
        ch.append({"id": cid, "title": title, "blocks": blocks})

    add("summary", text.get("section.summary"), [_para(v) for v in summary.values()])
    if "findings" in ex:
        add("findings", text.get("section.findings"), _scorecard(ex["findings"], text, focus))
    add(
        "global",
        text.get("section.global"),
        [
            *([_para(summary["global"])] if "global" in summary else []),
            *_chart(charts.get("map"), data, text),
            *_table(
                t["top_receivers"],
                text,
                focus,
                max_rows=15,
                caption=text.get("caption.top_receivers", period=_period(data, text)),
                columns=[
                    "rank",
                    "country",
                    "invested_in_usd",
                    "share_global",
                    "deals_in",
                    "foreign_share_in",
                    "growth",
                ],
            ),
        ],
    )
    add(
        "flows",
        text.get("section.flows"),
        _chart(charts.get("sankey"), data, text, rows=15)
        or [{"kind": "note", "text": text.get("text.no_data")}],
    )
    add(
        "shares",
        text.get("section.shares"),
        (
            _chart(charts.get("shares"), data, text, rows=14)
            or [{"kind": "note", "text": text.get("text.no_data")}]
        )
        + _partial_note(data, text)
        + (
            [
                {"kind": "h3", "text": text.get("text.by_stage")},
                *([_para(summary["stages"])] if "stages" in summary else []),
                *_chart(charts.get("stage_shares"), data, text, rows=21),
            ]
            if "stage_shares" in charts
            else []
        ),
    )
    typ_blocks = [
        *([_para(summary["domestic"])] if "domestic" in summary else []),
        *_chart(charts.get("quadrant"), data, text, rows=15),
    ]
    agree = ex.get("typology_agreement") or {}
    # Undefined (None or NaN) when too few countries were clustered: no sentence then.
    if pd.notna(agree.get("match_share")) and pd.notna(agree.get("adjusted_rand")):
        typ_blocks.append(
            {
                "kind": "para",
                "html": escape(
                    text.get(
                        "text.typology_agreement",
                        match=fmt.share(agree["match_share"]),
                        ari=f"{float(agree['adjusted_rand']):.2f}",
                    )
                ),
            }
        )
    if "typology" in t:
        typ_blocks += _table(
            t["typology"],
            text,
            focus,
            columns=[c for c in ("country", "label", "rule") if c in t["typology"].columns],
            max_rows=20,
            caption=text.get("caption.typology"),
        )
    typ_blocks += _table(
        t["investor_countries"], text, focus, caption=text.get("caption.investor_countries")
    )
    add("typology", text.get("section.typology"), typ_blocks)
    add(
        "hubs",
        text.get("section.hubs"),
        [
            *([_para(summary["hubs"])] if "hubs" in summary else []),
            *_chart(charts.get("hub_sources"), data, text, rows=15),
        ],
    )
    add(
        "outbound",
        text.get("section.outbound"),
        [
            *([_para(summary["outbound"])] if "outbound" in summary else []),
            *_table(t["outbound"], text, focus, caption=text.get("caption.outbound")),
            *_table(
                t["outbound_destinations"],
                text,
                focus,
                caption=text.get("caption.outbound_destinations"),
            ),
        ],
    )
    add(
        "network",
        text.get("section.network"),
        _chart(charts.get("network"), data, text)
        or [{"kind": "note", "text": text.get("text.no_data")}],
    )
    if "corporate_investors" in t:
        add(
            "corporate",
            text.get("section.corporate"),
            [
                *([_para(summary["corporate"])] if "corporate" in summary else []),
                *_table(
                    t["corporate_investors"],
                    text,
                    focus,
                    max_rows=12,
                    caption=text.get("caption.corporate_investors"),
                    columns=[
                        "investor_name",
                        "investor_country",
                        "investor_type",
                        "degree",
                        "amount_usd",
                        "foreign_share",
                        "top_country",
                    ],
                ),
                *_table(
                    t.get("corporate_groups"),
                    text,
                    focus,
                    max_rows=15,
                    caption=text.get("caption.corporate_groups"),
                    columns=list(groups.SHOWN_COLUMNS),
                ),
                *_table(
                    t["corporate_country_share"],
                    text,
                    focus,
                    max_rows=15,
                    caption=text.get("caption.corporate_country_share"),
                    columns=[
                        "company_country",
                        "inbound_usd",
                        "corporate_usd",
                        "corporate_share",
                        "foreign_corporate_share",
                    ],
                ),
                *_table(
                    t["syndicate_country_ties"],
                    text,
                    focus,
                    max_rows=15,
                    caption=text.get("caption.syndicate_country_ties"),
                    columns=["country", "investors", "ties", "cross_border_share", "top_partner"],
                ),
            ],
        )
    focus_blocks = [
        *([_para(summary["focus"])] if "focus" in summary else []),
        *_table(
            t["peers"],
            text,
            focus,
            caption=text.get("caption.peers", focus=text.country(focus)),
            columns=[
                c
                for c in (
                    "country",
                    "invested_in_usd",
                    "share_global",
                    "foreign_share_in",
                    "us_share_in",
                    "overseas_share_out",
                )
                if c in t["peers"].columns
            ],
        ),
    ]
    focus_blocks += [
        block for cid in TREND_CHART_IDS for block in _chart(charts.get(cid), data, text)
    ]
    labels = text.section("label")
    for key, df in t.items():
        if key.startswith("profile_"):
            name = key.removeprefix("profile_")
            cols = [c for c in df.columns if c not in ("company_id",)]
            if "peer" in df.columns:  # the scenario's benchmark: "peer median" or a country
                df = df.assign(
                    peer=df["peer"].map(
                        lambda v: labels["peer_median"] if v == "peer median" else text.country(v)
                    )
                )
            title = labels.get(name, name.replace("_", " "))
            focus_blocks += [
                {"kind": "h3", "text": title},
                *_table(df, text, focus, max_rows=15, columns=cols, caption=title),
            ]
    if "champions" in t and not t["champions"].empty:
        focus_blocks += [
            {"kind": "h3", "text": text.get("section.champions")},
            *_table(
                t["champions"],
                text,
                focus,
                caption=text.get("caption.champions", focus=text.country(focus)),
                columns=["name", "total_usd", "foreign_share", "foreign_investor_countries"],
            ),
            *(
                block
                for cid in sorted(k for k in charts if k.startswith("funding_path_"))
                for block in _chart(charts[cid], data, text)
            ),
        ]
    focus_blocks += [
        {"kind": "h3", "text": text.get("section.fund_scenario")},
        *(
            [
                {"kind": "list", "items": ex["fund_scenario"]},
                *_table(
                    t["scenario_comparison"].assign(
                        scenario_case=lambda df: df["scenario_case"].map(lambda k: labels.get(k, k))
                    ),
                    text,
                    focus,
                    caption=text.get("caption.scenario_comparison", focus=text.country(focus)),
                ),
                *_table(
                    t["scenario_allocation"],
                    text,
                    focus,
                    max_rows=10,
                    caption=text.get("caption.scenario_allocation"),
                    columns=["name", "fund_usd", "foreign_usd", "raised_usd", "cap_usd"],
                ),
            ]
            if "fund_scenario" in ex
            else _missing("scenario", data, text)
        ),
    ]
    add("focus", text.get("section.focus", focus=text.country(focus)), focus_blocks)
    if "talent" in ex:  # stores with founder data only
        add("talent", text.get("section.talent"), talent_blocks(t, ex["findings"], text, focus))
    grav = [
        *([_para(summary["gravity"])] if "gravity" in summary else []),
        *_chart(charts.get("gravity"), data, text),
    ]
    if "gravity" in ex:
        n_obs = ex["gravity"].get("n_obs")
        n = fmt.count(n_obs) if n_obs is not None else "–"
        grav += _table(
            t["gravity_coefficients"],
            text,
            focus,
            caption=text.get("caption.gravity_coefficients", n=n),
            # What a model with destination fixed effects cannot say, with its table.
            note=text.get("text.gravity_limits", n=n),
        )
    add("gravity", text.get("section.gravity"), grav or _missing("gravity", data, text))
    if "implications" in ex:
        add(
            "implications",
            text.get("section.implications"),
            [
                {"kind": "implications", "items": _implications(ex["implications"], text)}
                if ex["implications"]
                else {
                    "kind": "note",
                    "text": text.get("text.no_implications", focus=text.country(focus)),
                },
                *_small_gaps(ex.get("small_gaps"), focus, text),
            ],
        )
    return ch


def _ai_identification(text: Text) -> str:
    """The methods' AI definition, listing the taxonomy file's own tags and keywords."""
    from vcflows.flows.taxonomy import load_taxonomy

    tax = load_taxonomy()
    return text.get(
        "methods.ai_identification",
        version=tax.version,
        tags=", ".join(tax.tags),
        keywords=", ".join(tax.keywords),
    )


def _verdict(holds: object, text: Text) -> str:
    words = text.section("verdict")
    if holds is None or (isinstance(holds, float) and pd.isna(holds)):
        return words["not_enough"]
    return words["supported" if bool(holds) else "not_supported"]


def _mega_blocks(mega: pd.DataFrame | None, text: Text, focus: str) -> list[dict[str, Any]]:
    """The focus's findings with and without the mega-rounds (none removed: nothing to show)."""
    if mega is None or mega.empty or not int(mega.iloc[0]["rounds_removed"]):
        return []
    r = mega.iloc[0]
    intro = text.get(
        "text.mega_intro",
        focus=text.country(focus),
        top=fmt.share(r["top_share"]),
        n=fmt.count(r["rounds_removed"]),
        min_usd=fmt.usd(float(r["min_amount_usd"]), text.lang),
        usd=fmt.usd(float(r["removed_usd"]), text.lang),
    )
    names = text.section("finding")
    shown = pd.DataFrame(
        {
            "finding": [names.get(str(k), str(k)) for k in mega["claim"]],
            "country": mega["subject"],
            "value_with": [fmt.share(v) for v in mega["value"]],
            "value_without": [fmt.share(v) for v in mega["value_without"]],
            "verdict": [_verdict(h, text) for h in mega["holds"]],
            "verdict_without": [_verdict(h, text) for h in mega["holds_without"]],
        }
    )
    return [
        {"kind": "h3", "text": text.get("text.mega_title")},
        {"kind": "para", "html": escape(intro)},
        *_table(shown, text, focus, max_rows=len(shown), caption=text.get("text.mega_title")),
    ]


def _coverage_blocks(cov: pd.DataFrame | None, text: Text, focus: str) -> list[dict[str, Any]]:
    """The data's AI VC per country and year against the published totals, flagged."""
    from vcflows.indicators import coverage as cv

    if cov is None:
        return []
    low, high = fmt.ratio(cv.LOW), fmt.ratio(cv.HIGH)
    blocks: list[dict[str, Any]] = [
        {"kind": "h3", "text": text.get("text.coverage_title")},
        {"kind": "para", "html": escape(text.get("text.coverage_definition", low=low, high=high))},
    ]
    pub = cov[cov[cv.FLAG] != cv.FLAG_NO_PUBLISHED]
    if pub.empty:
        blocks.append({"kind": "note", "text": text.get("text.coverage_none")})
    else:
        counts = pub[cv.FLAG].value_counts()
        blocks.append(
            {
                "kind": "para",
                "html": escape(
                    text.get(
                        "text.coverage_counts",
                        n=len(pub),
                        n_low=int(counts.get(cv.FLAG_LOW, 0)),
                        n_high=int(counts.get(cv.FLAG_HIGH, 0)),
                        low=low,
                        high=high,
                    )
                ),
            }
        )
        flags = text.section("coverage_flag")
        shown = pub.assign(
            coverage_ratio=[fmt.ratio(x, 2) for x in pub[cv.RATIO]],
            flag=[flags.get(f, f) for f in pub[cv.FLAG]],
        )[["country", "year", cv.DATA_USD, "rounds", cv.PUBLISHED_USD, "coverage_ratio", "flag"]]
        blocks += _table(
            shown, text, focus, max_rows=len(shown), caption=text.get("text.coverage_title")
        )
    unpublished = cov[cov[cv.FLAG] == cv.FLAG_NO_PUBLISHED]
    if len(unpublished):
        usd = fmt.usd(float(unpublished[cv.DATA_USD].sum()), text.lang)
        blocks.append(
            {
                "kind": "note",
                "text": text.get("text.coverage_unpublished", n=len(unpublished), usd=usd),
            }
        )
    return blocks


def appendices(
    data: dict[str, Any], text: Text, summary: dict[str, list[Sentence]]
) -> list[dict[str, Any]]:
    """Methods and data-quality appendices."""
    t = data["tables"]
    meta = data["meta"]
    m = text.section("methods")
    method_blocks: list[dict[str, Any]] = [
        {"kind": "h3", "text": text.get("text.sector")},
        {"kind": "para", "html": escape(_ai_identification(text))},
        {"kind": "h3", "text": text.get("text.attribution")},
        *(
            {"kind": "para", "html": escape(m[f"attribution_{k}"])}
            for k in ("equal", "full", "lead")
        ),
        {"kind": "para", "html": escape(m["attribution_rule"])},
        {"kind": "h3", "text": text.get("label.indicator")},
        {
            "kind": "deflist",
            "items": [
                (text.section("label").get(k, k), v) for k, v in text.section("definition").items()
            ],
        },
        {"kind": "h3", "text": text.get("text.data_source")},
        {
            "kind": "para",
            "html": escape(m["calibration_demo"] if meta["is_demo"] else m["data_source_real"]),
        },
        {"kind": "para", "html": escape(text.get("text.units_note"))},
    ]
    quality: list[dict[str, Any]] = [
        *([_para(summary["data"])] if "data" in summary else []),
        *_table(t["totals"], text, meta["focus"], caption=text.get("caption.totals")),
        *_table(
            t["unattributed"],
            text,
            meta["focus"],
            max_rows=20,
            caption=text.get("caption.unattributed"),
        ),
        {"kind": "h3", "text": text.get("label.method")},
        *_table(
            t["sensitivity"],
            text,
            meta["focus"],
            max_rows=12,
            caption=text.get("caption.sensitivity"),
        ),
        *_mega_blocks(t.get("mega_rounds"), text, meta["focus"]),
        *_coverage_blocks(t.get("coverage"), text, meta["focus"]),
        *_table(
            t["ingest_log"],
            text,
            meta["focus"],
            max_rows=30,
            caption=text.get("caption.ingest_log"),
        ),
        *_table(
            t["quarantine"],
            text,
            meta["focus"],
            max_rows=30,
            caption=text.get("caption.quarantine"),
        ),
        *(
            [{"kind": "para", "html": escape(text.get("text.conflicts_intro"))}]
            if len(t.get("conflicts", ()))
            else []
        ),
        *_table(
            t.get("conflicts"),
            text,
            meta["focus"],
            max_rows=20,
            caption=text.get("caption.conflicts"),
        ),
        *(
            [{"kind": "para", "html": escape(text.get("text.links_intro"))}]
            if len(t["links"])
            else []
        ),
        *_table(t["links"], text, meta["focus"], caption=text.get("caption.links")),
    ]
    return [
        {"id": "methods", "title": text.get("section.methods"), "blocks": method_blocks},
        {"id": "quality", "title": text.get("section.quality"), "blocks": quality},
    ]
