"""Small universes for the findings tests: the report's world and its inverse.

Amounts are in units of ``U`` = USD 10 m, so the champions' USD 10 m floor is one unit.
"""

from __future__ import annotations

from typing import Any

U = 10_000_000.0


def reported_world() -> list[tuple[Any, ...]]:
    """Every catalogued claim holds here (with min_rounds=1), by the figures in the tests."""
    return [
        *[(f"us{i}", f"u{i}", "USA", 2021, 200 * U, [("us_a", "USA")]) for i in range(4)],
        ("gb1", "g1", "GBR", 2021, 100 * U, [("us_a", "USA"), ("us_b", "USA"), ("gb_a", "GBR")]),
        ("ca1", "c1", "CAN", 2021, 100 * U, [("us_a", "USA"), ("us_b", "USA"), ("ca_a", "CAN")]),
        ("il1", "i1", "ISR", 2021, 100 * U, [("us_a", "USA"), ("us_b", "USA"), ("il_a", "ISR")]),
        ("cn1", "n1", "CHN", 2021, 100 * U, [("cn_a", "CHN")]),
        ("kr1", "k1", "KOR", 2021, 100 * U, [("kr_a", "KOR")]),
        ("kr2", "k2", "KOR", 2021, 3 * U, [("us_a", "USA"), ("kr_a", "KOR")]),
        ("ug", "u9", "USA", 2021, 100 * U, [("gb_a", "GBR")]),
        ("ud", "u8", "USA", 2021, 100 * U, [("de_a", "DEU")]),
    ]


def inverted_world() -> list[tuple[Any, ...]]:
    """US and Chinese investors abroad, UK/Canada/Israel and Europe domestic, Korea foreign."""
    return [
        ("us1", "u1", "USA", 2021, 100 * U, [("cn_a", "CHN")]),
        ("cn1", "n1", "CHN", 2021, 200 * U, [("us_a", "USA")]),
        ("gb1", "g1", "GBR", 2021, 300 * U, [("gb_a", "GBR")]),
        ("ca1", "c1", "CAN", 2021, 300 * U, [("ca_a", "CAN")]),
        ("il1", "i1", "ISR", 2021, 300 * U, [("il_a", "ISR")]),
        ("de1", "d1", "DEU", 2021, 300 * U, [("de_a", "DEU")]),
        # Korea: wholly foreign-funded, but no company reaches USD 10 m of foreign money
        ("kr1", "k1", "KOR", 2021, 0.5 * U, [("us_a", "USA")]),
        ("kr2", "k2", "KOR", 2021, 0.5 * U, [("gb_a", "GBR")]),
    ]


def repeated(world: list[tuple[Any, ...]], times: int) -> list[tuple[Any, ...]]:
    """``world`` with each round copied ``times`` times (new round and company ids)."""
    return [(f"{r[0]}_{k}", f"{r[1]}_{k}", *r[2:]) for k in range(times) for r in world]
