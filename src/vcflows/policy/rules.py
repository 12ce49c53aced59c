"""The policy rule set: what each rule reads, when it speaks, what it says and how it ranks.

Every rule reads :class:`~vcflows.policy.inputs.PolicyInputs` for the focus country and
returns drafts (see :class:`~vcflows.policy.evidence.Draft`) or raises ``SkipRule`` with the
reason it cannot or need not speak. Benchmarks are medians over the peer group of the
profile (the top countries by share of global AI VC plus named peers, focus excluded).

Implications are ranked by the money at stake (``amount_usd``, USD, largest first; the
definitions below), then by priority = rule weight × relative shortfall of the focus against
its benchmark, then by the order below. A share gap's money is the shortfall times the amount
the share is taken of (``T`` = the focus's inbound money): the money that would have come
through that channel had the focus matched its benchmark on the same total.

=====================  ======  ====================================  ==========================
rule                   weight  speaks when (priority shortfall)      money at stake (USD)
=====================  ======  ====================================  ==========================
foreign_share          1.0     foreign_share_in < peer median        (median − x) · T
                               ((median − x) / median); names the
                               most under-invested gravity partner
gravity_partner        0.9     a partner invests ≤                   expected − observed
                               ``GRAVITY_MAX_RATIO`` × what the
                               gravity model expects and the gap is
                               at least ``min_gap_share`` · T (the
                               smaller ones are counted in a note);
                               the ``GRAVITY_TOP`` largest gaps
                               (1 − ratio), but for the partner
                               foreign_share already names
rank_gap               0.8     rank > target rank and the target     the gap to the target
                               country received money (gap /
                               inbound of the target country)
foreign_corporate      0.7     foreign corporate share of inbound <  (median − x) · T
                               peer median
home_big_tech          0.5     the focus's own big-tech groups       (x − bound) · their AI VC
                               place more than
                               ``HOME_BIG_TECH_ABROAD`` of their AI
                               VC abroad ((x − bound) / (1 − bound))
syndicate              0.6     cross-border share of investor ties   (median − x) · the focus
                               < peer median                         investors' money
scale_up               0.6     late-stage share / early-stage share  (median · early share −
                               of global AI VC < peer median of      late share) · global
                               that ratio ((median − x) / median)    late-stage money
partner_concentration  0.5     partner_hhi > peer median             (hhi − median) · foreign
                               ((hhi − median) / (1 − median))       inbound money
champions              0.5     champions (≥ ``champion_min_foreign_  their foreign money
                               share`` foreign) exist (their share
                               of foreign inbound)
typology               0.4     any label but "insufficient data"     none (ranked last)
                               (1 − mean openness)
=====================  ======  ====================================  ==========================

A gap worth less than ``min_gap_share`` (default 1%) of the focus's inbound money is not
stated (the rule skips with the amount; gravity gaps are counted in a note instead): its
shares would read the same once rounded. The champions rule states held money, not a gap, and
the typology no amount, so neither has this floor.

The champions sentence says that the pipeline behind the champions "is where foreign money is
missing" only when the rest of the focus's companies drew a smaller foreign share than the
peer median; otherwise it states the rest's foreign share and the median.

Sentences are the templates of :data:`TEMPLATES` (English and Korean); no template holds a
number of its own (checked when rendered).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pandas as pd

from vcflows.flows import columns as cols
from vcflows.indicators.typology import HUB, INSUFFICIENT, MUTUAL, OUTWARD, POWERHOUSE, WEAK
from vcflows.policy.evidence import Draft, Figure, SkipRule
from vcflows.policy.inputs import PolicyInputs

GRAVITY_MAX_RATIO: Final = 0.5  # "under-invested": at most half the expected flow
GRAVITY_TOP: Final = 3  # partners named by the gravity rule
HOME_BIG_TECH_ABROAD: Final = 0.5  # home big-tech groups "invest mostly abroad" beyond this
CHAMPIONS_TOP: Final = 5  # champions the profile lists

WEIGHTS: Final[dict[str, float]] = {
    "foreign_share": 1.0,
    "gravity_partner": 0.9,
    "rank_gap": 0.8,
    "foreign_corporate": 0.7,
    "home_big_tech": 0.5,
    "syndicate": 0.6,
    "scale_up": 0.6,
    "partner_concentration": 0.5,
    "champions": 0.5,
    "typology": 0.4,
}

TEMPLATES: Final[dict[str, dict[str, str]]] = {
    "en": {
        "foreign_share": (
            "Foreign investors supplied {foreign_share_in} of {focus}'s inbound AI venture "
            "capital ({invested_in_usd}), against a median of {peer_median} across {n_peers} "
            "peer countries: attracting foreign co-investment would close the gap."
        ),
        "foreign_share_gravity": (
            "Foreign investors supplied {foreign_share_in} of {focus}'s inbound AI venture "
            "capital ({invested_in_usd}), against a median of {peer_median} across {n_peers} "
            "peer countries: attract co-investment from {partner}, where the gravity model "
            "expects {multiple} the observed flow ({expected_usd} against {actual_usd})."
        ),
        "gravity_partner": (
            "Attract co-investment from {partner}: the gravity model expects {multiple} the "
            "observed flow from {partner} into {focus}'s AI companies ({expected_usd} expected "
            "against {actual_usd} observed)."
        ),
        "gravity_partner_none": (
            "Attract co-investment from {partner}: the gravity model expects {expected_usd} "
            "from {partner} into {focus}'s AI companies, where no flow is observed."
        ),
        "rank_gap": (
            "{focus} ranks {rank} of {n_countries} countries by AI venture capital received "
            "({invested_in_usd}); reaching rank {target_rank}, now held by {target_country}, "
            "takes {gap_usd} more over the period."
        ),
        "foreign_corporate": (
            "Foreign corporate and CVC investors supplied {foreign_corporate_share} of "
            "{focus}'s inbound AI venture capital (corporate investors of any country: "
            "{corporate_share}), against a peer median of {peer_median}: courting the venture "
            "arms of foreign technology firms would widen this channel."
        ),
        "home_big_tech": (
            "{focus}'s own big-tech groups ({groups}) placed {abroad_share} of their AI venture "
            "investment abroad ({abroad_usd}, against {home_usd} at home): co-investment "
            "programmes with their venture arms would keep more of it in domestic AI companies."
        ),
        "syndicate": (
            "{cross_border_share} of the co-investment ties of {focus}'s investors cross a "
            "border, against a peer median of {peer_median}: programmes pairing domestic funds "
            "with foreign lead investors would connect its investors to global syndicates."
        ),
        "scale_up": (
            "{focus}'s AI companies drew {early_share} of global early-stage AI venture capital "
            "and {late_share} of late-stage (late-to-early ratio {ratio} against a peer median "
            "of {peer_median}): relative to their early rounds, scale-up rounds are where they "
            "trail their peers, and where co-investment with foreign growth investors would "
            "count most."
        ),
        "partner_concentration": (
            "{top_partner} alone supplied {top_partner_share} of {focus}'s foreign inbound AI "
            "venture capital (partner concentration {partner_hhi} against a peer median of "
            "{peer_median}): diversifying foreign sources reduces dependence on one market."
        ),
        "champions_only": (
            "Foreign-backed champions (the top {n_champions} by money raised of the companies "
            "with at least {min_foreign_share} foreign money) drew {champions_foreign_share} of "
            "{focus}'s foreign inbound AI venture capital; the largest, {company}, raised "
            "{total_usd}, {foreign_share} of it from foreign investors ({foreign_countries}): "
            "such champions are anchors for co-investment."
        ),
        "champions": (
            "Foreign-backed champions (the top {n_champions} by money raised of the companies "
            "with at least {min_foreign_share} foreign money) drew {champions_foreign_share} of "
            "{focus}'s foreign inbound AI venture capital; the largest, {company}, raised "
            "{total_usd}, {foreign_share} of it from foreign investors ({foreign_countries}). "
            "The rest of {focus}'s AI companies drew {rest_foreign_share} of their money from "
            "foreign investors, against a peer median foreign share of {peer_median}."
        ),
        "champions_pipeline": (
            "Foreign-backed champions (the top {n_champions} by money raised of the companies "
            "with at least {min_foreign_share} foreign money) drew {champions_foreign_share} of "
            "{focus}'s foreign inbound AI venture capital; the largest, {company}, raised "
            "{total_usd}, {foreign_share} of it from foreign investors ({foreign_countries}). "
            "The rest of {focus}'s AI companies drew only {rest_foreign_share} of their money "
            "from foreign investors, against a peer median foreign share of {peer_median}: "
            "such champions are anchors for co-investment, and the pipeline behind them is "
            "where foreign money is missing."
        ),
        f"typology:{POWERHOUSE}": (
            "{focus} is a {label}: foreign investors supplied {foreign_share_in} of its inbound "
            "AI venture capital and its investors placed {overseas_share_out} of theirs abroad; "
            "foreign co-investment adds networks and exit routes more than money."
        ),
        f"typology:{HUB}": (
            "{focus} is a {label}: foreign investors supplied {foreign_share_in} of its inbound "
            "AI venture capital and its investors placed {overseas_share_out} of theirs abroad; "
            "sending its investors abroad beside the foreign ones who come in builds two-way ties."
        ),
        f"typology:{OUTWARD}": (
            "{focus} is an {label}: foreign investors supplied {foreign_share_in} of its "
            "inbound AI venture capital and its investors placed {overseas_share_out} of theirs "
            "abroad; its own investors could be drawn to co-invest at home."
        ),
        f"typology:{MUTUAL}": (
            "{focus} is a {label}: foreign investors supplied {foreign_share_in} of its inbound "
            "AI venture capital and its investors placed {overseas_share_out} of theirs abroad; "
            "keeping partnerships reciprocal sustains this position."
        ),
        f"typology:{WEAK}": (
            "{focus} is {label}: foreign investors supplied {foreign_share_in} of its inbound "
            "AI venture capital and its investors placed {overseas_share_out} of theirs abroad; "
            "opening to foreign co-investors and sending its investors abroad go together."
        ),
        "typology": (
            "{focus} is classed '{label}' by the typology: foreign investors supplied "
            "{foreign_share_in} of its inbound AI venture capital and its investors placed "
            "{overseas_share_out} of theirs abroad."
        ),
    },
    "ko": {
        "foreign_share": (
            "{focus} AI 기업이 받은 벤처투자({invested_in_usd}) 중 해외 투자자 비중은 "
            "{foreign_share_in}로, 비교국 {n_peers}개국 중앙값 {peer_median}에 못 미칩니다. "
            "해외 공동투자를 유치하면 이 격차를 좁힐 수 있습니다."
        ),
        "foreign_share_gravity": (
            "{focus} AI 기업이 받은 벤처투자({invested_in_usd}) 중 해외 투자자 비중은 "
            "{foreign_share_in}로, 비교국 {n_peers}개국 중앙값 {peer_median}에 못 미칩니다. "
            "중력모형이 관측치의 {multiple}를 예상하는 {partner}(으)로부터 공동투자를 유치해야 "
            "합니다(예상 {expected_usd}, 관측 {actual_usd})."
        ),
        "gravity_partner": (
            "{partner}(으)로부터 공동투자를 유치해야 합니다. 중력모형은 {partner}에서 {focus} AI "
            "기업으로의 투자를 관측치의 {multiple}로 예상합니다(예상 {expected_usd}, 관측 "
            "{actual_usd})."
        ),
        "gravity_partner_none": (
            "{partner}(으)로부터 공동투자를 유치해야 합니다. 중력모형은 {partner}에서 {focus} AI "
            "기업으로 {expected_usd}를 예상하지만 관측된 투자는 없습니다."
        ),
        "rank_gap": (
            "{focus}은(는) AI 벤처투자 유치액({invested_in_usd}) 기준 {n_countries}개국 중 "
            "{rank}위입니다. 현재 {target_country}이(가) 차지한 {target_rank}위에 오르려면 기간 중 "
            "{gap_usd}가 더 필요합니다."
        ),
        "foreign_corporate": (
            "해외 기업 및 CVC 투자자가 {focus} AI 벤처투자의 {foreign_corporate_share}를 "
            "공급했습니다(국적 무관 기업 투자자: {corporate_share}). 비교국 중앙값은 "
            "{peer_median}입니다. 해외 기술기업의 투자 부문을 유치하면 이 경로가 넓어집니다."
        ),
        "home_big_tech": (
            "{focus}의 빅테크 그룹({groups})은(는) AI 벤처투자의 {abroad_share}({abroad_usd})을(를) "
            "해외에 투자했고, 국내 투자는 {home_usd}에 그쳤습니다. 이들의 벤처 투자 부문과 "
            "공동투자 프로그램을 만들면 더 많은 자금이 국내 AI 기업에 머물 것입니다."
        ),
        "syndicate": (
            "{focus} 투자자의 공동투자 관계 중 {cross_border_share}만 국경을 넘습니다(비교국 "
            "중앙값 {peer_median}). 국내 펀드와 해외 리드 투자자를 연결하는 프로그램이 "
            "필요합니다."
        ),
        "scale_up": (
            "{focus} AI 기업은 세계 초기 단계 AI 벤처투자의 {early_share}, 후기 단계의 "
            "{late_share}을(를) 유치했습니다(후기/초기 비율 {ratio}, 비교국 중앙값 "
            "{peer_median}). 초기 투자에 비해 성장 단계 투자에서 비교국에 뒤처지며, 해외 성장 "
            "단계 투자자와의 공동투자가 가장 효과를 낼 지점입니다."
        ),
        "partner_concentration": (
            "{top_partner} 한 나라가 {focus} 해외 유입 AI 벤처투자의 {top_partner_share}를 "
            "차지합니다(파트너 집중도 {partner_hhi}, 비교국 중앙값 {peer_median}). 해외 "
            "투자원을 다변화해 한 시장에 대한 의존을 줄여야 합니다."
        ),
        "champions_only": (
            "해외 자금 비중이 {min_foreign_share} 이상인 {focus} AI 기업 중 조달액 상위 "
            "{n_champions}개가 해외 유입 AI 벤처투자의 {champions_foreign_share}를 받았습니다. "
            "그중 최대인 {company}는 {total_usd}를 조달했고 {foreign_share}가 해외 "
            "투자자({foreign_countries})로부터 왔습니다. 이들 대표 기업은 공동투자의 거점입니다."
        ),
        "champions": (
            "해외 자금 비중이 {min_foreign_share} 이상인 {focus} AI 기업 중 조달액 상위 "
            "{n_champions}개가 해외 유입 AI 벤처투자의 {champions_foreign_share}를 받았습니다. "
            "그중 최대인 {company}는 {total_usd}를 조달했고 {foreign_share}가 해외 "
            "투자자({foreign_countries})로부터 왔습니다. 나머지 {focus} AI 기업의 해외 투자자 "
            "비중은 {rest_foreign_share}입니다(비교국 중앙값 {peer_median})."
        ),
        "champions_pipeline": (
            "해외 자금 비중이 {min_foreign_share} 이상인 {focus} AI 기업 중 조달액 상위 "
            "{n_champions}개가 해외 유입 AI 벤처투자의 {champions_foreign_share}를 받았습니다. "
            "그중 최대인 {company}는 {total_usd}를 조달했고 {foreign_share}가 해외 "
            "투자자({foreign_countries})로부터 왔습니다. 나머지 {focus} AI 기업의 해외 투자자 "
            "비중은 {rest_foreign_share}로 비교국 중앙값 {peer_median}에 못 미칩니다. 이들 대표 "
            "기업은 공동투자의 거점이며, 그 뒤를 잇는 기업군에 해외 자금이 부족합니다."
        ),
        f"typology:{POWERHOUSE}": (
            "{focus}은(는) '{label}' 유형입니다. 해외 투자자 비중 {foreign_share_in}, 해외 투자 "
            "비중 {overseas_share_out}. 해외 공동투자는 자금보다 네트워크와 회수 경로를 더합니다."
        ),
        f"typology:{HUB}": (
            "{focus}은(는) '{label}' 유형입니다. 해외 투자자 비중 {foreign_share_in}, 해외 투자 "
            "비중 {overseas_share_out}. 유입되는 해외 투자자와 함께 자국 투자자의 해외 진출을 넓혀야 "
            "합니다."
        ),
        f"typology:{OUTWARD}": (
            "{focus}은(는) '{label}' 유형입니다. 해외 투자자 비중 {foreign_share_in}, 해외 투자 "
            "비중 {overseas_share_out}. 자국 투자자의 국내 공동투자를 유도할 수 있습니다."
        ),
        f"typology:{MUTUAL}": (
            "{focus}은(는) '{label}' 유형입니다. 해외 투자자 비중 {foreign_share_in}, 해외 투자 "
            "비중 {overseas_share_out}. 상호적인 협력 관계를 유지해야 합니다."
        ),
        f"typology:{WEAK}": (
            "{focus}은(는) '{label}' 유형입니다. 해외 투자자 비중 {foreign_share_in}, 해외 투자 "
            "비중 {overseas_share_out}. 해외 공동투자 유치와 국내 투자자의 해외 진출을 함께 "
            "추진해야 합니다."
        ),
        "typology": (
            "{focus}은(는) '{label}' 유형입니다. 해외 투자자 비중 {foreign_share_in}, 해외 투자 "
            "비중 {overseas_share_out}."
        ),
    },
}


# --- helpers ---------------------------------------------------------------------------------


def _median(values: pd.Series) -> tuple[float, int]:
    """Median of the defined values and how many there are."""
    v = values.astype(float).dropna()
    return (float(v.median()) if len(v) else float("nan")), len(v)


def _peer_indicator(inp: PolicyInputs, col: str) -> tuple[float, float, int]:
    """Focus value, peer median and number of peers of an indicator of the profile."""
    ind = inp.profile.indicators
    focus = float(inp.profile.focus_row[col])
    med, n = _median(ind.loc[ind["country"].isin(inp.peers), col])
    return focus, med, n


def _shortfall(value: float, benchmark: float) -> float:
    """(benchmark − value) / benchmark, or raise SkipRule when there is no shortfall."""
    if not (pd.notna(value) and pd.notna(benchmark)) or benchmark <= 0:
        raise SkipRule("value or benchmark undefined")
    if value >= benchmark:
        raise SkipRule(f"at or above the peer median ({value:.4f} >= {benchmark:.4f})")
    return (benchmark - value) / benchmark


def _material(inp: PolicyInputs, amount: float) -> float:
    """``amount`` (USD at stake), or SkipRule when it is under the floor of :func:`_gap_floor`.

    A gap worth less than ``min_gap_share`` of the focus's inbound money is not stated: its
    shares would read the same once rounded ("67.3% against a median of 67.3%").
    """
    floor = _gap_floor(inp)
    if amount < floor:
        raise SkipRule(
            f"USD {amount:,.0f} at stake, under {inp.settings.min_gap_share:.1%} of "
            f"{inp.focus}'s inbound money (USD {floor:,.0f})"
        )
    return amount


def _foreign_share_gap(inp: PolicyInputs) -> tuple[float, float, int, float, float]:
    """Focus value, peer median, number of peers, relative shortfall and USD at stake."""
    value, med, n = _peer_indicator(inp, cols.FOREIGN_SHARE_IN)
    gap = _shortfall(value, med)
    amount = _material(inp, (med - value) * float(inp.profile.focus_row[cols.INVESTED_IN_USD]))
    return value, med, n, gap, amount


def _profile_q(inp: PolicyInputs) -> str:
    return f"p = profile(con, {inp.focus!r}, opts)"


def _gravity_q(inp: PolicyInputs, partner: str) -> str:
    return (
        f"expected_vs_actual(fit_gravity(flow_matrix(con, opts)), {inp.focus!r}, by='gap')"
        f".query(\"partner == '{partner}' and direction == 'inbound'\")"
    )


def _gap_floor(inp: PolicyInputs) -> float:
    """The smallest gravity gap stated: ``min_gap_share`` of the focus's inbound money."""
    invested = float(inp.profile.focus_row[cols.INVESTED_IN_USD])
    return inp.settings.min_gap_share * max(invested, 0.0)


