"""Executive-summary sentences generated from the computed tables.

Each sentence is a template from the text layer filled with named :class:`Fig` values. A fig
records where its value comes from (``"table|column|key_column=key"``), so a test can check
every number in the text against the table it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from vcflows.display import JOSA_MARKERS, capitalize_first, josa, resolve_josa
from vcflows.findings.sensitivity import method_range
from vcflows.flows import ATTRIBUTIONS
from vcflows.policy.evidence import placeholders
from vcflows.presentation import derive as d
from vcflows.presentation.formatting import Fig, fig
from vcflows.presentation.i18n import Text

#: A change in share smaller than this (in share points) reads as "stayed near".
TREND_FLAT = 0.01
#: A company country's data suffice for world rankings with at least this many rounds received.
MIN_ROUNDS = 30
#: Share kept at home from which the largest investor countries "invest mostly at home".
HOME_MOSTLY = 0.5
#: Foreign share of inbound money from which a market "relies on foreign capital".
RELIES_FOREIGN = 0.5
#: The provenance label of the embedded demo's rounds.
DEMO_SOURCE = "demo (synthetic)"
#: A year whose data end before this month and day is partial.
YEAR_COMPLETE_FROM = (12, 1)


@dataclass(frozen=True)
class Sentence:
    """One generated sentence: template key, plain text and the figures it quotes."""

    key: str
    text: str
    figs: tuple[Fig, ...]
    html: Markup


_PARTICLE = re.compile(
    r"\{(\w+)\}((?:\(\{\w+\}\))?)(" + "|".join(re.escape(m) for m in JOSA_MARKERS) + ")"
)


def _particles(template: str, figs: list[Fig]) -> str:
    """A Korean template with each two-form particle in the form its figure's text takes.

    "{c2}({s2})와(과)" agrees with c2 ("중국(16.1%)과"), "{share_last}(으)로" with the share
    ("72.0%로"); particles after the template's own words are resolved as written.
    """
    texts = {f.name: f.text for f in figs}

    def choose(m: re.Match[str]) -> str:
        name, gloss, marker = m.groups()
        form = josa(texts[name], marker) if name in texts else marker
        return f"{{{name}}}{gloss}{form}"

    return resolve_josa(_PARTICLE.sub(choose, template))


def _sentence(text: Text, key: str, figs: list[Fig]) -> Sentence:
    template = text.template(key)
    if text.lang == "ko":
        template = _particles(template, figs)
    # A name opening the sentence takes a capital: "The United States received ...".
    opening = placeholders(template)[:1] if template.startswith("{") else []
    figs = [replace(f, text=capitalize_first(f.text)) if f.name in opening else f for f in figs]
    plain = template.format(**{f.name: f.text for f in figs})
    spans = {
        f.name: Markup(
            '<span class="fig" data-name="{}" data-kind="{}" data-value="{}">{}</span>'
        ).format(f.name, f.kind, f.value, f.text)
        for f in figs
    }
    # Escape the template's own text, then insert the (already safe) figure spans.
    html = Markup(str(escape(template)).format(**{k: str(v) for k, v in spans.items()}))
    return Sentence(key=key, text=plain, figs=tuple(figs), html=html)


def _row(table: pd.DataFrame, i: int) -> dict[str, Any] | None:
    return {str(k): v for k, v in table.iloc[i].items()} if len(table) > i else None


class _Builder:
    def __init__(self, data: dict[str, Any], text: Text) -> None:
        self.t = data["tables"]
        self.data = data
        self.text = text
        self.lang = text.lang

    def country(self, name: str, iso3: str, table: str, key_col: str = "country") -> Fig:
        return fig(
            name,
            iso3,
            "country",
            self.lang,
            text=self.text.country_in_text(iso3),
            source=f"{table}|{key_col}|{key_col}={iso3}",
        )

    def num(self, name: str, value: Any, kind: Any, table: str, column: str, key: str = "") -> Fig:
        return fig(
            name,
            float(value) if kind not in ("rank", "year") else int(value),
            kind,
            self.lang,
            source=f"{table}|{column}|{key}",
        )

    def period(self) -> Fig:
        meta = self.data["meta"]
        lo, hi = meta["year_from"], meta["year_to"]
        label = (
            f"{lo}–{hi}" if lo is not None and hi is not None else self.text.get("text.all_years")
        )
        return fig("period", label, "text", self.lang)


def _national(data: dict[str, Any]) -> bool:
    """True when fewer than two company countries received :data:`MIN_ROUNDS` rounds.

    Such data (a national deal list) cover inbound flows into one country only: world
    rankings and global shares computed on them would describe the list, not the world.
    """
    counts = data["meta"].get("rounds_by_company_country") or {}
    return bool(counts) and sum(n >= MIN_ROUNDS for n in counts.values()) < 2


def partial_years(data: dict[str, Any]) -> set[int]:
    """The year of the data's last announced date when it falls before 1 December.

    Parameters
    ----------
    data : dict
        Output of :func:`vcflows.report._compute.compute` (its ``meta``).

    Returns
    -------
    set of int
        That year, or an empty set when the data end in December (or hold no date).
    """
    year = d.partial_year(data["meta"].get("last_announced"), YEAR_COMPLETE_FROM)
    return set() if year is None else {year}


def _assumed_years(data: dict[str, Any], country: str) -> list[int]:
    """Years the demo's calibration marks as an assumption for ``country`` (demo store only)."""
    if list(data["meta"].get("store", {}).get("sources", [])) != [DEMO_SOURCE]:
        return []
    from importlib import resources

    path = resources.files("vcflows").joinpath("data/calibration/ai_vc_targets.csv")
    with path.open("r", encoding="utf-8") as fh:
        cal = pd.read_csv(fh)
    rows = cal[(cal["country_iso3"] == country) & cal["source"].str.startswith("assumption")]
    return sorted(int(y) for y in rows["year"])


