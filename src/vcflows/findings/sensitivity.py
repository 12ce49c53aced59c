"""How much a headline figure or a verdict depends on choices the data do not fix.

Two checks, each a typed result the report words only where its predicate holds:

- :func:`method_range`: a share under the three attribution methods (equal, full, lead; see
  :mod:`vcflows.flows.attribution`); :attr:`MethodRange.wide` when the highest and lowest
  differ by more than :data:`WIDE_RANGE` (5 share points).
- :func:`without_mega_rounds`: the findings whose subject is the focus country evaluated again
  with the largest rounds removed: the top :data:`MEGA_SHARE` (1%) of the selected rounds with
  a known amount, ranked by amount (ties by round id), at least one round when any has an
  amount (``ceil(1% x rounds with amount)``). Values use equal attribution, as the findings
  do, with the same coverage guard (``min_rounds``). ``champions_abroad`` (a count of
  companies, not a ratio of the flows) is not re-evaluated.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.findings.evaluate import (
    EU27,
    EU27_SUBJECT,
    INBOUND,
    OUTWARD_FIRST,
    _Basis,
    _specs,
)
from vcflows.findings.model import FindingOptions
from vcflows.flows import ATTRIBUTIONS, FlowOptions, base_relation, shares_with
from vcflows.flows import columns as c
from vcflows.indicators.country import SELECTED_ROUNDS, indicators_from_aggregates

#: A range across attribution methods wider than this (share points) is worth stating.
WIDE_RANGE: Final = 0.05
#: Share of the rounds (with a known amount) removed as mega-rounds.
MEGA_SHARE: Final = 0.01

#: Columns of :meth:`MegaRoundVariant.frame`, in order.
MEGA_COLUMNS: tuple[str, ...] = (
    "claim",
    "subject",
    "value",
    "value_without",
    "threshold",
    "threshold_without",
    "holds",
    "holds_without",
    "changed",
    "top_share",
    "rounds_removed",
    "min_amount_usd",
    "removed_usd",
)


@dataclass(frozen=True)
class MethodRange:
    """One share under every attribution method, and its range.

    ``values`` maps each method to its value (NaN where undefined); ``low`` / ``high`` are the
    smallest and largest defined values and ``low_method`` / ``high_method`` the methods giving
    them (the first in :data:`vcflows.flows.ATTRIBUTIONS` order on ties).
    """

    values: Mapping[str, float]
    low: float
    high: float
    low_method: str
    high_method: str

    @property
    def width(self) -> float:
        """high − low (NaN when no method gives a value)."""
        return self.high - self.low

    @property
    def wide(self) -> bool:
        """True when the range is wider than :data:`WIDE_RANGE`."""
        return math.isfinite(self.width) and self.width > WIDE_RANGE


def method_range(values: Mapping[str, float]) -> MethodRange:
    """The range of a share across attribution methods.

    Parameters
    ----------
    values : mapping of str to float
        Method (``equal``, ``full``, ``lead``) -> value; NaN or None for undefined.

    Returns
    -------
    MethodRange
        With NaN bounds and empty method names when no value is defined.
    """
    clean = {m: float(v) for m, v in values.items() if v is not None and math.isfinite(float(v))}
    order = [m for m in ATTRIBUTIONS if m in clean] + sorted(set(clean) - set(ATTRIBUTIONS))
    if not order:
        nan = float("nan")
        return MethodRange(dict(values), nan, nan, "", "")
    low = min(order, key=lambda m: clean[m])
    high = max(order, key=lambda m: clean[m])
    return MethodRange(dict(values), clean[low], clean[high], low, high)


@dataclass(frozen=True)
class VerdictChange:
    """A finding's verdict with and without the mega-rounds (``holds`` None: undetermined)."""

    claim: str
    subject: str
    value: float
    value_without: float
    threshold: float
    threshold_without: float
    holds: bool | None
    holds_without: bool | None

    @property
    def changed(self) -> bool:
        """True when the verdict differs (determined either way, or one side undetermined)."""
        return self.holds != self.holds_without


@dataclass(frozen=True)
class MegaRoundVariant:
    """The focus country's findings without the top :data:`MEGA_SHARE` of rounds by amount."""

    focus: str
    top_share: float
    rounds_removed: int
    min_amount_usd: float
    removed_usd: float
    verdicts: tuple[VerdictChange, ...]

    @property
    def changed(self) -> tuple[VerdictChange, ...]:
        """The verdicts the removal changes."""
        return tuple(v for v in self.verdicts if v.changed)

    def frame(self) -> pd.DataFrame:
        """One row per finding, columns :data:`MEGA_COLUMNS`."""
        rows = [
            {
                **dataclasses.asdict(v),
                "changed": v.changed,
                "top_share": self.top_share,
                "rounds_removed": self.rounds_removed,
                "min_amount_usd": self.min_amount_usd,
                "removed_usd": self.removed_usd,
            }
            for v in self.verdicts
        ]
        return pd.DataFrame(rows, columns=list(MEGA_COLUMNS))


