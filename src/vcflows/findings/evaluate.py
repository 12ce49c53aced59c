"""The catalogue of the reproduced report's findings, evaluated on the data at hand.

Every value is read from the same tables as ``vcflows indicators`` (equal attribution on the
selected sector and period, both countries known), so a finding and the indicators table
never disagree. Claims (thresholds from :class:`FindingOptions`):

- ``us_dominant`` (USA): share_global of USA; holds when USA ranks 1st by invested_in_usd and
  the share ≥ threshold. Reads inbound rounds; undetermined when fewer than two company
  countries have ``min_rounds`` inbound rounds (the data cover one country's inflows only).
- ``home_focus`` (USA, CHN): 1 − overseas_share_out ≥ threshold. Reads outbound rounds.
- ``foreign_hub`` (GBR, CAN, ISR): foreign_share_in ≥ threshold and the largest foreign
  source is USA (``top_source``). Reads inbound rounds.
- ``outward`` (GBR, each EU-27 member with outbound money, ``EU27`` as one investor):
  overseas_share_out ≥ threshold (EU27: money placed outside the EU). Reads outbound rounds.
- ``focus_low_foreign`` (the focus): foreign_share_in < the median foreign_share_in of its
  peers (:func:`vcflows.indicators.profile.peer_group`). Reads inbound rounds.
- ``champions_abroad`` (the focus): number of its companies with a foreign share ≥
  ``champion_min_foreign_share`` and foreign money ≥ ``champion_min_foreign_usd``; holds when
  ≥ threshold (names in ``figures``). Reads inbound rounds.
- ``talent_draws_foreign`` (the focus, then each country with founder data): the foreign
  share of talent-founded companies minus the others' > 0 with its interval above 0
  (:mod:`vcflows.findings.talent`); undetermined without founder data in the store.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from vcflows import schema as s
from vcflows.cases.champions import champions
from vcflows.findings.bootstrap import CellMask, RoundBootstrap, interval, round_cells
from vcflows.findings.model import Finding, FindingOptions
from vcflows.findings.talent import talent_findings
from vcflows.flows import FlowOptions
from vcflows.flows import columns as c
from vcflows.indicators.country import flow_aggregates, indicators_from_aggregates
from vcflows.indicators.profile import peer_group
from vcflows.talent.catalogue import TalentList

#: The 27 member states of the European Union (ISO3), the ``EU27`` investor of ``outward``.
EU27: tuple[str, ...] = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE",
)  # fmt: skip
EU27_SUBJECT = "EU27"
US = "USA"
HOME_FOCUS: tuple[str, ...] = ("USA", "CHN")
FOREIGN_HUBS: tuple[str, ...] = ("GBR", "CAN", "ISR")
OUTWARD_FIRST: tuple[str, ...] = ("GBR",)

#: Claim ids of the catalogue, in the order they are listed.
CLAIMS: tuple[str, ...] = (
    "us_dominant",
    "home_focus",
    "foreign_hub",
    "outward",
    "focus_low_foreign",
    "champions_abroad",
    "talent_draws_foreign",
)

INBOUND, OUTBOUND = "inbound", "outbound"
ONE_COUNTRY = "the data cover inbound flows into one country only"


@dataclass(frozen=True)
class _Basis:
    """The tables one attribution method gives: indicators and attributed pairs."""

    ind: pd.DataFrame
    pairs: pd.DataFrame
    champions: pd.DataFrame

    def row(self, country: str) -> pd.Series | None:
        hit = self.ind[self.ind[c.COUNTRY] == country]
        return None if hit.empty else hit.iloc[0]


@dataclass(frozen=True)
class _Point:
    value: float
    threshold: float
    holds: bool | None
    amount_usd: float
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Spec:
    claim: str
    subject: str
    direction: str
    comparator: str
    point: Callable[[_Basis], _Point]
    num: CellMask | None
    den: CellMask | None
    query: str


def _basis(con: duckdb.DuckDBPyConnection, opts: FlowOptions, focus: str) -> _Basis:
    agg = flow_aggregates(con, opts)
    ind = indicators_from_aggregates(agg, opts, top_n=5)
    att = agg[agg[c.REASON].isna()].astype({s.AMOUNT_USD: float}).fillna({s.AMOUNT_USD: 0.0})
    pairs = att.groupby([c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY], as_index=False)[
        [s.AMOUNT_USD]
    ].sum()
    champs = champions(con, opts, country=focus, top=1_000_000)
    return _Basis(ind=ind, pairs=pairs, champions=champs)


def _f(row: pd.Series | None, col: str) -> float:
    return float("nan") if row is None else float(row[col])


def _at_least(value: float, threshold: float) -> bool | None:
    return None if not math.isfinite(value) else bool(value >= threshold)


def _mask(kind: str, x: str) -> CellMask:
    """A cell mask: ``kind`` in inbound, foreign_in, outbound, domestic_out, abroad_out."""

    def mask(ic: np.ndarray, cc: np.ndarray) -> np.ndarray:
        if kind == "inbound":
            return np.asarray(cc == x)
        if kind == "foreign_in":
            return np.asarray((cc == x) & (ic != x))
        if kind == "outbound":
            return np.asarray(ic == x)
        if kind == "domestic_out":
            return np.asarray((ic == x) & (cc == x))
        return np.asarray((ic == x) & (cc != x))

    return mask


def _specs(focus: str, options: FindingOptions, outward: list[str], desc: str) -> list[_Spec]:
    th = options.threshold

    def q(col: str, country: str) -> str:
        return f"SELECT {col} FROM country_indicators WHERE country = '{country}'  -- {desc}"

    def us_point(b: _Basis) -> _Point:
        row = b.row(US)
        value = _f(row, "share_global")
        countries = b.ind[c.COUNTRY].tolist()
        rank = countries.index(US) + 1 if US in countries else None
        ok = _at_least(value, th("us_dominant"))
        holds = None if ok is None else bool(ok and rank == 1)
        return _Point(value, th("us_dominant"), holds, _f(row, "invested_in_usd"), {"rank": rank})

    specs = [
        _Spec(
            "us_dominant",
            US,
            INBOUND,
            ">= (and rank 1)",
            us_point,
            lambda ic, cc: cc == US,
            lambda ic, cc: np.ones(ic.shape, dtype=bool),
            q("share_global", US),
        )
    ]

    def home_point(country: str) -> Callable[[_Basis], _Point]:
        def point(b: _Basis) -> _Point:
            row = b.row(country)
            value = 1.0 - _f(row, "overseas_share_out")
            t = th("home_focus")
            return _Point(value, t, _at_least(value, t), _f(row, "invested_out_usd"))

        return point

    for x in HOME_FOCUS:
        specs.append(
            _Spec(
                "home_focus", x, OUTBOUND, ">=", home_point(x),
                _mask("domestic_out", x),
                _mask("outbound", x),
                q("1 - overseas_share_out", x),
            )
        )  # fmt: skip

    def hub_point(country: str) -> Callable[[_Basis], _Point]:
        def point(b: _Basis) -> _Point:
            row = b.row(country)
            value = _f(row, "foreign_share_in")
            sources = [] if row is None else list(row["top_sources"] or [])
            top = str(sources[0]["partner"]) if sources else None
            t = th("foreign_hub")
            ok = _at_least(value, t)
            holds = None if ok is None else bool(ok and top == US)
            return _Point(value, t, holds, _f(row, "invested_in_usd"), {"top_source": top})

        return point

    for x in FOREIGN_HUBS:
        specs.append(
            _Spec(
                "foreign_hub", x, INBOUND, ">= (and top source USA)", hub_point(x),
                _mask("foreign_in", x),
                _mask("inbound", x),
                q("foreign_share_in", x),
            )
        )  # fmt: skip

    def out_point(country: str) -> Callable[[_Basis], _Point]:
        def point(b: _Basis) -> _Point:
            row = b.row(country)
            value = _f(row, "overseas_share_out")
            t = th("outward")
            return _Point(value, t, _at_least(value, t), _f(row, "invested_out_usd"))

        return point

    def eu_point(b: _Basis) -> _Point:
        p = b.pairs
        out = p[p[c.INVESTOR_COUNTRY].isin(EU27)]
        total = float(out[s.AMOUNT_USD].sum())
        abroad = float(out.loc[~out[c.COMPANY_COUNTRY].isin(EU27), s.AMOUNT_USD].sum())
        value = abroad / total if total > 0 else float("nan")
        t = th("outward")
        return _Point(value, t, _at_least(value, t), total, {"outside_eu_usd": abroad})

    eu = np.array(EU27)
    for x in outward:
        specs.append(
            _Spec(
                "outward", x, OUTBOUND, ">=", out_point(x),
                _mask("abroad_out", x),
                _mask("outbound", x),
                q("overseas_share_out", x),
            )
        )  # fmt: skip
    specs.append(
        _Spec(
            "outward", EU27_SUBJECT, OUTBOUND, ">=", eu_point,
            lambda ic, cc: np.isin(ic, eu) & ~np.isin(cc, eu),
            lambda ic, cc: np.isin(ic, eu),
            f"SELECT sum(amount_usd) FILTER (WHERE company_country NOT IN EU27) / sum(amount_usd) "
            f"FROM flow_matrix WHERE investor_country IN EU27  -- {desc}",
        )
    )  # fmt: skip

    def low_point(b: _Basis) -> _Point:
        row = b.row(focus)
        value = _f(row, "foreign_share_in")
        group = peer_group(b.ind, focus) - {focus}
        others = b.ind.loc[b.ind[c.COUNTRY].isin(group), "foreign_share_in"]
        median = float(others.median()) if others.notna().any() else float("nan")
        holds = None if not (math.isfinite(value) and math.isfinite(median)) else value < median
        return _Point(
            value, median, holds, _f(row, "invested_in_usd"), {"peers": ",".join(sorted(group))}
        )

    specs.append(
        _Spec(
            "focus_low_foreign", focus, INBOUND, "<", low_point,
            lambda ic, cc: (cc == focus) & (ic != focus),
            lambda ic, cc: cc == focus,
            q("foreign_share_in", focus) + " (threshold: median over its peers)",
        )
    )  # fmt: skip

    def champ_point(b: _Basis) -> _Point:
        ch = b.champions
        keep = ch[
            (ch["foreign_share"] >= th("champion_min_foreign_share"))
            & (ch["foreign_usd"] >= th("champion_min_foreign_usd"))
        ]
        names = [str(n) for n in keep[s.NAME]]
        t = th("champions_abroad")
        value = float(len(keep))
        figures = {
            "companies": "; ".join(names),
            "min_foreign_share": th("champion_min_foreign_share"),
            "min_foreign_usd": th("champion_min_foreign_usd"),
        }
        return _Point(value, t, value >= t, float(keep["foreign_usd"].sum()), figures)

    specs.append(
        _Spec(
            "champions_abroad", focus, INBOUND, ">=", champ_point, None, None,
            f"champions(country='{focus}') WHERE foreign_share >= "
            f"{th('champion_min_foreign_share')} AND foreign_usd >= "
            f"{th('champion_min_foreign_usd'):.0f}  -- {desc}",
        )
    )  # fmt: skip
    return specs


def evaluate_findings(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    focus: str = "KOR",
    options: FindingOptions | None = None,
    talent: TalentList | None = None,
) -> tuple[Finding, ...]:
    """Evaluate the catalogue of findings (module docstring) on a store.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Sector and period; the values use equal attribution whatever ``opts.attribution``
        says (full and lead serve the robustness check).
    focus : str
        ISO3 code of the focus country.
    options : FindingOptions, optional
        Thresholds, coverage guard and bootstrap settings.
    talent : TalentList, optional
        What counts as AI talent for ``talent_draws_foreign`` (default: the shipped list).

    Returns
    -------
    tuple of Finding
        In catalogue order, subjects in the order the module docstring lists them.
    """
    from vcflows.cases.champions import check_country

    options = options or FindingOptions()
    focus = check_country(focus, "focus")
    equal = dataclasses.replace(opts, attribution="equal")
    bases = {
        m: _basis(con, dataclasses.replace(opts, attribution=m), focus)
        for m in ("equal", "full", "lead")
    }
    base = bases["equal"]
    ind = base.ind
    with_out = set(ind.loc[ind["invested_out_usd"] > 0, c.COUNTRY])
    outward = [*OUTWARD_FIRST, *[x for x in EU27 if x in with_out and x not in OUTWARD_FIRST]]
    specs = _specs(focus, options, outward, equal.describe())
    boot = RoundBootstrap(round_cells(con, equal), options.resamples, options.seed)
    rounds_in = dict(zip(ind[c.COUNTRY], ind["rounds_in"], strict=True))
    covered = sum(1 for n in rounds_in.values() if int(n) >= max(options.min_rounds, 1))
    eu = np.array(EU27)
    found: list[Finding] = []
    for spec in specs:
        if spec.direction == INBOUND:
            n = int(rounds_in.get(spec.subject, 0))
        elif spec.subject == EU27_SUBJECT:
            n = boot.rounds_where(lambda ic, cc: np.isin(ic, eu))
        else:
            n = boot.rounds_where(_mask("outbound", spec.subject))
        point = spec.point(base)
        reason: str | None = None
        if spec.claim == "us_dominant" and covered < 2:
            reason = ONE_COUNTRY
        elif n < options.min_rounds:
            reason = f"{spec.subject}: {n} {spec.direction} round{'' if n == 1 else 's'}, fewer than {options.min_rounds}"
        elif point.holds is None:
            reason = f"{spec.subject}: the value or its threshold is undefined (no money)"
        holds = None if reason is not None else point.holds
        low = high = None
        if spec.num is not None and spec.den is not None and reason is None:
            low, high = interval(boot.ratio(spec.num, spec.den), options.ci_level)
        robust: bool | None = None
        if holds is not None:
            same = all(spec.point(b).holds == holds for b in bases.values())
            if low is not None and high is not None:
                t = point.threshold
                one_side = low >= t or high < t
                robust = bool(same and one_side)
            else:
                robust = bool(same) if spec.num is None else None
        value = point.value if math.isfinite(point.value) else None
        found.append(
            Finding(
                claim=spec.claim,
                subject=spec.subject,
                value=value,
                threshold=point.threshold if math.isfinite(point.threshold) else None,
                comparator=spec.comparator,
                holds=holds,
                reason=reason,
                n_rounds=n,
                amount_usd=point.amount_usd if math.isfinite(point.amount_usd) else 0.0,
                ci_low=low,
                ci_high=high,
                robust=robust,
                figures=point.figures,
                query=spec.query,
            )
        )
    found.extend(talent_findings(con, opts, focus, options, talent))
    return tuple(found)


def findings_frame(found: tuple[Finding, ...]) -> pd.DataFrame:
    """The findings as a table (one row per finding; figures as ``key=value; ...`` text)."""
    rows = []
    for f in found:
        rec = f.to_record()
        rec["figures"] = "; ".join(
            f"{k}={v}" for k, v in rec["figures"].items() if v not in (None, "")
        )
        rows.append(rec)
    return pd.DataFrame(rows, columns=[fl.name for fl in dataclasses.fields(Finding)])
