"""Any investor list (name, country, type) as a lookup by name key, for ``ingest --investors``.

The list is a CSV, Parquet or Excel file with a name column and a country (or location)
column, and optionally an investor-type column; their headers are recognized among the usual
spellings (:data:`NAME_HEADERS`, :data:`COUNTRY_HEADERS`, :data:`TYPE_HEADERS`, case ignored).
A location "City, Region, Country" gives its country. Names are matched by
:func:`vcflows.normalize.name_key`; a key the list gives two different countries is ambiguous
and resolves nothing (whatever the rows' order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vcflows.errors import InputFileError
from vcflows.normalize import NormalizeError, name_key, to_investor_type, to_iso3
from vcflows.sources._base import FileAccount
from vcflows.sources._files import LINE, PROBLEM, read_table_file
from vcflows.sources.mappings import country_of_location

NAME_HEADERS = (
    "name", "investor", "investor name", "investor names", "organization/person name",
    "organization name", "organisation name", "organization", "firm", "fund",
)  # fmt: skip
COUNTRY_HEADERS = (
    "country", "investor country", "hq country", "headquarters country", "country code",
    "location", "headquarters location", "hq location", "investor location",
)  # fmt: skip
TYPE_HEADERS = ("type", "investor type", "investor types", "kind")


@dataclass(frozen=True)
class ListedInvestor:
    """What an investor list says about one name key."""

    name: str
    country: str
    investor_type: str


@dataclass
class InvestorList:
    """An investor list read by :func:`read_investor_list`.

    Attributes
    ----------
    path : str
        The file.
    entries : dict
        Name key -> what the list says (keys with one country only).
    ambiguous : dict
        Name key -> the countries the list gives it (more than one).
    problems : list of str
        Rows not used, each "row N: reason".
    account : FileAccount
        Rows read, used (loaded) and not used (quarantined).
    """

    path: str
    entries: dict[str, ListedInvestor] = field(default_factory=dict)
    ambiguous: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    account: FileAccount = field(default_factory=lambda: FileAccount(""))


def _column(header: list[str], wanted: tuple[str, ...]) -> str | None:
    folded = {h.casefold().strip(): h for h in header}
    return next((folded[w] for w in wanted if w in folded), None)


def read_investor_list(
    path: Path, *, country: Callable[[str], str | None] = to_iso3
) -> InvestorList:
    """Read an investor list.

    Parameters
    ----------
    path : Path
        CSV, Parquet or Excel file.
    country : callable, optional
        Country parser (e.g. a mapping's, with its aliases); default :func:`to_iso3`.

    Returns
    -------
    InvestorList

    Raises
    ------
    InputFileError
        When the file cannot be read or has no recognizable name or country column.
    """
    frame = read_table_file(path)
    header = [str(c) for c in frame.columns if c not in (LINE, PROBLEM)]
    name_col, country_col = _column(header, NAME_HEADERS), _column(header, COUNTRY_HEADERS)
    type_col = _column(header, TYPE_HEADERS)
    if name_col is None or country_col is None:
        raise InputFileError(
            str(path),
            "an investor list needs a name column (one of: "
            f"{', '.join(NAME_HEADERS)}) and a country column (one of: "
            f"{', '.join(COUNTRY_HEADERS)}); found: {', '.join(header)}",
        )
    out = InvestorList(str(path), account=FileAccount(Path(path).name, read=len(frame)))
    countries: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}
    for cells in frame.to_dict("records"):
        name, raw = str(cells[name_col]).strip(), str(cells[country_col])
        try:
            if cells.get(PROBLEM):
                raise NormalizeError(str(cells[PROBLEM]))
            iso3 = country_of_location(raw, country)
        except NormalizeError as exc:
            out.problems.append(f"row {cells[LINE]}: {exc}")
            out.account.quarantined += 1
            continue
        key = name_key(name) if name else ""
        if not key or iso3 is None:
            out.problems.append(f"row {cells[LINE]}: no {'name' if not key else 'country'}")
            out.account.quarantined += 1
            continue
        out.account.loaded += 1
        countries.setdefault(key, set()).add(iso3)
        names.setdefault(key, set()).add(name)
        kind = to_investor_type(str(cells[type_col])) if type_col else "unknown"
        types.setdefault(key, set()).add(kind)
    # Order-free: a key with two countries is ambiguous; its type is known only when the
    # rows that state one agree.
    for key, found in countries.items():
        if len(found) > 1:
            out.ambiguous[key] = found
            continue
        stated = types[key] - {"unknown"}
        kind = next(iter(stated)) if len(stated) == 1 else "unknown"
        out.entries[key] = ListedInvestor(min(names[key]), next(iter(found)), kind)
    return out
