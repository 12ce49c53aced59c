"""The Crunchbase 2013–2015 open-export adapter (``--format crunchbase-open``).

Fixtures are written by the tests into ``tmp_path``; every quirk of the real export is in
them (padded names and amounts, "-", the unnamed index column, rows empty but for the index,
singular/plural file names, the Excel workbook variant, rows without investor, legacy country
codes). The integration tests on the real sample recompute every figure with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import string
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.errors import InputFileError, OptionError
from vcflows.sources import SourceBatch, read_source
from vcflows.sources.crunchbase_open import read
from vcflows.store import connect, ingest_batch

# --- fixture layout (headers exactly as the export writes them, padding included) ---------
COMPANY_COLS = [
    "company_permalink",
    "company_name",
    "company_category_list",
    "company_market",
    "company_country_code",
    "company_state_code",
    "company_region",
    "company_city",
]
INVESTOR_COLS = [
    "investor_permalink",
    "investor_name",
    "investor_category_list",
    "investor_market",
    "investor_country_code",
    "investor_state_code",
    "investor_region",
    "investor_city",
]
ROUND_COLS = [
    "funding_round_permalink",
    "funding_round_type",
    "funding_round_code",
    "funded_at",
    "funded_month",
    "funded_quarter",
    "funded_year",
    " raised_amount_usd ",
]
INVESTMENT_HEADER = ["", *COMPANY_COLS, *INVESTOR_COLS, *ROUND_COLS]
ROUNDS_HEADER = [
    "",
    *COMPANY_COLS,
    *[" funded_quarter " if c == "funded_quarter" else c for c in ROUND_COLS],
    "Unnamed: 16",
]
COMPANY_HEADER = [
    "",
    "permalink",
    "name",
    "homepage_url",
    "category_list",
    " market ",
    " funding_total_usd ",
    "status",
    "country_code",
    "founded_at",
]
ACQUISITION_HEADER = [
    "",
    "company_permalink",
    "company_name",
    "acquirer_permalink",
    "acquirer_name",
    "acquired_at",
    " price_amount ",
]

ALPHA = {
    "company_permalink": "/organization/alpha",
    "company_name": "Alpha AI",
    "company_category_list": "|Artificial Intelligence|Software|",
    "company_market": "Software",
    "company_country_code": "ROM",  # legacy code of Romania
}
BETA = {
    "company_permalink": "/organization/beta",
    "company_name": "Beta",
    "company_country_code": "KOR",
}
GAMMA = {"company_permalink": "/organization/gamma", "company_name": "Gamma"}
VC_ONE = {
    "investor_permalink": "/organization/vc-one",
    "investor_name": "VC One",
    "investor_category_list": "|Venture Capital|",
    "investor_market": "Venture Capital",
    "investor_country_code": "USA",
}
R1 = {
    "funding_round_permalink": "/funding-round/r1",
    "funding_round_type": "venture",
    "funding_round_code": "A",
    "funded_at": "2014-05-22",
    "raised_amount_usd": " 3,000,000 ",
}
INVESTMENT_ROWS: list[dict[str, str]] = [
    # one round, three investors: the round's amount is repeated on each row
    {"": "101", **ALPHA, **VC_ONE, **R1},
    {
        "": "102",
        **ALPHA,
        "investor_permalink": "/person/jane-doe",
        "investor_name": "Jane Doe",
        **R1,
    },
    {
        "": "103",
        **ALPHA,
        "investor_permalink": "/organization/bigcorp",
        "investor_name": "BigCorp",
        "investor_category_list": "|Software|Hardware|",
        "investor_country_code": "GBR",
        **R1,
    },
    {
        "": "104",
        **BETA,
        "investor_permalink": "/organization/fund-x",
        "investor_name": "Fund X",
        "investor_country_code": "KOR",
        "funding_round_permalink": "/funding-round/r2",
        "funding_round_type": "seed",
        "funded_at": "2013-01-10",
        "raised_amount_usd": " -   ",
    },
    {  # no investor: the round and the company are still recorded
        "": "105",
        **BETA,
        "funding_round_permalink": "/funding-round/r3",
        "funding_round_type": "angel",
        "funded_at": "2012-03-01",
        "raised_amount_usd": "         ",
    },
    {"": "106"},  # empty but for the index
    {
        "": "107",
        **GAMMA,
        "company_country_code": "DEU",
        **VC_ONE,
        "funding_round_permalink": "/funding-round/r4",
        "funding_round_type": "venture",
        "funding_round_code": "B",
        "funded_at": "2014-01-01",
        "raised_amount_usd": "lots",
    },
    {
        "": "108",
        **GAMMA,
        "company_country_code": "XXQ",
        **VC_ONE,
        "funding_round_permalink": "/funding-round/r5",
        "funding_round_type": "seed",
        "funded_at": "2014-01-01",
    },
    {
        "": "109",
        **VC_ONE,
        "funding_round_permalink": "/funding-round/r6",
        "funded_at": "2014-02-02",
    },
]
ROUND_ROWS: list[dict[str, str]] = [
    {"": "201", **ALPHA, **R1, "funded_quarter": "2014-Q2", "funded_year": "2014.0"},
    {  # r2 again: fills the amount unknown in the investments, adds no second round
        "": "202",
        **BETA,
        "funding_round_permalink": "/funding-round/r2",
        "funding_round_type": "seed",
        "funded_at": "2013-01-10",
        "raised_amount_usd": " 250,000 ",
    },
    {  # a round with no recorded investor
        "": "203",
        "company_permalink": "/organization/delta",
        "company_name": "Delta",
        "company_country_code": "FRA",
        "funding_round_permalink": "/funding-round/r7",
        "funding_round_type": "venture",
        "funding_round_code": "C",
        "funded_at": "2011-11-11",
        "raised_amount_usd": "10,000,000",
    },
    {"": "204"},
]
COMPANY_ROWS: list[dict[str, str]] = [
    {
        "": "301",
        "permalink": "/organization/beta",
        "name": "Beta",
        "category_list": "|Robotics|",
        "market": " Robotics ",
        "funding_total_usd": " 250,000 ",
        "country_code": "KOR",
        "founded_at": "2010-06-01",
    },
    {"": "302", "permalink": "/organization/epsilon", "name": "Epsilon", "country_code": "ROM"},
    {"": "303"},
    {"": "304"},
]
ACQUISITION_ROWS: list[dict[str, str]] = [
    {
        "": "401",
        "company_permalink": "/organization/alpha",
        "company_name": "Alpha AI",
        "acquirer_permalink": "/organization/bigcorp",
        "acquirer_name": "BigCorp",
        "acquired_at": "2015-01-01",
    },
    {"": "402"},
]

NAMES = {
    "singular": ("investment", "rounds", "company", "acquisition"),
    "plural": ("investments", "rounds", "companies", "acquisitions"),
}


def _write_csv(path: Path, header: list[str], rows: Iterable[Mapping[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h.strip(), "") for h in header])
    return path


def _export(folder: Path, naming: str = "singular", *, only_investments: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    inv, rnd, comp, acq = NAMES[naming]
    _write_csv(folder / f"{inv}.csv", INVESTMENT_HEADER, INVESTMENT_ROWS)
    if not only_investments:
        _write_csv(folder / f"{rnd}.csv", ROUNDS_HEADER, ROUND_ROWS)
        _write_csv(folder / f"{comp}.csv", COMPANY_HEADER, COMPANY_ROWS)
        _write_csv(folder / f"{acq}.csv", ACQUISITION_HEADER, ACQUISITION_ROWS)
    return folder


def _workbook(path: Path) -> Path:
    """The Excel variant: one sheet per table, the index column kept, a license sheet first."""

    def sheet(header: list[str], rows: list[dict[str, str]]) -> pd.DataFrame:
        cols = [h for h in header if not h.startswith("Unnamed")]
        return pd.DataFrame([[r.get(c.strip(), "") for c in cols] for r in rows], columns=cols)

    with pd.ExcelWriter(path) as xl:
        pd.DataFrame({"license": ["CC BY-NC 4.0, Crunchbase"]}).to_excel(
            xl, sheet_name="License", index=False
        )
        for name, header, rows in (
            ("Companies", COMPANY_HEADER, COMPANY_ROWS),
            ("Rounds", ROUNDS_HEADER, ROUND_ROWS),
            ("Investments", INVESTMENT_HEADER, INVESTMENT_ROWS),
            ("Acquisitions", ACQUISITION_HEADER, ACQUISITION_ROWS),
        ):
            sheet(header, rows).to_excel(xl, sheet_name=name, index=False)
    return path


def _accounts(batch: SourceBatch) -> dict[str, tuple[int, int, int, int]]:
    return {a.file: (a.read, a.loaded, a.quarantined, a.skipped) for a in batch.accounts}


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


# --- investments alone -------------------------------------------------------------------
def test_investments_alone_build_every_table(tmp_path: Path) -> None:
    folder = _export(tmp_path / "x", only_investments=True)
    batch = read([folder])
    # rows 106 (empty), 107 (amount "lots"), 109 (no company) quarantined; 108 (country XXQ,
    # an optional field) loaded with the company's country unknown
    assert _accounts(batch) == {"investment.csv": (9, 6, 3, 0)}
    assert batch.accounts[0].flagged == 1
    con = connect(":memory:")
    ingest_batch(con, batch)
    rounds = _query(
        con,
        "SELECT round_id, company_id, announced_on, stage, amount_usd FROM rounds ORDER BY 1",
    )
    assert rounds == [
        ("cbo:/funding-round/r1", "cbo:/organization/alpha", dt.date(2014, 5, 22), "series_a", 3e6),
        ("cbo:/funding-round/r2", "cbo:/organization/beta", dt.date(2013, 1, 10), "seed", None),
        ("cbo:/funding-round/r3", "cbo:/organization/beta", dt.date(2012, 3, 1), "seed", None),
        ("cbo:/funding-round/r5", "cbo:/organization/gamma", dt.date(2014, 1, 1), "seed", None),
    ]
    # 3,000,000 on three rows is one round of 3,000,000, not 9,000,000
    assert _query(con, "SELECT sum(amount_usd) FROM rounds") == [(3e6,)]
    assert _query(
        con, "SELECT company_id, name, country_iso3, categories FROM companies ORDER BY 1"
    ) == [
        ("cbo:/organization/alpha", "Alpha AI", "ROU", "artificial intelligence|software"),
        ("cbo:/organization/beta", "Beta", "KOR", None),
        ("cbo:/organization/gamma", "Gamma", None, None),
    ]
    assert _query(
        con, "SELECT investor_id, name, country_iso3, investor_type FROM investors ORDER BY 1"
    ) == [
        ("cbo:/organization/bigcorp", "BigCorp", "GBR", "corporate"),
        ("cbo:/organization/fund-x", "Fund X", "KOR", "unknown"),
        ("cbo:/organization/vc-one", "VC One", "USA", "vc"),
        ("cbo:/person/jane-doe", "Jane Doe", None, "angel"),
    ]
    # r3 has no investor row: round recorded, no participation
    assert _query(con, "SELECT round_id, count(*) FROM participations GROUP BY 1 ORDER BY 1") == [
        ("cbo:/funding-round/r1", 3),
        ("cbo:/funding-round/r2", 1),
        ("cbo:/funding-round/r5", 1),
    ]


def test_quarantine_keeps_the_index_as_source_row(tmp_path: Path) -> None:
    batch = read([_export(tmp_path / "x", only_investments=True)])
    q = batch.quarantine.sort_values(s.Q_SOURCE_ROW)
    assert q[[s.Q_SOURCE_FILE, s.Q_SOURCE_ROW, s.Q_FIELD, s.Q_VALUE]].values.tolist() == [
        ["investment.csv", "106", "(row)", None],
        ["investment.csv", "107", "raised_amount_usd", "lots"],
        ["investment.csv", "108", "company_country_code", "XXQ"],
        ["investment.csv", "109", "company_permalink", None],
    ]
    kept = dict(zip(q[s.Q_SOURCE_ROW], q[s.Q_ROW_KEPT], strict=True))
    assert kept == {"106": False, "107": False, "108": True, "109": False}
    assert q[s.Q_TABLE].tolist() == [s.ROUNDS, s.ROUNDS, s.COMPANIES, s.ROUNDS]
    reasons = dict(zip(q[s.Q_SOURCE_ROW], q[s.Q_REASON], strict=True))
    assert "no identifier" in reasons["106"]
    assert "company" in reasons["109"]
    assert all(reasons.values())


def test_padded_column_names_and_values_are_matched(tmp_path: Path) -> None:
    # " raised_amount_usd " is a padded header in the fixture; a padded index too
    header = [" ", *[f"  {c.strip()} " for c in INVESTMENT_HEADER[1:]]]
    path = _write_csv(tmp_path / "investment.csv", header, INVESTMENT_ROWS[:1])
    batch = read([path])
    assert batch.rounds[s.AMOUNT_USD].tolist() == [3e6]
    assert batch.rounds[s.STAGE].tolist() == ["series_a"]


# --- the whole export --------------------------------------------------------------------
@pytest.mark.parametrize("naming", ["singular", "plural"])
def test_whole_folder_enriches_without_duplicates(tmp_path: Path, naming: str) -> None:
    folder = _export(tmp_path / naming, naming)
    batch = read([folder])
    inv, rnd, comp, acq = (f"{n}.csv" for n in NAMES[naming])
    assert _accounts(batch) == {
        inv: (9, 6, 3, 0),
        rnd: (4, 3, 1, 0),
        comp: (4, 2, 2, 0),
        acq: (2, 0, 1, 1),
    }
    assert all(a.balanced for a in batch.accounts)
    con = connect(":memory:")
    ingest_batch(con, batch)
    # r1, r2 named again in rounds.csv add nothing; r7 is new; r2's unknown amount is filled
    assert _query(con, "SELECT round_id, amount_usd, stage FROM rounds ORDER BY 1") == [
        ("cbo:/funding-round/r1", 3e6, "series_a"),
        ("cbo:/funding-round/r2", 250_000.0, "seed"),
        ("cbo:/funding-round/r3", None, "seed"),
        ("cbo:/funding-round/r5", None, "seed"),
        ("cbo:/funding-round/r7", 1e7, "series_c"),
    ]
    assert _query(
        con, "SELECT company_id, country_iso3, founded_on, categories FROM companies ORDER BY 1"
    ) == [
        ("cbo:/organization/alpha", "ROU", None, "artificial intelligence|software"),
        ("cbo:/organization/beta", "KOR", dt.date(2010, 6, 1), "robotics"),
        ("cbo:/organization/delta", "FRA", None, None),
        ("cbo:/organization/epsilon", "ROU", None, None),
        ("cbo:/organization/gamma", None, None, None),
    ]
    assert _query(con, "SELECT count(*) FROM participations") == [(5,)]
    assert any("skipped 1 acquisitions" in n for n in batch.notes)
    assert batch.accounts[-1].note  # the skipped rows are explained in the ingest log


def test_excel_workbook_gives_the_same_tables(tmp_path: Path) -> None:
    folder = read([_export(tmp_path / "csv")])
    book = read([_workbook(tmp_path / "export.xlsx")])
    assert _accounts(book) == {
        "export.xlsx[Investments]": (9, 6, 3, 0),
        "export.xlsx[Rounds]": (4, 3, 1, 0),
        "export.xlsx[Companies]": (4, 2, 2, 0),
        "export.xlsx[Acquisitions]": (2, 0, 1, 1),
    }
    for table in s.CANONICAL_TABLES:
        keys = list(s.PRIMARY_KEYS[table])
        a = folder.table(table).drop_duplicates(keys).sort_values(keys).reset_index(drop=True)
        b = book.table(table).drop_duplicates(keys).sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(a.astype(str), b.astype(str))
    q = book.quarantine
    empty = q[q[s.Q_FIELD] == "(row)"].sort_values(s.Q_SOURCE_ROW)
    assert empty[s.Q_SOURCE_ROW].tolist() == ["106", "204", "303", "304", "402"]


def test_without_index_column_the_line_is_the_source_row(tmp_path: Path) -> None:
    rows = [r for r in INVESTMENT_ROWS if r[""] != "106"]  # without its index: a blank line
    path = _write_csv(tmp_path / "investment.csv", INVESTMENT_HEADER[1:], rows)
    batch = read([path])
    # header is line 1: rows 107, 108, 109 (the 6th to 8th data rows) are on lines 7 to 9;
    # 108 (country XXQ) is loaded, its record says so
    assert sorted(batch.quarantine[s.Q_SOURCE_ROW]) == ["7", "8", "9"]
    assert _accounts(batch) == {"investment.csv": (8, 6, 2, 0)}


def test_row_with_too_many_fields_is_quarantined(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "investment.csv", INVESTMENT_HEADER, INVESTMENT_ROWS[:2])
    with path.open("a", encoding="utf-8") as fh:  # a third row with two stray fields
        fh.write(",".join(["110", "/organization/x", *[""] * 24, "stray", "more"]) + "\n")
    batch = read([path])
    assert _accounts(batch) == {"investment.csv": (3, 2, 1, 0)}
    (row,) = batch.quarantine.to_dict("records")
    assert (row[s.Q_SOURCE_ROW], row[s.Q_FIELD]) == ("110", "(row)")
    assert "fields" in row[s.Q_REASON]


def test_reingest_adds_nothing(tmp_path: Path) -> None:
    folder = _export(tmp_path / "x")
    con = connect(":memory:")
    first = ingest_batch(con, read([folder]))
    assert first.new_records[s.ROUNDS] == 5  # r1, r2, r3, r5 (country XXQ unknown), r7
    again = ingest_batch(con, read([folder]))
    assert again.new_records == {t: 0 for t in again.new_records}


def test_files_given_one_by_one_and_format_lookup(tmp_path: Path) -> None:
    folder = _export(tmp_path / "x")
    files = [folder / "investment.csv", folder / "rounds.csv"]
    batch = read_source(files, "crunchbase-open")
    assert sorted(_accounts(batch)) == ["investment.csv", "rounds.csv"]


def test_unrecognized_input_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    with pytest.raises(InputFileError, match="investment"):
        read([tmp_path])
    bad = _write_csv(tmp_path / "investment.csv", ["", "company_permalink"], [{"": "1"}])
    with pytest.raises(InputFileError, match="funding_round_permalink"):
        read([bad])
    with pytest.raises(OptionError):
        read([_export(tmp_path / "y")], mapping="x.toml")


# --- accounting identity on generated dirty rows ----------------------------------------
_AMOUNTS = ["", " - ", " 3,000,000 ", "250000", "1.5", "abc", "-5"]
_COUNTRIES = ["", "USA", "ROM", "KOR", "XXQ"]
_IDS = ["", "a", "b", "c"]
_row = st.fixed_dictionaries(
    {
        "company_permalink": st.sampled_from(_IDS),
        "investor_permalink": st.sampled_from(_IDS),
        "funding_round_permalink": st.sampled_from(_IDS),
        "raised_amount_usd": st.sampled_from(_AMOUNTS),
        "company_country_code": st.sampled_from(_COUNTRIES),
        "investor_country_code": st.sampled_from(_COUNTRIES),
        "funded_at": st.sampled_from(["", "2014-01-31", "2014-02-30"]),
        "company_name": st.text(string.ascii_letters + " ", max_size=5),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, max_size=25))
def test_accounting_balances_on_dirty_rows(rows: list[dict[str, str]]) -> None:
    def bad(r: dict[str, str]) -> bool:
        ids = ("company_permalink", "company_name", "investor_permalink", "funding_round_permalink")
        named = any(r[c].strip() for c in ids)
        return (
            not named
            or not r["funding_round_permalink"]
            or not r["company_permalink"]
            or r["raised_amount_usd"].strip() in ("abc", "-5")
            or r["funded_at"] == "2014-02-30"
        )

    with tempfile.TemporaryDirectory() as tmp:
        indexed = [{"": str(i), **r} for i, r in enumerate(rows)]
        path = _write_csv(Path(tmp) / "investment.csv", INVESTMENT_HEADER, indexed)
        batch = read([path])
    (account,) = batch.accounts
    expected_bad = sum(bad(r) for r in rows)
    assert (account.read, account.quarantined, account.skipped) == (len(rows), expected_bad, 0)
    assert account.read == account.loaded + account.quarantined
    good = [r for r in rows if not bad(r)]
    assert set(batch.rounds[s.ROUND_ID]) == {"cbo:" + r["funding_round_permalink"] for r in good}
    pairs = {
        (r["funding_round_permalink"], r["investor_permalink"])
        for r in good
        if r["investor_permalink"]
    }
    got = set(
        zip(batch.participations[s.ROUND_ID], batch.participations[s.INVESTOR_ID], strict=True)
    )
    assert got == {("cbo:" + a, "cbo:" + b) for a, b in pairs}
    q = batch.quarantine
    rejected = q[~q[s.Q_ROW_KEPT].astype(bool)]
    assert set(rejected[s.Q_SOURCE_ROW]) == {str(i) for i, r in enumerate(rows) if bad(r)}
    # an unrecognized country (XXQ) of a loaded row: one field-level record per field
    xxq = sum(
        (r["company_country_code"] == "XXQ") + (r["investor_country_code"] == "XXQ") for r in good
    )
    assert account.flagged == xxq == int(q[s.Q_ROW_KEPT].astype(bool).sum())


# --- the real 2014 sample ----------------------------------------------------------------
def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(fh)]


def _usd(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return None if text in ("", "-") else float(text)


def test_real_sample_investments_alone(open2014_sample: Path) -> None:
    rows = _csv_rows(open2014_sample / "investment.csv")
    assert len(rows) == 11_451
    round_amount = {r["funding_round_permalink"]: _usd(r["raised_amount_usd"]) for r in rows}
    assert len(round_amount) == 9_952
    pairs = {
        (r["funding_round_permalink"], r["investor_permalink"])
        for r in rows
        if r["investor_permalink"]
    }

    # Every row names a round and a company, every amount is a number, blank or "-", every
    # country code is ISO3 or ROM: nothing in this file should be quarantined.
    assert all(r["funding_round_permalink"] and r["company_permalink"] for r in rows)
    assert all((_usd(r["raised_amount_usd"]) or 1.0) > 0 for r in rows)

    batch = read([open2014_sample / "investment.csv"])
    (account,) = batch.accounts
    assert (account.read, account.loaded, account.quarantined) == (len(rows), len(rows), 0)
    con = connect(":memory:")
    ingest_batch(con, batch)
    assert _query(con, "SELECT count(*) FROM rounds") == [(len(round_amount),)]
    # one amount per round, never summed over its investor rows
    expected_usd = sum(a for a in round_amount.values() if a is not None)
    assert _query(con, "SELECT sum(amount_usd) FROM rounds")[0][0] == pytest.approx(expected_usd)
    assert _query(con, "SELECT count(*) FROM participations")[0][0] == len(pairs)
    korean = {r["company_permalink"] for r in rows if r["company_country_code"] == "KOR"}
    assert _query(con, "SELECT count(*) FROM companies WHERE country_iso3 = 'KOR'")[0][0] == len(
        korean
    )
    # ROM (legacy) is stored as ROU, never as itself
    assert _query(con, "SELECT count(*) FROM companies WHERE country_iso3 = 'ROM'") == [(0,)]


def test_real_sample_whole_folder(open2014_sample: Path) -> None:
    files = {
        f: _csv_rows(open2014_sample / f"{f}.csv")
        for f in ("investment", "rounds", "company", "acquisition")
    }
    rounds = {r["funding_round_permalink"] for r in files["investment"]}
    rounds |= {r["funding_round_permalink"] for r in files["rounds"]}
    assert len(rounds) == 17_341
    empty_companies = sum(not r["permalink"] and not r["name"] for r in files["company"])
    acq_named = sum(
        any(r[c] for c in ("company_permalink", "acquirer_permalink")) for r in files["acquisition"]
    )

    batch = read([open2014_sample])
    accounts = {a.file: a for a in batch.accounts}
    assert set(accounts) == {f"{f}.csv" for f in files}
    for name, rows in files.items():
        a = accounts[f"{name}.csv"]
        assert a.read == len(rows) and a.balanced, a
    assert accounts["company.csv"].quarantined >= empty_companies
    assert accounts["acquisition.csv"].skipped == acq_named
    assert accounts["acquisition.csv"].quarantined == len(files["acquisition"]) - acq_named
    con = connect(":memory:")
    first = ingest_batch(con, batch)
    assert _query(con, "SELECT count(*) FROM rounds") == [(len(rounds),)]
    assert first.new_records[s.ROUNDS] == 17_341
    again = ingest_batch(con, read([open2014_sample]))
    assert sum(again.new_records[t] for t in s.CANONICAL_TABLES) == 0
