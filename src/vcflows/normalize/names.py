"""Name keys: the form in which two sources' spellings of one organisation's name agree.

Used to find the same company or investor in two exports (:mod:`vcflows.store.link`), never
to change a stored name.
"""

from __future__ import annotations

import re
import unicodedata

from cleanco import basename
from cleanco.clean import normalized, prepare_default_terms, strip_punct, strip_tail

#: Legal forms come in pairs ("Co., Ltd.", "GmbH & Co. KG"): strip a few times at most.
_MAX_SUFFIXES = 3
#: Korean, Japanese and Chinese legal forms, which cleanco does not know; they open or close
#: a name ("주식회사 업스테이지", "(주)업스테이지", "北京智谱华章科技有限公司"). After NFKC, so
#: "㈜" and "（주）" are "(주)".
_CJK_FORMS = (
    "주식회사",
    "유한책임회사",
    "유한회사",
    "(주)",
    "(유)",
    "株式会社",
    "合同会社",
    "有限会社",
    "(株)",
    "(有)",
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
)
_CJK_FORM = "|".join(re.escape(f) for f in sorted(_CJK_FORMS, key=len, reverse=True))
_CJK_EDGE = re.compile(rf"^\s*(?:{_CJK_FORM})\s*|\s*(?:{_CJK_FORM})\s*$")
#: Last words of cleanco's legal forms: a name ending otherwise has none to strip (a test
#: ~8x cheaper than cleanco's scan of every form, which matters for a million names).
_LAST_WORDS = frozenset(parts[-1] for _, parts in prepare_default_terms())


def name_key(name: str | None) -> str:
    """The matching key of an organisation name.

    Legal-form suffixes are removed (cleanco, repeatedly: "Upstage Co., Ltd." -> "Upstage";
    and the Korean, Japanese and Chinese forms cleanco lacks, at either end: "(주)업스테이지"
    -> "업스테이지"), then case, accents, spaces and punctuation are dropped. Letters of every script are kept
    (Hangul, CJK), so "Société Générale SA" and "societe generale" agree, and "Sequoia
    Capital" and "Sequoia Capital China" do not.

    Parameters
    ----------
    name : str or None
        A company or investor name as stored.

    Returns
    -------
    str
        The key; ``""`` for a blank name. A name that is only a legal form ("Inc.") keeps
        it: cleanco leaves nothing else to match on.
    """
    if not name:
        return ""
    text = name.strip()
    if not text.isascii():
        text = _without_cjk_forms(text)
    for _ in range(_MAX_SUFFIXES):
        shorter = _basename(text).strip()
        if not shorter or shorter == text:
            break
        text = shorter
    # NFKD splits accents off their letters; combining marks are not alphanumeric.
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _without_cjk_forms(text: str) -> str:
    """``text`` without the CJK legal forms that open or close it (unchanged if none, or if
    nothing else is left)."""
    folded = unicodedata.normalize("NFKC", text)
    shorter = folded
    for _ in range(_MAX_SUFFIXES):
        cut = _CJK_EDGE.sub("", shorter)
        if cut == shorter:
            break
        shorter = cut
    return shorter if shorter and shorter != folded else text


def _basename(text: str) -> str:
    """cleanco's ``basename(text)``, without its scan of every legal form when none can match."""
    words = normalized(strip_tail(text)).split()  # the words cleanco compares with the forms
    if words and strip_punct(words[-1]) in _LAST_WORDS:
        return str(basename(text))
    return str(strip_tail(" ".join(strip_tail(text).split())))  # what basename then returns
