"""The finding ``talent_draws_foreign``: talent-founded companies draw more foreign money.

Subjects: the focus country, then every other country with founder data (alphabetical).
Value: the foreign share of the inbound money of a country's talent-founded companies minus
that of its other companies (:mod:`vcflows.talent.money`, equal attribution); threshold 0.
Holds when the difference is positive and its bootstrap interval lies above 0; false
otherwise. Undetermined (``holds`` None, with the reason) when the store has no founder data
(the reason names the files that provide them), when the country has fewer than
``talent_min_companies`` talent-founded companies with rounds in the selection, when either
group has no attributed money, or when the interval is disabled (``resamples`` 0). Robust
when the verdict is the same under lead attribution and the interval lies on one side of 0.
"""

from __future__ import annotations

import dataclasses
import math

import duckdb
import pandas as pd

from vcflows.findings.model import Finding, FindingOptions
from vcflows.flows import FlowOptions
from vcflows.flows import columns as c
from vcflows.talent import columns as t
from vcflows.talent import has_people, talent_analysis, talent_flags
from vcflows.talent.catalogue import TalentList

CLAIM = "talent_draws_foreign"
#: Why the finding is undetermined on a store without founder data.
NO_PEOPLE = (
    "no founder data in the store: this finding needs companies' founders and their prior "
    "roles or degrees, from Crunchbase's bulk people.csv + jobs.csv (and degrees.csv) "
    "(`vcflows ingest --format crunchbase-bulk`) or a founders list "
    '(`vcflows ingest --format generic` with a mapping of shape = "founders")'
)
_COMPARATOR = "> 0 (interval above 0)"


def _query(subject: str, desc: str) -> str:
    return (
        f"talent_analysis().countries WHERE country = '{subject}': "
        f"talent_foreign_share - other_foreign_share  -- {desc}"
    )


def _verdict(row: pd.Series | None) -> bool | None:
    if row is None or not math.isfinite(float(row[t.DIFFERENCE])):
        return None
    low = row[t.CI_LOW]
    diff = float(row[t.DIFFERENCE])
    if low is None or pd.isna(low):
        return None
    return bool(diff > 0 and float(low) > 0)


def _row(countries: pd.DataFrame, subject: str) -> pd.Series | None:
    hit = countries[countries[c.COUNTRY] == subject]
    return None if hit.empty else hit.iloc[0]


def talent_findings(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions,
    focus: str,
    options: FindingOptions,
    talent: TalentList | None = None,
) -> list[Finding]:
    """Evaluate ``talent_draws_foreign`` (module docstring) for the focus and every country
    with founder data.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions
        Selection; equal attribution is used for the value, lead for the robustness check.
    focus : str
        ISO3 of the focus country (checked by the caller).
    options : FindingOptions
        Thresholds (``talent_draws_foreign``, ``talent_min_companies``) and bootstrap.
    talent : TalentList, optional
        What counts as AI talent (default: the shipped list).

    Returns
    -------
    list of Finding
    """
    threshold = options.threshold(CLAIM)
    minimum = int(options.threshold("talent_min_companies"))
    equal = dataclasses.replace(opts, attribution="equal")
    desc = equal.describe()
    if not has_people(con):
        return [
            Finding(CLAIM, focus, None, threshold, _COMPARATOR, None, NO_PEOPLE, 0, 0.0,
                    query=_query(focus, desc))
        ]  # fmt: skip
    flags = talent_flags(con, talent)
    res, lead = (
        talent_analysis(
            con,
            dataclasses.replace(opts, attribution=method),
            flags=flags,
            ci_level=options.ci_level,
            resamples=options.resamples,
            seed=options.seed,
        )
        for method in ("equal", "lead")
    )
    subjects = [focus, *sorted(set(res.countries[c.COUNTRY]) - {focus})]
    found = []
    for subject in subjects:
        row = _row(res.countries, subject)
        mine = res.companies[res.companies[c.COUNTRY] == subject]
        talented = mine[mine[t.TALENT_FOUNDED]]
        n = len(talented)
        reason: str | None = None
        if row is None:
            reason = f"{subject}: no company with founder records has rounds in the selection"
        elif n < minimum:
            reason = (
                f"{subject}: {n} talent-founded compan{'y' if n == 1 else 'ies'} with rounds, "
                f"fewer than {minimum}"
            )
        elif not math.isfinite(float(row[t.DIFFERENCE])):
            reason = f"{subject}: the difference is undefined (a group has no attributed money)"
        elif options.resamples == 0:
            reason = f"{subject}: the verdict needs the interval (resamples = 0)"
        holds = None if reason is not None else _verdict(row)
        low = None if row is None or pd.isna(row[t.CI_LOW]) else float(row[t.CI_LOW])
        high = None if row is None or pd.isna(row[t.CI_HIGH]) else float(row[t.CI_HIGH])
        robust = None
        if holds is not None and low is not None and high is not None:
            same = _verdict(_row(lead.countries, subject)) == holds
            robust = bool(same and (low > threshold or high < threshold))
        value = None if row is None else float(row[t.DIFFERENCE])
        figures = {}
        if row is not None:
            top = talented.sort_values(t.TOTAL_USD, ascending=False, kind="mergesort").head(5)
            figures = {
                t.TALENT_COMPANIES: n,
                t.OTHER_COMPANIES: int(row[t.OTHER_COMPANIES]),
                t.TALENT_FOREIGN_SHARE: float(row[t.TALENT_FOREIGN_SHARE]),
                t.OTHER_FOREIGN_SHARE: float(row[t.OTHER_FOREIGN_SHARE]),
                t.TALENT_SHARE: float(row[t.TALENT_SHARE]),
                "companies": "; ".join(str(x) for x in top["name"]),
            }
        found.append(
            Finding(
                claim=CLAIM,
                subject=subject,
                value=value if value is None or math.isfinite(value) else None,
                threshold=threshold,
                comparator=_COMPARATOR,
                holds=holds,
                reason=reason,
                n_rounds=int(mine[c.ROUNDS].sum()),
                amount_usd=float(mine[t.TOTAL_USD].sum()),
                ci_low=low,
                ci_high=high,
                robust=robust,
                figures=figures,
                query=_query(subject, desc),
            )
        )
    return found
