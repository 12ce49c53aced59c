"""Category lists to the canonical ``|``-separated, lower-case form."""

from __future__ import annotations

import re

from vcflows.normalize._text import is_blank

_SEPARATORS = re.compile(r"[|,;]")


def clean_categories(value: str | None) -> str | None:
    """Normalize a category list.

    Splits on ``|``, ``,`` or ``;``, strips and lower-cases each entry, collapses inner
    whitespace, drops empties and duplicates (keeping first-seen order).

    Parameters
    ----------
    value : str or None
        E.g. ``"|Software|Machine Learning|"`` or ``"a, b"``.

    Returns
    -------
    str or None
        E.g. ``"software|machine learning"``; None when nothing remains.

    Examples
    --------
    >>> clean_categories("|Software|Machine Learning|")
    'software|machine learning'
    """
    if is_blank(value):
        return None
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(str(value)):
        item = " ".join(part.split()).lower()
        if item and item not in seen:
            seen[item] = None
    return "|".join(seen) or None