def _and(years: list[int], text: Text) -> str:
    """Years as a list in the edition's language ("2013 and 2025"; "2013, 2025")."""
    names = [str(y) for y in years]
    if text.lang == "ko" or len(names) < 2:
        return ", ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _national_sentences(b: _Builder) -> list[Sentence]:
    """What a national deal list shows: the country's inbound money, no world ranking."""
    counts = b.data["meta"].get("rounds_by_company_country") or {}
    covered = [k for k in sorted(counts) if counts[k] >= MIN_ROUNDS]
    one = covered or (list(counts) if len(counts) == 1 else [])
    limit = fig("min_rounds", MIN_ROUNDS, "count", b.lang)
    if not one:  # several company countries, none with enough rounds
        return [_sentence(b.text, "sentence.thin", [limit])]
    focus = one[0]
    ind = b.t["top_receivers"]
    row = ind[ind["country"] == focus]
    figs = [b.country("focus", focus, "top_receivers"), limit]
    out = [_sentence(b.text, "sentence.national", figs)]
    if len(row):
        r = row.iloc[0]
        key = f"country={focus}"
        out.append(
            _sentence(
                b.text,
                "sentence.national_received",
                [
                    b.period(),
                    b.country("focus", focus, "top_receivers"),
                    b.num(
                        "usd", r["invested_in_usd"], "usd", "top_receivers", "invested_in_usd", key
                    ),
                    b.num(
                        "foreign",
                        r["foreign_share_in"],
                        "share",
                        "top_receivers",
                        "foreign_share_in",
                        key,
                    ),
                ],
            )
        )
        out.extend(_method_ranges(b, focus, ("foreign_share_in",)))
    out.extend(_mega_rounds(b))
    return out


def _global(b: _Builder) -> list[Sentence]:
    if _national(b.data):
        return _national_sentences(b)
    return _global_world(b)


