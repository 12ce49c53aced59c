"""Generators of the hostile-input corpus: every input file is written by code, into tmp_path.

Nothing binary is committed: each case's files are built from the small helpers below
(CSV bytes in a chosen encoding / delimiter / line ending, Excel and Parquet through pandas,
raw garbage bytes), so a reader sees exactly what each file holds.

The generic adapter reads the round-shaped files with :data:`ROUND_MAPPING` (written by the
tests, not a shipped mapping), so the corpus does not depend on shipped header names.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pandas as pd

#: A case's generator: writes its input file(s) under the given folder, returns the paths
#: handed to :func:`vcflows.sources.read_source`.
Maker = Callable[[Path], list[Path]]

#: The generic adapter's mapping for the corpus (round shape; source label/namespace "t").
ROUND_MAPPING = """
shape = "round"
source = "t"
# the corpus's files may lack any optional column (an undeclared missing one is an error)
optional = ["round_id", "company_country", "currency", "stage", "investor_name",
            "investor_country", "lead"]

[columns]
company_name = "company"
date = "date"
amount = "amount"

[optional_columns]
round_id = "round_id"
company_country = "country"
currency = "currency"
stage = "stage"
investor_name = "investors"
investor_country = "investor_countries"
lead = "lead"

[options]
list_separator = ","
"""

#: The same mapping with an explicit day-first date format.
DAY_FIRST_MAPPING = ROUND_MAPPING.replace(
    'list_separator = ","', 'list_separator = ","\ndate_format = "%d/%m/%Y"'
)

#: A participation-shaped mapping (one row per investor in a round), source "p".
PARTICIPATION_MAPPING = """
shape = "participation"
source = "p"
optional = ["company_country", "investor_country", "lead"]

[columns]
round_id = "deal"
company_name = "company"
date = "date"
amount = "size"
investor_name = "investor"

[optional_columns]
company_country = "hq"
investor_country = "investor_hq"
lead = "lead"
"""

HEADER: tuple[str, ...] = (
    "round_id", "company", "country", "date", "amount", "currency", "stage", "investors",
    "investor_countries", "lead",
)  # fmt: skip

#: A sound round: every case starts from it and changes what it tests.
BASE_ROW: dict[str, str] = {
    "round_id": "r1",
    "company": "Acme AI",
    "country": "Germany",
    "date": "2020-05-01",
    "amount": "1000000",
    "currency": "USD",
    "stage": "Series A",
    "investors": "Fund A",
    "investor_countries": "France",
    "lead": "Fund A",
}


def row(**changes: str) -> dict[str, str]:
    """:data:`BASE_ROW` with some cells changed."""
    return {**BASE_ROW, **changes}


def csv_text(
    rows: Sequence[Mapping[str, str]],
    header: Sequence[str] = HEADER,
    *,
    delimiter: str = ",",
    terminator: str = "\n",
) -> str:
    """CSV text (quoted only where needed) of ``rows`` under ``header``."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=terminator)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    return buf.getvalue()


