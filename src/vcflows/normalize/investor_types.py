"""Free-text investor types to :data:`vcflows.schema.INVESTOR_TYPES`.

Matching is on folded text (case, ``_``/``-`` and punctuation ignored), first by exact
name, then by keywords. Crunchbase's ``investor_type`` values, Dealroom's and PitchBook's
investor type labels are covered; anything unrecognized is ``other``, blank is ``unknown``.
A comma- or ``|``-separated list ("venture_capital, micro_vc") takes its first recognized
entry, the type the source names first.
"""

from __future__ import annotations

import re

from vcflows.normalize._text import fold, is_blank

_EXACT: dict[str, str] = {
    "venture capital": "vc",
    "vc": "vc",
    "micro vc": "vc",
    "venture capital firm": "vc",
    "venture debt": "vc",
    "corporate venture capital": "cvc",
    "cvc": "cvc",
    "corporate vc": "cvc",
    "corporate": "corporate",
    "corporation": "corporate",
    "company": "corporate",
    "strategic": "corporate",
    "individual": "angel",
    "angel": "angel",
    "angel group": "angel",
    "angel investor": "angel",
    "angel individual": "angel",
    "business angel": "angel",
    "person": "angel",
    "syndicate": "angel",
    "government office": "government",
    "government": "government",
    "government agency": "government",
    "sovereign wealth fund": "government",
    "accelerator": "accelerator",
    "incubator": "accelerator",
    "accelerator incubator": "accelerator",
    "entrepreneurship program": "accelerator",
    "startup competition": "accelerator",
    "co working space": "accelerator",
    "university program": "accelerator",
    "private equity firm": "pe",
    "private equity": "pe",
    "pe": "pe",
    "pe buyout": "pe",
    "growth expansion": "pe",
}
_KEYWORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bcorporate venture\b|\bcvc\b"), "cvc"),
    (re.compile(r"\bventure\b|\bvc\b"), "vc"),
    (re.compile(r"\bprivate equity\b|\bbuyout\b"), "pe"),
    (re.compile(r"\bangel\b|\bindividual\b"), "angel"),
    (re.compile(r"\baccelerator\b|\bincubator\b"), "accelerator"),
    (re.compile(r"\bgovernment\b|\bpublic\b|\bsovereign\b|\bstate\b"), "government"),
    (re.compile(r"\bcorporat"), "corporate"),
)


def _one(text: str) -> str | None:
    if text in _EXACT:
        return _EXACT[text]
    for pattern, kind in _KEYWORDS:
        if pattern.search(text):
            return kind
    return None


def to_investor_type(value: str | None) -> str:
    """Map a free-text investor type to the controlled vocabulary.

    Parameters
    ----------
    value : str or None
        E.g. "venture_capital", "Venture Capital", "corporate_venture_capital", "individual".

    Returns
    -------
    str
        One of :data:`vcflows.schema.INVESTOR_TYPES`; ``unknown`` for blank, ``other`` for
        unrecognized text (e.g. "investment_bank", "hedge_fund").

    Examples
    --------
    >>> to_investor_type("Venture Capital"), to_investor_type("government_office")
    ('vc', 'government')
    """
    if is_blank(value):
        return "unknown"
    parts = [fold(p) for p in re.split(r"[,;|]", str(value)) if p.strip()]
    for part in parts:
        kind = _one(part)
        if kind is not None:
            return kind
    return "other" if parts else "unknown"
