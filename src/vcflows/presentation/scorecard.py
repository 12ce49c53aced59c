"""The findings scorecard as a table: the same rows in the report's chapter and the dashboard."""

from __future__ import annotations

import pandas as pd

from vcflows.findings import Finding
from vcflows.presentation import formatting as fmt
from vcflows.presentation.i18n import Text

#: Columns of :func:`scorecard_frame`.
SCORECARD_COLUMNS = ("finding", "country", "value_interval", "threshold_rule", "verdict")


def _finding_value(value: float | None, claim: str) -> str:
    if value is None:
        return "–"
    return fmt.count(value) if claim == "champions_abroad" else fmt.share(value)


def scorecard_frame(found: tuple[Finding, ...], text: Text) -> pd.DataFrame:
    """The findings scorecard in ``text``'s language (the report's and the dashboard's).

    Columns finding, country (the subject), value_interval, threshold_rule and verdict
    (supported / not supported / not enough data, marked when not robust).
    """
    verdicts = text.section("verdict")
    rows = []
    for f in found:
        value = _finding_value(f.value, f.claim)
        if f.ci_low is not None and f.ci_high is not None:
            low, high = _finding_value(f.ci_low, f.claim), _finding_value(f.ci_high, f.claim)
            value = f"{value} ({low}–{high})"
        op = "<" if f.comparator.startswith("<") else ">" if f.comparator[:2] == "> " else "≥"
        rule = f"{op} {_finding_value(f.threshold, f.claim)}"
        if f.claim == "talent_draws_foreign":
            rule += f", {verdicts['interval_above']}"
        elif f.claim == "us_dominant":
            rule += f", {verdicts['rank_first']}"
        elif f.claim == "foreign_hub":
            rule += f", {verdicts['top_source']}"
        if f.holds is None:
            verdict = verdicts["not_enough"]
        else:
            verdict = verdicts["supported" if f.holds else "not_supported"]
            if f.robust is False:
                verdict += f" ({verdicts['fragile']})"
        rows.append(
            {
                "finding": text.section("finding").get(f.claim, f.claim),
                "country": f.subject,
                "value_interval": value,
                "threshold_rule": rule,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))
