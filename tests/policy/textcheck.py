"""An independent check that every number a sentence states is one of its figures.

String figures (country codes, company names, labels) are blanked first; each remaining number
must equal a numeric figure, read through the unit its text shows ("%" -> ×100, "tn" -> /1e12,
"bn" -> /1e9, "m" -> /1e6, "k" -> /1e3, otherwise as is), to the precision printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def unmatched_numbers(text: str, figures: Mapping[str, float | str]) -> list[str]:
    """Numbers of ``text`` that no figure explains (empty when every number is evidence)."""
    for value in sorted((v for v in figures.values() if isinstance(v, str)), key=len, reverse=True):
        text = text.replace(value, " ")
    values = [float(v) for v in figures.values() if not isinstance(v, str)]
    bad = []
    for m in _NUMBER.finditer(text):
        token = m.group()
        x = float(token.replace(",", ""))
        decimals = len(token.split(".")[1]) if "." in token else 0
        after = text[m.end() : m.end() + 3]
        if after.startswith("%"):
            scaled = [v * 100 for v in values]
        elif after.startswith(" tn"):
            scaled = [v / 1e12 for v in values]
        elif after.startswith(" bn"):
            scaled = [v / 1e9 for v in values]
        elif after.startswith(" m"):
            scaled = [v / 1e6 for v in values]
        elif after.startswith(" k"):
            scaled = [v / 1e3 for v in values]
        else:
            scaled = values
        tolerance = 0.5 * 10**-decimals + 1e-9
        if not any(abs(v - x) <= tolerance for v in scaled):
            bad.append(token)
    return bad
