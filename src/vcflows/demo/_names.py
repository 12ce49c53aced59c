"""Fictional names, category tags and short descriptions for demo companies and investors.

Names are built from word lists so that they read like a deal database without naming real
firms. Category tags use the vocabulary of deal databases: AI companies always carry one of
:data:`AI_TAGS` (what a keyword taxonomy looks for), non-AI companies never do.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

#: Primary tags of AI companies; each AI company carries exactly one of them first.
AI_TAGS: Final[tuple[str, ...]] = (
    "artificial intelligence",
    "machine learning",
    "computer vision",
    "natural language processing",
    "generative ai",
)
#: Application domains (shared by AI and non-AI companies).
DOMAIN_TAGS: Final[tuple[str, ...]] = (
    "fintech",
    "e-commerce",
    "health care",
    "biotechnology",
    "logistics",
    "education",
    "real estate",
    "travel",
    "media",
    "insurance",
    "manufacturing",
    "energy",
    "food and beverage",
    "gaming",
    "legal",
    "agriculture",
)
_AI_WHAT: Final = (
    "machine learning models",
    "computer vision systems",
    "large language models",
    "generative AI tools",
    "AI assistants",
    "speech recognition software",
    "neural network inference chips",
)
_PLAIN_WHAT: Final = (
    "an online marketplace",
    "a payments platform",
    "a delivery network",
    "a subscription service",
    "booking software",
    "a consumer brand",
    "a mobile banking app",
    "a clinic network",
)
_SYLLABLE_A: Final = (
    "Al", "Bri", "Cor", "Del", "Eve", "Fen", "Gal", "Hal", "Ist", "Jun", "Kal", "Lum",
    "Mer", "Nov", "Orb", "Pal", "Quin", "Ros", "Sol", "Tes", "Umb", "Ver", "Wex", "Zan",
)  # fmt: skip
_SYLLABLE_B: Final = (
    "ara", "enta", "ido", "ora", "ux", "ivo", "ana", "eon", "ika", "ova", "yra", "esta",
    "ori", "ant", "umi", "ello", "ix", "ado", "ena", "aro",
)  # fmt: skip
_SYLLABLE_C: Final = ("", "n", "x", "ra", "lis", "tek", "via", "mo", "ly", "sa")
_AI_SUFFIX: Final = ("AI", "Labs", "Intelligence", "Minds", "Vision", "Cortex")
_PLAIN_SUFFIX: Final = ("Pay", "Cart", "Health", "Logistics", "Homes", "Travel", "Foods", "Play")
_FIRM_A: Final = (
    "Granite", "Harbor", "Summit", "Northwind", "Cedar", "Blue Fjord", "Meridian", "Ironwood",
    "Silver Birch", "Redwood", "Lantern", "Beacon", "Compass", "Tidewater", "Highline",
    "Foundry", "Kestrel", "Juniper", "Aurora", "Basalt", "Copperleaf", "Driftwood", "Evergreen",
    "Fieldstone", "Glacier", "Hollow Oak", "Keystone", "Larkspur", "Moraine", "Obsidian",
)  # fmt: skip
_FIRM_SUFFIX: Final[dict[str, tuple[str, ...]]] = {
    "vc": ("Ventures", "Capital", "Partners"),
    "cvc": ("Corporate Ventures", "Strategic Ventures"),
    "corporate": ("Industries", "Group", "Holdings"),
    "government": ("Public Innovation Fund", "State Growth Fund"),
    "angel": ("Angels", "Angel Syndicate"),
    "accelerator": ("Accelerator", "Startup Studio"),
    "pe": ("Equity Partners", "Growth Equity"),
    "other": ("Family Office", "Investment Club"),
    "unknown": ("Investments", "Fund"),
}
#: Big-tech-like corporate venture arms and public funds (fictional), added to every demo.
NAMED_INVESTORS: Final[tuple[tuple[str, str, str], ...]] = (
    ("Alphabyte Ventures", "USA", "cvc"),
    ("Nimbus Cloud Ventures", "USA", "cvc"),
    ("Orchard Devices Capital", "USA", "cvc"),
    ("Quantix Chips Ventures", "USA", "cvc"),
    ("Socialverse Fund", "USA", "cvc"),
    ("Tengda Strategic Investment", "CHN", "cvc"),
    ("Baixing Capital", "CHN", "cvc"),
    ("Hanul Electronics Ventures", "KOR", "cvc"),
    ("Kairo Telecom Ventures", "JPN", "cvc"),
    ("Vektor Industrie Ventures", "DEU", "cvc"),
    ("Lion City Sovereign Holdings", "SGP", "government"),
    ("Maple Public Innovation Fund", "CAN", "government"),
    ("Korea Future Growth Fund", "KOR", "government"),
    ("Britannia Patient Capital Fund", "GBR", "government"),
    ("Fonds Souverain Numerique", "FRA", "government"),
    ("European Deep Tech Fund", "DEU", "government"),
)
#: Fictional names for the Korean AI startups that raise from foreign investors.
KOREAN_GLOBAL_NAMES: Final[tuple[str, ...]] = (
    "Dalbit Vision AI",
    "Gaon Language Labs",
    "Haneul Compute AI",
    "Saebyeok Robotics AI",
)


def _pick(words: tuple[str, ...], idx: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(words, dtype=object)[idx % len(words)], dtype=object)


def company_names(number: np.ndarray, is_ai: np.ndarray) -> pd.Series:
    """Build fictional company names, unique per ``number`` (the global company index)."""
    a = _pick(_SYLLABLE_A, number)
    b = _pick(_SYLLABLE_B, number // len(_SYLLABLE_A))
    c = _pick(_SYLLABLE_C, number // (len(_SYLLABLE_A) * len(_SYLLABLE_B)))
    combos = len(_SYLLABLE_A) * len(_SYLLABLE_B) * len(_SYLLABLE_C)
    ai_suffix = _pick(_AI_SUFFIX, number // combos)
    plain_suffix = _pick(_PLAIN_SUFFIX, number // combos)
    suffix = ai_suffix.where(pd.Series(is_ai), plain_suffix)
    series = number // (combos * len(_AI_SUFFIX))
    tail = pd.Series(np.where(series > 0, " " + (series + 1).astype(str), ""), dtype=object)
    return a + b + c + " " + suffix + tail


def company_tags(
    rng: np.random.Generator, number: np.ndarray, is_ai: np.ndarray
) -> tuple[pd.Series, pd.Series]:
    """Draw '|'-separated lower-case categories and a one-line description per company."""
    n = len(number)
    domain = rng.integers(0, len(DOMAIN_TAGS), n)
    ai_tag = rng.integers(0, len(AI_TAGS), n)
    what = rng.integers(0, 1 << 16, n)
    dom = _pick(DOMAIN_TAGS, domain)
    ai = pd.Series(is_ai)
    categories = (_pick(AI_TAGS, ai_tag) + "|" + dom).where(ai, dom + "|software")
    ai_what = _pick(_AI_WHAT, what)
    plain_what = _pick(_PLAIN_WHAT, what)
    description = ("Builds " + ai_what + " for " + dom + ".").where(
        ai, "Runs " + plain_what + " for " + dom + "."
    )
    return categories, description


def investor_names(number: np.ndarray, types: np.ndarray) -> pd.Series:
    """Build fictional investor names, unique per ``number`` (the global investor index).

    Parameters
    ----------
    number : numpy.ndarray
        Global investor index (int).
    types : numpy.ndarray
        Investor type of each investor (one of the keys of the type vocabulary).
    """
    combos = len(_FIRM_A) ** 2
    a = _pick(_FIRM_A, number)
    b = _pick(_FIRM_A, number // len(_FIRM_A) + 7)
    suffix = pd.Series([""] * len(number), dtype=object)
    for kind, words in _FIRM_SUFFIX.items():
        mask = types == kind
        suffix[mask] = np.asarray(words, dtype=object)[(number[mask] // combos) % len(words)]
    series = number // (combos * 2)
    tail = pd.Series(np.where(series > 0, " " + (series + 1).astype(str), ""), dtype=object)
    return a + " " + b + " " + suffix + tail