def _gravity_candidates(inp: PolicyInputs) -> pd.DataFrame:
    """Inbound partners at most GRAVITY_MAX_RATIO of expected (any gap size)."""
    gaps = inp.gravity_gaps
    if gaps is None:
        raise SkipRule(f"gravity model unavailable ({inp.missing.get('gravity', 'not computed')})")
    return gaps[
        (gaps["direction"] == "inbound")
        & (gaps["expected_usd"] > gaps["actual_usd"])
        & (gaps["ratio"] <= GRAVITY_MAX_RATIO)
    ]


def small_gravity_gaps(inp: PolicyInputs) -> tuple[int, float, float]:
    """Under-invested gravity partners dropped for a gap below the floor.

    Parameters
    ----------
    inp : PolicyInputs
        The rules' inputs.

    Returns
    -------
    tuple of (int, float, float)
        How many were dropped, their gaps' sum in USD, and the floor in USD
        (``min_gap_share`` × the focus's inbound money). ``(0, 0.0, floor)`` when the gravity
        model is unavailable.
    """
    floor = _gap_floor(inp)
    try:
        cand = _gravity_candidates(inp)
    except SkipRule:
        return 0, 0.0, floor
    small = cand[(cand["expected_usd"] - cand["actual_usd"]) < floor]
    return len(small), float((small["expected_usd"] - small["actual_usd"]).sum()), floor


