"""Named exceptions. Every error vcflows raises for a user mistake derives from VcflowsError."""

from __future__ import annotations


class VcflowsError(Exception):
    """Base class of every error vcflows raises on purpose (bad input, bad option, ...)."""


class InputFileError(VcflowsError):
    """A whole input file cannot be read (wrong columns, undecodable bytes, empty, ...).

    The message names the file and the problem; nothing from the file is loaded.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class MappingError(VcflowsError):
    """A column mapping (generic adapter) is invalid."""


class OptionError(VcflowsError):
    """An option value is invalid (unknown country, attribution method, year range, ...)."""


class StoreError(VcflowsError):
    """The database cannot be opened or does not hold vcflows tables."""
