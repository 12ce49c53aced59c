"""Generate the demo universe: synthetic deals calibrated to published aggregates.

The rounds are allocated to (company country, year, AI flag) cells in proportion to the
calibration's deal counts and drawn chunk by chunk (bounded memory at any size); each chunk's
rounds of a cell hold the chunk's part of the cell's target amount, so investor countries can be
placed by money to meet the cross-border structure. The rows are written to DuckDB through
registered Arrow tables, and rescaled at the end so that each cell's total amount matches its
target exactly. The result is SYNTHETIC: every company and investor row says so in ``source``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from vcflows import schema as s
from vcflows.demo import _model as m
from vcflows.demo._chunk import Cells, Chunk, make_chunk
from vcflows.demo._investors import InvestorPool, build_investors
from vcflows.demo.calibration import (
    AI_AMOUNT,
    AI_DEALS,
    Calibration,
    investor_country_shares,
    load_calibration,
)
from vcflows.demo.check import calibration_error
from vcflows.errors import OptionError, StoreError
from vcflows.store import create_schema

#: Rounds of the embedded default demo: builds in a few seconds.
DEFAULT_ROUNDS = 40_000
#: Rounds drawn per chunk: bounds memory whatever the total size.
CHUNK_ROUNDS = 200_000
MIN_ROUNDS = 1_000
MAX_ROUNDS = 50_000_000  # IDs are zero-padded to 8 digits
#: The ``source`` of every generated row.
DEMO_SOURCE = "demo (synthetic)"
SYNTHETIC_LABEL = "SYNTHETIC demo data calibrated to published aggregates, not real deals"

_STAGE_TABLE = "_demo_rounds_raw"


def _id(prefix: str, column: str, width: int) -> str:
    """SQL building a zero-padded ID ('demo:r00000042'): sorts like the number it holds."""
    return f"'demo:{prefix}' || lpad(CAST({column} AS VARCHAR), {width}, '0')"


_COMPANY_ID = _id("c", "company", 8)
_ROUND_ID = _id("r", "round", 8)
_INVESTOR_ID = _id("i", "investor", 7)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    rounds, companies, investors, participations : int
        Rows written per canonical table.
    ai_rounds : int
        Rounds of AI companies (those tagged with an AI category).
    seed : int
        Seed used.
    years : tuple of int
        First and last year of the rounds.
    ai_amount_usd : float
        Total amount of AI rounds.
    us_share : float
        Share of the US in the AI amount.
    max_abs_calibration_error : float
        Largest absolute relative gap between a country-year's AI amount and its target.
    seconds : float
        Wall time of the generation.
    label : str
        The SYNTHETIC label to show next to any result from this data.
    """

    rounds: int
    companies: int
    investors: int
    participations: int
    ai_rounds: int
    seed: int
    years: tuple[int, int]
    ai_amount_usd: float
    us_share: float
    max_abs_calibration_error: float
    seconds: float
    label: str = SYNTHETIC_LABEL


