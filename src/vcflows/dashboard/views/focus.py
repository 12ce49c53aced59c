"""Focus-country profile: rank and gap, partners, gravity gaps, implications, fund scenario."""

from __future__ import annotations

from typing import Any

from dash import html

from vcflows.dashboard import components as ui
from vcflows.dashboard import figures as fg
from vcflows.dashboard.data import Explorer
from vcflows.dashboard.state import Selection
from vcflows.dashboard.views import View
from vcflows.dashboard.views.country import TREND_HELP
from vcflows.errors import VcflowsError
from vcflows.indicators import CountryProfile
from vcflows.presentation import charts as rc
from vcflows.presentation import derive as d
from vcflows.presentation.scorecard import scorecard_frame


def _implications(ex: Explorer, sel: Selection) -> list[object]:
    try:
        items = ex.implications(sel.opts, sel.focus)
    except (ImportError, AttributeError):
        return [ui.note("Policy implications are not available in this installation.")]
    except VcflowsError as exc:
        return [ui.note(f"No implications: {exc}")]
    if not items:
        return [ui.note("No rule found a gap to report for this selection.")]
    return [
        html.Ol(
            [
                html.Li(
                    [
                        html.Span(str(it.get("text", ""))),
                        html.Details(
                            [html.Summary("evidence"), html.Code(str(it.get("query", "")))],
                            className="evidence",
                        ),
                    ]
                )
                for it in items
            ],
            id="focus-implications",
        )
    ]


def _scenario(ex: Explorer, sel: Selection) -> list[object]:
    """The fund scenario with its stated assumptions (absorption cap included)."""
    try:
        res = ex.fund_scenario(sel.opts, sel.focus)
    except VcflowsError as exc:
        return [ui.note(f"No fund scenario: {exc}")]
    text = fg.text_for(sel)
    return [
        html.Ul([html.Li(a) for a in res.assumptions], id="focus-scenario-assumptions"),
        ui.table(
            d.scenario_by_case(res.comparison).assign(  # as the report shows it
                scenario_case=lambda df: df["scenario_case"].map(
                    lambda k: text.section("label").get(k, k)
                )
            ),
            text=text,
            table_id="focus-scenario",
            page_size=10,
        ),
        ui.table(res.allocation, text=text, table_id="focus-scenario-allocation", page_size=10),
    ]


def _position_figures(prof: CountryProfile, sel: Selection) -> list[tuple[str, str, Any, str]]:
    """Key figures of the focus's rank, gap and foreign-share target, those the data define."""
    sc = prof.scenario
    items: list[tuple[str, str, Any, str]] = [
        (
            "focus_rank",
            fg.text_for(sel).words(f"Rank by AI VC received (of {prof.n_countries})"),
            prof.rank,
            "rank",
        )
    ]
    if prof.target_country is not None:
        items.append(
            (
                "focus_gap",
                f"Gap to rank {prof.target_rank} ({prof.target_country})",
                prof.gap_to_target_usd,
                "usd",
            )
        )
    items.append(
        (
            "focus_foreign_share",
            "Foreign share of money received",
            sc["current_foreign_share_in"],
            "share",
        )
    )
    if not sc.get("unavailable"):
        items += [
            (
                "focus_target_share",
                f"Target foreign share ({sc['peer']})",
                sc["target_foreign_share_in"],
                "share",
            ),
            (
                "focus_extra_foreign",
                "Extra foreign money to reach it",
                sc["extra_foreign_usd"],
                "usd",
            ),
        ]
    return items


def _gravity(ex: Explorer, sel: Selection) -> list[object]:
    try:
        gaps = ex.gravity_gaps(sel.opts, sel.focus)
    except VcflowsError as exc:
        return [ui.note(f"Gravity model not available for this selection: {exc}")]
    fig = fg.report_chart(rc.gravity, ex, sel, {"gravity_gaps": gaps})
    shown = d.with_expected_over_actual(gaps).drop(columns="ratio")  # the report's ratio
    return [
        ui.graph(fig, "focus-gravity", "No partner invests less than the gravity model expects."),
        ui.table(shown, text=fg.text_for(sel), table_id="focus-gaps", page_size=10),
    ]


def _findings(ex: Explorer, sel: Selection) -> list[object]:
    """The report's scorecard: do these data support the report's findings?"""
    try:
        found = ex.findings(sel.opts, sel.focus)
    except VcflowsError as exc:
        return [ui.note(f"No findings: {exc}")]
    text = fg.text_for(sel)
    return [ui.table(scorecard_frame(found, text), text=text, table_id="focus-findings")]


def _n_peers(prof: CountryProfile) -> int:
    """Peers beside the focus that received money (as the report counts them)."""
    ind = prof.indicators
    return int(((ind["country"] != prof.focus) & (ind["invested_in_usd"] > 0)).sum())


def render(ex: Explorer, sel: Selection) -> View:
    """The profile of ``sel.focus``."""
    focus = sel.focus
    name = fg.TEXT.country(focus)
    try:
        prof = ex.profile(sel.opts, focus)
    except VcflowsError as exc:
        return View(name, [ui.message([str(exc)], kind="warning", title=f"No profile of {name}")])
    src = fg.source_line(ex)
    children: list[object] = [
        html.H2(f"Profile: {name} ({focus})", id="focus-title"),
        html.P(sel.opts.describe(), className="caption", id="selection-caption"),
        ui.key_figures(_position_figures(prof, sel)),
        html.Div(
            [
                ui.section(
                    "Top foreign partners",
                    ui.graph(fg.partner_bars(prof.partners, focus, src), "focus-partners"),
                ),
                ui.section(
                    "Partners investing less than expected (gravity model)",
                    *_gravity(ex, sel),
                    help_text="Expected flows from a PPML gravity model with origin and destination effects.",
                ),
            ],
            className="two-col",
        ),
        ui.section(
            f"Over time: {name} and its peers",
            *fg.trend_graphs(ex, sel, "focus"),
            help_text=TREND_HELP,
        ),
        ui.section(fg.TEXT.get("section.findings"), *_findings(ex, sel)),
        ui.section("Implications", *_implications(ex, sel)),
        ui.section("Fund scenario", *_scenario(ex, sel)),
        ui.section(
            "Peer group",
            ui.table(
                prof.indicators,
                text=fg.text_for(sel),
                table_id="view-table",
                columns=[
                    c
                    for c in prof.indicators.columns
                    if c not in ("top_sources", "top_destinations")
                ],
            ),
            help_text=fg.peer_note(_n_peers(prof)),
        ),
    ]
    if not prof.champions.empty:
        children.append(
            ui.section(
                "Champions",
                ui.table(
                    prof.champions, text=fg.text_for(sel), table_id="focus-champions", page_size=10
                ),
            )
        )
    children.append(
        ui.section(
            "Companies that raised from abroad",
            ui.table(
                prof.companies_from_abroad,
                text=fg.text_for(sel),
                table_id="focus-abroad",
                page_size=10,
            ),
        )
    )
    notes = [
        *prof.notes,
        *([prof.scenario["unavailable"]] if prof.scenario.get("unavailable") else []),
    ]
    if notes:
        children.append(html.Ul([html.Li(n) for n in notes], className="notes"))
    return View(f"Profile: {name}", children, prof.indicators, f"profile_{focus}_peers")
