"""The canonical deal model: the only place where table and column names live.

Every source adapter produces these four tables (plus a quarantine table); the store
persists them in DuckDB and every analysis reads them. Refer to columns through the
constants below, never through scattered string literals.

Units
-----
``amount_usd`` is in current US dollars (converted at the deal date, see
:mod:`vcflows.normalize.currency`). Country codes are ISO 3166-1 alpha-3; an unknown country is
NULL, never a made-up code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

# --- table names -------------------------------------------------------------------------
COMPANIES: Final = "companies"
ROUNDS: Final = "rounds"
PARTICIPATIONS: Final = "participations"
INVESTORS: Final = "investors"
QUARANTINE: Final = "quarantine"
#: Fields on which the rows of one ingest (or an ingest and the store) disagreed.
CONFLICTS: Final = "conflicts"
INGEST_LOG: Final = "ingest_log"

# --- column names ------------------------------------------------------------------------
COMPANY_ID: Final = "company_id"
NAME: Final = "name"
COUNTRY: Final = "country_iso3"
FOUNDED_ON: Final = "founded_on"
CATEGORIES: Final = "categories"
DESCRIPTION: Final = "description"
IS_AI: Final = "is_ai"

ROUND_ID: Final = "round_id"
ANNOUNCED_ON: Final = "announced_on"
STAGE: Final = "stage"
AMOUNT_USD: Final = "amount_usd"
AMOUNT_ORIGINAL: Final = "amount_original"
CURRENCY: Final = "currency"

INVESTOR_ID: Final = "investor_id"
IS_LEAD: Final = "is_lead"
INVESTOR_TYPE: Final = "investor_type"

SOURCE: Final = "source"  # which adapter produced a record (provenance)

# --- people (optional tables; see vcflows.talent and vcflows.normalize.titles) ----------------
PEOPLE: Final = "people"
ROLES: Final = "roles"
DEGREES: Final = "degrees"
PERSON_ID: Final = "person_id"
ROLE_ID: Final = "role_id"  # the source's job ID, else derived from the role's fields
ORG_ID: Final = "org_id"  # a company_id when the organisation is a company of the store
ORG_NAME: Final = "org_name"
TITLE: Final = "title"
IS_FOUNDER: Final = "is_founder"  # the title names a founder (vcflows.normalize.titles)
STARTED_ON: Final = "started_on"
ENDED_ON: Final = "ended_on"
DEGREE_ID: Final = "degree_id"
INSTITUTION: Final = "institution"
DEGREE_TYPE: Final = "degree_type"
SUBJECT: Final = "subject"
COMPLETED_ON: Final = "completed_on"

# quarantine columns
Q_SOURCE_FILE: Final = "source_file"
Q_SOURCE_ROW: Final = "source_row"
Q_TABLE: Final = "target_table"
Q_FIELD: Final = "field"
Q_VALUE: Final = "value"
Q_REASON: Final = "reason"
#: True for a field-level record: the row was loaded with this field unknown (NULL or
#: "unknown"); false (or NULL, in stores of earlier versions) when the whole row was rejected.
Q_ROW_KEPT: Final = "row_kept"

# conflicts columns (see vcflows.store.db for the merge rule that picks the kept value)
C_TABLE: Final = "entity_table"  # the canonical table of the record
C_KEY: Final = "entity_key"  # its primary key ("round_id|investor_id" for participations)
C_FIELD: Final = "field"  # the canonical column the values disagree on
#: JSON list of {"value": text, "rows": n} in the order the rule ranks them (kept first);
#: "rows" is null for the value an earlier ingest stored.
C_VALUES: Final = "value_counts"
C_KEPT: Final = "kept_value"  # the value stored, as text
#: "ingest": the rows of one ingest disagreed; "stored": an ingest's value disagreed with the
#: value an earlier ingest stored (which is kept).
C_SCOPE: Final = "scope"
ConflictScope = Literal["ingest", "stored"]

# staging-only columns a source batch may add to its frames (never stored)
#: Priority of a staged record within one batch: a record of a lower rank wins over one of a
#: higher rank, field by field (e.g. organizations.csv over the company copies carried by
#: funding_rounds.csv); 0 when absent.
MERGE_RANK: Final = "_rank"
#: Number of input rows a staged record stands for (the vectorized ingest stages one record
#: per distinct tuple); 1 when absent.
MERGE_WEIGHT: Final = "_n"

# --- controlled vocabularies -------------------------------------------------------------
InvestorType = Literal[
    "vc", "cvc", "corporate", "government", "angel", "accelerator", "pe", "other", "unknown"
]
INVESTOR_TYPES: Final[tuple[str, ...]] = get_args(InvestorType)

Stage = Literal[
    "pre_seed",
    "seed",
    "series_a",
    "series_b",
    "series_c",
    "series_d_plus",
    "growth",
    "grant",
    "debt",
    "other",
    "unknown",
]
STAGES: Final[tuple[str, ...]] = get_args(Stage)
#: Coarse stage groups used in reports (early / late / other).
STAGE_GROUP: Final[dict[str, str]] = {
    "pre_seed": "early",
    "seed": "early",
    "series_a": "early",
    "series_b": "late",
    "series_c": "late",
    "series_d_plus": "late",
    "growth": "late",
    "grant": "other",
    "debt": "other",
    "other": "other",
    "unknown": "other",
}
#: The stage groups in reading order: early, late, other.
STAGE_GROUPS: Final[tuple[str, ...]] = tuple(dict.fromkeys(STAGE_GROUP.values()))


@dataclass(frozen=True)
class Column:
    """One canonical column: its name, DuckDB type and whether it may be NULL."""

    name: str
    sql_type: str
    nullable: bool = True


#: Column definitions of each canonical table, in order. Primary keys come first.
TABLES: Final[dict[str, tuple[Column, ...]]] = {
    COMPANIES: (
        Column(COMPANY_ID, "VARCHAR", nullable=False),
        Column(NAME, "VARCHAR"),
        Column(COUNTRY, "VARCHAR"),
        Column(FOUNDED_ON, "DATE"),
        Column(CATEGORIES, "VARCHAR"),  # '|'-separated tags, lower case
        Column(DESCRIPTION, "VARCHAR"),
        Column(IS_AI, "BOOLEAN"),  # as given by the source; NULL = decide by taxonomy
        Column(SOURCE, "VARCHAR"),
    ),
    ROUNDS: (
        Column(ROUND_ID, "VARCHAR", nullable=False),
        Column(COMPANY_ID, "VARCHAR", nullable=False),
        Column(ANNOUNCED_ON, "DATE"),
        Column(STAGE, "VARCHAR", nullable=False),
        Column(AMOUNT_USD, "DOUBLE"),  # NULL = amount unknown; the round still counts as a deal
        Column(AMOUNT_ORIGINAL, "DOUBLE"),
        Column(CURRENCY, "VARCHAR"),
        Column(SOURCE, "VARCHAR"),
    ),
    PARTICIPATIONS: (
        Column(ROUND_ID, "VARCHAR", nullable=False),
        Column(INVESTOR_ID, "VARCHAR", nullable=False),
        Column(IS_LEAD, "BOOLEAN"),
        Column(SOURCE, "VARCHAR"),
    ),
    INVESTORS: (
        Column(INVESTOR_ID, "VARCHAR", nullable=False),
        Column(NAME, "VARCHAR"),
        Column(COUNTRY, "VARCHAR"),
        Column(INVESTOR_TYPE, "VARCHAR", nullable=False),
        Column(SOURCE, "VARCHAR"),
    ),
    PEOPLE: (
        Column(PERSON_ID, "VARCHAR", nullable=False),
        Column(NAME, "VARCHAR"),
        Column(COUNTRY, "VARCHAR"),
        Column(SOURCE, "VARCHAR"),
    ),
    ROLES: (
        Column(ROLE_ID, "VARCHAR", nullable=False),
        Column(PERSON_ID, "VARCHAR", nullable=False),
        Column(ORG_ID, "VARCHAR"),
        Column(ORG_NAME, "VARCHAR"),
        Column(TITLE, "VARCHAR"),
        Column(IS_FOUNDER, "BOOLEAN"),
        Column(STARTED_ON, "DATE"),
        Column(ENDED_ON, "DATE"),  # NULL: no end date recorded (current, or not known)
        Column(SOURCE, "VARCHAR"),
    ),
    DEGREES: (
        Column(DEGREE_ID, "VARCHAR", nullable=False),
        Column(PERSON_ID, "VARCHAR", nullable=False),
        Column(INSTITUTION, "VARCHAR"),
        Column(DEGREE_TYPE, "VARCHAR"),
        Column(SUBJECT, "VARCHAR"),
        Column(COMPLETED_ON, "DATE"),
        Column(SOURCE, "VARCHAR"),
    ),
    QUARANTINE: (
        Column(Q_SOURCE_FILE, "VARCHAR", nullable=False),
        Column(Q_SOURCE_ROW, "VARCHAR", nullable=False),  # line number or source row index
        Column(Q_TABLE, "VARCHAR"),
        Column(Q_FIELD, "VARCHAR", nullable=False),  # "(row)" when no single field
        Column(Q_VALUE, "VARCHAR"),
        Column(Q_REASON, "VARCHAR", nullable=False),
        Column(SOURCE, "VARCHAR"),
        Column(Q_ROW_KEPT, "BOOLEAN"),
    ),
    CONFLICTS: (
        Column(C_TABLE, "VARCHAR", nullable=False),
        Column(C_KEY, "VARCHAR", nullable=False),
        Column(C_FIELD, "VARCHAR", nullable=False),
        Column(C_VALUES, "VARCHAR", nullable=False),
        Column(C_KEPT, "VARCHAR"),
        Column(C_SCOPE, "VARCHAR", nullable=False),
        Column(SOURCE, "VARCHAR"),
    ),
}

#: Primary keys of the canonical tables (quarantine is keyed by file, row, field, reason).
PRIMARY_KEYS: Final[dict[str, tuple[str, ...]]] = {
    COMPANIES: (COMPANY_ID,),
    ROUNDS: (ROUND_ID,),
    PARTICIPATIONS: (ROUND_ID, INVESTOR_ID),
    INVESTORS: (INVESTOR_ID,),
    PEOPLE: (PERSON_ID,),
    ROLES: (ROLE_ID,),
    DEGREES: (DEGREE_ID,),
    QUARANTINE: (Q_SOURCE_FILE, Q_SOURCE_ROW, Q_FIELD, Q_REASON),
    CONFLICTS: (C_TABLE, C_KEY, C_FIELD, C_VALUES, C_SCOPE),
}

#: Values that mean "not known" in NOT NULL vocabulary columns: the store's merge rule treats
#: them like NULL, so a later source that knows better fills them.
PLACEHOLDERS: Final[dict[str, str]] = {STAGE: "unknown", INVESTOR_TYPE: "unknown"}

CANONICAL_TABLES: Final[tuple[str, ...]] = (COMPANIES, ROUNDS, PARTICIPATIONS, INVESTORS)
#: Optional tables of founders and their backgrounds: created in every store, filled only by
#: sources that carry people (Crunchbase people.csv/jobs.csv/degrees.csv, a founders list).
#: Stores of earlier versions opened read-only may lack them.
PEOPLE_TABLES: Final[tuple[str, ...]] = (PEOPLE, ROLES, DEGREES)
#: Every table an ingest merges with the store's merge rule (vcflows.store.db).
MERGED_TABLES: Final[tuple[str, ...]] = (*CANONICAL_TABLES, *PEOPLE_TABLES)


def columns(table: str) -> list[str]:
    """Return the column names of a canonical table, in order.

    Parameters
    ----------
    table : str
        One of the names in :data:`TABLES`.

    Returns
    -------
    list of str
        Column names.
    """
    return [c.name for c in TABLES[table]]


# --- derived tables (rebuilt after every ingest; see vcflows.flows.base) -------------------
FLOW_BASE: Final = "flow_base"
DERIVED_META: Final = "derived_meta"
FINGERPRINT: Final = "fingerprint"
#: Connection-local temporary table: keys merged since the last refresh of the derived tables
#: (see vcflows.store.touched).
TOUCHED: Final = "_vcf_touched"

# --- cross-source links (see vcflows.store.link) -------------------------------------------
#: One row per record merged into another source's record of the same company, round,
#: investor or participation: the merged record's ``kind``, ``id``, the ``canonical_id`` it
#: was merged into, the matching ``rule`` and the whole merged ``record`` (JSON): nothing lost.
LINKS: Final = "links"
LINK_KIND: Final = "kind"
LINK_ID: Final = "id"
LINK_CANONICAL: Final = "canonical_id"
LINK_RULE: Final = "rule"
LINK_RECORD: Final = "record"
LinkKind = Literal["company", "round", "investor", "participation"]
#: The canonical table of each link kind, in the order links are applied.
LINK_TABLES: Final[dict[str, str]] = {
    "company": COMPANIES,
    "round": ROUNDS,
    "investor": INVESTORS,
    "participation": PARTICIPATIONS,
}
