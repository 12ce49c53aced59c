"""Korean (CP949) exports: detected or named encodings, mojibake refused, one-line engine errors.

The fixtures are written by the tests in CP949, the default encoding of Korean Excel, with
Korean headers, company names and country names (대한민국, 미국, 일본, 중국, 한국), and read
through the generic adapter with a mapping: row by row, and vectorized in DuckDB.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from vcflows import schema as s
from vcflows.cli import app
from vcflows.errors import InputFileError, OptionError
from vcflows.sources import generic
from vcflows.sources._files import read_table_file, summarize_engine_error
from vcflows.store import connect
from vcflows.store.bulk import ingest_generic

MAPPING = """
shape = "participation"
source = "kr"
[columns]
company_name = "회사명"
date = "투자일"
investor_name = "투자사"
[optional_columns]
company_country = "국가"
investor_country = "투자사 국가"
amount = "금액"
currency = "통화"
"""

HEADER = ["회사명", "국가", "투자일", "금액", "통화", "투자사", "투자사 국가"]
# (company, its country, date, amount, currency, investor, investor country, expected ISO codes)
ROWS = [
    ("업스테이지", "대한민국", "2023-08-01", "100", "USD", "카카오벤처스", "한국"),
    ("업스테이지", "대한민국", "2023-08-01", "100", "USD", "Sequoia Capital", "미국"),
    ("리벨리온", "한국", "2024-01-30", "50", "USD", "소프트뱅크벤처스아시아", "일본"),
    ("퓨리오사에이아이", "대한민국", "2022-05-10", "30", "USD", "텐센트", "중국"),
]
COUNTRY = {"대한민국": "KOR", "한국": "KOR", "미국": "USA", "일본": "JPN", "중국": "CHN"}


def _text(header: list[str], rows: list[tuple[str, ...]]) -> str:
    return "\n".join(",".join(r) for r in [tuple(header), *rows]) + "\n"


def _cp949(tmp_path: Path, name: str = "deals.csv", header: list[str] = HEADER) -> Path:
    path = tmp_path / name
    path.write_bytes(_text(header, ROWS).encode("cp949"))
    return path


def _mapping(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "kr.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _expected_names() -> tuple[set[str], set[str]]:
    return {r[0] for r in ROWS}, {r[5] for r in ROWS}


def _check_batch_tables(companies: dict[str, str | None], investors: dict[str, str | None]) -> None:
    names, investor_names = _expected_names()
    assert set(companies) == names
    assert set(investors) == investor_names
    for row in ROWS:
        assert companies[row[0]] == COUNTRY[row[1]]
        assert investors[row[5]] == COUNTRY[row[6]]


@pytest.mark.parametrize("encoding", [None, "cp949", "CP949", "euc-kr"])
def test_generic_adapter_reads_cp949_with_korean_names(
    tmp_path: Path, encoding: str | None
) -> None:
    # None: detected. euc-kr: the standard that CP949 extends (these names are in both).
    batch = generic.read([_cp949(tmp_path)], mapping=_mapping(tmp_path), encoding=encoding)
    (account,) = batch.accounts
    assert (account.read, account.loaded, account.quarantined) == (4, 4, 0)
    _check_batch_tables(
        dict(zip(batch.companies[s.NAME], batch.companies[s.COUNTRY], strict=True)),
        dict(zip(batch.investors[s.NAME], batch.investors[s.COUNTRY], strict=True)),
    )
    rounds = batch.rounds.drop_duplicates(s.ROUND_ID)  # one row per participation in the batch
    assert rounds[s.AMOUNT_USD].sum() == pytest.approx(100 + 50 + 30)


def _store_tables(db: Path) -> tuple[dict[str, str | None], dict[str, str | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        comp = dict(con.execute(f"SELECT {s.NAME}, {s.COUNTRY} FROM {s.COMPANIES}").fetchall())
        inv = dict(con.execute(f"SELECT {s.NAME}, {s.COUNTRY} FROM {s.INVESTORS}").fetchall())
    finally:
        con.close()
    return comp, inv


@pytest.mark.parametrize("encoding", [None, "cp949"])
@pytest.mark.parametrize("ascii_header", [False, True])
def test_vectorized_ingest_reads_cp949(
    tmp_path: Path, encoding: str | None, ascii_header: bool
) -> None:
    # An ASCII header over CP949 rows: DuckDB only finds the bytes past its header line.
    header = ["company", "country", "date", "amount", "cur", "investor", "icountry"]
    mapping = MAPPING
    if ascii_header:
        for old, new in zip(HEADER, header, strict=True):
            mapping = mapping.replace(f'"{old}"', f'"{new}"')
    path = _cp949(tmp_path, header=header if ascii_header else HEADER)
    db = tmp_path / "kr.duckdb"
    con = connect(db)
    try:
        result = ingest_generic(con, [path], mapping=_mapping(tmp_path, mapping), encoding=encoding)
    finally:
        con.close()
    assert [(a.read, a.loaded, a.quarantined) for a in result.accounts] == [(4, 4, 0)]
    assert not any("row-by-row" in note for note in result.notes), result.notes
    _check_batch_tables(*_store_tables(db))


def test_cli_ingest_with_encoding_option(tmp_path: Path) -> None:
    db = tmp_path / "kr.duckdb"
    res = CliRunner().invoke(
        app,
        ["ingest", str(_cp949(tmp_path)), "--mapping", str(_mapping(tmp_path)),
         "--encoding", "cp949", "--db", str(db)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    companies, _ = _store_tables(db)
    assert companies["업스테이지"] == "KOR"


def _garbage(tmp_path: Path) -> Path:
    # ASCII lines, then bytes no encoding reads as text (seeded; no NUL byte: not "binary").
    rng = random.Random(19)
    blob = bytes(b for b in rng.randbytes(2000) if b not in b"\x00\n\r")
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"company,country\nAcme,USA\n" + blob + b"\n")
    return path


def test_mojibake_only_file_is_refused_in_one_line(tmp_path: Path) -> None:
    path = _garbage(tmp_path)
    with pytest.raises(InputFileError) as info:
        read_table_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: not UTF-8 (first at line 3)")
    assert "no encoding reads it as text rather than mojibake" in message
    with pytest.raises(InputFileError, match="mojibake"):
        generic.read([path], mapping=_mapping(tmp_path))


def test_mojibake_only_file_is_refused_by_the_cli(tmp_path: Path) -> None:
    path = _garbage(tmp_path)
    args = ["ingest", str(path), "--mapping", str(_mapping(tmp_path))]
    db = tmp_path / "x.duckdb"
    res = CliRunner().invoke(app, [*args, "--db", str(db)], env={"COLUMNS": "400"})
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"{path}: " in lines[0], res.output
    assert "mojibake" in lines[0].split(f"{path}: ")[1]  # (the test's folder is named so too)


def test_mixed_encodings_refused_naming_both_lines(tmp_path: Path) -> None:
    # Rows appended by two tools: CP949, then UTF-8. Any one encoding garbles one part.
    path = tmp_path / "mixed.csv"
    head = _text(HEADER, ROWS[:2]).encode("cp949")
    tail = _text(HEADER, ROWS[2:]).split("\n", 1)[1].encode("utf-8")
    path.write_bytes(head + tail)
    with pytest.raises(InputFileError) as info:
        read_table_file(path)
    assert str(info.value).startswith(
        f"{path}: mixed encodings: line 4 is UTF-8 text, line 1 is not"
    )


def test_named_encoding_that_reads_mojibake_is_refused(tmp_path: Path) -> None:
    path = _cp949(tmp_path)
    with pytest.raises(InputFileError, match=r"deals\.csv: decoded as cp1252 .*mojibake.*cp949"):
        read_table_file(path, encoding="cp1252")


@pytest.mark.parametrize("encoding", ["cp1252", "windows-1252"])
def test_named_encoding_keeps_a_few_symbols(tmp_path: Path, encoding: str) -> None:
    # Too little non-ASCII text to judge: '€5m' alone is not refused as mojibake.
    path = tmp_path / "a.csv"
    path.write_bytes("amount,city\n€5m,Zürich\n".encode("cp1252"))
    frame = read_table_file(path, encoding=encoding)
    assert frame[["amount", "city"]].values.tolist() == [["€5m", "Zürich"]]


def test_named_encoding_names_the_line_of_an_undecodable_byte(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,name\n1,ok\n2," + "업스테이지".encode("cp949") + b"\n")
    with pytest.raises(InputFileError, match=r"a\.csv: line 3: .* not valid utf-8"):
        read_table_file(path, encoding="utf-8")


def test_unknown_encoding_name(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="unknown encoding 'klingon'"):
        read_table_file(_cp949(tmp_path), encoding="klingon")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("会社,国\nソフトバンク,日本\nトヨタ,アメリカ合衆国\n", "cp932"),
     ("公司,国家\n腾讯,中国\n百度,美国\n", "gb18030")],
)  # fmt: skip
def test_japanese_and_chinese_encodings_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode(encoding))
    frame = read_table_file(path)
    expected = [line.split(",") for line in text.splitlines()]
    assert list(frame.columns[:2]) == expected[0]
    assert frame.iloc[:, :2].values.tolist() == expected[1:]


def test_engine_error_dump_summarized_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"a,b\n1,2\n" + "업스테이지,3\n".encode("cp949"))
    con = duckdb.connect()
    with pytest.raises(duckdb.Error) as info:
        con.execute(f"SELECT * FROM read_csv('{path}', header = true)").fetchall()
    assert str(info.value).count("\n") > 10  # the dump
    line = summarize_engine_error(path, info.value)
    assert "\n" not in line and line.startswith("bad.csv, line 3: ")


def test_row_by_row_fallback_note_is_one_line(tmp_path: Path) -> None:
    # A row with too many fields: DuckDB's strict reader refuses the file with a long dump,
    # the row-by-row adapter quarantines that row; the note says why in one line.
    path = tmp_path / "ragged.csv"
    path.write_text(
        "회사명,국가,투자일,금액,통화,투자사,투자사 국가\n"
        "업스테이지,대한민국,2023-08-01,100,USD,카카오벤처스,한국,extra\n"
        "리벨리온,한국,2024-01-30,50,USD,Sequoia,미국\n",
        encoding="utf-8",
    )
    con = connect(tmp_path / "r.duckdb")
    try:
        result = ingest_generic(con, [path], mapping=_mapping(tmp_path))
    finally:
        con.close()
    (note,) = [n for n in result.notes if "row-by-row" in n]
    assert "\n" not in note and "ragged.csv" in note
    assert [(a.read, a.loaded, a.quarantined) for a in result.accounts] == [(2, 1, 1)]