def _under_invested(inp: PolicyInputs) -> pd.DataFrame:
    """Inbound partners at most GRAVITY_MAX_RATIO of expected whose gap reaches the floor,
    largest USD gaps first (at most GRAVITY_TOP)."""
    inbound = _gravity_candidates(inp)
    inbound = inbound[(inbound["expected_usd"] - inbound["actual_usd"]) >= _gap_floor(inp)]
    return inbound.sort_values(
        ["gap_usd", "partner"], ascending=[False, True], kind="mergesort"
    ).head(GRAVITY_TOP)


def _gravity_figures(row: pd.Series) -> dict[str, Figure]:
    actual, expected = float(row["actual_usd"]), float(row["expected_usd"])
    figures: dict[str, Figure] = {
        "partner": str(row["partner"]),
        "actual_usd": actual,
        "expected_usd": expected,
        "ratio": actual / expected,
        "gap_usd": expected - actual,
    }
    if actual > 0:
        figures["multiple"] = expected / actual
    return figures


# --- the rules -------------------------------------------------------------------------------


def _headline_partner(inp: PolicyInputs) -> pd.Series | None:
    """The gravity partner the foreign_share sentence names, if that rule speaks with one.

    The largest USD gap among the under-invested partners with an observed flow (a multiple
    can be stated), when the focus' foreign share is below the peer median.
    """
    try:
        _foreign_share_gap(inp)
        top = _under_invested(inp)
    except SkipRule:
        return None
    with_multiple = top[top["actual_usd"] > 0]
    return None if with_multiple.empty else with_multiple.iloc[0]


