"""The one error type of the normalizers."""

from __future__ import annotations

from vcflows.errors import VcflowsError


class NormalizeError(VcflowsError):
    """A non-blank value cannot be normalized; the message says why.

    Adapters catch it and quarantine the row, with the field, the value and ``str(error)``
    as the reason.
    """
