"""Round types to the controlled stage vocabulary :data:`vcflows.schema.STAGES`.

Rules, in order (text is compared case-insensitively, ``_``/``-``/``/`` as spaces):

* a series code ("A", "B1", "Series C", "E") with a venture-like or blank round type gives
  ``series_a`` / ``series_b`` / ``series_c``; D and later give ``series_d_plus``;
* "pre-seed" -> ``pre_seed``; "seed", "angel" -> ``seed``; "series X" inside the type -> as above;
* "grant" -> ``grant``; "debt", "loan" -> ``debt``;
* "private equity", "growth", "expansion", "buyout" -> ``growth``;
* a venture round without series ("venture", "early stage vc", "later stage vc"), blank,
  "undisclosed" or "unknown" -> ``unknown`` (a real round whose stage is not known);
* any other type (convertible note, crowdfunding, post-IPO equity, ICO, ...) -> ``other``.
"""

from __future__ import annotations

import re

from vcflows.normalize._text import fold, is_blank

_VENTURE_LIKE = re.compile(
    r"^(venture|vc|early stage vc|later stage vc|late stage vc|early vc|late vc|venture round"
    r"|series|series unknown|equity)?$"
)
_SERIES = re.compile(r"\bseries ([a-z])(?: ?\d+)?\b|^([a-z])(?: ?\d+)?$")
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bpre ?seed\b"), "pre_seed"),
    (re.compile(r"\bseed\b|\bangel\b"), "seed"),
    (re.compile(r"\bgrant\b"), "grant"),
    (re.compile(r"\bdebt\b|\bloan\b"), "debt"),
    (re.compile(r"\bprivate equity\b|\bgrowth\b|\bexpansion\b|\bbuyout\b|\bpe\b"), "growth"),
    (re.compile(r"\bventure\b|\bvc\b|\bseries unknown\b|^undisclosed$|^unknown$"), "unknown"),
)


def _series(letter: str) -> str:
    return {"a": "series_a", "b": "series_b", "c": "series_c"}.get(letter, "series_d_plus")


def _from_code(code: str) -> str | None:
    folded = fold(code)
    for pattern, stage in _RULES[:2]:
        if pattern.search(folded):
            return stage
    match = _SERIES.search(folded)
    if match:
        return _series(match[1] or match[2])
    return None


def to_stage(round_type: str | None, code: str | None = None) -> str:
    """Map a round type (and optional series code) to the stage vocabulary.

    Parameters
    ----------
    round_type : str or None
        E.g. Crunchbase's ``funding_round_type`` ("venture", "seed", "private_equity") or
        a free-text deal type ("Early Stage VC", "SERIES B", "Seed Round").
    code : str or None
        Series code, e.g. Crunchbase's ``funding_round_code`` ("A") or "Series B1".

    Returns
    -------
    str
        One of :data:`vcflows.schema.STAGES`.

    Examples
    --------
    >>> to_stage("venture", "A"), to_stage("angel"), to_stage("debt_financing")
    ('series_a', 'seed', 'debt')
    """
    text = "" if is_blank(round_type) else fold(str(round_type))
    if not is_blank(code) and _VENTURE_LIKE.match(text):
        from_code = _from_code(str(code))
        if from_code is not None:
            return from_code
    if not text:
        return "unknown"
    match = _SERIES.search(text)
    if match and match[1]:
        return _series(match[1])
    for pattern, stage in _RULES:
        if pattern.search(text):
            return stage
    return "other"
