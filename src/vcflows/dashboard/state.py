"""The dashboard's state and its URL form: parsed and validated here, and nowhere else.

A view's state lives in the URL so it can be shared: the path names the view, the query
string the selection. :func:`parse` turns a (path, query string) into a :class:`Selection`
plus human-readable problems; :func:`to_search` writes a selection back. Problems are
messages for the page, never exceptions: a bad link shows what is wrong and how to fix it.

Query keys: ``from``, ``to`` (years), ``attribution``, ``sector`` (``ai``, ``all`` or
comma-separated category tags), ``stage`` (comma-separated stages), ``focus`` (ISO-3) and
``company`` (a company id, for the company view).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qsl, urlencode

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows import ATTRIBUTIONS, FlowOptions, parse_sector

#: View id -> URL path. The world overview is also served at "/".
VIEW_PATHS: Final[dict[str, str]] = {
    "world": "/world",
    "flows": "/flows",
    "country": "/country",
    "networks": "/networks",
    "companies": "/companies",
    "focus": "/focus",
}
_PATH_VIEWS: Final[dict[str, str]] = {"/": "world", **{p: v for v, p in VIEW_PATHS.items()}}

#: Longest query string and value accepted: a shared link is short; anything longer is abuse.
MAX_QUERY_CHARS: Final = 2_000
MAX_VALUE_CHARS: Final = 120
KNOWN_KEYS: Final = ("from", "to", "attribution", "sector", "stage", "focus", "company")

_ISO3 = re.compile(r"^[A-Za-z]{3}$")
_YEAR = re.compile(r"^\d{4}$")
# A company id as the adapters build it ("demo:c00000001", "cb:<uuid>", "cbo:/organization/x").
_COMPANY = re.compile(r"^[\w:./@+\-]{1,120}$")


def view_of_path(pathname: str) -> str | None:
    """The view a URL path names (``/`` and a trailing slash included), or None."""
    return _PATH_VIEWS.get(pathname.rstrip("/") or "/")


@dataclass(frozen=True)
class Catalog:
    """What the database holds, read once at start: the values a parameter may take.

    Attributes
    ----------
    countries : frozenset of str
        ISO-3 codes of company or investor countries in the database.
    year_min, year_max : int or None
        Range of announcement years.
    categories : frozenset of str
        Every company category tag.
    top_categories : tuple of str
        The most frequent tags, most frequent first (offered in the sector menu).
    default_focus : str
        Focus country when the URL names none.
    """

    countries: frozenset[str]
    year_min: int | None
    year_max: int | None
    categories: frozenset[str] = frozenset()
    top_categories: tuple[str, ...] = ()
    default_focus: str = "KOR"


@dataclass(frozen=True)
class Selection:
    """A validated dashboard state (hashable: it keys the result caches)."""

    view: str = "world"
    opts: FlowOptions = field(default_factory=FlowOptions)
    focus: str = "KOR"
    company: str | None = None

    def with_view(self, view: str) -> Selection:
        """The same selection on another view."""
        return dataclasses.replace(self, view=view)


@dataclass(frozen=True)
class Parsed:
    """Result of :func:`parse`: the selection, blocking errors and ignorable warnings."""

    selection: Selection
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _year(key: str, raw: str, cat: Catalog, errors: list[str]) -> int | None:
    if raw == "":
        return None
    if not _YEAR.match(raw):
        errors.append(f"{key}: expected a four-digit year, got {raw!r}")
        return None
    year = int(raw)
    lo, hi = cat.year_min, cat.year_max
    if lo is not None and hi is not None and not lo <= year <= hi:
        errors.append(f"{key}: {year} is outside the years in this database ({lo}–{hi})")
        return None
    return year


def _country(raw: str, cat: Catalog, errors: list[str]) -> str | None:
    if not _ISO3.match(raw):
        errors.append(f"focus: expected an ISO 3166-1 alpha-3 code such as KOR, got {raw!r}")
        return None
    code = raw.upper()
    if code not in cat.countries:
        errors.append(f"focus: unknown country {code!r} (not in this database)")
        return None
    return code


def _sector(raw: str, cat: Catalog, errors: list[str]) -> str | None:
    value = raw.strip().lower()
    if value in ("ai", "all"):
        return value
    tags = sorted({t.strip() for t in value.split(",") if t.strip()})
    unknown = [t for t in tags if t not in cat.categories]
    if not tags or unknown:
        errors.append(
            f"sector: expected 'ai', 'all' or category tags of this database; "
            f"unknown: {', '.join(map(repr, unknown or [raw]))}"
        )
        return None
    return parse_sector(value)  # "ai," stays the tag list ["ai"], not the taxonomy


def _stages(raw: str, errors: list[str]) -> tuple[str, ...] | None:
    stages = sorted({x.strip().lower() for x in raw.split(",") if x.strip()})
    bad = [x for x in stages if x not in s.STAGES]
    if bad:
        errors.append(
            f"stage: unknown stage(s) {', '.join(map(repr, bad))}; choose among {', '.join(s.STAGES)}"
        )
        return None
    return tuple(stages) or None


def _pairs(search: str, errors: list[str]) -> dict[str, str]:
    query = search[1:] if search.startswith("?") else search
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=False, max_num_fields=20)
    except ValueError:  # more fields than max_num_fields
        errors.append("the link has too many parameters")
        return {}
    values: dict[str, str] = {}
    for key, value in pairs:
        if key in values:
            errors.append(f"{key}: given more than once")
        elif len(value) > MAX_VALUE_CHARS:
            errors.append(
                f"{key}: value too long ({len(value)} characters, at most {MAX_VALUE_CHARS})"
            )
        else:
            values[key] = value
    return values


def parse(pathname: str | None, search: str | None, cat: Catalog) -> Parsed:
    """Validate a URL path and query string against the database's catalogue.

    Parameters
    ----------
    pathname : str or None
        URL path: ``/`` or one of :data:`VIEW_PATHS`.
    search : str or None
        Query string, with or without its leading ``?``.
    cat : Catalog
        Countries, years and categories of the database.

    Returns
    -------
    Parsed
        The selection (defaults where a value was missing or wrong), the errors (a view is
        not drawn while there are any) and warnings (unknown keys, ignored).
    """
    errors: list[str] = []
    warnings: list[str] = []
    path = (pathname or "/").rstrip("/") or "/"
    view = view_of_path(path)
    if view is None:
        shown = path if len(path) <= 60 else path[:60] + "…"
        errors.append(f"unknown page {shown!r}; pages: {', '.join(VIEW_PATHS.values())}")
        view = "world"
    search = search or ""
    if len(search) > MAX_QUERY_CHARS:
        errors.append(
            f"the link's query is too long ({len(search)} characters, at most {MAX_QUERY_CHARS})"
        )
        return Parsed(Selection(view=view, focus=cat.default_focus), tuple(errors))
    q = _pairs(search, errors)
    unknown = sorted(k for k in q if k not in KNOWN_KEYS)
    if unknown:
        shown = ", ".join(repr(k[:30]) for k in unknown[:5])
        warnings.append(f"ignored unknown parameter(s) {shown}; known: {', '.join(KNOWN_KEYS)}")
    year_from = _year("from", q.get("from", ""), cat, errors)
    year_to = _year("to", q.get("to", ""), cat, errors)
    attribution = q.get("attribution", "equal").strip().lower() or "equal"
    if attribution not in ATTRIBUTIONS:
        errors.append(
            f"attribution: unknown method {attribution[:30]!r}; choose one of {', '.join(ATTRIBUTIONS)}"
        )
        attribution = "equal"
    sector = _sector(q["sector"], cat, errors) if q.get("sector") else "ai"
    stages = _stages(q["stage"], errors) if q.get("stage") else None
    focus = _country(q["focus"], cat, errors) if q.get("focus") else None
    company = q.get("company") or None
    if company is not None and not _COMPANY.match(company):
        errors.append("company: not a company id (letters, digits and : . / _ - only)")
        company = None
    try:
        opts = FlowOptions(
            year_from=year_from,
            year_to=year_to,
            attribution=attribution,  # type: ignore[arg-type]  # checked above
            sector=sector or "ai",
            stages=stages,
        )
    except OptionError as exc:  # e.g. from after to
        errors.append(str(exc).replace("--from", "from").replace("--to", "to"))
        opts = FlowOptions(attribution=attribution, sector=sector or "ai", stages=stages)  # type: ignore[arg-type]
    sel = Selection(view=view, opts=opts, focus=focus or cat.default_focus, company=company)
    return Parsed(sel, tuple(errors), tuple(warnings))


def to_search(sel: Selection) -> str:
    """The query string (with ``?``) of a selection; defaults are left out, order is fixed."""
    o = sel.opts
    items: list[tuple[str, str]] = []
    if o.year_from is not None:
        items.append(("from", str(o.year_from)))
    if o.year_to is not None:
        items.append(("to", str(o.year_to)))
    if o.attribution != "equal":
        items.append(("attribution", o.attribution))
    if o.sector != "ai":
        items.append(("sector", o.sector))
    if o.stages:
        items.append(("stage", ",".join(o.stages)))
    items.append(("focus", sel.focus))
    if sel.company:
        items.append(("company", sel.company))
    return "?" + urlencode(items, safe=",:/")


def to_url(sel: Selection) -> str:
    """Path and query string of a selection."""
    return VIEW_PATHS[sel.view] + to_search(sel)
