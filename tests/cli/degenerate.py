"""Small stores whose structure differs from the demo, for the no-crash tests.

Each builder returns the rounds of :func:`deals.make_db` (tests/flows/deals.py); the names say
what is unusual about them:

``korea_invests_only``
    No Korean company: KOR appears only as an investor country, so it ranks below countries
    that received nothing, and the target-rank country (third) received $0.
``no_korea``
    No Korean company and no Korean investor.
``national``
    A national deal list: every company is Canadian (CAN), investors from CAN, USA and GBR.
``single_year``
    Every round in 2021 (Korean companies among them).
``no_investor_countries``
    No investor has a known country (company countries are known).
"""

from __future__ import annotations

from deals import Round

STORES: dict[str, list[Round]] = {
    "korea_invests_only": [
        ("r1", "u1", "USA", 2020, 1000.0, [("us_a", "USA"), ("kr_a", "KOR")]),
        ("r2", "u2", "USA", 2021, 500.0, [("us_a", "USA"), ("jp_a", "JPN")]),
        ("r3", "g1", "GBR", 2021, 200.0, [("gb_a", "GBR"), ("us_a", "USA")]),
        ("r4", "g2", "GBR", 2022, 80.0, [("gb_a", "GBR")]),
    ],
    "no_korea": [
        ("r1", "u1", "USA", 2020, 1000.0, [("us_a", "USA"), ("gb_a", "GBR")]),
        ("r2", "u2", "USA", 2021, 500.0, [("us_a", "USA")]),
        ("r3", "g1", "GBR", 2021, 200.0, [("gb_a", "GBR"), ("us_a", "USA")]),
        ("r4", "d1", "DEU", 2022, 90.0, [("de_a", "DEU"), ("us_a", "USA")]),
    ],
    "national": [
        ("r1", "c1", "CAN", 2019, 300.0, [("ca_a", "CAN"), ("us_a", "USA")]),
        ("r2", "c2", "CAN", 2020, 120.0, [("ca_a", "CAN")]),
        ("r3", "c3", "CAN", 2021, 60.0, [("ca_b", "CAN"), ("gb_a", "GBR")]),
        ("r4", "c1", "CAN", 2022, 500.0, [("us_a", "USA"), ("ca_a", "CAN")]),
    ],
    "single_year": [
        ("r1", "k1", "KOR", 2021, 40.0, [("kr_a", "KOR"), ("us_a", "USA")]),
        ("r2", "k2", "KOR", 2021, 60.0, [("kr_a", "KOR")]),
        ("r3", "u1", "USA", 2021, 500.0, [("us_a", "USA")]),
        ("r4", "g1", "GBR", 2021, 200.0, [("us_a", "USA"), ("gb_a", "GBR")]),
    ],
    "no_investor_countries": [
        ("r1", "k1", "KOR", 2020, 40.0, [("a", None), ("b", None)]),
        ("r2", "k2", "KOR", 2021, 60.0, [("a", None)]),
        ("r3", "u1", "USA", 2021, 500.0, [("c", None)]),
    ],
}