def _aggregates(
    con: duckdb.DuckDBPyConnection, opts: FlowOptions, top_share: float
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Indicator aggregates with and without the mega-rounds, and the mega-rounds."""
    with_clause, params = shares_with(opts, base_relation(con))
    mega = f"""{with_clause},
        mega AS (
            SELECT {s.ROUND_ID}, {s.AMOUNT_USD} FROM r WHERE {s.AMOUNT_USD} IS NOT NULL
            QUALIFY row_number() OVER (ORDER BY {s.AMOUNT_USD} DESC, {s.ROUND_ID})
                    <= ceil({float(top_share)} * count(*) OVER ())
        )"""
    cols = f"""{c.INVESTOR_COUNTRY}, {c.COMPANY_COUNTRY}, {c.YEAR}, {c.REASON},
               fsum({s.AMOUNT_USD}) AS {s.AMOUNT_USD}, fsum({c.DEALS}) AS {c.DEALS},
               count(*) AS n"""
    sel = f"""NULL AS {c.INVESTOR_COUNTRY}, {c.COMPANY_COUNTRY}, {c.YEAR},
               '{SELECTED_ROUNDS}' AS {c.REASON}, fsum({s.AMOUNT_USD}) AS {s.AMOUNT_USD},
               count(*) AS {c.DEALS}, count(*) AS n"""
    out = []
    for keep in ("TRUE", f"{s.ROUND_ID} NOT IN (SELECT {s.ROUND_ID} FROM mega)"):
        sql = f"""{mega}
            SELECT {cols} FROM shares WHERE {keep} GROUP BY ALL
            UNION ALL
            SELECT {sel} FROM r WHERE {keep} GROUP BY ALL
            ORDER BY ALL"""
        out.append(con.execute(sql, params).fetchdf())
    removed = con.execute(
        f"{mega} SELECT * FROM mega ORDER BY {s.AMOUNT_USD} DESC, {s.ROUND_ID}", params
    ).fetchdf()
    return out[0], out[1], removed


def _basis(agg: pd.DataFrame, opts: FlowOptions) -> _Basis:
    ind = indicators_from_aggregates(agg, opts, top_n=5)
    att = agg[agg[c.REASON].isna()].astype({s.AMOUNT_USD: float}).fillna({s.AMOUNT_USD: 0.0})
    pairs = att.groupby([c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY], as_index=False)[
        [s.AMOUNT_USD]
    ].sum()
    return _Basis(ind=ind, pairs=pairs, champions=pd.DataFrame())


def _rounds(agg: pd.DataFrame, subject: str, direction: str) -> int:
    """Rounds a subject's claim reads: inbound (its companies') or outbound (with its investors)."""
    if direction == INBOUND:
        sel = agg[(agg[c.REASON] == SELECTED_ROUNDS) & (agg[c.COMPANY_COUNTRY] == subject)]
        return int(sel["n"].sum())
    att = agg[agg[c.REASON].isna()]
    # One share row per (round, investor country): rows of the subject count its rounds.
    return int(att.loc[att[c.INVESTOR_COUNTRY] == subject, "n"].sum())


def _covered(agg: pd.DataFrame, min_rounds: int) -> int:
    sel = agg[(agg[c.REASON] == SELECTED_ROUNDS) & agg[c.COMPANY_COUNTRY].notna()]
    per = sel.groupby(c.COMPANY_COUNTRY)["n"].sum()
    return int((per >= max(min_rounds, 1)).sum())


def _verdict(
    spec_holds: bool | None, claim: str, n: int, covered: int, options: FindingOptions
) -> bool | None:
    if claim == "us_dominant" and covered < 2:  # the data cover one country's inflows only
        return None
    if n < options.min_rounds:
        return None
    return spec_holds


def without_mega_rounds(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    focus: str,
    options: FindingOptions | None = None,
    top_share: float = MEGA_SHARE,
) -> MegaRoundVariant:
    """The focus country's findings with and without the largest rounds (module docstring).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Sector, period and stages (equal attribution is used, as for the findings).
    focus : str
        ISO3 code of the focus country.
    options : FindingOptions, optional
        Thresholds and the coverage guard.
    top_share : float
        Share of the rounds with a known amount removed (default 1%).

    Returns
    -------
    MegaRoundVariant
        The rounds removed and, per finding whose subject is ``focus``, both verdicts.
    """
    from vcflows.cases.champions import check_country, check_share

    options = options or FindingOptions()
    focus = check_country(focus, "focus")
    top_share = check_share(top_share, "top_share")
    equal = dataclasses.replace(opts, attribution="equal")
    agg, agg_without, removed = _aggregates(con, equal, top_share)
    bases = (_basis(agg, equal), _basis(agg_without, equal))
    outward = [*OUTWARD_FIRST, *[x for x in EU27 if x == focus and x not in OUTWARD_FIRST]]
    specs = [
        sp
        for sp in _specs(focus, options, outward, equal.describe())
        if sp.subject == focus and sp.subject != EU27_SUBJECT and sp.num is not None
    ]
    verdicts = []
    for spec in specs:
        sides = []
        for a, basis in zip((agg, agg_without), bases, strict=True):
            point = spec.point(basis)
            n = _rounds(a, spec.subject, spec.direction)
            holds = _verdict(point.holds, spec.claim, n, _covered(a, options.min_rounds), options)
            sides.append((point, holds))
        (p0, h0), (p1, h1) = sides
        verdicts.append(
            VerdictChange(
                claim=spec.claim,
                subject=spec.subject,
                value=float(p0.value),
                value_without=float(p1.value),
                threshold=float(p0.threshold),
                threshold_without=float(p1.threshold),
                holds=h0,
                holds_without=h1,
            )
        )
    amounts = removed[s.AMOUNT_USD].astype(float)
    return MegaRoundVariant(
        focus=focus,
        top_share=top_share,
        rounds_removed=len(removed),
        min_amount_usd=float(amounts.min()) if len(amounts) else float("nan"),
        removed_usd=float(amounts.sum()),
        verdicts=tuple(verdicts),
    )


__all__ = [
    "MEGA_COLUMNS",
    "MEGA_SHARE",
    "WIDE_RANGE",
    "MegaRoundVariant",
    "MethodRange",
    "VerdictChange",
    "method_range",
    "without_mega_rounds",
]
