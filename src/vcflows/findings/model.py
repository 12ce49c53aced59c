"""The typed records of the findings layer: a :class:`Finding` and its :class:`FindingOptions`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from vcflows.errors import OptionError

#: Default thresholds of the catalogue (claim id -> threshold), and the champions' criteria.
DEFAULT_THRESHOLDS: Mapping[str, float] = MappingProxyType(
    {
        "us_dominant": 0.5,
        "home_focus": 0.7,
        "foreign_hub": 0.4,
        "outward": 0.5,
        "champions_abroad": 1.0,
        "champion_min_foreign_share": 0.2,
        "champion_min_foreign_usd": 10_000_000.0,
        "talent_draws_foreign": 0.0,
        "talent_min_companies": 10.0,
    }
)


@dataclass(frozen=True)
class FindingOptions:
    """How findings are evaluated.

    Parameters
    ----------
    thresholds : mapping of str to float
        Overrides of :data:`DEFAULT_THRESHOLDS` (unknown keys are an error).
    min_rounds : int
        Rounds a subject needs in the direction a claim reads (inbound or outbound);
        fewer make the finding undetermined.
    ci_level : float
        Level of the bootstrap interval (0 < level < 1).
    resamples : int
        Bootstrap resamples (0 disables the interval).
    seed : int
        Seed of the bootstrap.
    """

    thresholds: Mapping[str, float] = field(default_factory=dict)
    min_rounds: int = 30
    ci_level: float = 0.9
    resamples: int = 200
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = sorted(set(self.thresholds) - set(DEFAULT_THRESHOLDS))
        if unknown:
            raise OptionError(
                f"thresholds: unknown key(s) {', '.join(unknown)}; "
                f"known: {', '.join(DEFAULT_THRESHOLDS)}"
            )
        merged: dict[str, float] = dict(DEFAULT_THRESHOLDS)
        for key, value in self.thresholds.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise OptionError(f"thresholds: {key} must be a number, got {value!r}")
            if not math.isfinite(float(value)):
                raise OptionError(f"thresholds: {key} must be finite, got {value!r}")
            merged[key] = float(value)
        object.__setattr__(self, "thresholds", MappingProxyType(merged))
        if isinstance(self.min_rounds, bool) or not isinstance(self.min_rounds, int):
            raise OptionError(f"min_rounds: expected an integer, got {self.min_rounds!r}")
        if self.min_rounds < 0:
            raise OptionError(f"min_rounds: expected ≥ 0, got {self.min_rounds}")
        if not 0.0 < float(self.ci_level) < 1.0:
            raise OptionError(f"ci_level: expected a level between 0 and 1, got {self.ci_level}")
        if isinstance(self.resamples, bool) or not isinstance(self.resamples, int):
            raise OptionError(f"resamples: expected an integer, got {self.resamples!r}")
        if self.resamples < 0:
            raise OptionError(f"resamples: expected ≥ 0, got {self.resamples}")

    def threshold(self, key: str) -> float:
        """The threshold (or criterion) ``key`` in force."""
        return float(self.thresholds[key])


@dataclass(frozen=True)
class Finding:
    """One claim of the reproduced report, evaluated on the data at hand.

    ``holds`` is None when the data cannot decide (``reason`` says why); ``ci_low`` and
    ``ci_high`` bound ``value`` by a bootstrap over rounds; ``robust`` is True when the
    verdict is the same under equal, full and lead attribution and the interval lies on one
    side of the threshold. ``figures`` holds the extra named figures (top source, rank,
    company names, ...) and ``query`` what reproduces ``value``.
    """

    claim: str
    subject: str
    value: float | None
    threshold: float | None
    comparator: str
    holds: bool | None
    reason: str | None
    n_rounds: int
    amount_usd: float
    ci_low: float | None = None
    ci_high: float | None = None
    robust: bool | None = None
    figures: Mapping[str, Any] = field(default_factory=dict)
    query: str = ""

    def to_record(self) -> dict[str, Any]:
        """JSON-ready dict with the field names above (NaN as None)."""

        def clean(v: Any) -> Any:
            if isinstance(v, float) and not math.isfinite(v):
                return None
            return v

        return {
            "claim": self.claim,
            "subject": self.subject,
            "value": clean(self.value),
            "threshold": clean(self.threshold),
            "comparator": self.comparator,
            "holds": self.holds,
            "reason": self.reason,
            "n_rounds": int(self.n_rounds),
            "amount_usd": clean(float(self.amount_usd)),
            "ci_low": clean(self.ci_low),
            "ci_high": clean(self.ci_high),
            "robust": self.robust,
            "figures": {k: clean(v) for k, v in self.figures.items()},
            "query": self.query,
        }
