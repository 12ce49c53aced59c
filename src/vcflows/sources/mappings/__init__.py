"""Column mappings (TOML) for the generic adapter, and the mappings shipped with vcflows.

A mapping tells :mod:`vcflows.sources.generic` which column of a deal export holds what.
``--mapping`` takes a path to a TOML file or the name of a shipped mapping (see
:func:`shipped`; ``crunchbase-pro``, ``dealroom``, ``pitchbook``). Format::

    shape = "round"            # required: "round" (one row per round, investors listed in
                               # one cell), "participation" (one row per investor in a round)
                               # or "founders" (one row per founder of a company, see below)
    source = "dealroom"        # optional: provenance label and ID namespace
                               # (default: the mapping's file name without .toml)
    description = "..."        # optional, free text
    optional = ["lead"]        # optional columns the export may lack (any other missing
                               # optional column is an error naming the closest headers)
    file = "deals*.csv"        # optional: file-name pattern of the rounds file (multi-file)

    [columns]                  # canonical field = column header; these columns MUST exist
    company_name = "NAME"
    date = ["ROUND DATE", "DATE"]   # a list: header variants, the first present is used

    [optional_columns]         # same fields; checked against the header (see ``optional``)
    company_country = "HQ COUNTRY"

    [constants]                # a value for every row instead of a column
    company_country = "Canada" # (company_country, company_categories, company_is_ai,
    currency = "CAD"           #  stage, currency)

    [country_aliases]          # spelling = country; "" declares it unknown (stored NULL,
    "Dubai" = "ARE"            # not quarantined), e.g. a region
    "North America" = ""

    [options]                  # all optional
    list_separator = ","       # round shape: separator inside investor list cells
    date_format = "%d/%m/%Y"   # strptime format tried before the built-in ISO formats
    default_currency = "USD"   # currency of amounts when no currency is given (default USD)
    amount_multiplier = 1e6    # amounts are in millions (default 1)
    zero_amount = "unknown"    # an amount of 0 is undisclosed, stored NULL (default), or "zero"
    encoding = "cp949"         # CSV text encoding (default: detected)
    location_fields = ["company_country"]  # cells "City, Region, Country": the last part
    sheet = "Deals"            # Excel sheet (default: the first)
    lead_values = ["yes", "lead"]  # participation shape: lead-column values meaning "lead"

    [participations]           # optional: a file of deal–investor rows, joined on round_id
    file = "deal_investors*.csv"   # optional pattern; else chosen by its required columns
    optional = []
    [participations.columns]   # round_id and investor_name or investor_id required
    round_id = "Deal ID"
    investor_name = "Investor"
    [participations.optional_columns]  # investor_id, investor_country, investor_type, lead
    lead = "Lead"

    [investors]                # optional: an investor list (investor_id, investor_name,
    [investors.columns]        # investor_country, investor_type), same keys as above
    investor_name = "Name"
    [investors.optional_columns]
    investor_country = "Country"

Fields (keys of ``[columns]`` / ``[optional_columns]``): ``round_id``, ``company_id``,
``company_name``, ``company_country``, ``company_categories``, ``company_description``,
``company_founded``, ``company_is_ai``, ``date``, ``stage``, ``stage_code``, ``amount``
(in ``currency``), ``amount_usd`` (already in USD; wins over ``amount``), ``currency``,
``investor_id``, ``investor_name``, ``investor_country``, ``investor_type``, ``lead``.
At least one of ``company_name`` / ``company_id`` is needed; the participation shape also
needs ``investor_name`` or ``investor_id``. In the round shape ``investor_name``,
``investor_id``, ``investor_country`` and ``investor_type`` are parallel lists split on
``list_separator`` and ``lead`` lists the lead investors' names; in the participation shape
``lead`` is a flag column.

The ``founders`` shape (a hand-built founder list, one row per founder) maps the company
fields ``company_id``, ``company_name``, ``company_country``, ``company_founded``,
``company_description`` and the founder fields (:data:`FOUNDER_FIELDS`): ``founder_name``
(or ``founder_id``, one of them required), ``founder_country``, ``founder_title`` (default
"Founder"), ``previous_employers`` (a list split on ``list_separator``), ``highest_degree``,
``degree_subject`` and ``degree_institution``. Each row gives a company, a person, the
person's founder role at the company, one role per previous employer (no dates: the list
says they came before) and, when a degree is named, a degree. A founder's ID is the given
``founder_id``, else derived from the company and the founder's name (two founders of one
name in one company are one person). Give the founder list the deal mapping's ``source`` and
company columns, so its companies are the deals' companies (or link them with ``vcflows
link``). A founders mapping has one file (no ``[participations]`` or ``[investors]``).

Without ``round_id`` a round's ID is derived from company, date, stage and amount (so rows of
the participation shape that share them form one round); without ``company_id`` a company's
ID is derived from its name and country; without ``investor_id`` an investor's from its name.
With an investor list, investors are joined by ID when both the list and the deals (or
participations) carry investor IDs, otherwise by name key
(:func:`vcflows.normalize.name_key`, which ignores case, punctuation and legal forms).

Every error of a mapping is found before any row is read: unknown keys, an unknown currency
(``default_currency``, ``constants.currency``), an unrecognized country in ``[constants]`` or
``[country_aliases]``, an unknown encoding, and, per file, missing columns.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from vcflows.errors import InputFileError, MappingError, OptionError
from vcflows.normalize import NormalizeError, clean_categories, fold, is_blank, to_iso3, to_stage
from vcflows.normalize.currency import currencies
from vcflows.sources._encoding import check_encoding
from vcflows.sources._files import LINE, read_table_file
from vcflows.sources.mappings._spec import ROLES, Columns, FileSpec, Role, closest

FIELDS: tuple[str, ...] = (
    "round_id",
    "company_id",
    "company_name",
    "company_country",
    "company_categories",
    "company_description",
    "company_founded",
    "company_is_ai",
    "date",
    "stage",
    "stage_code",
    "amount",
    "amount_usd",
    "currency",
    "investor_id",
    "investor_name",
    "investor_country",
    "investor_type",
    "lead",
)
_INVESTOR_FIELDS = ("investor_id", "investor_name", "investor_country", "investor_type")
#: Fields of the ``founders`` shape (one row per founder of a company).
FOUNDER_FIELDS: tuple[str, ...] = (
    "company_id",
    "company_name",
    "company_country",
    "company_founded",
    "company_description",
    "founder_id",
    "founder_name",
    "founder_country",
    "founder_title",
    "previous_employers",
    "highest_degree",
    "degree_subject",
    "degree_institution",
)
Shape = Literal["round", "participation", "founders"]
#: Fields each role's file may map.
ROLE_FIELDS: dict[Role, tuple[str, ...]] = {
    "rounds": FIELDS,
    "participations": ("round_id", *_INVESTOR_FIELDS, "lead"),
    "investors": _INVESTOR_FIELDS,
}
#: Fields ``[constants]`` may set (the company's and the round's: one value per row).
CONSTANT_FIELDS: tuple[str, ...] = (
    "company_country",
    "company_categories",
    "company_is_ai",
    "stage",
    "currency",
)
#: The column label standing for a constant (in quarantine records and resolved columns).
CONSTANT_LABEL = "[constants] {}"
_TOP_KEYS = frozenset(
    {
        "shape", "source", "description", "file", "columns", "optional_columns", "optional",
        "constants", "country_aliases", "options", *ROLES[1:],
    }
)  # fmt: skip
_FILE_KEYS = frozenset({"file", "columns", "optional_columns", "optional"})
_OPTION_KEYS = frozenset(
    {
        "list_separator",
        "date_format",
        "default_currency",
        "amount_multiplier",
        "sheet",
        "lead_values",
        "zero_amount",
        "encoding",
        "location_fields",
    }
)
DEFAULT_LEAD_VALUES: tuple[str, ...] = (
    "yes", "y", "true", "t", "1", "x", "lead", "sole", "lead investor", "sole investor",
    "lead/sole investor",
)  # fmt: skip
ZeroAmount = Literal["unknown", "zero"]


def alias_key(value: str) -> str:
    """Matching key of a country spelling in ``[country_aliases]`` (case, accents ignored)."""
    return fold(value)


@dataclass(frozen=True)
class Mapping:
    """A validated column mapping (see the module docstring for the TOML format)."""

    name: str
    shape: Shape
    source: str
    rounds: FileSpec
    participations: FileSpec | None = None
    investors: FileSpec | None = None
    origin: str = ""
    constants: dict[str, str] = field(default_factory=dict)
    country_aliases: dict[str, str | None] = field(default_factory=dict)
    list_separator: str = ","
    date_format: str | None = None
    default_currency: str = "USD"
    amount_multiplier: float = 1.0
    sheet: str | None = None
    lead_values: tuple[str, ...] = DEFAULT_LEAD_VALUES
    zero_amount: ZeroAmount = "unknown"
    encoding: str | None = None
    location_fields: frozenset[str] = frozenset()

    @property
    def columns(self) -> Columns:
        """Required fields of the rounds file -> header alternatives."""
        return self.rounds.columns

    @property
    def optional_columns(self) -> Columns:
        """Optional fields of the rounds file -> header alternatives."""
        return self.rounds.optional_columns

    @property
    def multi_file(self) -> bool:
        """Whether the export has a participations file or an investor list."""
        return self.participations is not None or self.investors is not None

    @property
    def investor_key(self) -> Literal["id", "name"]:
        """How investors are identified: by their ID, or by name key (joined to a list)."""
        if self.investors is None:
            return "id"
        side = self.participations or self.rounds
        return "id" if self.investors.maps("investor_id") and side.maps("investor_id") else "name"

    def specs(self) -> list[FileSpec]:
        """The file roles of the export, rounds first."""
        return [x for x in (self.rounds, self.participations, self.investors) if x is not None]

    def resolve(self, header: list[str]) -> dict[str, str]:
        """Field -> column of the rounds file for a header; constants as their labels."""
        cols = self.rounds.resolve(header)
        cols.update({k: CONSTANT_LABEL.format(k) for k in self.constants})
        return cols

    def with_country_aliases(self, aliases: dict[str, str | None]) -> Mapping:
        """A copy with more country aliases (they win over the mapping's own)."""
        return dataclasses.replace(self, country_aliases={**self.country_aliases, **aliases})

    def country(self, field_name: str) -> Callable[[str], str | None]:
        """The parser of a country field: aliases, then ISO names; for a location field
        ("City, Region, Country") the last comma-separated part when the whole is no country."""
        aliases = self.country_aliases

        def one(value: str) -> str | None:
            if not is_blank(value) and alias_key(value) in aliases:
                return aliases[alias_key(value)]
            return to_iso3(value)

        if field_name not in self.location_fields:
            return one
        return lambda value: country_of_location(value, one)


def country_of_location(value: str, parse: Callable[[str], str | None] = to_iso3) -> str | None:
    """The country of a location "City, Region, Country" (or of a bare country name).

    The whole value is tried first (so "Korea, Republic of" stays one name), then its last
    comma-separated part; the whole value's error is raised when neither is a country.
    """
    try:
        return parse(value)
    except NormalizeError:
        if "," not in value:
            raise
        last = value.rsplit(",", 1)[1]
        try:
            return parse(last)
        except NormalizeError:
            raise NormalizeError(f"no country in location {value.strip()!r}") from None


def read_country_aliases(path: str | Path) -> dict[str, str | None]:
    """Read a country-alias file (``ingest --country-aliases``): CSV columns alias, country.

    A blank country (or "unknown") declares the spelling unknown: stored as NULL, not
    quarantined (e.g. a region such as "North America").

    Returns
    -------
    dict
        Alias key -> ISO alpha-3 code or None, as :attr:`Mapping.country_aliases`.

    Raises
    ------
    InputFileError
        Naming the file and row: a missing column, or a country that is not recognized.
    """
    frame = read_table_file(Path(path))
    header = {str(c).strip().casefold(): str(c) for c in frame.columns}
    if "alias" not in header or "country" not in header:
        raise InputFileError(
            str(path),
            f"a country-alias file needs the columns alias, country (found: "
            f"{', '.join(str(c) for c in frame.columns if not str(c).startswith('_'))})",
        )
    out: dict[str, str | None] = {}
    for cells in frame.to_dict("records"):
        alias = str(cells[header["alias"]]).strip()
        if not alias:
            continue
        try:
            out[alias_key(alias)] = country_code(alias, cells[header["country"]])
        except MappingError as exc:
            raise InputFileError(
                str(path), f"row {cells[LINE]}, column {header['country']}: {exc}"
            ) from None
    return out


def shipped() -> list[str]:
    """Names of the mappings shipped with vcflows (``--mapping NAME``)."""
    folder = resources.files(__name__)
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def _column_table(origin: str, key: str, value: object, allowed: tuple[str, ...]) -> Columns:
    if not isinstance(value, dict):
        raise MappingError(f'mapping {origin}: key {key!r} must be a table of field = "column"')
    out: Columns = {}
    for field_name, column in value.items():
        if field_name not in allowed:
            raise MappingError(
                f"mapping {origin}: unknown key '{key}.{field_name}' "
                f"(known fields: {', '.join(allowed)})"
            )
        alts = column if isinstance(column, list) else [column]
        if not alts or not all(isinstance(c, str) and c.strip() for c in alts):
            raise MappingError(
                f"mapping {origin}: key '{key}.{field_name}' must be a column name "
                "or a list of column names"
            )
        out[field_name] = tuple(c.strip() for c in alts)
    return out


def _strings(origin: str, key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MappingError(f"mapping {origin}: key {key!r} must be a list of strings")
    return list(value)


def _file_spec(
    origin: str,
    role: Role,
    raw: dict[str, Any],
    prefix: str,
    allowed: tuple[str, ...] | None = None,
) -> FileSpec:
    allowed = allowed or ROLE_FIELDS[role]
    columns = _column_table(origin, f"{prefix}columns", raw.get("columns", {}), allowed)
    optional_columns = _column_table(
        origin, f"{prefix}optional_columns", raw.get("optional_columns", {}), allowed
    )
    both = columns.keys() & optional_columns.keys()
    if both:
        raise MappingError(
            f"mapping {origin}: key '{prefix}optional_columns.{min(both)}' is also in "
            f"'{prefix}columns'"
        )
    optional = _strings(origin, f"{prefix}optional", raw.get("optional", []))
    for name in optional:
        if name not in optional_columns:
            raise MappingError(
                f"mapping {origin}: key '{prefix}optional' names {name!r}, which is not in "
                f"'{prefix}optional_columns'"
            )
    pattern = raw.get("file")
    if pattern is not None and (not isinstance(pattern, str) or not pattern.strip()):
        raise MappingError(f"mapping {origin}: key '{prefix}file' must be a file-name pattern")
    return FileSpec(role, columns, optional_columns, frozenset(optional), pattern)


def _options(origin: str, raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise MappingError(f"mapping {origin}: key 'options' must be a table")
    for key in raw:
        if key not in _OPTION_KEYS:
            raise MappingError(
                f"mapping {origin}: unknown key 'options.{key}' "
                f"(known: {', '.join(sorted(_OPTION_KEYS))})"
            )
    opts: dict[str, Any] = {}
    for key in ("list_separator", "date_format", "default_currency", "sheet", "encoding"):
        if key in raw:
            if not isinstance(raw[key], str) or not raw[key]:
                raise MappingError(
                    f"mapping {origin}: key 'options.{key}' must be a non-empty string"
                )
            opts[key] = raw[key]
    if "default_currency" in opts:
        opts["default_currency"] = _currency(
            origin, "options.default_currency", opts["default_currency"]
        )
    if "encoding" in opts:
        try:
            opts["encoding"] = check_encoding(opts["encoding"])
        except OptionError as exc:  # unknown, or no text encoding (e.g. 'base64')
            reason = str(exc).removeprefix("encoding: ")
            raise MappingError(f"mapping {origin}: key 'options.encoding': {reason}") from None
    if "amount_multiplier" in raw:
        mult = raw["amount_multiplier"]
        if isinstance(mult, bool) or not isinstance(mult, (int, float)) or not mult > 0:
            raise MappingError(
                f"mapping {origin}: key 'options.amount_multiplier' must be a positive number"
            )
        opts["amount_multiplier"] = float(mult)
    if "lead_values" in raw:
        vals = _strings(origin, "options.lead_values", raw["lead_values"])
        opts["lead_values"] = tuple(v.strip().lower() for v in vals)
    if "zero_amount" in raw:
        if raw["zero_amount"] not in ("unknown", "zero"):
            raise MappingError(
                f'mapping {origin}: key \'options.zero_amount\' must be "unknown" or "zero", '
                f"got {raw['zero_amount']!r}"
            )
        opts["zero_amount"] = raw["zero_amount"]
    if "location_fields" in raw:
        names = _strings(origin, "options.location_fields", raw["location_fields"])
        for name in names:
            if name not in ("company_country", "investor_country"):
                raise MappingError(
                    f"mapping {origin}: key 'options.location_fields': {name!r} is not "
                    "company_country or investor_country"
                )
        opts["location_fields"] = frozenset(names)
    return opts


def _currency(origin: str, key: str, value: str) -> str:
    code = value.strip().upper()
    if code not in currencies():
        raise MappingError(
            f"mapping {origin}: key {key!r}: unknown currency {value!r} (no ECB reference "
            f"rate; known: {', '.join(sorted(currencies()))})"
        )
    return code


def _country_aliases(origin: str, raw: object) -> dict[str, str | None]:
    if not isinstance(raw, dict):
        raise MappingError(f"mapping {origin}: key 'country_aliases' must be a table")
    out: dict[str, str | None] = {}
    for alias, country in raw.items():
        out[alias_key(alias)] = country_code(
            f"mapping {origin}: key 'country_aliases.{alias}'", country
        )
    return out


def country_code(where: str, country: object) -> str | None:
    """The ISO alpha-3 code an alias maps to; None for "" or "unknown" (declared unknown).

    Raises
    ------
    MappingError
        Naming ``where`` when ``country`` is not a string or not a recognized country.
    """
    if not isinstance(country, str):
        raise MappingError(f'{where}: must be a country name or code, or "" for unknown')
    if is_blank(country):
        return None
    try:
        return to_iso3(country)
    except NormalizeError as exc:
        raise MappingError(f"{where}: {exc}") from None


def _constants(origin: str, raw: object, m: Mapping) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise MappingError(f"mapping {origin}: key 'constants' must be a table")
    out: dict[str, str] = {}
    for name, value in raw.items():
        key = f"constants.{name}"
        if name not in CONSTANT_FIELDS:
            raise MappingError(
                f"mapping {origin}: unknown key {key!r} (known: {', '.join(CONSTANT_FIELDS)})"
            )
        if not isinstance(value, str) or not value.strip():
            raise MappingError(f"mapping {origin}: key {key!r} must be a non-empty string")
        if m.rounds.maps(name):
            raise MappingError(f"mapping {origin}: key {key!r}: {name} is also mapped to a column")
        try:
            if name == "currency":
                value = _currency(origin, key, value)
            elif name == "company_country":
                m.country(name)(value)
            elif name == "company_categories":
                clean_categories(value)
            elif name == "stage":
                to_stage(value, "")
        except NormalizeError as exc:
            raise MappingError(f"mapping {origin}: key {key!r}: {exc}") from None
        out[name] = value.strip()
    return out


def _check_roles(origin: str, m: Mapping) -> None:
    both = {*m.rounds.columns, *m.rounds.optional_columns}
    if not {"company_name", "company_id"} & both:
        raise MappingError(
            f"mapping {origin}: key 'columns.company_name' (or 'columns.company_id') is required"
        )
    if m.shape == "founders":
        if not {"founder_name", "founder_id"} & both:
            raise MappingError(
                f"mapping {origin}: key 'columns.founder_name' (or 'columns.founder_id') is "
                'required for shape = "founders"'
            )
        if m.multi_file:
            raise MappingError(
                f'mapping {origin}: shape = "founders" reads one founder list; remove the '
                "[participations] and [investors] tables"
            )
    if m.shape == "participation" and not {"investor_name", "investor_id"} & both:
        raise MappingError(
            f"mapping {origin}: key 'columns.investor_name' (or 'columns.investor_id') is "
            'required for shape = "participation"'
        )
    if m.participations is not None:
        p = m.participations
        if "round_id" not in m.rounds.columns or "round_id" not in p.columns:
            raise MappingError(
                f"mapping {origin}: key 'participations.columns.round_id' and "
                "'columns.round_id' are required: participations join their rounds by round ID"
            )
        if not {"investor_name", "investor_id"} & p.columns.keys():
            raise MappingError(
                f"mapping {origin}: key 'participations.columns.investor_name' (or "
                "'participations.columns.investor_id') is required"
            )
    if m.investors is not None:
        if not {"investor_name", "investor_id"} & m.investors.columns.keys():
            raise MappingError(
                f"mapping {origin}: key 'investors.columns.investor_name' (or "
                "'investors.columns.investor_id') is required"
            )
        side = m.participations or m.rounds
        if m.investor_key == "name" and not (
            m.investors.maps("investor_name") and side.maps("investor_name")
        ):
            raise MappingError(
                f"mapping {origin}: key 'investors.columns.investor_name': the investor list "
                "is joined by name when the export has no investor IDs on both sides, so "
                "both it and the deals need investor_name"
            )


def parse_mapping(data: dict[str, Any], name: str, *, origin: str | None = None) -> Mapping:
    """Validate a mapping read from TOML.

    Parameters
    ----------
    data : dict
        The parsed TOML document.
    name : str
        The mapping's name (file stem), used as default source label.
    origin : str, optional
        What messages call the mapping (its file, or its shipped name); default ``name``.

    Returns
    -------
    Mapping

    Raises
    ------
    MappingError
        Naming the mapping and the offending key.
    """
    origin = origin or name
    for key in data:
        if key not in _TOP_KEYS:
            raise MappingError(
                f"mapping {origin}: unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})"
            )
    shape = data.get("shape")
    if shape not in ("round", "participation", "founders"):
        raise MappingError(
            f'mapping {origin}: key \'shape\' must be "round", "participation" or '
            f'"founders", got {shape!r}'
        )
    source = data.get("source", name)
    if not isinstance(source, str) or not source.strip():
        raise MappingError(f"mapping {origin}: key 'source' must be a non-empty string")
    fields = FOUNDER_FIELDS if shape == "founders" else None
    rounds = _file_spec(origin, "rounds", data, "", fields)
    others: dict[str, FileSpec] = {}
    for role in ROLES[1:]:
        if role in data:
            raw = data[role]
            if not isinstance(raw, dict):
                raise MappingError(f"mapping {origin}: key {role!r} must be a table")
            for key in raw:
                if key not in _FILE_KEYS:
                    raise MappingError(
                        f"mapping {origin}: unknown key '{role}.{key}' "
                        f"(known: {', '.join(sorted(_FILE_KEYS))})"
                    )
            others[role] = _file_spec(origin, role, raw, f"{role}.")
    m = Mapping(
        name=name,
        shape=shape,
        source=source.strip(),
        rounds=rounds,
        participations=others.get("participations"),
        investors=others.get("investors"),
        origin=origin,
        country_aliases=_country_aliases(origin, data.get("country_aliases", {})),
        **_options(origin, data.get("options", {})),
    )
    m = dataclasses.replace(m, constants=_constants(origin, data.get("constants", {}), m))
    _check_roles(origin, m)
    return m


def load_mapping(mapping: str | Path | Mapping | None) -> Mapping:
    """Load a mapping from a TOML file path or a shipped mapping name.

    Parameters
    ----------
    mapping : str or Path or Mapping or None
        A path to a ``.toml`` file, or a name from :func:`shipped` (a :class:`Mapping` is
        returned as it is).

    Returns
    -------
    Mapping

    Raises
    ------
    MappingError
        When the mapping is missing, not found, not valid TOML, or invalid (naming the key).
    """
    if isinstance(mapping, Mapping):
        return mapping
    names = shipped()
    if mapping is None:
        raise MappingError(
            f"the generic format needs --mapping: a TOML file or one of {', '.join(names)}"
        )
    path = Path(mapping)
    if path.is_file():
        raw, name, origin = path.read_bytes(), path.stem, str(path)
    elif str(mapping) in names:
        name = origin = str(mapping)
        raw = resources.files(__name__).joinpath(f"{name}.toml").read_bytes()
    else:
        raise MappingError(
            f"--mapping {mapping}: no such file, nor a shipped mapping ({', '.join(names)})"
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping {mapping}: not valid TOML ({exc})") from None
    return parse_mapping(data, name, origin=origin)


__all__ = [
    "CONSTANT_FIELDS",
    "FIELDS",
    "FOUNDER_FIELDS",
    "FileSpec",
    "Mapping",
    "closest",
    "country_code",
    "country_of_location",
    "load_mapping",
    "parse_mapping",
    "read_country_aliases",
    "shipped",
]
