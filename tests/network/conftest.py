"""A tiny hand-built deal store shared by the investor-network tests.

Rounds (company country, year, amount; investors, * = lead):
    r1  c1 KOR 2020  100   g1 (USA corporate), v2* (KOR vc)
    r2  c1 KOR 2021  300   g1, v1 (USA vc), v2, u1 (unknown country, vc)
    r3  c2 KOR 2021   50   g2 (KOR cvc), v2
    r4  c3 USA 2020  200   v1, g1
    r5  c4 GBR 2022  NULL  v3 (GBR vc), v1
    r6  c5 KOR 2021 1000   g1, v2            (company c5 is not AI)
    r7  c2 KOR 2019   60   (no investor)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from vcflows.store import connect

COMPANIES = [
    ("c1", "Alpha AI", "KOR", True),
    ("c2", "Beta AI", "KOR", True),
    ("c3", "Gamma AI", "USA", True),
    ("c4", "Delta AI", "GBR", True),
    ("c5", "Bakery", "KOR", False),
]
INVESTORS = [
    ("g1", "BigTech", "USA", "corporate"),
    ("g2", "KorCorp Ventures", "KOR", "cvc"),
    ("v1", "US VC", "USA", "vc"),
    ("v2", "KR VC", "KOR", "vc"),
    ("v3", "UK VC", "GBR", "vc"),
    ("u1", "Nowhere VC", None, "vc"),
]
ROUNDS = [
    ("r1", "c1", "2020-03-01", "series_a", 100.0),
    ("r2", "c1", "2021-05-01", "series_b", 300.0),
    ("r3", "c2", "2021-06-01", "seed", 50.0),
    ("r4", "c3", "2020-07-01", "series_a", 200.0),
    ("r5", "c4", "2022-01-01", "seed", None),
    ("r6", "c5", "2021-01-01", "series_a", 1000.0),
    ("r7", "c2", "2019-01-01", "series_a", 60.0),
]
PARTICIPATIONS = [
    ("r1", "g1", False),
    ("r1", "v2", True),
    ("r2", "g1", None),
    ("r2", "v1", None),
    ("r2", "v2", None),
    ("r2", "u1", None),
    ("r3", "g2", None),
    ("r3", "v2", None),
    ("r4", "v1", None),
    ("r4", "g1", None),
    ("r5", "v3", None),
    ("r5", "v1", None),
    ("r6", "g1", None),
    ("r6", "v2", None),
]


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "INSERT INTO companies (company_id, name, country_iso3, is_ai, source) VALUES (?, ?, ?, ?, 't')",
        COMPANIES,
    )
    con.executemany(
        "INSERT INTO investors (investor_id, name, country_iso3, investor_type, source) "
        "VALUES (?, ?, ?, ?, 't')",
        INVESTORS,
    )
    con.executemany(
        "INSERT INTO rounds (round_id, company_id, announced_on, stage, amount_usd, source) "
        "VALUES (?, ?, ?::DATE, ?, ?, 't')",
        ROUNDS,
    )
    con.executemany(
        "INSERT INTO participations (round_id, investor_id, is_lead, source) VALUES (?, ?, ?, 't')",
        PARTICIPATIONS,
    )


@pytest.fixture
def tiny_db() -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(":memory:")
    _fill(con)
    yield con
    con.close()


@pytest.fixture
def tiny_db_path(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.duckdb"
    con = connect(path)
    _fill(con)
    con.close()
    return path