def foreign_share(inp: PolicyInputs) -> list[Draft]:
    """Foreign share of inbound AI VC below the peer median."""
    value, med, n, gap, amount = _foreign_share_gap(inp)
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        cols.FOREIGN_SHARE_IN: value,
        cols.INVESTED_IN_USD: float(inp.profile.focus_row[cols.INVESTED_IN_USD]),
        "peer_median": med,
        "n_peers": float(n),
    }
    queries = [
        inp.opts_line,
        inp.peers_line,
        _profile_q(inp),
        "p.focus_row[['foreign_share_in', 'invested_in_usd']]",
        "p.indicators.query('country in @peers')['foreign_share_in'].median()",
    ]
    template = "foreign_share"
    row = _headline_partner(inp)
    if row is not None:
        g = _gravity_figures(row)
        figures.update({k: g[k] for k in ("partner", "multiple", "expected_usd", "actual_usd")})
        queries.append(_gravity_q(inp, str(row["partner"])))
        template = "foreign_share_gravity"
    return [
        Draft(
            id="foreign_share",
            rule="foreign_share",
            template=template,
            figures=figures,
            formats={
                cols.FOREIGN_SHARE_IN: "pct",
                cols.INVESTED_IN_USD: "usd",
                "peer_median": "pct",
                "n_peers": "count",
                "multiple": "times",
                "expected_usd": "usd",
                "actual_usd": "usd",
            },
            queries=queries,
            priority=WEIGHTS["foreign_share"] * gap,
            amount_usd=amount,
        )
    ]


