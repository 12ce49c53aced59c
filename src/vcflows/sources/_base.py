"""What every source adapter returns: canonical tables, quarantined rows and row accounting."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from vcflows import schema as s


@dataclass
class FileAccount:
    """Row accounting for one input file (or one sheet of a workbook).

    The identity ``read == loaded + quarantined + skipped`` always holds. ``skipped`` counts
    rows deliberately not loaded because the model has no place for them yet (e.g.
    acquisitions); it is zero for every table the model covers. ``flagged`` counts apart the
    field-level quarantine records: a loaded row whose optional value (a country, a currency,
    a flag, ...) was not recognized keeps that field unknown and has one record per such
    field (or list entry) in the quarantine.
    """

    file: str
    read: int = 0
    loaded: int = 0
    quarantined: int = 0
    skipped: int = 0
    note: str = ""
    flagged: int = 0

    @property
    def balanced(self) -> bool:
        """Whether every row read is accounted for."""
        return self.read == self.loaded + self.quarantined + self.skipped


def empty_table(table: str) -> pd.DataFrame:
    """Return an empty DataFrame with the canonical columns of ``table``."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in s.columns(table)})


@dataclass
class SourceBatch:
    """The output of one source adapter run, ready for :func:`vcflows.store.ingest_batch`.

    Each DataFrame has exactly the canonical columns of its table (see :mod:`vcflows.schema`);
    dates as ``datetime.date`` or ISO strings, amounts as floats, NULL as ``None``/``NaN``.
    A record may appear several times (e.g. an investor named on many rows): the store keeps
    one per primary key, choosing each field by an order-free rule (see
    :mod:`vcflows.store.db`). A frame may carry the staging column
    :data:`vcflows.schema.MERGE_RANK` to rank its records above others of the same key.
    """

    source: str
    companies: pd.DataFrame = field(default_factory=lambda: empty_table(s.COMPANIES))
    rounds: pd.DataFrame = field(default_factory=lambda: empty_table(s.ROUNDS))
    participations: pd.DataFrame = field(default_factory=lambda: empty_table(s.PARTICIPATIONS))
    investors: pd.DataFrame = field(default_factory=lambda: empty_table(s.INVESTORS))
    people: pd.DataFrame = field(default_factory=lambda: empty_table(s.PEOPLE))
    roles: pd.DataFrame = field(default_factory=lambda: empty_table(s.ROLES))
    degrees: pd.DataFrame = field(default_factory=lambda: empty_table(s.DEGREES))
    quarantine: pd.DataFrame = field(default_factory=lambda: empty_table(s.QUARANTINE))
    accounts: list[FileAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, name: str) -> pd.DataFrame:
        """Return the DataFrame of canonical or people table ``name`` (or the quarantine)."""
        return {
            s.COMPANIES: self.companies,
            s.ROUNDS: self.rounds,
            s.PARTICIPATIONS: self.participations,
            s.INVESTORS: self.investors,
            s.PEOPLE: self.people,
            s.ROLES: self.roles,
            s.DEGREES: self.degrees,
            s.QUARANTINE: self.quarantine,
        }[name]
