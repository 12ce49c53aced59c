"""Column mappings (TOML) for the generic adapter, and the mappings shipped with vcflows.

A mapping tells :mod:`vcflows.sources.generic` which column of a deal export holds what.
``--mapping`` takes a path to a TOML file or the name of a shipped mapping (see
:func:`shipped`; ``dealroom``, ``pitchbook``). Format::

    shape = "round"            # required: "round" (one row per round, investors listed in
                               # one cell) or "participation" (one row per investor in a round)
    source = "dealroom"        # optional: provenance label and ID namespace
                               # (default: the mapping's file name without .toml)
    description = "..."        # optional, free text

    [columns]                  # canonical field = column header; these columns MUST exist
    company_name = "NAME"
    date = "ROUND DATE"

    [optional_columns]         # same fields; used when the file has the column
    company_country = "HQ COUNTRY"

    [options]                  # all optional
    list_separator = ","       # round shape: separator inside investor list cells
    date_format = "%d/%m/%Y"   # strptime format tried before the built-in ISO formats
    default_currency = "USD"   # currency of amounts when no currency is given (default USD)
    amount_multiplier = 1e6    # amounts are in millions (default 1)
    sheet = "Deals"            # Excel sheet (default: the first)
    lead_values = ["yes", "lead"]  # participation shape: lead-column values meaning "lead"

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

Without ``round_id`` a round's ID is derived from company, date, stage and amount (so rows of
the participation shape that share them form one round); without ``company_id`` a company's
ID is derived from its name and country; without ``investor_id`` an investor's from its name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from vcflows.errors import MappingError

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
_TOP_KEYS = frozenset({"shape", "source", "description", "columns", "optional_columns", "options"})
_OPTION_KEYS = frozenset(
    {
        "list_separator",
        "date_format",
        "default_currency",
        "amount_multiplier",
        "sheet",
        "lead_values",
    }
)
DEFAULT_LEAD_VALUES: tuple[str, ...] = (
    "yes", "y", "true", "t", "1", "x", "lead", "sole", "lead investor", "sole investor",
    "lead/sole investor",
)  # fmt: skip


@dataclass(frozen=True)
class Mapping:
    """A validated column mapping (see the module docstring for the TOML format)."""

    name: str
    shape: Literal["round", "participation"]
    source: str
    columns: dict[str, str]
    optional_columns: dict[str, str] = field(default_factory=dict)
    list_separator: str = ","
    date_format: str | None = None
    default_currency: str = "USD"
    amount_multiplier: float = 1.0
    sheet: str | None = None
    lead_values: tuple[str, ...] = DEFAULT_LEAD_VALUES

    def resolve(self, header: list[str]) -> dict[str, str]:
        """Field -> column for a file's header: required columns plus optional ones present."""
        present = {k: v for k, v in self.optional_columns.items() if v in header}
        return {**present, **self.columns}


def shipped() -> list[str]:
    """Names of the mappings shipped with vcflows (``--mapping NAME``)."""
    folder = resources.files(__name__)
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def _columns(name: str, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise MappingError(f'mapping {name}: key {key!r} must be a table of field = "column"')
    for field_name, column in value.items():
        if field_name not in FIELDS:
            raise MappingError(
                f"mapping {name}: unknown key '{key}.{field_name}' (known fields: {', '.join(FIELDS)})"
            )
        if not isinstance(column, str) or not column.strip():
            raise MappingError(f"mapping {name}: key '{key}.{field_name}' must be a column name")
    return {k: v.strip() for k, v in value.items()}


def _options(name: str, raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise MappingError(f"mapping {name}: key 'options' must be a table")
    for key in raw:
        if key not in _OPTION_KEYS:
            raise MappingError(
                f"mapping {name}: unknown key 'options.{key}' (known: {', '.join(sorted(_OPTION_KEYS))})"
            )
    opts: dict[str, Any] = {}
    for key in ("list_separator", "date_format", "default_currency", "sheet"):
        if key in raw:
            if not isinstance(raw[key], str) or not raw[key]:
                raise MappingError(
                    f"mapping {name}: key 'options.{key}' must be a non-empty string"
                )
            opts[key] = raw[key]
    if "default_currency" in opts:
        opts["default_currency"] = opts["default_currency"].strip().upper()
    if "amount_multiplier" in raw:
        mult = raw["amount_multiplier"]
        if isinstance(mult, bool) or not isinstance(mult, (int, float)) or not mult > 0:
            raise MappingError(
                f"mapping {name}: key 'options.amount_multiplier' must be a positive number"
            )
        opts["amount_multiplier"] = float(mult)
    if "lead_values" in raw:
        vals = raw["lead_values"]
        if not isinstance(vals, list) or not all(isinstance(v, str) for v in vals):
            raise MappingError(
                f"mapping {name}: key 'options.lead_values' must be a list of strings"
            )
        opts["lead_values"] = tuple(v.strip().lower() for v in vals)
    return opts


def parse_mapping(data: dict[str, Any], name: str) -> Mapping:
    """Validate a mapping read from TOML.

    Parameters
    ----------
    data : dict
        The parsed TOML document.
    name : str
        The mapping's name (file stem), used in messages and as default source label.

    Returns
    -------
    Mapping

    Raises
    ------
    MappingError
        Naming the offending key.
    """
    for key in data:
        if key not in _TOP_KEYS:
            raise MappingError(
                f"mapping {name}: unknown key {key!r} (known: {', '.join(sorted(_TOP_KEYS))})"
            )
    shape = data.get("shape")
    if shape not in ("round", "participation"):
        raise MappingError(
            f'mapping {name}: key \'shape\' must be "round" or "participation", got {shape!r}'
        )
    source = data.get("source", name)
    if not isinstance(source, str) or not source.strip():
        raise MappingError(f"mapping {name}: key 'source' must be a non-empty string")
    columns = _columns(name, "columns", data.get("columns", {}))
    optional = _columns(name, "optional_columns", data.get("optional_columns", {}))
    both = {**optional, **columns}
    if not {"company_name", "company_id"} & both.keys():
        raise MappingError(
            f"mapping {name}: key 'columns.company_name' (or 'columns.company_id') is required"
        )
    if shape == "participation" and not {"investor_name", "investor_id"} & both.keys():
        raise MappingError(
            f"mapping {name}: key 'columns.investor_name' (or 'columns.investor_id') is required "
            'for shape = "participation"'
        )
    opts = _options(name, data.get("options", {}))
    return Mapping(
        name=name,
        shape=shape,
        source=source.strip(),
        columns=columns,
        optional_columns=optional,
        **opts,
    )


def load_mapping(mapping: str | Path | None) -> Mapping:
    """Load a mapping from a TOML file path or a shipped mapping name.

    Parameters
    ----------
    mapping : str or Path or None
        A path to a ``.toml`` file, or a name from :func:`shipped`.

    Returns
    -------
    Mapping

    Raises
    ------
    MappingError
        When the mapping is missing, not found, not valid TOML, or invalid (naming the key).
    """
    names = shipped()
    if mapping is None:
        raise MappingError(
            f"the generic format needs --mapping: a TOML file or one of {', '.join(names)}"
        )
    path = Path(mapping)
    if path.is_file():
        raw, name = path.read_bytes(), path.stem
    elif str(mapping) in names:
        name = str(mapping)
        raw = resources.files(__name__).joinpath(f"{name}.toml").read_bytes()
    else:
        raise MappingError(
            f"--mapping {mapping}: no such file, nor a shipped mapping ({', '.join(names)})"
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"mapping {mapping}: not valid TOML ({exc})") from None
    return parse_mapping(data, name)