def gravity_partner(inp: PolicyInputs) -> list[Draft]:
    """Partners investing far less in the focus than the gravity model expects.

    The partner the foreign_share sentence names is not repeated here.
    """
    top = _under_invested(inp)
    if top.empty:
        raise SkipRule(
            f"no inbound partner at or below {GRAVITY_MAX_RATIO:g} of the expected flow with a "
            f"gap of at least {inp.settings.min_gap_share:.1%} of {inp.focus}'s inbound money"
        )
    headline = _headline_partner(inp)
    if headline is not None:
        top = top[top["partner"] != headline["partner"]]
        if top.empty:
            raise SkipRule(
                f"the only under-invested partner, {headline['partner']}, is named by foreign_share"
            )
    drafts = []
    for _, row in top.iterrows():  # at most GRAVITY_TOP rows
        figures = {"focus": inp.focus, **_gravity_figures(row)}
        drafts.append(
            Draft(
                id=f"gravity_partner:{figures['partner']}",
                rule="gravity_partner",
                template="gravity_partner" if "multiple" in figures else "gravity_partner_none",
                figures=figures,
                formats={
                    "actual_usd": "usd",
                    "expected_usd": "usd",
                    "multiple": "times",
                },
                queries=[inp.opts_line, _gravity_q(inp, str(figures["partner"]))],
                priority=WEIGHTS["gravity_partner"] * (1.0 - float(figures["ratio"])),
                amount_usd=float(figures["gap_usd"]),
            )
        )
    return drafts


