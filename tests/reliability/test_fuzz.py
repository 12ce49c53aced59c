"""Property-based fuzzing of ingest and attribution (hypothesis).

Properties:

1. garbage after a valid header never makes ``read_source`` raise anything but a
   ``VcflowsError``, and every file read balances (read == loaded + quarantined + skipped);
2. on dirty exports of every layout, ``read_source`` + ``ingest_batch`` raise nothing but a
   ``VcflowsError``; every file balances; every loaded round and every quarantined row is in
   the database (nothing lost); re-ingesting adds no record; and attribution conserves money
   and deals for the ``equal`` and ``lead`` methods (attributed + unattributed == total known
   amount of the rounds, counted straight from the rounds table);
3. results (flow matrices, country indicators) do not depend on the order of the rows.

Budget (default, derandomized so CI is reproducible): 200 examples for property 1, 30 for
property 2, 20 for property 3 (each example of 2 and 3 is a whole file of up to 12-25 rows,
ingested into DuckDB). ``VCFLOWS_FUZZ_SCALE=10`` runs ten times more, with fresh randomness.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from pathlib import Path

import _strategies as fz
import duckdb
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.errors import VcflowsError
from vcflows.flows import FlowOptions, flow_matrix, unattributed
from vcflows.indicators import country_indicators
from vcflows.sources import read_source
from vcflows.store import connect, ingest_batch

_TABLES = (*s.CANONICAL_TABLES, s.QUARANTINE, s.INGEST_LOG)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """One in-memory store for the module (emptied before each example: connecting is slow)."""
    connection = connect(":memory:")
    yield connection
    connection.close()


def _empty(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    for table in _TABLES:
        con.execute(f"DELETE FROM {table}").fetchall()
    return con


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def _scratch(base: Path) -> Path:
    """A fresh folder per hypothesis example (the pytest tmp_path is shared by examples)."""
    return Path(tempfile.mkdtemp(dir=base))


def _balanced(batch: object) -> None:
    for a in batch.accounts:  # type: ignore[attr-defined]
        assert a.read == a.loaded + a.quarantined + a.skipped, a
        assert min(a.read, a.loaded, a.quarantined, a.skipped) >= 0, a


@fz.budget(200)
@given(export=fz.garbage_files())
def test_garbage_never_raises_unexpected(export: fz.Export, workdir: Path) -> None:
    paths, mapping = export.write(_scratch(workdir) / "in")
    try:
        batch = read_source(paths, export.fmt, mapping=mapping)
    except VcflowsError:
        return  # refused whole, with a message: an allowed outcome
    _balanced(batch)


def _conserves(con: duckdb.DuckDBPyConnection) -> None:
    """Attributed + unattributed == the rounds' known total, for equal and lead."""
    total, n_rounds = con.execute(
        f"SELECT coalesce(sum({s.AMOUNT_USD}), 0), count(*) FROM {s.ROUNDS}"
    ).fetchall()[0]
    for method in ("equal", "lead"):
        opts = FlowOptions(sector="all", attribution=method)
        flows, lost = flow_matrix(con, opts), unattributed(con, opts)
        amount = flows[s.AMOUNT_USD].sum() + lost[s.AMOUNT_USD].sum()
        deals = flows["deals"].sum() + lost["deals"].sum()
        assert amount == pytest.approx(total, rel=1e-9, abs=1e-6), method
        assert deals == pytest.approx(n_rounds, rel=1e-9), method


@fz.budget(30)
@given(export=fz.dirty_files())
def test_dirty_exports_ingest_safely(
    export: fz.Export, workdir: Path, con: duckdb.DuckDBPyConnection
) -> None:
    paths, mapping = export.write(_scratch(workdir) / "in")
    try:
        batch = read_source(paths, export.fmt, mapping=mapping)
    except VcflowsError:
        return
    _balanced(batch)
    db = _empty(con)
    result = ingest_batch(db, batch)
    assert result.balanced
    # Nothing lost: every loaded round, and every quarantined row, is in the database.
    stored = {r[0] for r in db.execute(f"SELECT {s.ROUND_ID} FROM {s.ROUNDS}").fetchall()}
    assert stored == set(batch.rounds[s.ROUND_ID])
    quarantined_rows = db.execute(
        f"SELECT count(DISTINCT ({s.Q_SOURCE_FILE}, {s.Q_SOURCE_ROW})) FROM {s.QUARANTINE} "
        f"WHERE NOT {s.Q_ROW_KEPT}"
    ).fetchall()[0][0]
    assert quarantined_rows == sum(a.quarantined for a in batch.accounts)
    # Fields left unknown in loaded rows: one record each, counted apart.
    flagged = db.execute(f"SELECT count(*) FROM {s.QUARANTINE} WHERE {s.Q_ROW_KEPT}").fetchall()
    assert flagged[0][0] == sum(a.flagged for a in batch.accounts)
    # Idempotent: the same batch again adds nothing.
    again = ingest_batch(db, read_source(paths, export.fmt, mapping=mapping))
    assert sum(again.new_records.values()) == 0
    _conserves(db)


def _results(
    con: duckdb.DuckDBPyConnection, rows: list[list[str]], folder: Path
) -> list[pd.DataFrame]:
    path = folder / "deals.csv"
    layout = fz.Layout(",", "utf-8", "\n", quote_all=False)
    path.write_bytes(fz.render(fz.CONSISTENT_HEADER, rows, layout))
    mapping = folder / "mapping.toml"
    mapping.write_text(fz.ROUND_MAPPING, encoding="utf-8")
    db = _empty(con)
    ingest_batch(db, read_source([path], "generic", mapping=mapping))
    out = []
    for method in ("equal", "lead"):
        opts = FlowOptions(sector="all", attribution=method)
        out.append(flow_matrix(db, opts, by=("year", "stage")))
    indicators = country_indicators(db, FlowOptions(sector="all"))
    # Nested columns (lists of partner dicts) compared through their text form.
    for col in ("top_sources", "top_destinations"):
        indicators[col] = indicators[col].map(repr)
    out.append(indicators)
    return out


@fz.budget(20)
@given(rows=fz.consistent_rows(), seed=st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_row_order(
    rows: list[list[str]], seed: int, workdir: Path, con: duckdb.DuckDBPyConnection
) -> None:
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    first = _results(con, rows, _scratch(workdir))
    second = _results(con, shuffled, _scratch(workdir))
    for a, b in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