def _global_world(b: _Builder) -> list[Sentence]:
    top = b.t["top_receivers"]
    r = [_row(top, i) for i in range(3)]
    if r[0] is None:
        return []
    figs = [
        b.period(),
        b.country("c1", r[0]["country"], "top_receivers"),
        b.num(
            "s1",
            r[0]["share_global"],
            "share",
            "top_receivers",
            "share_global",
            f"country={r[0]['country']}",
        ),
        b.num(
            "usd1",
            r[0]["invested_in_usd"],
            "usd",
            "top_receivers",
            "invested_in_usd",
            f"country={r[0]['country']}",
        ),
    ]
    key = "sentence.global_top_short"
    if r[1] is not None and r[2] is not None:
        key = "sentence.global_top"
        for i in (1, 2):
            ri = r[i]
            assert ri is not None
            c = ri["country"]
            figs += [
                b.country(f"c{i + 1}", c, "top_receivers"),
                b.num(
                    f"s{i + 1}",
                    ri["share_global"],
                    "share",
                    "top_receivers",
                    "share_global",
                    f"country={c}",
                ),
            ]
    out = [_sentence(b.text, key, figs)]
    shares = b.t["shares_by_year"]
    c1 = r[0]["country"]
    partial = partial_years(b.data)
    all_years = sorted(int(y) for y in shares["year"].unique()) if len(shares) else []
    years = [y for y in all_years if y not in partial]
    rows = shares[shares["country"] == c1].set_index("year")["share"] if len(shares) else None
    if len(years) >= 2 and rows is not None and years[0] in rows.index and years[-1] in rows.index:
        first, last = float(rows[years[0]]), float(rows[years[-1]])
        change = last - first
        key = "up" if change > TREND_FLAT else "down" if change < -TREND_FLAT else "flat"
        tfigs = [
            b.country("c1", c1, "shares_by_year"),
            b.num("year_first", years[0], "year", "shares_by_year", "year", f"year={years[0]}"),
            b.num("year_last", years[-1], "year", "shares_by_year", "year", f"year={years[-1]}"),
            b.num(
                "share_first",
                first,
                "share",
                "shares_by_year",
                "share",
                f"year={years[0]},country={c1}",
            ),
            b.num(
                "share_last",
                last,
                "share",
                "shares_by_year",
                "share",
                f"year={years[-1]},country={c1}",
            ),
        ]
        if key == "flat":
            tfigs = [f for f in tfigs if f.name != "share_first"]
        out.append(_sentence(b.text, f"sentence.global_trend_{key}", tfigs))
        left_out = sorted(partial & set(all_years))
        if left_out:
            out.append(
                _sentence(
                    b.text,
                    "sentence.trend_partial",
                    [
                        fig("years", _and(left_out, b.text), "text", b.lang),
                        fig("last_date", b.data["meta"]["last_announced"], "text", b.lang),
                    ],
                )
            )
        assumed = [y for y in _assumed_years(b.data, c1) if y in (years[0], years[-1])]
        if assumed:
            out.append(
                _sentence(
                    b.text,
                    "sentence.trend_assumed",
                    [
                        fig("years", _and(assumed, b.text), "text", b.lang),
                        b.country("c1", c1, "shares_by_year"),
                    ],
                )
            )
    return out


def _domestic(b: _Builder) -> list[Sentence]:
    inv = b.t["investor_countries"]
    r0, r1 = _row(inv, 0), _row(inv, 1)
    if r0 is None:
        return []
    figs = [
        b.country("c1", r0["country"], "investor_countries"),
        b.num(
            "d1",
            r0["domestic_share_out"],
            "share",
            "investor_countries",
            "domestic_share_out",
            f"country={r0['country']}",
        ),
    ]
    rows = [r0] if r1 is None else [r0, r1]
    # "Mostly at home" only when every country named keeps at least HOME_MOSTLY at home;
    # otherwise the sentence states both the home and the abroad share.
    mostly = all(float(r["domestic_share_out"]) >= HOME_MOSTLY for r in rows)
    if not mostly:
        figs.append(_abroad(b, "a1", r0))
    if r1 is None:
        key = "sentence.domestic_focus_one" if mostly else "sentence.domestic_split_one"
        return [_sentence(b.text, key, figs)]
    figs += [
        b.country("c2", r1["country"], "investor_countries"),
        b.num(
            "d2",
            r1["domestic_share_out"],
            "share",
            "investor_countries",
            "domestic_share_out",
            f"country={r1['country']}",
        ),
    ]
    if not mostly:
        figs.append(_abroad(b, "a2", r1))
    key = "sentence.domestic_focus" if mostly else "sentence.domestic_split"
    return [_sentence(b.text, key, figs)]