def raw_file(name: str, data: bytes | str, encoding: str = "utf-8") -> Maker:
    """A maker writing exactly ``data`` (text is encoded with ``encoding``)."""

    def make(folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
        return [path]

    return make


def csv_file(
    rows: Sequence[Mapping[str, str]],
    header: Sequence[str] = HEADER,
    *,
    name: str = "deals.csv",
    encoding: str = "utf-8",
    bom: bytes = b"",
    delimiter: str = ",",
    terminator: str = "\n",
) -> Maker:
    """A maker writing one CSV file (encoding, byte-order mark, delimiter, line ending)."""
    text = csv_text(rows, header, delimiter=delimiter, terminator=terminator)
    return raw_file(name, bom + text.encode(encoding))


def utf16(text: str, *, big_endian: bool = False) -> bytes:
    """``text`` as UTF-16 with its byte-order mark."""
    if big_endian:
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def folder(files: Mapping[str, str | bytes], *, name: str = "export") -> Maker:
    """A maker writing several files into one folder (a multi-file export); returns the folder."""

    def make(base: Path) -> list[Path]:
        out = base / name
        out.mkdir(parents=True, exist_ok=True)
        for fname, data in files.items():
            (out / fname).write_bytes(data if isinstance(data, bytes) else data.encode())
        return [out]

    return make


def files(makers: Sequence[Maker]) -> Maker:
    """A maker combining several makers (several files in one ingest)."""

    def make(base: Path) -> list[Path]:
        return [p for m in makers for p in m(base)]

    return make


def excel_file(frame: pd.DataFrame, name: str = "deals.xlsx") -> Maker:
    """A maker writing ``frame`` as an Excel workbook (first sheet)."""

    def make(base: Path) -> list[Path]:
        base.mkdir(parents=True, exist_ok=True)
        path = base / name
        frame.to_excel(path, index=False, engine="openpyxl")
        return [path]

    return make


def parquet_file(frame: pd.DataFrame, name: str = "deals.parquet") -> Maker:
    """A maker writing ``frame`` as Parquet."""

    def make(base: Path) -> list[Path]:
        base.mkdir(parents=True, exist_ok=True)
        path = base / name
        frame.to_parquet(path, index=False)
        return [path]

    return make


# --- the Crunchbase layouts -----------------------------------------------------------------
BULK_ROUNDS = (
    "funding_round_uuid", "company_uuid", "company_name", "country_code", "announced_on",
    "investment_type", "raised_amount_usd", "raised_amount", "raised_amount_currency_code",
    "category_list",
)  # fmt: skip
BULK_INVESTMENTS = ("funding_round_uuid", "investor_uuid", "investor_name", "is_lead_investor")
BULK_INVESTORS = ("uuid", "investor_name", "country_code", "investor_types")


def bulk_round(**changes: str) -> dict[str, str]:
    """One sound ``funding_rounds.csv`` row with some cells changed."""
    base = {
        "funding_round_uuid": "fr1",
        "company_uuid": "co1",
        "company_name": "Acme AI",
        "country_code": "DEU",
        "announced_on": "2020-05-01",
        "investment_type": "series_a",
        "raised_amount_usd": "1000000",
        "raised_amount": "1000000",
        "raised_amount_currency_code": "USD",
        "category_list": "Artificial Intelligence",
    }
    return {**base, **changes}


def bulk_export(
    rounds: Sequence[Mapping[str, str]] = (),
    investments: Sequence[Mapping[str, str]] = (),
    investors: Sequence[Mapping[str, str]] = (),
    extra: Mapping[str, str | bytes] | None = None,
) -> Maker:
    """A Crunchbase bulk-export folder: the three modelled CSVs plus any extra files."""
    content: dict[str, str | bytes] = {
        "funding_rounds.csv": csv_text(rounds, BULK_ROUNDS),
        "investments.csv": csv_text(investments, BULK_INVESTMENTS),
        "investors.csv": csv_text(investors, BULK_INVESTORS),
    }
    content.update(extra or {})
    return folder(content, name="bulk")


OPEN_INVESTMENTS = (
    "", "company_permalink", "company_name", "company_category_list", "company_country_code",
    "investor_permalink", "investor_name", "investor_country_code", "funding_round_permalink",
    "funding_round_type", "funded_at", " raised_amount_usd ",
)  # fmt: skip


def open_investment(**changes: str) -> dict[str, str]:
    """One sound ``investments.csv`` row of the Crunchbase open export, some cells changed."""
    base = {
        "": "17",
        "company_permalink": "/organization/acme",
        "company_name": "Acme AI",
        "company_category_list": "|Artificial Intelligence|",
        "company_country_code": "DEU",
        "investor_permalink": "/organization/fund-a",
        "investor_name": "Fund A",
        "investor_country_code": "FRA",
        "funding_round_permalink": "/funding-round/abc",
        "funding_round_type": "venture",
        "funded_at": "2013-11-01",
        " raised_amount_usd ": " 3,000,000 ",
    }
    return {**base, **changes}
