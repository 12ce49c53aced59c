"""The engine's floor for the e2e step: DuckDB alone, with none of vcflows' guarantees.

``python -m benchmarks.floor [--size 10M] [--repeat 2]`` loads the benchmark's Parquet export
into the four canonical tables with plain ``CREATE TABLE ... AS SELECT`` (IDs prefixed as
vcflows does, values cast but not normalized, no quarantine, no merge, no key check), then
computes the flow matrix and the country indicators from those tables without a flow base
(vcflows' inline path), under the benchmark's DuckDB settings. It prints each statement's wall
and CPU seconds and the totals: the time below which no ingest -> flows -> indicators on this
machine can go, whatever vcflows does on top (normalization, quarantine, merge, flow base).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.__main__ import label, parse_size
from benchmarks.data import paths, prepare
from benchmarks.step import SETTINGS
from vcflows import schema as s
from vcflows.flows import FlowOptions, flow_matrix
from vcflows.indicators import country_indicators

_SRC = "bench"


def _loads(parquet: Path) -> list[tuple[str, str]]:
    """(name, SQL) of the bare load: the four canonical tables straight from the file."""
    f = f"read_parquet('{parquet}')"
    label_ = f"'generic/{_SRC}'"

    def pid(col: str) -> str:
        return f"'{_SRC}:' || \"{col}\""

    return [
        (
            s.PARTICIPATIONS,
            f"CREATE TABLE {s.PARTICIPATIONS} AS SELECT {pid('Deal ID')} AS {s.ROUND_ID}, "
            f"{pid('Investor ID')} AS {s.INVESTOR_ID}, \"Lead\" = 'yes' AS {s.IS_LEAD}, "
            f"{label_} AS {s.SOURCE} FROM {f}",
        ),
        (
            s.ROUNDS,
            f"CREATE TABLE {s.ROUNDS} AS SELECT {pid('Deal ID')} AS {s.ROUND_ID}, "
            f"'{_SRC}:' || any_value(\"Company ID\") AS {s.COMPANY_ID}, "
            f'any_value("Deal Date")::DATE AS {s.ANNOUNCED_ON}, any_value("Stage") AS {s.STAGE}, '
            f'any_value("Amount USD")::DOUBLE AS {s.AMOUNT_USD}, '
            f"NULL::DOUBLE AS {s.AMOUNT_ORIGINAL}, 'USD' AS {s.CURRENCY}, {label_} AS {s.SOURCE} "
            f'FROM {f} GROUP BY "Deal ID"',
        ),
        (
            s.COMPANIES,
            f"CREATE TABLE {s.COMPANIES} AS SELECT {pid('Company ID')} AS {s.COMPANY_ID}, "
            f'any_value("Company") AS {s.NAME}, any_value("HQ Country") AS {s.COUNTRY}, '
            f'NULL::DATE AS {s.FOUNDED_ON}, any_value("Industries") AS {s.CATEGORIES}, '
            f'any_value("Description") AS {s.DESCRIPTION}, NULL::BOOLEAN AS {s.IS_AI}, '
            f'{label_} AS {s.SOURCE} FROM {f} GROUP BY "Company ID"',
        ),
        (
            s.INVESTORS,
            f"CREATE TABLE {s.INVESTORS} AS SELECT {pid('Investor ID')} AS {s.INVESTOR_ID}, "
            f'any_value("Investor") AS {s.NAME}, any_value("Investor Country") AS {s.COUNTRY}, '
            f'any_value("Investor Type") AS {s.INVESTOR_TYPE}, {label_} AS {s.SOURCE} '
            f'FROM {f} GROUP BY "Investor ID"',
        ),
    ]


def _timed(name: str, run: Callable[[], object], rows: list[tuple[str, float, float]]) -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    run()
    rows.append((name, time.perf_counter() - t0, time.process_time() - c0))


def measure(parquet: Path) -> tuple[list[tuple[str, float, float]], pd.DataFrame]:
    """Run the floor pipeline once into a fresh database.

    Returns
    -------
    tuple of (list, DataFrame)
        (step, wall s, CPU s) per step, and the flow matrix it computed (on the benchmark's
        clean export it equals vcflows' own: the floor computes the same answer).
    """
    rows: list[tuple[str, float, float]] = []
    out: dict[str, pd.DataFrame] = {}
    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "floor.duckdb"))
        for key, value in SETTINGS.items():
            con.execute(f"SET {key} = {value}")
        for name, sql in _loads(parquet):
            _timed(f"load {name}", lambda sql=sql: con.execute(sql), rows)
        _timed("checkpoint", lambda: con.execute("CHECKPOINT"), rows)
        opts = FlowOptions()
        _timed("flow matrix (inline)", lambda: out.update(fm=flow_matrix(con, opts)), rows)
        _timed("country indicators (inline)", lambda: country_indicators(con, opts), rows)
        con.close()
    return rows, out["fm"]


def main(argv: list[str] | None = None) -> None:
    """Command line: print the floor's statement timings and totals."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.floor", description=__doc__)
    ap.add_argument("--size", default="10M", help="participations (100k, 1M, 10M)")
    ap.add_argument("--repeat", type=int, default=2, help="runs; the fastest total is kept")
    args = ap.parse_args(argv)
    size = parse_size(args.size)
    prepare(size)
    runs = [measure(paths(size)["parquet"])[0] for _ in range(args.repeat)]
    best = min(runs, key=lambda r: sum(w for _, w, _ in r))
    print(f"floor at {label(size)} participations (fastest of {args.repeat}): wall s / CPU s")
    for name, wall, cpu in best:
        print(f"  {name:30s} {wall:6.2f} / {cpu:6.2f}")
    wall, cpu = sum(w for _, w, _ in best), sum(c for _, _, c in best)
    print(f"  {'total':30s} {wall:6.2f} / {cpu:6.2f}")


if __name__ == "__main__":
    main()