def _abroad(b: _Builder, name: str, row: dict[str, Any]) -> Fig:
    """The share an investor country placed abroad (its overseas share out)."""
    return b.num(
        name,
        row["overseas_share_out"],
        "share",
        "investor_countries",
        "overseas_share_out",
        f"country={row['country']}",
    )


def _hubs(b: _Builder, n: int = 2) -> list[Sentence]:
    out = []
    hubs, sources = b.t["hubs"], b.t["hub_sources"]
    for i in range(min(n, len(hubs))):
        h = hubs.iloc[i]
        c = h["country"]
        src = sources[sources["hub"] == c].sort_values("rank")
        if src.empty:
            continue
        figs = [
            b.country("c", c, "hubs"),
            b.num("f", h["foreign_share_in"], "share", "hubs", "foreign_share_in", f"country={c}"),
            b.num("usd", h["invested_in_usd"], "usd", "hubs", "invested_in_usd", f"country={c}"),
        ]
        for j in range(min(2, len(src))):
            p = src.iloc[j]
            figs += [
                b.country(f"src{j + 1}", p["partner"], "hub_sources", "partner"),
                b.num(
                    f"src{j + 1}_share",
                    p["share"],
                    "share",
                    "hub_sources",
                    "share",
                    f"hub={c},partner={p['partner']}",
                ),
            ]
        # "Relies most on foreign capital": the highest foreign share of two or more larger
        # markets, and a majority of its inbound money foreign; else the share only.
        relies = len(hubs) >= 2 and float(h["foreign_share_in"]) >= RELIES_FOREIGN
        key = "sentence.hub" if relies else "sentence.hub_share"
        key = key if i == 0 else "sentence.hub_next"
        key += "_two" if len(src) >= 2 else ""
        out.append(_sentence(b.text, key, figs))
    return out


def _outbound(b: _Builder) -> list[Sentence]:
    top, dest = b.t["outbound"], b.t["outbound_destinations"]
    if top.empty:
        return []
    r = top.iloc[0]
    c = r["country"]
    dd = dest[dest["investor"] == c].sort_values("rank")
    if dd.empty or float(r["overseas_share_out"]) <= 0:
        return []
    p = dd.iloc[0]
    figs = [
        b.country("c", c, "outbound"),
        b.num(
            "o", r["overseas_share_out"], "share", "outbound", "overseas_share_out", f"country={c}"
        ),
        # The money that went abroad, not the country's whole outbound total.
        b.num("usd", r["overseas_out_usd"], "usd", "outbound", "overseas_out_usd", f"country={c}"),
        b.country("dest1", p["partner"], "outbound_destinations", "partner"),
        b.num(
            "dest1_share",
            p["share"],
            "share",
            "outbound_destinations",
            "share",
            f"investor={c},partner={p['partner']}",
        ),
    ]
    # "The most outward-looking" compares: it needs two or more larger investor countries.
    key = "sentence.outbound" if len(top) >= 2 else "sentence.outbound_one"
    return [_sentence(b.text, key, figs)]


