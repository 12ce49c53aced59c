"""The hand-made universe of the case-study tests (amounts in USD, equal attribution by default).

KOR companies and what they raised:
    k1 Alpha    r1 2020-01-10 seed     100  kor_vc, us_vc          -> foreign 50
                r2 2021-03-01 series_a 200  kor_vc, us_vc, gb_vc*   -> foreign 133.33 (lead: 200)
                r3 undated    other   NULL  us_vc                   -> amount unknown
    k2 Beta     r4 2020-05-01 series_b 500  kor_vc                  -> domestic only
    k3 Gamma    r5 2020-06-01 seed      80  kor_vc, nowhere (no country) -> foreign 0
    k4 Delta    r6 2022-01-01 seed      50  jp_cvc                  -> foreign 50
    k5 Eps      r7 2021-01-01 seed    NULL  us_vc; r8 2021-02-01 seed 20 kor_vc -> foreign USD 0
    k6 Bakery   r9 2021-01-01 seed     999  us_vc (not AI)
    k7 Twin     r10 2020-01-01 seed     10  (no investor)
USA: u1 Twin    r11 2020-01-01 seed   1000  us_vc, kor_vc           -> foreign 500
"""

from __future__ import annotations

import duckdb
from dealbook import build

COMPANIES = {
    "k1": ("Alpha", "KOR", True),
    "k2": ("Beta", "KOR", True),
    "k3": ("Gamma", "KOR", True),
    "k4": ("Delta", "KOR", True),
    "k5": ("Eps", "KOR", True),
    "k6": ("Bakery", "KOR", False),
    "k7": ("Twin", "KOR", True),
    "u1": ("TWIN", "USA", True),
}
INVESTORS = {
    "kor_vc": ("Han VC", "KOR", "vc"),
    "us_vc": ("Sand Hill", "USA", "vc"),
    "gb_vc": ("Thames", "GBR", "vc"),
    "jp_cvc": ("Nippon Corp Ventures", "JPN", "cvc"),
    "nowhere": ("Nowhere", None, "angel"),
}
ROUNDS = [
    ("r1", "k1", "2020-01-10", "seed", 100.0, ["kor_vc", "us_vc"]),
    ("r2", "k1", "2021-03-01", "series_a", 200.0, ["kor_vc", "us_vc", ("gb_vc", True)]),
    ("r3", "k1", None, "other", None, ["us_vc"]),
    ("r4", "k2", "2020-05-01", "series_b", 500.0, ["kor_vc"]),
    ("r5", "k3", "2020-06-01", "seed", 80.0, ["kor_vc", "nowhere"]),
    ("r6", "k4", "2022-01-01", "seed", 50.0, ["jp_cvc"]),
    ("r7", "k5", "2021-01-01", "seed", None, ["us_vc"]),
    ("r8", "k5", "2021-02-01", "seed", 20.0, ["kor_vc"]),
    ("r9", "k6", "2021-01-01", "seed", 999.0, ["us_vc"]),
    ("r10", "k7", "2020-01-01", "seed", 10.0, []),
    ("r11", "u1", "2020-01-01", "seed", 1000.0, ["us_vc", "kor_vc"]),
]


def universe() -> duckdb.DuckDBPyConnection:
    """A fresh in-memory store of the universe above."""
    return build(COMPANIES, INVESTORS, ROUNDS)