def _apportion(total: int, weights: np.ndarray, minimum: int = 1) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each >= minimum."""
    spare = total - minimum * len(weights)
    exact = weights / weights.sum() * spare
    base = np.floor(exact).astype(np.int64)
    left = spare - int(base.sum())
    # Ties broken by position: deterministic.
    order = np.lexsort((np.arange(len(weights)), -(exact - base)))
    base[order[:left]] += 1
    counts: np.ndarray = base + minimum
    return counts


def _cells(cal: Calibration) -> tuple[Cells, np.ndarray, np.ndarray]:
    """Cells (country, year, AI flag), their round weights and their amount targets."""
    n_c, n_y = len(cal.countries), len(cal.years)
    years = np.asarray(cal.years)
    deals = cal.grid(AI_DEALS)
    amount = cal.grid(AI_AMOUNT)
    ai_share = m.year_ramp(m.AI_ROUND_SHARE_FIRST, m.AI_ROUND_SHARE_LAST, years)
    non_ai_ratio = m.year_ramp(
        m.NON_AI_AMOUNT_RATIO_FIRST, m.NON_AI_AMOUNT_RATIO_LAST, years, log=True
    )
    country = np.repeat(np.arange(n_c), n_y * 2)
    year = np.tile(np.repeat(years, 2), n_c)
    ai = np.tile([True, False], n_c * n_y)
    weight = np.stack([deals, deals * (1 - ai_share) / ai_share], axis=-1).ravel()
    target = np.stack([amount, amount * non_ai_ratio], axis=-1).ravel()
    return Cells(country=country, year=year, ai=ai), weight, target


def _write_chunk(con: duckdb.DuckDBPyConnection, chunk: Chunk, codes: pa.Array) -> None:
    comp = chunk.companies
    con.register(
        "_demo_companies",
        pa.table(
            {
                "company": pa.array(comp["company"].to_numpy()),
                "name": pa.array(comp["name"].to_numpy(), pa.string()),
                "country": codes.take(pa.array(comp["country"].to_numpy())),
                "founded_on": pa.array(comp["founded_on"].to_numpy()),
                "categories": pa.array(comp["categories"].to_numpy(), pa.string()),
                "description": pa.array(comp["description"].to_numpy(), pa.string()),
            }
        ),
    )
    con.execute(
        f"INSERT INTO {s.COMPANIES} SELECT {_COMPANY_ID}, name, country, "
        f"founded_on, categories, description, NULL, '{DEMO_SOURCE}' "
        "FROM _demo_companies ORDER BY company"
    )
    con.register("_demo_rounds", pa.Table.from_pandas(chunk.rounds, preserve_index=False))
    con.execute(f"INSERT INTO {_STAGE_TABLE} SELECT * FROM _demo_rounds")
    con.register(
        "_demo_participations", pa.Table.from_pandas(chunk.participations, preserve_index=False)
    )
    con.execute(
        f"INSERT INTO {s.PARTICIPATIONS} SELECT {_ROUND_ID}, {_INVESTOR_ID}, is_lead, '{DEMO_SOURCE}' "
        "FROM _demo_participations ORDER BY round, investor"
    )
    for view in ("_demo_companies", "_demo_rounds", "_demo_participations"):
        con.unregister(view)


def _write_rounds(con: duckdb.DuckDBPyConnection, factor: np.ndarray) -> None:
    """Move the raw rounds into ``rounds``, scaling each cell to its target (3 significant digits)."""
    con.register("_demo_factor", pa.table({"cell": np.arange(len(factor)), "factor": factor}))
    scaled = "raw_amount * f.factor"
    rounded = f"round({scaled} / pow(10, floor(log10({scaled})) - 2)) * pow(10, floor(log10({scaled})) - 2)"
    con.execute(
        f"INSERT INTO {s.ROUNDS} SELECT {_ROUND_ID}, {_COMPANY_ID}, "
        f"announced_on, stage, {rounded}, {rounded}, 'USD', '{DEMO_SOURCE}' "
        f"FROM {_STAGE_TABLE} JOIN _demo_factor f USING (cell) ORDER BY round"
    )
    con.unregister("_demo_factor")


def _write_investors(con: duckdb.DuckDBPyConnection, pool: InvestorPool, codes: pa.Array) -> None:
    types = pa.array(list(m.INVESTOR_TYPE_NAMES), pa.string())
    con.register(
        "_demo_investors",
        pa.table(
            {
                "investor": pa.array(np.arange(len(pool))),
                "name": pa.array(pool.names.to_numpy(), pa.string()),
                "country": codes.take(pa.array(pool.country)),
                "kind": types.take(pa.array(pool.kind)),
            }
        ),
    )
    con.execute(
        f"INSERT INTO {s.INVESTORS} SELECT {_INVESTOR_ID}, name, country, kind, "
        f"'{DEMO_SOURCE}' FROM _demo_investors ORDER BY investor"
    )
    con.unregister("_demo_investors")


def _check_empty(con: duckdb.DuckDBPyConnection) -> None:
    counts = con.execute(
        " UNION ALL ".join(f"SELECT count(*) FROM {t}" for t in s.CANONICAL_TABLES)
    ).fetchall()
    if any(n for (n,) in counts):
        raise StoreError("the database already holds deals; generate the demo into a new file")


def generate(
    con: duckdb.DuckDBPyConnection,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = 42,
    chunk_rounds: int = CHUNK_ROUNDS,
    on_chunk: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Write the synthetic demo universe into an empty vcflows database.

    Same ``rounds``, ``seed`` and ``chunk_rounds`` give identical tables. Per company country
    and year, the AI rounds' total amount matches the calibration target (up to rounding
    amounts to 3 significant digits); investor countries follow the calibrated cross-border
    structure. Memory is bounded by ``chunk_rounds``, not by ``rounds``. Chunks are committed
    as they are written, so an interrupted run leaves a partial database: use
    :func:`vcflows.demo.build_db` to create a file atomically.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A writable connection; the canonical tables are created if absent and must be empty.
    rounds : int
        Number of funding rounds (AI and non-AI) to generate.
    seed : int
        Seed of numpy's random generator.
    chunk_rounds : int
        Rounds drawn and written per chunk.
    on_chunk : callable, optional
        Called with (chunks done, chunks total) after each chunk (progress display).

    Returns
    -------
    DemoSummary
        Row counts and calibration check of what was written.

    Examples
    --------
    >>> import duckdb
    >>> from vcflows.demo import generate
    >>> summary = generate(duckdb.connect(), rounds=2_000, seed=1)  # doctest: +SKIP
    """
    if not MIN_ROUNDS <= rounds <= MAX_ROUNDS:
        raise OptionError(
            f"rounds must be between {MIN_ROUNDS:,} and {MAX_ROUNDS:,}, got {rounds:,}"
        )
    if seed < 0:
        raise OptionError(f"seed must be >= 0, got {seed}")
    if chunk_rounds < 1:
        raise OptionError(f"chunk_rounds must be >= 1, got {chunk_rounds}")
    started = time.perf_counter()
    cal = load_calibration()
    cells, weight, target = _cells(cal)
    if rounds < len(weight):
        raise OptionError(
            f"rounds must be at least {len(weight)} (one per country, year and AI flag)"
        )
    counts = _apportion(rounds, weight)
    shares = investor_country_shares(cal)
    countries = cal.countries
    codes = pa.array(list(countries), pa.string())
    kor = countries.index("KOR")

    rounds_by_country = np.bincount(cells.country, weights=counts, minlength=len(countries))
    pool = build_investors(
        np.random.default_rng([seed, 0]),
        countries,
        rounds_by_country @ shares,
        max(1, round(rounds * m.INVESTORS_PER_ROUND)),
    )

    create_schema(con)
    _check_empty(con)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {_STAGE_TABLE} (round BIGINT, company BIGINT, "
        "announced_on DATE, stage VARCHAR, raw_amount DOUBLE, cell BIGINT)"
    )
    n_chunks = math.ceil(rounds / chunk_rounds)
    bounds = (np.arange(n_chunks + 1)[:, None] * counts[None, :]) // n_chunks
    raw_sum = np.zeros(len(counts))
    company_offset = round_offset = 0
    # Each insert commits on its own, with no transaction around the whole run: one huge
    # transaction keeps every uncommitted row and index entry in memory, growing with rounds.
    try:
        for j in range(n_chunks):
            part = bounds[j + 1] - bounds[j]
            chunk = make_chunk(
                np.random.default_rng([seed, 1, j]),
                cells,
                part,
                shares=shares,
                cell_money=target * part / counts,
                investors=pool,
                kor=kor,
                company_offset=company_offset,
                round_offset=round_offset,
                name_korean_startups=j == 0,
            )
            _write_chunk(con, chunk, codes)
            amount = chunk.rounds["raw_amount"].to_numpy()
            ok = ~np.isnan(amount)
            raw_sum += np.bincount(
                chunk.rounds["cell"].to_numpy()[ok], weights=amount[ok], minlength=len(counts)
            )
            company_offset += len(chunk.companies)
            round_offset += len(chunk.rounds)
            del chunk
            if on_chunk is not None:
                on_chunk(j + 1, n_chunks)
        _write_rounds(con, target / raw_sum)
        _write_investors(con, pool, codes)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_STAGE_TABLE}")
    return summarize(con, seed=seed, seconds=time.perf_counter() - started)


