"""The columns a mapping expects in one file of an export, and the check of a file's header.

A file of an export plays one role: ``rounds`` (the deals: one row per round or per
participation, see ``shape``), ``participations`` (deal–investor rows) or ``investors`` (an
investor list). Each role's columns are checked against the file's header before any row is
read: a missing required column is an :class:`~vcflows.errors.InputFileError`, a missing
optional column a :class:`~vcflows.errors.MappingError` unless the mapping declares the field
in ``optional = [...]``. Both name the closest headers of the file (difflib), since a missing
column is most often a misspelt one.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from vcflows.errors import InputFileError, MappingError

Role = Literal["rounds", "participations", "investors"]
#: Roles in the order a file is matched against them (the first whose columns it has wins).
ROLES: tuple[Role, ...] = ("rounds", "participations", "investors")
#: Field -> the header, or header alternatives (the first present wins), of its column.
Columns = dict[str, tuple[str, ...]]


def closest(name: str, header: Sequence[str]) -> str:
    """Words naming the headers of ``header`` closest to ``name`` (difflib), for messages."""
    near = difflib.get_close_matches(name, list(header), n=3, cutoff=0.6)
    if not near:
        folded = {h.casefold(): h for h in header}
        near = [folded[h] for h in difflib.get_close_matches(name.casefold(), list(folded), 3, 0.6)]
    return f"closest headers: {', '.join(repr(h) for h in near)}" if near else "no similar header"


def _words(alternatives: tuple[str, ...]) -> str:
    return " or ".join(repr(a) for a in alternatives)


@dataclass(frozen=True)
class FileSpec:
    """The columns one role's file must or may have.

    Attributes
    ----------
    role : {"rounds", "participations", "investors"}
        What the file holds.
    columns : dict
        Required fields -> header alternatives.
    optional_columns : dict
        Optional fields -> header alternatives.
    optional : frozenset of str
        Optional fields the file may lack (any other missing optional column is an error).
    pattern : str, optional
        A file-name pattern (``fnmatch``) choosing this role's files among the inputs.
    """

    role: Role
    columns: Columns
    optional_columns: Columns = field(default_factory=dict)
    optional: frozenset[str] = frozenset()
    pattern: str | None = None

    def maps(self, name: str) -> bool:
        """Whether the spec has a column (required or optional) for field ``name``."""
        return name in self.columns or name in self.optional_columns

    def claims(self, file_name: str, header: Sequence[str]) -> bool:
        """Whether a file with this name and header plays this role."""
        if self.pattern is not None:
            return fnmatch.fnmatch(file_name.casefold(), self.pattern.casefold())
        return all(any(c in header for c in alts) for alts in self.columns.values())

    def resolve(self, header: Sequence[str]) -> dict[str, str]:
        """Field -> the file's column for every mapped field the header has."""
        found: dict[str, str] = {}
        for name, alts in (*self.optional_columns.items(), *self.columns.items()):
            column = next((c for c in alts if c in header), None)
            if column is not None:
                found[name] = column
        return found

    def check(self, header: Sequence[str], path: str, origin: str) -> None:
        """Refuse a header lacking a required column, or an optional one not declared optional.

        Raises
        ------
        InputFileError
            A required column is missing (the message lists the file's columns).
        MappingError
            An optional column is missing and its field is not in ``optional = [...]``.
        """
        absent = sorted(
            (alts for alts in self.columns.values() if not any(c in header for c in alts)),
            key=" or ".join,
        )
        if absent:
            hints = "; ".join(f"for {a[0]!r}, {closest(a[0], header)}" for a in absent)
            raise InputFileError(
                path,
                f"missing required column(s): {', '.join(' or '.join(a) for a in absent)} "
                f"(found: {', '.join(header)}; {hints})",
            )
        for name, alts in self.optional_columns.items():
            if name in self.optional or any(c in header for c in alts):
                continue
            key = "optional_columns" if self.role == "rounds" else f"{self.role}.optional_columns"
            where = "optional" if self.role == "rounds" else f"{self.role}.optional"
            raise MappingError(
                f"mapping {origin}: key '{key}.{name}': column {_words(alts)} is not in {path} "
                f"({closest(alts[0], header)}); correct the header, or add {name!r} to "
                f"{where} = [...] if the export may lack it"
            )
