"""A small hand-made deal universe whose report figures are computed by hand in the tests.

Rounds (amounts in USD m; equal split among the round's investors):

====  ====  =======  ======  =========================================
round year  company  amount  investors (country)
====  ====  =======  ======  =========================================
r1    2020  USA      100     us1 (USA)
r2    2020  USA      50      us1 (USA), cn1 (CHN)
r3    2021  CHN      40      cn1 (CHN)
r4    2021  GBR      20      us1 (USA), gb1 (GBR)
r5    2021  KOR      10      kr1 (KOR)
r6    2021  ISR      9       us1 (USA), us2 (USA), gb1 (GBR)
r7    2020  KOR      6       us1 (USA), kr1 (KOR)
r8    2021  USA      NULL    us1 (USA)          -> a deal, no money
r9    2021  GBR      5       xx1 (unknown)      -> unattributed
====  ====  =======  ======  =========================================

Attributed total 235; received: USA 150, CHN 40, GBR 20, KOR 16, ISR 9.
"""

from __future__ import annotations

from pathlib import Path

from vcflows import schema as s
from vcflows.flows import FlowOptions
from vcflows.store import connect

M = 1e6
COMPANIES = [
    ("co1", "USA"),
    ("co2", "USA"),
    ("co3", "CHN"),
    ("co4", "GBR"),
    ("co5", "KOR"),
    ("co6", "ISR"),
    ("co7", "KOR"),
    ("co8", "USA"),
    ("co9", "GBR"),
]
INVESTORS = [
    ("us1", "USA", "vc"),
    ("us2", "USA", "cvc"),
    ("cn1", "CHN", "vc"),
    ("gb1", "GBR", "vc"),
    ("kr1", "KOR", "vc"),
    ("xx1", None, "angel"),
]
ROUNDS = [
    ("r1", "co1", "2020-03-01", 100 * M, ["us1"]),
    ("r2", "co2", "2020-06-01", 50 * M, ["us1", "cn1"]),
    ("r3", "co3", "2021-01-10", 40 * M, ["cn1"]),
    ("r4", "co4", "2021-02-10", 20 * M, ["us1", "gb1"]),
    ("r5", "co5", "2021-03-10", 10 * M, ["kr1"]),
    ("r6", "co6", "2021-04-10", 9 * M, ["us1", "us2", "gb1"]),
    ("r7", "co7", "2020-05-10", 6 * M, ["us1", "kr1"]),
    ("r8", "co8", "2021-05-10", None, ["us1"]),
    ("r9", "co9", "2021-06-10", 5 * M, ["xx1"]),
]
OPTS = FlowOptions(sector="all")


def make_small_db(
    path: Path,
    companies: list[tuple[str, str]] = COMPANIES,
    rounds: list[tuple[str, str, str, float | None, list[str]]] = ROUNDS,
) -> Path:
    """Write the universe above (or other ``companies`` and ``rounds``) to a DuckDB file."""
    con = connect(path)
    for cid, country in companies:
        con.execute(
            f"INSERT INTO {s.COMPANIES} ({s.COMPANY_ID}, {s.NAME}, {s.COUNTRY}, {s.IS_AI}, {s.SOURCE}) "
            "VALUES (?, ?, ?, TRUE, 'test')",
            [cid, f"Company {cid}", country],
        )
    for iid, country, kind in INVESTORS:
        con.execute(
            f"INSERT INTO {s.INVESTORS} VALUES (?, ?, ?, ?, 'test')",
            [iid, f"Investor {iid}", country, kind],
        )
    for rid, cid, day, amount, investors in rounds:
        con.execute(
            f"INSERT INTO {s.ROUNDS} ({s.ROUND_ID}, {s.COMPANY_ID}, {s.ANNOUNCED_ON}, {s.STAGE}, "
            f"{s.AMOUNT_USD}, {s.SOURCE}) VALUES (?, ?, ?, 'series_a', ?, 'test')",
            [rid, cid, day, amount],
        )
        for iid in investors:
            con.execute(f"INSERT INTO {s.PARTICIPATIONS} VALUES (?, ?, NULL, 'test')", [rid, iid])
    con.execute(
        f"INSERT INTO {s.QUARANTINE} VALUES ('deals.csv', '12', 'rounds', 'amount_usd', '-5', "
        "'negative amount ''-5''', 'test', false)"
    )
    con.execute(  # two rows named investor a with different countries (vcflows.store.db)
        f"INSERT INTO {s.CONFLICTS} VALUES ('investors', 'a', 'country_iso3', "
        """'[{"value":"KOR","rows":1},{"value":"USA","rows":1}]', 'KOR', 'ingest', 'test')"""
    )
    con.execute(
        f"INSERT INTO {s.INGEST_LOG} VALUES ('test', 'deals.csv', NULL, 30, 29, 1, 0, NULL)"
    )
    con.close()
    return path


_UNITS = {"tn": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3, "": 1.0}


def parse_usd(text: str) -> float:
    """Independent parser of the English compact USD format ("$1.2 bn")."""
    import re

    m = re.fullmatch(r"(-?)\$([\d,]+(?:\.\d+)?)(?: (tn|bn|m|k))?", text)
    assert m, text
    sign = -1.0 if m.group(1) else 1.0
    return sign * float(m.group(2).replace(",", "")) * _UNITS[m.group(3) or ""]


def usd_tolerance(text: str) -> float:
    """Half a unit of the last digit shown in a compact USD text ("$1.4 tn" -> $0.05 tn)."""
    import re

    m = re.fullmatch(r"-?\$[\d,]+(?:\.(\d+))?(?: (tn|bn|m|k))?", text)
    assert m, text
    decimals = len(m.group(1) or "")
    return 0.5 * 10.0**-decimals * _UNITS[m.group(2) or ""] * (1 + 1e-9)
