"""Hypothesis strategies for the fuzz tests: dirty cells, dirty rows, whole files.

Two families:

- *dirty* files (:func:`dirty_files`): any mix of sound and hostile cells, random column
  order, dropped optional and added extra columns, random delimiter, encoding, line ending
  and quoting, for the generic, crunchbase-open and crunchbase-bulk layouts. Used for the
  properties that must hold whatever the input (no crash, accounting, idempotence,
  conservation of money).
- *consistent* deal rows (:func:`consistent_rows`): rows drawn from a fixed set of rounds,
  companies and investors, each always described by the same facts (written in varying
  spellings, or dirty enough to be quarantined). Used for row-order independence: the store's
  documented merge rule keeps the *first* non-null value of conflicting duplicates, so only
  inputs without conflicting facts can be expected not to depend on row order.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Budget multiplier: VCFLOWS_FUZZ_SCALE=10 runs ten times as many examples, with fresh
#: randomness (the default run is derandomized so that CI is reproducible).
SCALE = max(1, int(os.environ.get("VCFLOWS_FUZZ_SCALE", "1")))


def budget(examples: int) -> settings:
    """Settings of one property: ``examples`` x SCALE examples, no deadline."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
            HealthCheck.large_base_example,
        ],
    )


ROUND_MAPPING = """
shape = "round"
source = "f"
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
"""
GENERIC_REQUIRED = ("company", "date", "amount")
GENERIC_OPTIONAL = (
    "round_id", "country", "currency", "stage", "investors", "investor_countries", "lead",
)  # fmt: skip
OPEN_HEADER = (
    "", "company_permalink", "company_name", "company_category_list", "company_country_code",
    "investor_permalink", "investor_name", "investor_country_code", "funding_round_permalink",
    "funding_round_type", "funded_at", "raised_amount_usd",
)  # fmt: skip
BULK_FILES: dict[str, tuple[str, ...]] = {
    "funding_rounds.csv": (
        "funding_round_uuid", "company_uuid", "company_name", "country_code", "announced_on",
        "investment_type", "raised_amount_usd", "raised_amount", "raised_amount_currency_code",
    ),
    "investments.csv": ("funding_round_uuid", "investor_uuid", "investor_name", "is_lead_investor"),
    "investors.csv": ("uuid", "investor_name", "country_code", "investor_types"),
}  # fmt: skip

# --- cells ---------------------------------------------------------------------------------
AMOUNTS = (
    "1000000", "0", "-5", "1.2M", "$3,000,000", "2e6", "1e13", "1e400", "(500)", "1,5", "lots",
    "EUR 2.5m", "€1m", "3.5bn", "", "-", "undisclosed", " 3,000,000 ", "=1+1", "NaN", "inf",
)  # fmt: skip
DATES = (
    "2020-05-01", "2020-02-30", "2019-13-01", "03/04/2019", "1 Nov 2013", "Nov 1, 2013",
    "2014-Q3", "20190314", "1850-01-01", "yesterday", "", "2019-03-14T10:30:00Z", "0000-00-00",
)  # fmt: skip
COUNTRIES = (
    "Germany", "DEU", "DE", "UK", "ROM", "Korea, Republic of", "Narnia", "Czechoslovakia",
    "Congo", "Kosovo", "", "n/a", "USA", "United States", "France", "FR",
)  # fmt: skip
CURRENCIES = ("USD", "EUR", "eur", "JPY", "XYZ", "DEM", "", " gbp ")
STAGES = ("Series A", "seed", "series_b", "Series D", "grant", "", "weird stage", "venture")
NAMES = (
    "Acme AI", "Beta Labs", "Zürich AI", "=HYPERLINK(\"x\")", "@SUM(1)", "+cmd", "Fund A",
    "Fund B", "", "Ōkami", "a\nb", "a,b", 'quote"inside',
)  # fmt: skip
LEADS = ("t", "f", "", "maybe", "TRUE", "0")

#: Any text, kept small; excludes surrogates (not encodable) but allows NUL and controls.
free_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


