"""The order-free merge rule and the conflicts table.

Within one ingest, rows naming the same record may disagree on a field; the stored value must
not depend on the order of the rows (the most rows win, ties go to the smallest value), and
every disagreement is recorded in the conflicts table. Checked by hand on small files and by
a hypothesis property: any permutation of the rows of a generic CSV export or of a Crunchbase
export gives identical tables.
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.flows import FlowOptions, flow_matrix
from vcflows.sources import generic, read_source
from vcflows.store import connect, info, ingest_batch
from vcflows.store.bulk import ingest_generic

MAPPING = """
shape = "participation"
source = "t"
[columns]
company_name = "Company"
date = "Date"
investor_name = "Investor"
[optional_columns]
round_id = "Deal"
company_id = "CID"
company_country = "HQ"
stage = "Round"
amount_usd = "USD"
investor_id = "IID"
investor_country = "IHQ"
investor_type = "Type"
lead = "Lead"
"""
HEADER = ["Deal", "CID", "Company", "HQ", "Date", "Round", "USD", "IID", "Investor", "IHQ", "Type", "Lead"]  # fmt: skip


def _write(folder: Path, rows: list[list[str]], name: str = "deals.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _mapping(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "m.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return path


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in (*s.CANONICAL_TABLES, s.CONFLICTS)
    }


def _flows(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    m = flow_matrix(con, FlowOptions(sector="all"))
    return [tuple(r) for r in m.itertuples(index=False)]


# Investor X is named on two rows of two rounds of a Turkish company: once from the USA,
# once from Turkey (the example).
X_ROWS = [
    ["d1", "c1", "Anka AI", "TUR", "2021-03-01", "seed", "200", "x", "X Capital", "USA", "vc", ""],
    ["d2", "c1", "Anka AI", "TUR", "2021-06-01", "seed", "100", "x", "X Capital", "TUR", "vc", ""],
]


def test_two_countries_for_one_investor_same_flows_in_both_orders(tmp_path: Path) -> None:
    results = []
    for k, rows in enumerate((X_ROWS, X_ROWS[::-1])):
        folder = tmp_path / f"order{k}"
        con = connect(":memory:")
        ingest_generic(con, [_write(folder, rows)], mapping=_mapping(folder))
        results.append((_flows(con), _tables(con)))
    assert results[0] == results[1]
    flows, tables = results[0]
    # One row each: a tie, broken by the smallest value ('TUR' < 'USA'). Both rounds' money
    # goes TUR -> TUR, whatever the order.
    assert flows == [("TUR", "TUR", 300.0, 2.0)]
    assert tables[s.CONFLICTS] == [
        (
            s.INVESTORS,
            "t:x",
            s.COUNTRY,
            json.dumps(
                [{"value": "TUR", "rows": 1}, {"value": "USA", "rows": 1}], separators=(",", ":")
            ),
            "TUR",
            "ingest",
            "generic/t",
        )
    ]


def test_the_most_rows_win_and_the_row_by_row_path_agrees(tmp_path: Path) -> None:
    # USA on two rows, TUR on one (first in the file): USA is kept, in both ingest paths.
    rows = [X_ROWS[1], X_ROWS[0], [*X_ROWS[0][:7], "x", "X Capital", "USA", "vc", ""]]
    rows[2][0] = "d3"
    path = _write(tmp_path, rows)
    fast, slow = connect(":memory:"), connect(":memory:")
    got = ingest_generic(fast, [path], mapping=_mapping(tmp_path))
    exp = ingest_batch(slow, generic.read([path], mapping=_mapping(tmp_path)), files=[path])
    assert _tables(fast) == _tables(slow)
    assert got.conflicts == exp.conflicts == 1
    country, values = fast.execute(
        f"SELECT {s.COUNTRY}, (SELECT {s.C_VALUES} FROM {s.CONFLICTS}) FROM {s.INVESTORS}"
    ).fetchall()[0]
    assert country == "USA"
    assert json.loads(values) == [{"value": "USA", "rows": 2}, {"value": "TUR", "rows": 1}]


def test_a_later_ingest_that_disagrees_is_a_stored_conflict(tmp_path: Path) -> None:
    con = connect(":memory:")
    first = _write(tmp_path / "a", [X_ROWS[0]])
    second = _write(tmp_path / "b", [X_ROWS[1]])
    mapping = _mapping(tmp_path)
    assert ingest_generic(con, [first], mapping=mapping).conflicts == 0
    again = ingest_generic(con, [second], mapping=mapping)
    assert again.conflicts == 1
    # The stored value is kept; the disagreement is recorded with scope "stored".
    assert con.execute(f"SELECT {s.COUNTRY} FROM {s.INVESTORS}").fetchall() == [("USA",)]
    assert con.execute(
        f"SELECT {s.C_TABLE}, {s.C_KEY}, {s.C_FIELD}, {s.C_KEPT}, {s.C_SCOPE} FROM {s.CONFLICTS}"
    ).fetchall() == [(s.INVESTORS, "t:x", s.COUNTRY, "USA", "stored")]
    # Re-ingesting finds the same conflict again but records it once.
    ingest_generic(con, [second], mapping=mapping)
    assert con.execute(f"SELECT count(*) FROM {s.CONFLICTS}").fetchall() == [(1,)]
    assert info(con)["conflicts"] == [(s.INVESTORS, s.COUNTRY, 1)]


def test_placeholder_and_null_are_no_conflict(tmp_path: Path) -> None:
    rows = [
        ["d1", "c1", "Anka AI", "TUR", "2021-03-01", "seed", "200", "x", "X Capital", "", "", ""],
        ["d1", "c1", "Anka AI", "", "2021-03-01", "", "200", "x", "X Capital", "USA", "vc", ""],
    ]
    con = connect(":memory:")
    result = ingest_generic(con, [_write(tmp_path, rows)], mapping=_mapping(tmp_path))
    assert result.conflicts == 0
    assert con.execute(f"SELECT {s.STAGE} FROM {s.ROUNDS}").fetchall() == [("seed",)]
    assert con.execute(f"SELECT {s.COUNTRY}, {s.INVESTOR_TYPE} FROM {s.INVESTORS}").fetchall() == [
        ("USA", "vc")
    ]


def test_organizations_rank_above_the_copies_in_funding_rounds(tmp_path: Path) -> None:
    folder = tmp_path / "bulk"
    folder.mkdir()
    (folder / "organizations.csv").write_text("uuid,name,country_code\nc1,Acme,DEU\n")
    rounds = "funding_round_uuid,company_uuid,company_name,country_code,announced_on\n"
    rounds += "".join(f"r{k},c1,Acme GmbH,FRA,2020-0{k}-01\n" for k in (1, 2, 3))
    (folder / "funding_rounds.csv").write_text(rounds)
    con = connect(":memory:")
    result = ingest_batch(con, read_source([folder], "crunchbase-bulk"))
    # Three copies say FRA, the organization says DEU: the organization's record wins.
    assert con.execute(f"SELECT {s.NAME}, {s.COUNTRY} FROM {s.COMPANIES}").fetchall() == [
        ("Acme", "DEU")
    ]
    assert result.conflicts == 2
    conflicts = con.execute(
        f"SELECT {s.C_FIELD}, {s.C_VALUES}, {s.C_KEPT} FROM {s.CONFLICTS} ORDER BY ALL"
    ).fetchall()
    assert [(f, json.loads(v), k) for f, v, k in conflicts] == [
        (s.COUNTRY, [{"value": "DEU", "rows": 1}, {"value": "FRA", "rows": 3}], "DEU"),
        (s.NAME, [{"value": "Acme", "rows": 1}, {"value": "Acme GmbH", "rows": 3}], "Acme"),
    ]


# --- permutations ---------------------------------------------------------------------------
_POOLS = {
    "Deal": ["d1", "d2", ""],
    "CID": ["c1", "c2", ""],
    "Company": ["Acme", "Beta"],
    "HQ": ["USA", "KOR", "", "Narnia"],
    "Date": ["2020-01-01", "2021-02-03", "2020-02-30"],
    "Round": ["seed", "Series A", ""],
    "USD": ["", "5", "7"],
    "IID": ["i1", "i2", ""],
    "Investor": ["F1", "F2", ""],
    "IHQ": ["USA", "TUR", "", "North America"],
    "Type": ["vc", "cvc", ""],
    "Lead": ["yes", "no", "", "maybe"],
}
_GENERIC_ROW = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in _POOLS.items()})


def _ingest_generic_rows(folder: Path, rows: list[dict[str, str]]) -> duckdb.DuckDBPyConnection:
    con = connect(":memory:")
    path = _write(folder, [[r[h] for h in HEADER] for r in rows])
    ingest_generic(con, [path], mapping=_mapping(folder))
    return con


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), rows=st.lists(_GENERIC_ROW, min_size=2, max_size=10))
def test_property_generic_row_order_does_not_matter(
    tmp_path: Path, data: st.DataObject, rows: list[dict[str, str]]
) -> None:
    shuffled = data.draw(st.permutations(rows))
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:  # one folder per example
        a = _tables(_ingest_generic_rows(Path(tmp) / "a", rows))
        b = _tables(_ingest_generic_rows(Path(tmp) / "b", shuffled))
    assert a == b


#: Pools of values of each Crunchbase bulk file's columns: few IDs, so keys repeat and their
#: rows disagree often.
_BULK_POOLS: dict[str, dict[str, list[str]]] = {
    "funding_rounds": {
        "funding_round_uuid": ["r1", "r2"],
        "company_uuid": ["c1", "c2"],
        "company_name": ["Acme", "Beta", ""],
        "country_code": ["USA", "KOR", "", "XXQ"],
        "announced_on": ["2020-01-01", "2021-05-05", ""],
        "investment_type": ["seed", "series_a", ""],
        "raised_amount_usd": ["", "100", "250"],
    },
    "investments": {
        "funding_round_uuid": ["r1", "r2"],
        "investor_uuid": ["i1", "i2", "i3"],
        "investor_name": ["F1", "F3", ""],
        "investor_types": ["venture_capital", "angel", ""],
        "is_lead_investor": ["t", "f", "", "maybe"],
    },
    "investors": {
        "uuid": ["i1", "i2"],
        "investor_name": ["F1", "F2", ""],
        "country_code": ["USA", "TUR", "", "XXQ"],
        "investor_types": ["venture_capital", "angel", ""],
    },
    "organizations": {
        "uuid": ["c1", "c2"],
        "name": ["Acme", "Acme Inc", ""],
        "country_code": ["USA", "DEU", ""],
    },
}


def _rows_of(
    pools: dict[str, list[str]], min_size: int = 0
) -> st.SearchStrategy[list[dict[str, str]]]:
    row = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in pools.items()})
    return st.lists(row, min_size=min_size, max_size=6)


def _write_dicts(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)


def _bulk_export(folder: Path, parts: dict[str, list[dict[str, str]]]) -> Path:
    folder.mkdir(parents=True)
    for name, rows in parts.items():
        _write_dicts(folder / f"{name}.csv", rows, list(_BULK_POOLS[name]))
    return folder


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    parts=st.fixed_dictionaries(
        {
            name: _rows_of(pools, int(name == "funding_rounds"))
            for name, pools in _BULK_POOLS.items()
        }
    ),
)
def test_property_crunchbase_bulk_row_order_does_not_matter(
    tmp_path: Path, data: st.DataObject, parts: dict[str, list[dict[str, str]]]
) -> None:
    shuffled = {k: data.draw(st.permutations(v), label=k) for k, v in parts.items()}
    tables = []
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:  # one folder per example
        for name, export in (("a", parts), ("b", shuffled)):
            con = connect(":memory:")
            export_dir = _bulk_export(Path(tmp) / name, export)
            ingest_batch(con, read_source([export_dir], "crunchbase-bulk"))
            tables.append(_tables(con))
    assert tables[0] == tables[1]


_OPEN_POOLS = {
    "company_permalink": ["/organization/a", "/organization/b"],
    "company_name": ["A", "A Inc", ""],
    "company_country_code": ["USA", "KOR", "", "XXQ"],
    "investor_permalink": ["/organization/f", "/person/p", ""],
    "investor_name": ["F", "P", ""],
    "investor_country_code": ["USA", "TUR", ""],
    "funding_round_permalink": ["/funding-round/1", "/funding-round/2"],
    "funding_round_type": ["seed", "venture"],
    "funded_at": ["2013-01-01", "2014-02-02", "2014-02-30"],
    "raised_amount_usd": ["", "1,000", "2,000"],
}


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), rows=_rows_of(_OPEN_POOLS, 2))
def test_property_crunchbase_open_row_order_does_not_matter(
    tmp_path: Path, data: st.DataObject, rows: list[dict[str, str]]
) -> None:
    shuffled = data.draw(st.permutations(rows))
    tables = []
    with tempfile.TemporaryDirectory(dir=tmp_path) as tmp:  # one folder per example
        for name, export in (("a", rows), ("b", shuffled)):
            (Path(tmp) / name).mkdir()
            path = Path(tmp) / name / "investments.csv"
            _write_dicts(path, export, list(_OPEN_POOLS))
            con = connect(":memory:")
            ingest_batch(con, read_source([path], "crunchbase-open"))
            tables.append(_tables(con))
    assert tables[0] == tables[1]
