"""Founder titles: which job titles make a person one of a company's founders.

Rule (documented for users in the README): a title names a founder when one of its words,
split on anything that is not a letter or a digit and compared without case, is ``founder``,
``founders``, ``cofounder`` or ``cofounders``; "co-founder" and "co founder" are the words
"co" and "founder". So "Founder | CEO", "Co-Founder | CTO", "CEO/Founder", "Cofounder" and
"FOUNDER & Managing Partner" name founders; "Founding Partner", "Foundry Lead" and
"Founderscoin Advisor" do not (a word is compared whole, never as a substring).
"""

from __future__ import annotations

import re
import unicodedata

#: The words that make a title a founder's (after case folding).
FOUNDER_WORDS: frozenset[str] = frozenset({"founder", "founders", "cofounder", "cofounders"})
_WORD = re.compile(r"[^\W_]+")


def is_founder_title(title: str | None) -> bool:
    """Whether a job title names a founder (module docstring's rule).

    Parameters
    ----------
    title : str or None
        A job title as the source writes it.

    Returns
    -------
    bool
        True when one of the title's words is a founder word; False for a blank title.
    """
    if not title:
        return False
    folded = unicodedata.normalize("NFKC", title).casefold()
    return any(word in FOUNDER_WORDS for word in _WORD.findall(folded))