def _stages(b: _Builder) -> list[Sentence]:
    """The focus country's share of early- and late-stage AI VC, beside the largest's."""
    shares = b.t.get("shares_by_stage")
    top = b.t["top_receivers"]
    if shares is None or shares.empty or top.empty:
        return []
    focus, c1 = b.data["meta"]["focus"], str(top.iloc[0]["country"])

    def share(country: str, group: str) -> Fig | None:
        rows = shares[(shares["stage_group"] == group) & (shares["country"] == country)]
        if rows.empty:
            return None
        key = f"stage_group={group},country={country}"
        name = f"{'c1_' if country != focus else ''}{group}"
        return b.num(name, rows.iloc[0]["share"], "share", "shares_by_stage", "share", key)

    mine = [share(focus, "early"), share(focus, "late")]
    if None in mine:
        return []
    figs = [b.country("focus", focus, "shares_by_stage"), *[f for f in mine if f]]
    key = "sentence.stage_focus_top"
    theirs = [share(c1, "early"), share(c1, "late")]
    if c1 != focus and None not in theirs:
        key = "sentence.stage_focus"
        figs += [b.country("c1", c1, "top_receivers"), *[f for f in theirs if f]]
    return [_sentence(b.text, key, figs)]


def _focus(b: _Builder) -> list[Sentence]:
    pos = b.t.get("focus_position")
    if pos is None or pos.empty:
        return []
    if _national(b.data):
        return []
    p = pos.iloc[0]
    focus = p["country"]
    key = f"country={focus}"
    figs = [
        b.country("focus", focus, "focus_position"),
        b.num("rank", p["rank"], "rank", "focus_position", "rank", key),
        b.num("n", p["n"], "count", "focus_position", "n", key),
        b.num("usd", p["invested_in_usd"], "usd", "focus_position", "invested_in_usd", key),
        b.num("share", p["share_global"], "share", "focus_position", "share_global", key),
        b.num("foreign", p["foreign_share_in"], "share", "focus_position", "foreign_share_in", key),
    ]
    out = [_sentence(b.text, "sentence.focus_position", figs)]
    out.extend(_method_ranges(b, focus, ("share_global", "foreign_share_in")))
    if p.get("peers") and pd.notna(p.get("peer_median_foreign_share")):
        peers = ", ".join(b.text.country_in_text(c) for c in str(p["peers"]).split(","))
        out.append(
            _sentence(
                b.text,
                "sentence.focus_peers",
                [
                    fig("peers", p["peers"], "text", b.lang, text=peers),
                    b.num(
                        "peer_median",
                        p["peer_median_foreign_share"],
                        "share",
                        "focus_position",
                        "peer_median_foreign_share",
                        key,
                    ),
                ],
            )
        )
    target = [
        b.country("focus", focus, "focus_position"),
        b.num("target_rank", p["target_rank"], "year", "focus_position", "target_rank", key),
    ]
    if float(p["gap_to_target_usd"]) > 0:
        target.append(
            b.num("gap", p["gap_to_target_usd"], "usd", "focus_position", "gap_to_target_usd", key)
        )
        out.append(_sentence(b.text, "sentence.focus_target", target))
    else:
        target.append(b.num("rank", p["rank"], "rank", "focus_position", "rank", key))
        out.append(_sentence(b.text, "sentence.focus_top", target))
    out.extend(_mega_rounds(b))
    return out


#: Sentence of each headline share whose range across attribution methods is stated.
_RANGE_KEYS = {
    "share_global": "sentence.range_global",
    "foreign_share_in": "sentence.range_foreign",
}


def _method_ranges(b: _Builder, country: str, columns: tuple[str, ...]) -> list[Sentence]:
    """The range of each headline share across attribution methods, where it is wide.

    Read from the ``sensitivity`` table (one column per indicator and method); a sentence only
    when :attr:`vcflows.findings.sensitivity.MethodRange.wide` holds (wider than 5 points).
    """
    sens = b.t.get("sensitivity")
    if sens is None or sens.empty:
        return []
    rows = sens[sens["country"] == country]
    if rows.empty:
        return []
    row = rows.iloc[0]
    names = b.text.section("method")
    out = []
    for col in columns:
        cols = {m: f"{col}_{m}" for m in ATTRIBUTIONS if f"{col}_{m}" in sens.columns}
        rng = method_range({m: row[name] for m, name in cols.items()})
        if not rng.wide:
            continue
        key = f"country={country}"
        figs = [
            b.num("low", rng.low, "share", "sensitivity", cols[rng.low_method], key),
            fig("low_method", rng.low_method, "text", b.lang, text=names[rng.low_method]),
            b.num("high", rng.high, "share", "sensitivity", cols[rng.high_method], key),
            fig("high_method", rng.high_method, "text", b.lang, text=names[rng.high_method]),
        ]
        out.append(_sentence(b.text, _RANGE_KEYS[col], figs))
    return out