def rank_gap(inp: PolicyInputs) -> list[Draft]:
    """Rank by AI VC received below the target rank (default: third)."""
    p = inp.profile
    if p.target_country is None:
        raise SkipRule(
            f"fewer than {p.target_rank} countries received money: no rank {p.target_rank} to reach"
        )
    if p.rank <= p.target_rank:
        raise SkipRule(f"rank {p.rank} already within the target rank {p.target_rank}")
    invested = float(p.focus_row[cols.INVESTED_IN_USD])
    target_in = invested + float(p.gap_to_target_usd)
    if target_in <= 0 or p.gap_to_target_usd <= 0:
        raise SkipRule(f"no gap to {p.target_country}, rank {p.target_rank}")
    _material(inp, float(p.gap_to_target_usd))
    figures: dict[str, Figure] = {
        "focus": p.focus,
        "rank": float(p.rank),
        "n_countries": float(p.n_countries),
        cols.INVESTED_IN_USD: invested,
        "target_rank": float(p.target_rank),
        "target_country": p.target_country,
        "gap_usd": float(p.gap_to_target_usd),
        "target_in_usd": target_in,
    }
    return [
        Draft(
            id="rank_gap",
            rule="rank_gap",
            template="rank_gap",
            figures=figures,
            formats={
                "rank": "count",
                "n_countries": "count",
                cols.INVESTED_IN_USD: "usd",
                "target_rank": "count",
                "gap_usd": "usd",
            },
            queries=[
                inp.opts_line,
                _profile_q(inp),
                "(p.rank, p.n_countries, p.target_rank, p.target_country, p.gap_to_target_usd)",
            ],
            priority=WEIGHTS["rank_gap"] * float(p.gap_to_target_usd) / target_in,
            amount_usd=float(p.gap_to_target_usd),
        )
    ]


def _network_row(frame: pd.DataFrame | None, key: str, inp: PolicyInputs, name: str) -> pd.Series:
    if frame is None:
        raise SkipRule(f"{name} network unavailable ({inp.missing.get(name, 'not computed')})")
    rows = frame[frame[key] == inp.focus]
    if rows.empty:
        raise SkipRule(f"{inp.focus} absent from the {name} network")
    return rows.iloc[0]


def foreign_corporate(inp: PolicyInputs) -> list[Draft]:
    """Foreign corporate investors' share of inbound AI VC below the peer median."""
    row = _network_row(inp.corporate, "company_country", inp, "corporate")
    assert inp.corporate is not None
    share = inp.corporate
    value = float(row["foreign_corporate_share"])
    med, n = _median(share.loc[share["company_country"].isin(inp.peers), "foreign_corporate_share"])
    gap = _shortfall(value, med)
    amount = _material(inp, (med - value) * float(inp.profile.focus_row[cols.INVESTED_IN_USD]))
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "foreign_corporate_share": value,
        "corporate_share": float(row["corporate_share"]),
        "peer_median": med,
        "n_peers": float(n),
    }
    cs = "corporate_network(con, opts).country_share"
    return [
        Draft(
            id="foreign_corporate",
            rule="foreign_corporate",
            template="foreign_corporate",
            figures=figures,
            formats={
                "foreign_corporate_share": "pct",
                "corporate_share": "pct",
                "peer_median": "pct",
            },
            queries=[
                inp.opts_line,
                inp.peers_line,
                f"{cs}.query(\"company_country == '{inp.focus}'\")"
                "[['foreign_corporate_share', 'corporate_share']]",
                f"{cs}.query('company_country in @peers')['foreign_corporate_share'].median()",
            ],
            priority=WEIGHTS["foreign_corporate"] * gap,
            amount_usd=amount,
        )
    ]


def home_big_tech(inp: PolicyInputs) -> list[Draft]:
    """The focus country's own big-tech groups place most of their AI VC abroad."""
    if inp.groups is None:
        why = inp.missing.get("corporate", "not computed")
        raise SkipRule(f"big-tech groups unavailable ({why})")
    home = inp.groups[inp.groups["group_country"] == inp.focus]
    home_usd, abroad_usd = float(home["home_usd"].sum()), float(home["abroad_usd"].sum())
    if home_usd + abroad_usd <= 0:
        raise SkipRule(f"no big-tech group of {inp.focus} invested in a known country")
    abroad = abroad_usd / (home_usd + abroad_usd)
    if abroad <= HOME_BIG_TECH_ABROAD:
        raise SkipRule(f"{inp.focus}'s big-tech groups invest mostly at home ({abroad:.4f} abroad)")
    amount = _material(inp, (abroad - HOME_BIG_TECH_ABROAD) * (home_usd + abroad_usd))
    ranked = home.sort_values(["amount_usd", "corporate_group"], ascending=[False, True])
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "groups": ", ".join(ranked["corporate_group"]),
        "abroad_share": abroad,
        "abroad_usd": abroad_usd,
        "home_usd": home_usd,
    }
    g = f"corporate_network(con, opts).groups.query(\"group_country == '{inp.focus}'\")"
    return [
        Draft(
            id="home_big_tech",
            rule="home_big_tech",
            template="home_big_tech",
            figures=figures,
            formats={"abroad_share": "pct", "abroad_usd": "usd", "home_usd": "usd"},
            queries=[
                inp.opts_line,
                f"g = {g}",
                "g['abroad_usd'].sum() / (g['home_usd'].sum() + g['abroad_usd'].sum())",
                "g['abroad_usd'].sum(), g['home_usd'].sum()",
            ],
            priority=WEIGHTS["home_big_tech"]
            * (abroad - HOME_BIG_TECH_ABROAD)
            / (1 - HOME_BIG_TECH_ABROAD),
            amount_usd=amount,
        )
    ]


