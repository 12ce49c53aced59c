"""Sector wording of the policy sentences: they follow ``FlowOptions.sector``.

The templates speak of AI ("AI venture capital", "AI companies"). When the selection is not
the AI sector (``--sector all`` or a list of categories), the phrases are replaced by the
ordered ``[all_sectors].replace`` table of the language file (``data/i18n/<lang>.toml``), the
same table the report applies to its own text.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from vcflows.flows import FlowOptions


@cache
def _replacements(lang: str) -> tuple[tuple[str, str], ...]:
    raw = resources.files("vcflows").joinpath("data", "i18n", f"{lang}.toml").read_bytes()
    table = tomllib.loads(raw.decode("utf-8")).get("all_sectors", {})
    return tuple((str(old), str(new)) for old, new in table.get("replace", ()))


def sector_words(text: str, opts: FlowOptions, lang: str = "en") -> str:
    """``text`` with its AI phrases made sector-neutral unless ``opts`` selects AI companies.

    Parameters
    ----------
    text : str
        A rendered sentence.
    opts : FlowOptions
        The selection the sentence describes.
    lang : {"en", "ko"}
        Language of the sentence.

    Returns
    -------
    str
        The sentence as the selection's sector reads it.
    """
    if opts.sector == "ai":
        return text
    for old, new in _replacements(lang):
        text = text.replace(old, new)
    return text