def _verdict_word(holds: object, b: _Builder) -> str:
    words = b.text.section("verdict")
    if holds is None or (isinstance(holds, float) and pd.isna(holds)):
        return words["not_enough"].lower() if b.lang == "en" else words["not_enough"]
    word = words["supported" if bool(holds) else "not_supported"]
    return word.lower() if b.lang == "en" else word


def _mega_rounds(b: _Builder) -> list[Sentence]:
    """A sentence per focus finding whose verdict the removal of the mega-rounds changes."""
    mega = b.t.get("mega_rounds")
    if mega is None or mega.empty:
        return []
    out = []
    for _, r in mega[mega["changed"].astype(bool)].iterrows():
        key = f"claim={r['claim']},subject={r['subject']}"
        figs = [
            b.num("top", r["top_share"], "share", "mega_rounds", "top_share", key),
            b.num("n", r["rounds_removed"], "count", "mega_rounds", "rounds_removed", key),
            b.num("min_usd", r["min_amount_usd"], "usd", "mega_rounds", "min_amount_usd", key),
            b.num("usd", r["removed_usd"], "usd", "mega_rounds", "removed_usd", key),
            fig(
                "finding",
                str(r["claim"]),
                "text",
                b.lang,
                text=b.text.section("finding").get(str(r["claim"]), str(r["claim"])),
            ),
            b.country("focus", str(r["subject"]), "mega_rounds", "subject"),
            fig("verdict", str(r["holds"]), "text", b.lang, text=_verdict_word(r["holds"], b)),
            fig(
                "verdict_without",
                str(r["holds_without"]),
                "text",
                b.lang,
                text=_verdict_word(r["holds_without"], b),
            ),
        ]
        both = pd.notna(r["value_without"]) and pd.notna(r["threshold_without"])
        if both:
            figs += [
                b.num("value_without", r["value_without"], "share", "mega_rounds",
                      "value_without", key),
                b.num("threshold_without", r["threshold_without"], "share", "mega_rounds",
                      "threshold_without", key),
            ]  # fmt: skip
        name = "sentence.mega_verdict" if both else "sentence.mega_verdict_short"
        out.append(_sentence(b.text, name, figs))
    return out


#: A partner is called under-connected in the summary when the gravity model expects at least
#: this multiple of the observed flow.
GRAVITY_GAP_MIN_RATIO = 1.5


def _gravity(b: _Builder) -> list[Sentence]:
    gaps = b.t.get("gravity_gaps")
    pos = b.t.get("focus_position")
    if gaps is None or gaps.empty or pos is None or pos.empty:
        return []
    # The first partner with some observed flow ("N times" needs a non-zero denominator) whose
    # expected flow is materially above it: a model that expects 1.0x what is observed says
    # the pair is as connected as predicted, not under-connected.
    usable = gaps[
        (gaps["actual_usd"] > 0)
        & (gaps["expected_usd"] >= GRAVITY_GAP_MIN_RATIO * gaps["actual_usd"])
    ]
    if usable.empty:
        return []
    g = usable.iloc[0]
    focus = pos.iloc[0]["country"]
    key = f"partner={g['partner']}"
    figs = [
        b.country("focus", focus, "focus_position"),
        b.country("partner", g["partner"], "gravity_gaps", "partner"),
        b.num(
            "ratio", g["expected_over_actual"], "ratio", "gravity_gaps", "expected_over_actual", key
        ),
        b.num("expected", g["expected_usd"], "usd", "gravity_gaps", "expected_usd", key),
        b.num("actual", g["actual_usd"], "usd", "gravity_gaps", "actual_usd", key),
    ]
    return [_sentence(b.text, "sentence.gravity_gap", figs)]


