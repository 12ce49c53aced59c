"""Adapter for Crunchbase's free 2013–2015 export (``--format crunchbase-open``).

The export comes as four CSVs (``investment(s).csv``, ``round(s).csv``, ``company.csv`` /
``companies.csv``, ``acquisition(s).csv``) or as one Excel workbook with the sheets
``Companies``, ``Rounds``, ``Investments`` and ``Acquisitions``. ``investments`` is denormalised:
one row per (funding round, investor), each carrying the company's and the investor's country,
so it alone yields rounds, companies, investors and participations. ``rounds`` and ``companies``
only enrich: their records rank below the investments' (:data:`vcflows.schema.MERGE_RANK`:
investments, then rounds, then companies), so the store's merge rule (one record per key) fills
gaps from them without duplicating anything.

Quirks handled (see the shared sample's SOURCE.md):

- A round is ``funding_round_permalink``; ``raised_amount_usd`` is the whole round's amount,
  repeated on each investor's row, so it is taken once per round, never summed. It is text such
  as ``" 3,000,000 "``; blank and ``"-"`` mean unknown (NULL amount, the round still a deal).
- Column names are matched after trimming spaces and lower-casing (``" funded_quarter "``).
- The unnamed first column is the row's index in the full export; it is the row's
  ``source_row`` in quarantine (the file's line number when a file has no such column; an
  index repeated within a file gets its line appended, so no quarantined row is merged).
- Legacy country codes (``ROM``) are normalized to ISO 3166-1 alpha-3; blank is NULL.
- A row naming no identifier at all (many company and acquisition rows are empty but for the
  index) is quarantined with that reason. A bad round date or amount quarantines the row; an
  unrecognized country (company or investor) or founding date keeps the row with that field
  unknown and is recorded in the quarantine (``row_kept``, the ``flagged`` count). Acquisitions have no table in the model yet: their
  non-empty rows are counted as skipped.

IDs are namespaced ``"cbo:<permalink>"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from vcflows import schema as s
from vcflows.errors import InputFileError, OptionError
from vcflows.normalize import (
    NormalizeError,
    clean_categories,
    parse_amount,
    parse_date,
    to_investor_type,
    to_iso3,
    to_stage,
)
from vcflows.sources._base import FileAccount, SourceBatch
from vcflows.sources._files import read_table_file, unique_column_names

SOURCE = "crunchbase-open"
_NS = "cbo:"

#: Canonical kind of each export table → accepted file stems / sheet names (lower case).
_KINDS: dict[str, tuple[str, ...]] = {
    "investments": ("investment", "investments"),
    "rounds": ("round", "rounds"),
    "companies": ("company", "companies"),
    "acquisitions": ("acquisition", "acquisitions"),
}
_TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".parquet"})
_BOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
#: Columns without which a table cannot be read at all (InputFileError otherwise).
_REQUIRED: dict[str, tuple[str, ...]] = {
    "investments": ("company_permalink", "funding_round_permalink", "investor_permalink"),
    "rounds": ("company_permalink", "funding_round_permalink"),
    "companies": ("permalink",),
    "acquisitions": (),
}
#: Columns that identify something; a row with all of them blank names nothing.
_IDENTIFIERS: dict[str, tuple[str, ...]] = {
    "investments": (
        "company_permalink",
        "company_name",
        "investor_permalink",
        "investor_name",
        "funding_round_permalink",
    ),
    "rounds": ("company_permalink", "company_name", "funding_round_permalink"),
    "companies": ("permalink", "name"),
    "acquisitions": ("company_permalink", "company_name", "acquirer_permalink", "acquirer_name"),
}
#: Names the unnamed index column gets (read_table_file, or pandas for a workbook).
_INDEX_COLUMNS = frozenset({"", "_unnamed_0", "unnamed: 0"})
_EMPTY_ROW = "row names no identifier (empty but for its index)"
#: Investor types in order of precedence when an investor's tags suggest several.
_TYPE_PRECEDENCE = ("vc", "cvc", "pe", "accelerator", "angel", "government", "corporate")
#: Tags of financial firms that are not a more specific investor type: type "other", not
#: "corporate" (a non-financial company investing its own money).
_FINANCIAL_TAGS = frozenset(
    {"finance", "financial services", "investment management", "banking", "hedge funds"}
)


@dataclass(frozen=True)
class _Input:
    kind: str
    path: Path
    sheet: str | None
    label: str


@dataclass
class _Part:
    """Canonical frames and quarantine produced by one input table."""

    frames: dict[str, list[pd.DataFrame]] = field(
        default_factory=lambda: {t: [] for t in (*s.CANONICAL_TABLES, s.QUARANTINE)}
    )
    accounts: list[FileAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read(paths: list[Path], *, mapping: str | Path | None = None) -> SourceBatch:
    """Read a Crunchbase 2013–2015 open export into the canonical tables.

    Parameters
    ----------
    paths : list of Path
        Folders holding the export's CSVs or workbook, the CSV files themselves, or the
        workbook. Unrecognized files inside a folder are ignored (and named in a note).
    mapping : str or Path, optional
        Not used by this layout; giving one is an error.

    Returns
    -------
    SourceBatch
        Canonical tables, quarantined rows, one :class:`FileAccount` per file or sheet
        (``read == loaded + quarantined + skipped``) and notes.

    Raises
    ------
    InputFileError
        No export table found, or a table lacks its identifying columns.
    OptionError
        A mapping was given.
    """
    if mapping is not None:
        raise OptionError("--mapping: the crunchbase-open layout is fixed and takes no mapping")
    part = _Part()
    inputs = _locate([Path(p) for p in paths], part.notes)
    tables = {i: _load(i) for i in inputs}
    invest_rounds: set[str] = set()
    for inp, df in tables.items():
        if inp.kind == "investments":
            invest_rounds |= set(_col(df, "funding_round_permalink"))
    # Investments first: the later tables only fill what they leave blank (merge rule).
    for inp, df in sorted(tables.items(), key=lambda kv: list(_KINDS).index(kv[0].kind)):
        if inp.kind == "companies":
            _companies(df, inp.label, part)
        elif inp.kind == "acquisitions":
            _acquisitions(df, inp.label, part)
        else:
            _deals(df, inp.label, part, invest_rounds, inp.kind)
    batch = SourceBatch(source=SOURCE, accounts=part.accounts, notes=part.notes)
    for table, frames in part.frames.items():
        if frames:
            setattr(batch, table, pd.concat(frames, ignore_index=True))
    return batch


# --- locating and reading the tables -----------------------------------------------------
def _kind_of(name: str) -> str | None:
    key = name.strip().lower()
    return next((k for k, names in _KINDS.items() if key in names), None)


def _locate(paths: Sequence[Path], notes: list[str]) -> list[_Input]:
    found: list[tuple[str, Path, str | None]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file())
            tables = [p for p in files if p.suffix.lower() in _TABLE_SUFFIXES]
            books = [p for p in files if p.suffix.lower() in _BOOK_SUFFIXES]
            hits: list[tuple[str, Path, str | None]] = [
                (k, p, None) for p in tables if (k := _kind_of(p.stem))
            ]
            if not hits:  # a folder holding the workbook instead of CSVs
                hits = [h for b in books for h in _sheets(b)]
            found.extend(hits)
            used = {p for _, p, _ in hits}
            ignored = [p.name for p in (*tables, *books) if p not in used]
            if ignored:
                notes.append(
                    f"{path}: ignored files not in the export layout: {', '.join(ignored)}"
                )
        elif path.suffix.lower() in _BOOK_SUFFIXES:
            found.extend(_sheets(path))
        elif kind := _kind_of(path.stem):
            found.append((kind, path, None))
        else:
            raise InputFileError(
                str(path), "not a table of the Crunchbase open export " + _EXPECTED
            )
    if not found:
        raise InputFileError(
            ", ".join(map(str, paths)), "no Crunchbase open-export table found " + _EXPECTED
        )
    names = [p.name for _, p, _ in found]
    inputs = []
    for kind, p, sheet in found:
        base = p.name if names.count(p.name) == 1 or sheet else str(p)
        inputs.append(_Input(kind, p, sheet, f"{base}[{sheet}]" if sheet else base))
    return inputs


_EXPECTED = (
    "(expected investment(s).csv, round(s).csv, company.csv/companies.csv, acquisition(s).csv, "
    "or a workbook with sheets Companies, Rounds, Investments, Acquisitions)"
)


def _sheets(book: Path) -> list[tuple[str, Path, str | None]]:
    try:
        with pd.ExcelFile(book) as xl:
            names = [str(n) for n in xl.sheet_names]
    except Exception as exc:  # openpyxl raises many types for a corrupt or foreign file
        raise InputFileError(str(book), f"cannot open as an Excel workbook ({exc})") from exc
    return [(k, book, n) for n in names if (k := _kind_of(n))]


def _load(inp: _Input) -> pd.DataFrame:
    df = read_table_file(inp.path, required=_REQUIRED[inp.kind], sheet=inp.sheet)
    # Lower-casing can make two headers equal ("Company_Permalink", "company_permalink"):
    # name them apart as read_table_file does for exact duplicates (the first keeps the name),
    # otherwise df[name] would return a DataFrame instead of a column.
    df.columns = pd.Index(unique_column_names([str(c).strip().lower() for c in df.columns]))
    lines = df.pop("_line")
    first = df.columns[0] if len(df.columns) else None
    index = df.pop(first).astype(str).str.strip() if first in _INDEX_COLUMNS else None
    missing = [c for c in _REQUIRED[inp.kind] if c not in df.columns]
    if missing:  # read_table_file matches names before lower-casing
        raise InputFileError(inp.label, f"missing columns: {', '.join(missing)}")
    for c in df.columns:  # cells are padded too (" 3,000,000 ")
        df[c] = df[c].astype(str).str.strip()
    ref = lines.astype(str)
    if index is not None:  # the export's own row index, the user's handle on the row
        ref = index.where(index != "", ref)
    # The quarantine is keyed by (file, source_row): a repeated row reference (an edited or
    # concatenated export repeats index values) would merge two quarantined rows into one
    # record. Repeated references get the physical line appended, which is unique.
    repeated = ref.duplicated(keep=False)
    ref = ref.where(~repeated, ref + " (line " + lines.astype(str) + ")")
    df["_ref"] = ref.to_numpy()
    return df.reset_index(drop=True)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` as stripped text, or blanks when the table lacks it."""
    if name in df.columns:
        return df[name]
    return pd.Series([""] * len(df), index=df.index, dtype=object)