def syndicate(inp: PolicyInputs) -> list[Draft]:
    """Cross-border share of the focus investors' co-investment ties below the peer median."""
    row = _network_row(inp.syndicate, "country", inp, "syndicate")
    assert inp.syndicate is not None
    ties = inp.syndicate
    value = float(row["cross_border_share"])
    med, n = _median(ties.loc[ties["country"].isin(inp.peers), "cross_border_share"])
    gap = _shortfall(value, med)
    amount = _material(inp, (med - value) * float(inp.profile.focus_row[cols.INVESTED_OUT_USD]))
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "cross_border_share": value,
        "ties": float(row["ties"]),
        "peer_median": med,
        "n_peers": float(n),
    }
    ct = "syndicate_network(con, opts).country_ties"
    return [
        Draft(
            id="syndicate",
            rule="syndicate",
            template="syndicate",
            figures=figures,
            formats={"cross_border_share": "pct", "peer_median": "pct"},
            queries=[
                inp.opts_line,
                inp.peers_line,
                f"{ct}.query(\"country == '{inp.focus}'\")[['cross_border_share', 'ties']]",
                f"{ct}.query('country in @peers')['cross_border_share'].median()",
            ],
            priority=WEIGHTS["syndicate"] * gap,
            amount_usd=amount,
        )
    ]


def _late_to_early(stages: pd.DataFrame) -> pd.Series:
    """Per country: share of global late-stage over share of global early-stage AI VC."""
    wide = stages.pivot_table(
        index="country", columns="stage_group", values="share", aggfunc="sum", fill_value=0.0
    )
    if not {"early", "late"} <= set(wide.columns):
        raise SkipRule("the selection has no early-stage or no late-stage money")
    early = wide["early"].where(wide["early"] > 0)
    return (wide["late"] / early).dropna()


def scale_up(inp: PolicyInputs) -> list[Draft]:
    """Late-stage share far below the early-stage share, compared with the peers' ratio."""
    if inp.stages is None:
        raise SkipRule(f"stage shares unavailable ({inp.missing.get('stages', 'not computed')})")
    ratios = _late_to_early(inp.stages)
    if inp.focus not in ratios.index:
        raise SkipRule(f"{inp.focus} has no early-stage money in the selection")
    value = float(ratios[inp.focus])
    med, n = _median(ratios[ratios.index.isin(inp.peers)])
    gap = _shortfall(value, med)
    mine = inp.stages[inp.stages["country"] == inp.focus].set_index("stage_group")["share"]
    late = inp.stages[inp.stages["stage_group"] == "late"]
    late_usd = float(late["amount_usd"].sum()) if "amount_usd" in late else float("nan")
    amount = max(0.0, med * float(mine["early"]) - float(mine.get("late", 0.0))) * late_usd
    if pd.notna(amount):
        _material(inp, amount)
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "early_share": float(mine["early"]),
        "late_share": float(mine.get("late", 0.0)),
        "ratio": value,
        "peer_median": med,
        "n_peers": float(n),
    }
    # The same computation as _late_to_early: a peer without late-stage money has ratio 0,
    # one without early-stage money none.
    st = (
        "stage_shares(con, opts).pivot_table(index='country', columns='stage_group', "
        "values='share', aggfunc='sum', fill_value=0.0)"
    )
    return [
        Draft(
            id="scale_up",
            rule="scale_up",
            template="scale_up",
            figures=figures,
            formats={
                "early_share": "pct",
                "late_share": "pct",
                "ratio": "index",
                "peer_median": "index",
            },
            queries=[
                inp.opts_line,
                inp.peers_line,
                f"s = {st}; r = (s['late'] / s['early'].where(s['early'] > 0)).dropna()",
                f"s.loc[{inp.focus!r}, ['early', 'late']]; r[{inp.focus!r}]",
                "r[r.index.isin(peers)].median()",
            ],
            priority=WEIGHTS["scale_up"] * gap,
            amount_usd=amount,
        )
    ]


def partner_concentration(inp: PolicyInputs) -> list[Draft]:
    """Foreign sources more concentrated than the peer median."""
    value, med, _ = _peer_indicator(inp, cols.PARTNER_HHI)
    if not (pd.notna(value) and pd.notna(med)):
        raise SkipRule("partner concentration undefined (no foreign inbound money)")
    if value <= med:
        raise SkipRule(f"at or below the peer median ({value:.4f} <= {med:.4f})")
    row = inp.profile.focus_row
    sources = row["top_sources"]
    foreign_in = float(row[cols.FOREIGN_IN_USD])
    if not sources or foreign_in <= 0:
        raise SkipRule("no foreign source")
    top = sources[0]
    amount = _material(inp, (value - med) * foreign_in)
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "top_partner": str(top["partner"]),
        "top_partner_share": float(top["amount_usd"]) / foreign_in,
        "top_partner_usd": float(top["amount_usd"]),
        cols.FOREIGN_IN_USD: foreign_in,
        cols.PARTNER_HHI: value,
        "peer_median": med,
    }
    return [
        Draft(
            id="partner_concentration",
            rule="partner_concentration",
            template="partner_concentration",
            figures=figures,
            formats={"top_partner_share": "pct", cols.PARTNER_HHI: "index", "peer_median": "index"},
            queries=[
                inp.opts_line,
                inp.peers_line,
                _profile_q(inp),
                "p.focus_row[['partner_hhi', 'foreign_in_usd', 'top_sources']]",
                "p.indicators.query('country in @peers')['partner_hhi'].median()",
            ],
            priority=WEIGHTS["partner_concentration"] * (value - med) / (1.0 - med)
            if med < 1
            else 0.0,
            amount_usd=amount,
        )
    ]


def _rest_share(inp: PolicyInputs, champs: pd.DataFrame) -> float:
    """Foreign share of the focus's inbound money outside its champions (NaN: none left)."""
    row = inp.profile.focus_row
    rest_total = float(row[cols.INVESTED_IN_USD]) - float(champs["attributed_usd"].sum())
    rest_foreign = float(row[cols.FOREIGN_IN_USD]) - float(champs["foreign_usd"].sum())
    if rest_total <= 0:
        return float("nan")
    return min(1.0, max(0.0, rest_foreign / rest_total))