def cell(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A value from a pool of typical (sound and hostile) values, or arbitrary text."""
    return st.one_of(st.sampled_from(pool), st.sampled_from(pool), free_text)


def _list_cell(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.lists(cell(pool), max_size=3).map(", ".join)


GENERIC_CELLS: dict[str, st.SearchStrategy[str]] = {
    "round_id": st.sampled_from(("r1", "r2", "r3", "", "r1 ")),
    "company": cell(NAMES),
    "country": cell(COUNTRIES),
    "date": cell(DATES),
    "amount": cell(AMOUNTS),
    "currency": cell(CURRENCIES),
    "stage": cell(STAGES),
    "investors": _list_cell(NAMES),
    "investor_countries": _list_cell(COUNTRIES),
    "lead": _list_cell(NAMES),
}


def _open_cell(column: str) -> st.SearchStrategy[str]:
    if column == "":
        return st.integers(0, 10_000).map(str)
    if "permalink" in column:
        return st.sampled_from(("/organization/a", "/organization/b", "/person/c", "", "/fr/1"))
    if "country" in column:
        return cell(COUNTRIES)
    if column == "funded_at":
        return cell(DATES)
    if column == "raised_amount_usd":
        return cell(AMOUNTS)
    return cell(NAMES)


def _bulk_cell(column: str) -> st.SearchStrategy[str]:
    if column.endswith("uuid") or column == "uuid":
        return st.sampled_from(("u1", "u2", "u3", ""))
    if column == "country_code":
        return cell(COUNTRIES)
    if column == "announced_on":
        return cell(DATES)
    if column.startswith("raised_amount"):
        return cell(CURRENCIES) if column.endswith("code") else cell(AMOUNTS)
    if column == "is_lead_investor":
        return cell(LEADS)
    return cell(NAMES)


# --- whole files ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """How a generated file is written to disk."""

    delimiter: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1252"
    terminator: str
    quote_all: bool


layouts = st.builds(
    Layout,
    delimiter=st.sampled_from((",", ";", "\t", "|")),
    encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "cp1252")),
    terminator=st.sampled_from(("\n", "\r\n")),
    quote_all=st.booleans(),
)


def render(header: list[str], rows: list[list[str]], layout: Layout) -> bytes:
    """The bytes of a CSV file holding ``rows`` under ``header`` in ``layout``."""
    buf = io.StringIO(newline="")
    writer = csv.writer(
        buf,
        delimiter=layout.delimiter,
        lineterminator=layout.terminator,
        quoting=csv.QUOTE_ALL if layout.quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    writer.writerows(rows)
    text = buf.getvalue()
    if layout.encoding == "cp1252":  # characters cp1252 lacks become "?", as Excel would
        return text.encode("cp1252", errors="replace")
    if layout.encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(layout.encoding)


@dataclass(frozen=True)
class Export:
    """A generated export: files (name -> bytes), adapter format and mapping text."""

    fmt: str
    files: dict[str, bytes]
    mapping: str | None

    def write(self, folder: Path) -> tuple[list[Path], str | None]:
        """Write the files (and mapping) under ``folder``; return read_source's arguments."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
            paths.append(folder / name)
        mapping = None
        if self.mapping is not None:
            mapping_path = folder.parent / f"{folder.name}_mapping.toml"
            mapping_path.write_text(self.mapping, encoding="utf-8")
            mapping = str(mapping_path)
        if self.fmt != "generic":
            return [folder], mapping
        return paths, mapping


@st.composite
def _generic_export(draw: st.DrawFn) -> Export:
    optional = draw(st.lists(st.sampled_from(GENERIC_OPTIONAL), unique=True))
    extra = draw(st.lists(st.sampled_from(("notes", "=cmd", "company ", "Amount")), unique=True))
    header = draw(st.permutations([*GENERIC_REQUIRED, *optional, *extra]))
    n = draw(st.integers(0, 12))
    rows = []
    for _ in range(n):
        row = [draw(GENERIC_CELLS.get(h.strip(), free_text)) for h in header]
        # Rows a little too short or too long, as hand-edited exports have.
        change = draw(st.sampled_from((0, 0, 0, 0, -1, 1)))
        if change < 0:
            row = row[:change]
        elif change > 0:
            row.append(draw(free_text))
        rows.append(row)
    data = render(header, rows, draw(layouts))
    if draw(st.integers(0, 9)) == 0:  # a truncated copy
        data = data[: draw(st.integers(0, len(data)))]
    return Export("generic", {"deals.csv": data}, ROUND_MAPPING)


@st.composite
def _open_export(draw: st.DrawFn) -> Export:
    header = list(OPEN_HEADER)
    rows = [[draw(_open_cell(h)) for h in header] for _ in range(draw(st.integers(0, 10)))]
    return Export("crunchbase-open", {"investments.csv": render(header, rows, draw(layouts))}, None)


@st.composite
def _bulk_export(draw: st.DrawFn) -> Export:
    files = {}
    for name, header in BULK_FILES.items():
        rows = [[draw(_bulk_cell(h)) for h in header] for _ in range(draw(st.integers(0, 6)))]
        files[name] = render(list(header), rows, draw(layouts))
    return Export("crunchbase-bulk", files, None)


def dirty_files() -> st.SearchStrategy[Export]:
    """Whole exports of any of the three layouts, full of hostile cells."""
    return st.one_of(_generic_export(), _generic_export(), _open_export(), _bulk_export())


@st.composite
def garbage_files(draw: st.DrawFn) -> Export:
    """A valid header line of some layout followed by arbitrary bytes."""
    kind = draw(st.sampled_from(("generic", "crunchbase-open", "crunchbase-bulk")))
    body = draw(st.binary(max_size=400))
    prefix = draw(st.sampled_from((b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE)))
    if kind == "generic":
        header = ",".join(GENERIC_REQUIRED + GENERIC_OPTIONAL)
        return Export(kind, {"deals.csv": prefix + header.encode() + b"\n" + body}, ROUND_MAPPING)
    if kind == "crunchbase-open":
        header = ",".join(OPEN_HEADER)
        return Export(kind, {"investments.csv": prefix + header.encode() + b"\n" + body}, None)
    name = draw(st.sampled_from(sorted(BULK_FILES)))
    header = ",".join(BULK_FILES[name])
    return Export(kind, {name: prefix + header.encode() + b"\n" + body}, None)


# --- consistent rows (for row-order independence) -------------------------------------------
#: Spellings that normalize to the same value.
COUNTRY_SPELLINGS = {
    "DEU": ("Germany", "DEU", "DE", "germany"),
    "FRA": ("France", "FRA", "FR"),
    "GBR": ("UK", "United Kingdom", "GBR", "GB"),
    "USA": ("USA", "United States", "US"),
    "KOR": ("South Korea", "Korea, Republic of", "KOR"),
}
DATE_SPELLINGS = {
    "2019-03-14": ("2019-03-14", "14 Mar 2019", "Mar 14, 2019", "2019/03/14", "20190314"),
    "2021-11-01": ("2021-11-01", "1 Nov 2021", "2021/11/01"),
}
AMOUNT_SPELLINGS = {
    1.2e6: ("1200000", "1.2M", "$1,200,000", "1.2m"),
    5e6: ("5000000", "5M", "$5,000,000", "5e6"),
    2.5e7: ("25000000", "25M", "2.5e7"),
}
#: Cells that send a row to the quarantine whatever the rest of the row holds (required
#: fields: an unrecognized country only leaves the row's country unknown).
POISON = {
    "amount": ("-5", "lots", "1e13"),
    "date": ("2020-02-30", "yesterday"),
}
INVESTORS = {"Fund A": "USA", "Fund B": "GBR", "Corp K": "KOR", "Angel F": "FRA", "Local": "DEU"}
COMPANIES = {"Acme AI": "DEU", "Beta Labs": "FRA", "Kimchi AI": "KOR", "Solo": None}
#: Rounds: id -> (company, date, amount or None, stage, investor pool, lead or None).
ROUNDS: dict[str, tuple[str, str, float | None, str, tuple[str, ...], str | None]] = {
    "r1": ("Acme AI", "2019-03-14", 1.2e6, "Series A", ("Fund A", "Local"), "Fund A"),
    "r2": ("Acme AI", "2021-11-01", 2.5e7, "Series B", ("Fund A", "Fund B", "Corp K"), "Fund B"),
    "r3": ("Beta Labs", "2019-03-14", 5e6, "seed", ("Angel F", "Fund A"), None),
    "r4": ("Kimchi AI", "2021-11-01", None, "Series A", ("Corp K",), "Corp K"),
    "r5": ("Solo", "2019-03-14", 5e6, "grant", (), None),
    "r6": ("Beta Labs", "2021-11-01", 1.2e6, "Series A", ("Local", "Fund B"), "Local"),
}
CONSISTENT_HEADER = [
    "round_id", "company", "country", "date", "amount", "currency", "stage", "investors",
    "investor_countries", "lead",
]  # fmt: skip


@st.composite
def _consistent_row(draw: st.DrawFn) -> list[str]:
    rid = draw(st.sampled_from(sorted(ROUNDS)))
    company, day, amount, stage, pool, lead = ROUNDS[rid]
    iso = COMPANIES[company]
    investors = draw(st.lists(st.sampled_from(pool), unique=True)) if pool else []
    cells = {
        "round_id": rid,
        "company": company,
        "country": draw(st.sampled_from(COUNTRY_SPELLINGS[iso])) if iso else "",
        "date": draw(st.sampled_from(DATE_SPELLINGS[day])),
        # A known amount may be left blank on some rows: the non-null one wins in any order.
        "amount": ""
        if amount is None or draw(st.integers(0, 4)) == 0
        else draw(st.sampled_from(AMOUNT_SPELLINGS[amount])),
        "currency": draw(st.sampled_from(("USD", "", "usd"))),
        "stage": stage,
        "investors": ", ".join(investors),
        "investor_countries": ", ".join(
            draw(st.sampled_from(COUNTRY_SPELLINGS[INVESTORS[i]])) for i in investors
        ),
        # The lead cell always names the round's lead: a (round, investor) pair is then
        # always the same lead or not, whichever row describes it.
        "lead": lead or "",
    }
    if draw(st.integers(0, 5)) == 0:  # a row that must be quarantined
        column = draw(st.sampled_from(sorted(POISON)))
        cells[column] = draw(st.sampled_from(POISON[column]))
    return [cells[h] for h in CONSISTENT_HEADER]


def consistent_rows() -> st.SearchStrategy[list[list[str]]]:
    """Rows describing the fixed rounds consistently (some poisoned to be quarantined)."""
    return st.lists(_consistent_row(), min_size=1, max_size=25)