# --- normalization, once per distinct value ----------------------------------------------
def _normalized(values: pd.Series, func: Callable[[str], Any]) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` per distinct value; return (results, error messages or None)."""
    good: dict[str, Any] = {}
    bad: dict[str, str] = {}
    for v in pd.unique(values):
        try:
            good[v] = func(v)
        except NormalizeError as exc:
            bad[v] = str(exc)
    out = values.map(good).astype(object)
    return out.where(out.notna(), None), values.map(bad).astype(object)


def _ids(values: pd.Series) -> pd.Series:
    return (_NS + values).where(values != "", None)


class _Quarantine:
    """Collects the quarantined rows of one table and the mask of rows not to load."""

    def __init__(self, df: pd.DataFrame, label: str, target: str | None) -> None:
        self.df, self.label, self.target = df, label, target
        self.mask = pd.Series(False, index=df.index)
        self.rows: list[pd.DataFrame] = []
        #: Field-level errors (rows, column, reasons, table), kept for the rows not rejected.
        self.pending: list[tuple[pd.Series, str, pd.Series, str]] = []
        self.flagged = 0

    def _records(
        self, where: pd.Series, column: str | None, reason: str | pd.Series, table: str | None
    ) -> pd.DataFrame:
        sub = self.df.loc[where]
        return pd.DataFrame(
            {
                s.Q_SOURCE_FILE: self.label,
                s.Q_SOURCE_ROW: sub["_ref"],
                s.Q_TABLE: table,
                s.Q_FIELD: column or "(row)",
                s.Q_VALUE: _blank_to_none(sub[column]) if column else None,
                s.Q_REASON: reason[where] if isinstance(reason, pd.Series) else reason,
                s.SOURCE: SOURCE,
                s.Q_ROW_KEPT: False,
            }
        )

    def add(self, where: pd.Series, column: str | None, reason: str | pd.Series) -> None:
        """Quarantine rows ``where`` (a row may be quarantined for several fields)."""
        where = where.astype(bool)
        if not where.any():
            return
        records = self._records(where, column, reason, self.target)
        records[s.Q_ROW_KEPT] = False
        self.rows.append(records)
        self.mask |= where

    def soft(self, column: str, func: Callable[[str], Any], table: str) -> pd.Series:
        """Normalize optional ``column``; a value ``func`` rejects becomes None and is recorded
        (for the rows finally loaded, see :meth:`flags`)."""
        values, errors = _normalized(_col(self.df, column), func)
        if column in self.df.columns and errors.notna().any():
            self.pending.append((errors.notna(), column, errors, table))
        return values

    def flags(self) -> None:
        """Record the field-level errors of the rows not rejected (call after all checks)."""
        for where, column, reasons, table in self.pending:
            kept = where & ~self.mask
            if kept.any():
                records = self._records(kept, column, reasons, table)
                records[s.Q_ROW_KEPT] = True
                self.rows.append(records)
                self.flagged += int(kept.sum())

    def screen(self, kind: str) -> None:
        """Quarantine malformed rows (more fields than the header) and rows naming nothing."""
        problem = _col(self.df, "_problem")
        self.add(problem != "", None, problem)
        blank = ~self.mask
        for c in _IDENTIFIERS[kind]:
            blank &= _col(self.df, c) == ""
        self.add(blank, None, _EMPTY_ROW)

    def missing(self, column: str, what: str) -> None:
        """Quarantine (not yet quarantined) rows lacking the identifier ``column``."""
        self.add((self.df[column] == "") & ~self.mask, column, f"missing {what} identifier")

    def check(self, column: str, func: Callable[[str], Any]) -> pd.Series:
        """Normalize ``column`` with ``func``; quarantine values it rejects."""
        values, errors = _normalized(_col(self.df, column), func)
        self.add(errors.notna() & ~self.mask, column, errors)
        return values

    def account(self, *, skipped: int = 0) -> FileAccount:
        """The file's row accounting: every row not quarantined or skipped is loaded."""
        n_q = int(self.mask.sum())
        loaded = len(self.df) - n_q - skipped
        return FileAccount(self.label, len(self.df), loaded, n_q, skipped, flagged=self.flagged)


def _blank_to_none(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values != "", None)


def _finish(part: _Part, q: _Quarantine, *, skipped: int = 0) -> FileAccount:
    q.flags()
    part.frames[s.QUARANTINE].extend(q.rows)
    account = q.account(skipped=skipped)
    part.accounts.append(account)
    return account


# --- one reader per export table ---------------------------------------------------------
def _deals(df: pd.DataFrame, label: str, part: _Part, invest_rounds: set[str], kind: str) -> None:
    """Rows of ``investments`` or ``rounds``: rounds and companies (+ investors)."""
    q = _Quarantine(df, label, s.ROUNDS)
    q.screen(kind)
    q.missing("funding_round_permalink", "round")
    q.missing("company_permalink", "company")
    amount = q.check("raised_amount_usd", parse_amount)
    announced = q.check("funded_at", parse_date)
    company_country = q.soft("company_country_code", to_iso3, s.COMPANIES)
    investor_country = (
        q.soft("investor_country_code", to_iso3, s.INVESTORS) if kind == "investments" else None
    )
    rank = list(_KINDS).index(kind)
    ok = ~q.mask
    rows = df.loc[ok]
    company = _ids(rows["company_permalink"])
    round_id = _ids(rows["funding_round_permalink"])
    part.frames[s.COMPANIES].append(
        pd.DataFrame(
            {
                s.COMPANY_ID: company,
                s.NAME: _blank_to_none(_col(rows, "company_name")),
                s.COUNTRY: company_country[ok],
                s.CATEGORIES: _categories(
                    _col(rows, "company_category_list"), _col(rows, "company_market")
                ),
                s.SOURCE: SOURCE,
                s.MERGE_RANK: rank,
            }
        )
    )
    usd = amount[ok]
    part.frames[s.ROUNDS].append(
        pd.DataFrame(
            {
                s.ROUND_ID: round_id,
                s.COMPANY_ID: company,
                s.ANNOUNCED_ON: announced[ok],
                s.STAGE: _per_distinct(
                    to_stage, _col(rows, "funding_round_type"), _col(rows, "funding_round_code")
                ),
                s.AMOUNT_USD: usd,
                # The export gives only the USD figure: that is also the amount as reported.
                s.AMOUNT_ORIGINAL: usd,
                s.CURRENCY: usd.map(lambda a: None if a is None else "USD").astype(object),
                s.SOURCE: SOURCE,
                s.MERGE_RANK: rank,
            }
        )
    )
    if investor_country is not None:
        _investors(rows, investor_country[ok], part)
    _finish(part, q)
    unknown = round_id[usd.isna()].nunique()
    if unknown:
        part.notes.append(
            f"{label}: {unknown:,} rounds with unknown amount (blank or '-'): "
            "counted as deals, with a NULL amount"
        )
    if kind == "rounds":
        named = set(rows["funding_round_permalink"])
        shared = len(named & invest_rounds)
        part.notes.append(
            f"{label}: {shared:,} of its {len(named):,} rounds also appear in the investments; "
            f"{len(named) - shared:,} rounds without a recorded investor added"
        )


def _investors(rows: pd.DataFrame, country: pd.Series, part: _Part) -> None:
    permalink, name = rows["investor_permalink"], _col(rows, "investor_name")
    # An investor named without a permalink still participated: key it by its name.
    key = permalink.where(permalink != "", ("name:" + name.str.lower()).where(name != "", ""))
    has = key != ""
    investor = _ids(key[has])
    types = _per_distinct(
        _investor_type,
        permalink[has],
        _col(rows, "investor_category_list")[has],
        _col(rows, "investor_market")[has],
    )
    part.frames[s.INVESTORS].append(
        pd.DataFrame(
            {
                s.INVESTOR_ID: investor,
                s.NAME: _blank_to_none(name[has]),
                s.COUNTRY: country[has],
                s.INVESTOR_TYPE: types,
                s.SOURCE: SOURCE,
            }
        )
    )
    part.frames[s.PARTICIPATIONS].append(
        pd.DataFrame(
            {
                s.ROUND_ID: _ids(rows["funding_round_permalink"][has]),
                s.INVESTOR_ID: investor,
                s.IS_LEAD: None,  # the open export does not say who led
                s.SOURCE: SOURCE,
            }
        )
    )


def _companies(df: pd.DataFrame, label: str, part: _Part) -> None:
    q = _Quarantine(df, label, s.COMPANIES)
    q.screen("companies")
    q.missing("permalink", "company")
    country = q.soft("country_code", to_iso3, s.COMPANIES)
    founded = q.soft("founded_at", parse_date, s.COMPANIES)
    ok = ~q.mask
    rows = df.loc[ok]
    part.frames[s.COMPANIES].append(
        pd.DataFrame(
            {
                s.COMPANY_ID: _ids(rows["permalink"]),
                s.NAME: _blank_to_none(_col(rows, "name")),
                s.COUNTRY: country[ok],
                s.FOUNDED_ON: founded[ok],
                s.CATEGORIES: _categories(_col(rows, "category_list"), _col(rows, "market")),
                s.SOURCE: SOURCE,
                s.MERGE_RANK: list(_KINDS).index("companies"),
            }
        )
    )
    _finish(part, q)


def _acquisitions(df: pd.DataFrame, label: str, part: _Part) -> None:
    q = _Quarantine(df, label, None)
    q.screen("acquisitions")
    empty = int(q.mask.sum())
    account = _finish(part, q, skipped=len(df) - empty)
    account.note = "acquisitions not loaded: the deal model has no table for exits yet"
    part.notes.append(
        f"{label}: skipped {account.skipped:,} acquisitions (the deal model has no table for "
        f"exits yet); {empty:,} empty rows quarantined"
    )


# --- derived fields ------------------------------------------------------------------------
def _per_distinct(func: Callable[..., Any], *columns: pd.Series) -> pd.Series:
    """``func`` applied row-wise to ``columns``, computed once per distinct tuple of values."""
    keys = pd.Series(list(zip(*columns, strict=True)), index=columns[0].index, dtype=object)
    cache = {k: func(*k) for k in set(keys)}
    return keys.map(cache).astype(object)


def _categories(cats: pd.Series, market: pd.Series) -> pd.Series:
    """Category list, else the one-word market, as cleaned '|'-separated tags."""
    text = cats.where(cats != "", market)
    cache = {v: clean_categories(v or None) for v in set(text)}
    return text.map(cache).astype(object)


def _investor_type(permalink: str, categories: str, market: str) -> str:
    """Investor type from the permalink kind and the investor's own tags.

    A ``/person/`` is an individual (angel). An organization tagged as an investor kind
    ("Venture Capital", "Incubators", ...) takes that type; one tagged only as a financial firm is
    "other"; one tagged only with an industry is a company investing its own money
    ("corporate"); an untagged organization is "unknown".
    """
    if permalink.lower().startswith("/person/"):
        return "angel"
    tags = [t.strip() for t in re.split(r"[|,]", f"{categories}|{market}") if t.strip()]
    types = {_tag_type(t) for t in tags}
    for kind in _TYPE_PRECEDENCE:
        if kind in types:
            return kind
    if not tags:
        return "unknown"
    if any(t.lower() in _FINANCIAL_TAGS for t in tags):
        return "other"
    return "corporate"


def _tag_type(tag: str) -> str:
    # Investor tags are plural ("Angels", "Incubators"): try the singular when the plural is
    # not recognized.
    kind = to_investor_type(tag)
    if kind == "other" and tag.lower().endswith("s"):
        kind = to_investor_type(tag[:-1])
    return kind