def summarize(con: duckdb.DuckDBPyConnection, *, seed: int, seconds: float = 0.0) -> DemoSummary:
    """Describe a generated demo database (counts, AI amount, calibration check).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A database written by :func:`generate`.
    seed : int
        The seed it was generated with (recorded in the summary).
    seconds : float
        Generation time to record.

    Returns
    -------
    DemoSummary
        The summary.
    """
    counts = {
        t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
        for t in s.CANONICAL_TABLES
    }
    err = calibration_error(con)
    lo, hi = con.execute(
        f"SELECT min(year({s.ANNOUNCED_ON})), max(year({s.ANNOUNCED_ON})) FROM {s.ROUNDS}"
    ).fetchall()[0]
    total = float(err["actual_usd"].sum())
    us = float(err.loc[err[s.COUNTRY] == "USA", "actual_usd"].sum())
    ai_rounds = int(err["rounds"].sum())
    return DemoSummary(
        rounds=counts[s.ROUNDS],
        companies=counts[s.COMPANIES],
        investors=counts[s.INVESTORS],
        participations=counts[s.PARTICIPATIONS],
        ai_rounds=ai_rounds,
        seed=seed,
        years=(int(lo), int(hi)),
        ai_amount_usd=total,
        us_share=us / total if total else math.nan,
        max_abs_calibration_error=float(err["rel_error"].abs().max()),
        seconds=seconds,
    )


def summary_frame(summary: DemoSummary) -> pd.DataFrame:
    """Return a :class:`DemoSummary` as a two-column table (item, value) for display."""
    rows = [
        ("rounds", f"{summary.rounds:,}"),
        ("AI rounds", f"{summary.ai_rounds:,}"),
        ("companies", f"{summary.companies:,}"),
        ("investors", f"{summary.investors:,}"),
        ("participations", f"{summary.participations:,}"),
        ("years", f"{summary.years[0]}–{summary.years[1]}"),
        ("AI amount (USD)", f"{summary.ai_amount_usd:,.0f}"),
        ("US share of AI amount", f"{summary.us_share:.1%}"),
        ("max calibration error", f"{summary.max_abs_calibration_error:.2%}"),
        ("seed", str(summary.seed)),
        ("seconds", f"{summary.seconds:.1f}"),
    ]
    return pd.DataFrame(rows, columns=["item", "value"])