def champions(inp: PolicyInputs) -> list[Draft]:
    """The focus's foreign-backed champions and how much foreign money they hold.

    The pipeline clause ("where foreign money is missing") is stated only when the foreign share
    of the rest of the focus's inbound money is below the peer median foreign share.
    """
    threshold = inp.settings.champion_min_foreign_share
    champs = inp.focus_champions
    if champs is None or champs.empty:
        raise SkipRule(
            f"no AI company of {inp.focus} drew at least {threshold:.1%} of its money from "
            "foreign investors"
        )
    champs = champs[champs["foreign_share"] >= threshold].head(CHAMPIONS_TOP)
    if champs.empty:
        raise SkipRule(f"no champion of {inp.focus} reaches {threshold:.1%} foreign money")
    foreign_in = float(inp.profile.focus_row[cols.FOREIGN_IN_USD])
    if foreign_in <= 0:
        raise SkipRule("no foreign inbound money")
    lead = champs.iloc[0]
    held = min(1.0, float(champs["foreign_usd"].sum()) / foreign_in)
    _, med, _ = _peer_indicator(inp, cols.FOREIGN_SHARE_IN)
    rest = _rest_share(inp, champs)
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "n_champions": float(len(champs)),
        "min_foreign_share": threshold,
        "champions_foreign_share": held,
        "champions_foreign_usd": float(champs["foreign_usd"].sum()),
        cols.FOREIGN_IN_USD: foreign_in,
        "company": str(lead["name"] if pd.notna(lead["name"]) else lead["company_id"]),
        "company_id": str(lead["company_id"]),
        "total_usd": float(lead["total_usd"]),
        "foreign_share": float(lead["foreign_share"]),
        "foreign_countries": str(lead["foreign_investor_countries"]).replace(",", ", "),
    }
    template = "champions_only"
    if pd.notna(rest) and pd.notna(med):
        figures.update({"rest_foreign_share": rest, "peer_median": med})
        template = "champions_pipeline" if rest < med else "champions"
    return [
        Draft(
            id="champions",
            rule="champions",
            template=template,
            figures=figures,
            formats={
                "n_champions": "count",
                "min_foreign_share": "pct",
                "champions_foreign_share": "pct",
                "total_usd": "usd",
                "foreign_share": "pct",
                "rest_foreign_share": "pct",
                "peer_median": "pct",
            },
            queries=[
                inp.opts_line,
                inp.peers_line,
                f"c = champions(con, opts, country={inp.focus!r}, top={CHAMPIONS_TOP}, "
                f"min_foreign_share={threshold!r})",
                f"{_profile_q(inp)}; r = p.focus_row",
                "(r['foreign_in_usd'] - c['foreign_usd'].sum()) / "
                "(r['invested_in_usd'] - c['attributed_usd'].sum())",
                "p.indicators.query('country in @peers')['foreign_share_in'].median()",
            ],
            priority=WEIGHTS["champions"] * held,
            amount_usd=float(champs["foreign_usd"].sum()),
        )
    ]


def typology(inp: PolicyInputs) -> list[Draft]:
    """The focus's typology label and what it implies."""
    if inp.profile.n_received < 2:
        raise SkipRule(
            "fewer than two countries received money (a national deal list?): the typology "
            "compares inbound and outbound money, and the outbound side is not in the data"
        )
    labels = inp.typology.labels
    row = labels[labels["country"] == inp.focus].iloc[0]
    label = str(row["label"])
    if label == INSUFFICIENT:
        raise SkipRule(f"typology: {row['rule']}")
    fin, out = float(row[cols.FOREIGN_SHARE_IN]), float(row[cols.OVERSEAS_SHARE_OUT])
    if not (pd.notna(fin) and pd.notna(out)):
        raise SkipRule("typology shares undefined")
    figures: dict[str, Figure] = {
        "focus": inp.focus,
        "label": label,
        "rule": str(row["rule"]),
        cols.FOREIGN_SHARE_IN: fin,
        cols.OVERSEAS_SHARE_OUT: out,
    }
    return [
        Draft(
            id="typology",
            rule="typology",
            template=f"typology:{label}" if f"typology:{label}" in TEMPLATES["en"] else "typology",
            figures=figures,
            formats={cols.FOREIGN_SHARE_IN: "pct", cols.OVERSEAS_SHARE_OUT: "pct"},
            queries=[
                inp.opts_line,
                f"typology(country_indicators(con, opts)).labels.query(\"country == '{inp.focus}'\")"
                "[['label', 'rule', 'foreign_share_in', 'overseas_share_out']]",
            ],
            priority=WEIGHTS["typology"] * (1.0 - (fin + out) / 2.0),
        )
    ]


#: The rules, in tie-break order.
RULES: Final[tuple[tuple[str, Callable[[PolicyInputs], list[Draft]]], ...]] = (
    ("foreign_share", foreign_share),
    ("gravity_partner", gravity_partner),
    ("rank_gap", rank_gap),
    ("foreign_corporate", foreign_corporate),
    ("home_big_tech", home_big_tech),
    ("syndicate", syndicate),
    ("scale_up", scale_up),
    ("partner_concentration", partner_concentration),
    ("champions", champions),
    ("typology", typology),
)
