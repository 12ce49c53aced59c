"""The AI taxonomy: which companies count as AI companies, with the terms that decided it.

The definition lives in ``vcflows/data/ai_taxonomy.toml`` (category tags and keywords, with
its rationale and sources). A company is AI when ``companies.is_ai`` says so (a source's own
flag, TRUE or FALSE, always wins) or, when that is NULL, when one of its category tags is an
AI tag (whole tags: "ai" matches the tag "AI", never "thai food") or its name/description
contains an AI keyword as a whole word.

Everything here is SQL run by DuckDB: one case-insensitive alternation per text field, so the
cost is one regular-expression pass per company whatever the number of keywords.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from vcflows import schema as s
from vcflows.errors import OptionError
from vcflows.flows.options import FlowOptions


@dataclass(frozen=True)
class Taxonomy:
    """An AI taxonomy: category tags, keywords, and why."""

    tags: tuple[str, ...]
    keywords: tuple[str, ...]
    version: str
    rationale: str
    sources: tuple[str, ...]

    @property
    def keyword_regex(self) -> str:
        """RE2 pattern matching any keyword as a whole word, case-insensitively."""
        # Longest first so that "machine learning" wins over a shorter overlapping term.
        terms = sorted(self.keywords, key=lambda t: (-len(t), t))
        return r"(?i)\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b"


@lru_cache(maxsize=4)
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """Read a taxonomy file (default: the one shipped with vcflows).

    Parameters
    ----------
    path : str, optional
        A TOML file with ``[meta]``, ``[tags] terms`` and ``[keywords] terms``.

    Returns
    -------
    Taxonomy
        Tags and keywords lower-cased and stripped.
    """
    if path is None:
        text = resources.files("vcflows").joinpath("data/ai_taxonomy.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = tomllib.loads(text)
    try:
        tags = tuple(t.strip().lower() for t in data["tags"]["terms"])
        keywords = tuple(k.strip().lower() for k in data["keywords"]["terms"])
    except (KeyError, AttributeError) as exc:
        raise OptionError(f"taxonomy {path or 'ai_taxonomy.toml'}: missing section {exc}") from exc
    meta = data.get("meta", {})
    return Taxonomy(
        tags=tags,
        keywords=keywords,
        version=str(meta.get("version", "")),
        rationale=str(meta.get("rationale", "")).strip(),
        sources=tuple(meta.get("sources", ())),
    )


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_sql_str(i) for i in items) + "]::VARCHAR[]"


def _tag_list(alias: str) -> str:
    # Tags are stored '|'-separated and lower case; trim defensively against stray spaces.
    return f"list_transform(string_split(lower(coalesce({alias}.{s.CATEGORIES}, '')), '|'), lambda x: trim(x))"


def taxonomy_match_sql(alias: str = "c", taxonomy: Taxonomy | None = None) -> str:
    """SQL boolean: does the taxonomy mark the company row ``alias`` as AI (ignoring is_ai)?"""
    tx = taxonomy or load_taxonomy()
    rx = _sql_str(tx.keyword_regex)
    return (
        f"(list_has_any({_tag_list(alias)}, {_sql_list(tx.tags)})"
        f" OR regexp_matches(coalesce({alias}.{s.NAME}, ''), {rx})"
        f" OR regexp_matches(coalesce({alias}.{s.DESCRIPTION}, ''), {rx}))"
    )


def is_ai_sql(alias: str = "c", taxonomy: Taxonomy | None = None) -> str:
    """SQL boolean: the final AI verdict (the source's is_ai when set, else the taxonomy)."""
    return f"coalesce({alias}.{s.IS_AI}, {taxonomy_match_sql(alias, taxonomy)})"


def sector_predicate(opts: FlowOptions, alias: str = "c") -> tuple[str, list[object]]:
    """SQL predicate selecting the companies of ``opts.sector`` on the companies row ``alias``.

    Returns
    -------
    tuple of (str, list)
        The predicate and its bound parameters.
    """
    if opts.sector == "all":
        return "TRUE", []
    if opts.sector == "ai":
        return is_ai_sql(alias), []
    return f"list_has_any({_tag_list(alias)}, ?::VARCHAR[])", [list(opts.categories)]


def ai_companies(con: duckdb.DuckDBPyConnection, sector: str = "ai") -> pd.DataFrame:
    """The companies a sector selects, with the AI verdict and the terms behind it.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    sector : str
        ``"ai"`` (AI companies only), ``"all"`` (every company) or a comma-separated list of
        category tags, matched as whole tags (``"ai,"`` is the tag "ai"; see
        :func:`vcflows.flows.options.parse_sector`).

    Returns
    -------
    pd.DataFrame
        One row per selected company, sorted by ``company_id``: ``company_id``, ``is_ai``
        (final verdict), ``ai_source`` (``"source"`` when the store's is_ai decided,
        ``"taxonomy"`` otherwise) and ``matched_terms`` (``tag:…``/``keyword:…`` joined by
        ``|``, NULL when nothing matched).
    """
    opts = FlowOptions(sector=sector)
    tx = load_taxonomy()
    pred, params = sector_predicate(opts, "c")
    rx = _sql_str(tx.keyword_regex)
    sql = f"""
        SELECT c.{s.COMPANY_ID} AS company_id,
               {is_ai_sql("c", tx)} AS is_ai,
               CASE WHEN c.{s.IS_AI} IS NULL THEN 'taxonomy' ELSE 'source' END AS ai_source,
               nullif(array_to_string(list_sort(list_distinct(list_concat(
                   list_transform(list_intersect({_tag_list("c")}, {_sql_list(tx.tags)}), lambda t: 'tag:' || t),
                   list_transform(regexp_extract_all(coalesce(c.{s.NAME}, '') || ' | '
                                  || coalesce(c.{s.DESCRIPTION}, ''), {rx}), lambda k: 'keyword:' || lower(k))
               ))), '|'), '') AS matched_terms
        FROM {s.COMPANIES} c
        WHERE {pred}
        ORDER BY company_id
    """
    return con.execute(sql, params).fetchdf()
