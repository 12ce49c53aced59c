"""A five-country world for the policy tests; one figure (``korea_domestic``) is a parameter.

Equal attribution gives (inbound by investor country):
    KOR  k1 rk1 2020  100  kv, uv          -> KOR 50, USA 50
         k2 rk2 2021    X  kv              -> KOR X           (X = korea_domestic)
    USA  u1 ru1 2020 1000  uv, uc          -> USA 1000
         u2 ru2 2021  200  uv, gv          -> USA 100, GBR 100
    GBR  g1 rg1 2020  200  gv, uv          -> GBR 100, USA 100
    JPN  j1 rj1 2021  120  jv, uv, kc      -> JPN 40, USA 40, KOR 40 (kc: Korean corporate)
    DEU  d1 rd1 2020   90  dv, gv, uc      -> DEU 30, GBR 30, USA 30 (uc: US CVC)

Foreign shares of inbound: KOR 50 / (100 + X); USA 100/1200; GBR 0.5; JPN 2/3; DEU 2/3, so
the peer median (USA, GBR, JPN, DEU) is (0.5 + 2/3) / 2 = 7/12. Foreign corporate shares:
KOR 0, USA 0, GBR 0, JPN 1/3, DEU 1/3: peer median 1/6.
"""

from __future__ import annotations

import duckdb
from dealbook import build

COMPANIES = {
    "k1": ("Hana Robotics", "KOR", True),
    "k2": ("Dul Vision", "KOR", True),
    "u1": ("Sam Labs", "USA", True),
    "u2": ("Four AI", "USA", True),
    "g1": ("Oxford Minds", "GBR", True),
    "j1": ("Kyoto Learning", "JPN", True),
    "d1": ("Berlin Neural", "DEU", True),
}
INVESTORS = {
    "kv": ("Han VC", "KOR", "vc"),
    "kc": ("Chaebol Ventures", "KOR", "corporate"),
    "uv": ("Sand Hill", "USA", "vc"),
    "uc": ("BigTech CVC", "USA", "cvc"),
    "gv": ("Thames", "GBR", "vc"),
    "jv": ("Kamo VC", "JPN", "vc"),
    "dv": ("Spree VC", "DEU", "vc"),
}


def world(korea_domestic: float = 300.0, path: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """The world above with rk2's amount set to ``korea_domestic``."""
    rounds = [
        ("rk1", "k1", "2020-03-01", "seed", 100.0, ["kv", "uv"]),
        ("rk2", "k2", "2021-03-01", "series_a", korea_domestic, ["kv"]),
        ("ru1", "u1", "2020-03-01", "seed", 1000.0, ["uv", "uc"]),
        ("ru2", "u2", "2021-03-01", "seed", 200.0, ["uv", "gv"]),
        ("rg1", "g1", "2020-03-01", "seed", 200.0, ["gv", "uv"]),
        ("rj1", "j1", "2021-03-01", "seed", 120.0, ["jv", "uv", "kc"]),
        ("rd1", "d1", "2020-03-01", "seed", 90.0, ["dv", "gv", "uc"]),
    ]
    return build(COMPANIES, INVESTORS, rounds, path=path)