def _corporate(b: _Builder) -> list[Sentence]:
    tot, inv = b.t.get("corporate_totals"), b.t.get("corporate_investors")
    if (
        tot is None
        or inv is None
        or tot.empty
        or inv.empty
        or not float(tot.iloc[0]["corporate_usd"]) > 0
    ):
        return []
    top = inv.iloc[0]
    out = [
        _sentence(
            b.text,
            "sentence.corporate",
            [
                b.num(
                    "share",
                    tot.iloc[0]["corporate_share"],
                    "share",
                    "corporate_totals",
                    "corporate_share",
                ),
                fig(
                    "investor",
                    top["investor_id"],
                    "text",
                    b.lang,
                    text=str(top["investor_name"]),
                    source=f"corporate_investors|investor_id|investor_id={top['investor_id']}",
                ),
            ],
        )
    ]
    out.extend(_corporate_group(b))
    share = b.t["corporate_country_share"]
    focus = b.data["meta"]["focus"]
    row = share[share["company_country"] == focus]
    if len(row):
        out.append(
            _sentence(
                b.text,
                "sentence.corporate_focus",
                [
                    b.country("focus", focus, "corporate_country_share", "company_country"),
                    b.num(
                        "share",
                        row.iloc[0]["corporate_share"],
                        "share",
                        "corporate_country_share",
                        "corporate_share",
                        f"company_country={focus}",
                    ),
                ],
            )
        )
    return out


def _corporate_group(b: _Builder) -> list[Sentence]:
    """The big-tech group that invested most, and how much of it went abroad."""
    groups = b.t.get("corporate_groups")
    if groups is None or groups.empty or not float(groups.iloc[0]["amount_usd"]) > 0:
        return []
    g = groups.iloc[0]
    if pd.isna(g["foreign_share"]):
        return []
    name = str(g["corporate_group"])
    key = f"corporate_group={name}"
    figs = [
        fig(
            "group",
            name,
            "text",
            b.lang,
            text=name,
            source=f"corporate_groups|corporate_group|{key}",
        ),
        b.num("usd", g["amount_usd"], "usd", "corporate_groups", "amount_usd", key),
        b.num("abroad", g["foreign_share"], "share", "corporate_groups", "foreign_share", key),
        b.country("home", g["group_country"], "corporate_groups", "group_country"),
    ]
    return [_sentence(b.text, "sentence.corporate_group", figs)]


def _unattributed(b: _Builder) -> list[Sentence]:
    tot = b.t.get("totals")
    if tot is None or tot.empty:
        return []
    r = tot.iloc[0]
    if not float(r["unattributed_usd"]) > 0:
        return []
    figs = [
        b.num("share", r["unattributed_share"], "share", "totals", "unattributed_share"),
        b.num("usd", r["unattributed_usd"], "usd", "totals", "unattributed_usd"),
    ]
    return [_sentence(b.text, "sentence.unattributed", figs)]


def summarize(data: dict[str, Any], text: Text) -> dict[str, list[Sentence]]:
    """Generate the executive summary from the computed data.

    Parameters
    ----------
    data : dict
        Output of :func:`vcflows.report._compute.compute` (after :func:`finalize_tables`).
    text : Text
        Text layer of the edition's language.

    Returns
    -------
    dict
        Paragraph name -> sentences, in reading order: ``global``, ``stages``, ``domestic``, ``hubs``,
        ``outbound``, ``focus``, ``gravity``, ``data``. Empty paragraphs are left out.
    """
    b = _Builder(data, text)
    parts = {
        "global": _global(b),
        "stages": _stages(b),
        "domestic": _domestic(b),
        "hubs": _hubs(b),
        "outbound": _outbound(b),
        "corporate": _corporate(b),
        "focus": _focus(b),
        "gravity": _gravity(b),
        "data": _unattributed(b),
    }
    return {k: v for k, v in parts.items() if v}
