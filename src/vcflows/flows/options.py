"""Options shared by every flow computation, validated once when they are built."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from vcflows import schema as s
from vcflows.errors import OptionError

Attribution = Literal["equal", "full", "lead"]
ATTRIBUTIONS: tuple[str, ...] = get_args(Attribution)

#: Plausible bounds for a deal year; anything outside is a typo, not data.
_MIN_YEAR, _MAX_YEAR = 1900, 2100
#: ``sector`` values that are not tag lists: the AI taxonomy, and no filter.
SECTOR_WORDS: tuple[str, ...] = ("ai", "all")


def parse_sector(value: object) -> str:
    """The canonical form of a sector value (``--sector``).

    The rule, exactly: after stripping and lower-casing, ``"ai"`` means the companies the AI
    taxonomy marks and ``"all"`` means no filter; any other value is a comma-separated list
    of category tags, matched as whole tags. A value containing a comma is always a tag list,
    so ``"ai,"`` selects the companies tagged "ai" (not the taxonomy) and ``"all,"`` those
    tagged "all". Tags are stripped, de-duplicated and sorted; empty entries are dropped.

    Parameters
    ----------
    value : str
        E.g. ``"AI"``, ``"all"``, ``"Fintech, software"``, ``"ai,"``.

    Returns
    -------
    str
        ``"ai"``, ``"all"``, or the tags joined by ``","`` (``"fintech,software"``); a list
        of the one tag ``"ai"`` or ``"all"`` keeps its trailing comma (``"ai,"``) so that it
        stays a list when parsed again.

    Raises
    ------
    OptionError
        For a blank value or a list without any tag (``",,"``).
    """
    if not isinstance(value, str) or not value.strip():
        raise OptionError("sector: expected 'ai', 'all' or a comma-separated list of categories")
    sector = value.strip().lower()
    if sector in SECTOR_WORDS:
        return sector
    tags = sorted({t.strip() for t in sector.split(",") if t.strip()})
    if not tags:
        raise OptionError(f"sector: no category names in {value!r}")
    joined = ",".join(tags)
    return f"{joined}," if joined in SECTOR_WORDS else joined


@dataclass(frozen=True)
class FlowOptions:
    """What to count and how to attribute it.

    Parameters
    ----------
    year_from, year_to : int, optional
        Inclusive range of announcement years. ``None`` means no bound. When any bound is
        set, rounds without an announcement date are left out (their year is unknown).
    attribution : {"equal", "full", "lead"}
        How a round's amount is split among investor countries (see
        :mod:`vcflows.flows.attribution`).
    sector : str
        ``"ai"`` (companies the AI taxonomy marks), ``"all"`` (no filter) or a
        comma-separated list of company category tags (e.g. ``"fintech,software"``),
        matched case-insensitively as whole tags against ``companies.categories``; a value
        with a comma is always a list (``"ai,"`` is the tag "ai"). See :func:`parse_sector`.
    stages : tuple of str, optional
        Keep only rounds at these stages (values of :data:`vcflows.schema.STAGES`).

    Raises
    ------
    OptionError
        On any invalid value; the message names the option.
    """

    year_from: int | None = None
    year_to: int | None = None
    attribution: Attribution = "equal"
    sector: str = "ai"
    stages: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise OptionError(f"{name}: expected a year (integer), got {value!r}")
            if not _MIN_YEAR <= value <= _MAX_YEAR:
                raise OptionError(
                    f"{name}: {value} is not a plausible year ({_MIN_YEAR}-{_MAX_YEAR})"
                )
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise OptionError(f"year range: --from {self.year_from} is after --to {self.year_to}")
        if self.attribution not in ATTRIBUTIONS:
            raise OptionError(
                f"attribution: unknown method {self.attribution!r}; choose one of {', '.join(ATTRIBUTIONS)}"
            )
        object.__setattr__(self, "sector", parse_sector(self.sector))
        if self.stages is not None:
            stages = (self.stages,) if isinstance(self.stages, str) else tuple(self.stages)
            bad = [st for st in stages if st not in s.STAGES]
            if bad or not stages:
                raise OptionError(
                    f"stages: unknown stage(s) {', '.join(map(repr, bad)) or '(none given)'}; "
                    f"choose among {', '.join(s.STAGES)}"
                )
            object.__setattr__(self, "stages", tuple(sorted(set(stages))))

    @property
    def categories(self) -> tuple[str, ...]:
        """The category tags selected when ``sector`` is a list (empty for "ai"/"all")."""
        if self.sector in SECTOR_WORDS:
            return ()
        return tuple(t for t in self.sector.split(",") if t)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> FlowOptions:
        """Build options from a mapping, rejecting unknown keys.

        Parameters
        ----------
        values : dict
            Keys among the dataclass fields.

        Returns
        -------
        FlowOptions
            Validated options.
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise OptionError(
                f"unknown option(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return cls(**values)

    def describe(self) -> str:
        """One-line human summary, e.g. for table captions and report headers."""
        years = f"{self.year_from or '…'}–{self.year_to or '…'}"
        if self.year_from is None and self.year_to is None:
            years = "all years"
        stages = f", stages {'/'.join(self.stages)}" if self.stages else ""
        sector = {"ai": "AI companies", "all": "all sectors"}.get(
            self.sector, f"categories {', '.join(self.categories)}"
        )
        return f"{sector}, {years}, {self.attribution} attribution{stages}"
