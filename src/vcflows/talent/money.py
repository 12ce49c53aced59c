"""The money talent-founded companies draw: per company and per country, with an interval.

Definitions (for the methods appendix):

- Per company, over the rounds ``opts`` selects: *total_usd* (known amounts), and, by the flow
  engine's attribution (``full`` falls back to ``equal``, as for champions), *attributed_usd*
  and *foreign_usd* (attributed to investor countries other than the company's).
- Per country with founder data (at least one company with a founder record):
  *talent_share* = talent-founded companies' total_usd / every company's total_usd (the AI VC
  going to talent-founded companies); *talent_foreign_share* and *other_foreign_share* =
  Σ foreign_usd / Σ attributed_usd over the talent-founded companies and over every other
  company of the country (those without founder records included: the rest of the country);
  *difference* = talent − other.
- The interval of the difference is a seeded Poisson bootstrap over the country's companies
  (each resample weighs every company by a Poisson(1) count, as
  :mod:`vcflows.findings.bootstrap` weighs rounds: a company's rounds move together), central
  ``ci_level`` percentiles; the generator is seeded by ``seed`` and the country code, so a
  country's interval does not depend on the others.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from vcflows import schema as s
from vcflows.cases.champions import champions, share_options
from vcflows.exports import to_records
from vcflows.flows import FlowOptions, base_relation, selected_rounds_sql, shares_sql
from vcflows.flows import columns as c
from vcflows.talent import columns as t
from vcflows.talent.catalogue import TalentList
from vcflows.talent.flags import TalentFlags, talent_flags

#: Columns of :attr:`TalentResult.companies`, in order.
COMPANY_COLUMNS: tuple[str, ...] = (
    s.COMPANY_ID,
    s.NAME,
    c.COUNTRY,
    t.TALENT_FOUNDED,
    t.FOUNDERS,
    c.ROUNDS,
    t.TOTAL_USD,
    t.ATTRIBUTED_USD,
    t.FOREIGN_USD,
    t.FOREIGN_SHARE,
    t.EVIDENCE,
)
#: Columns of :attr:`TalentResult.countries`, in order.
COUNTRY_COLUMNS: tuple[str, ...] = (
    c.COUNTRY,
    t.COMPANIES_WITH_FOUNDERS,
    t.TALENT_COMPANIES,
    t.OTHER_COMPANIES,
    t.AI_USD,
    t.TALENT_USD,
    t.TALENT_SHARE,
    t.TALENT_FOREIGN_SHARE,
    t.OTHER_FOREIGN_SHARE,
    t.DIFFERENCE,
    t.CI_LOW,
    t.CI_HIGH,
)
#: Columns of :attr:`TalentResult.champions`: the champions' and the founders' evidence.
CHAMPION_EXTRA: tuple[str, ...] = (t.TALENT_FOUNDED, t.FOUNDERS, t.EVIDENCE)


@dataclass(frozen=True)
class TalentResult:
    """The talent analyses of one selection (module docstring for the definitions).

    Attributes
    ----------
    companies : pandas.DataFrame
        Every company with selected rounds and a known country: :data:`COMPANY_COLUMNS`
        (``founders`` 0 without founder records), by country, total_usd descending, id.
    countries : pandas.DataFrame
        One row per country with founder data: :data:`COUNTRY_COLUMNS`.
    evidence : pandas.DataFrame
        The matched organisations and degrees (:data:`vcflows.talent.flags.EVIDENCE_COLUMNS`).
    champions : pandas.DataFrame
        Each country's champions (:func:`vcflows.cases.champions`) with
        :data:`CHAMPION_EXTRA`.
    has_people : bool
        Whether the store holds founder data at all.
    selection : str
        ``opts.describe()``.
    talent_list : tuple of str
        The AI-talent list files used.
    ci_level : float
        Level of the intervals.
    """

    companies: pd.DataFrame
    countries: pd.DataFrame
    evidence: pd.DataFrame
    champions: pd.DataFrame
    has_people: bool
    selection: str
    talent_list: tuple[str, ...]
    ci_level: float

    #: The tables of the result, in the order ``--table`` lists them.
    TABLES = ("countries", "companies", "evidence", "champions")

    @property
    def notes(self) -> list[str]:
        """What a reader must know about the result (no founder data, the list used)."""
        notes = [f"AI-talent list: {', '.join(self.talent_list)}"]
        if not self.has_people:
            notes.insert(
                0,
                "no founder data in the store: every company counts as not talent-founded "
                "and no country is compared; load Crunchbase's people.csv + jobs.csv (and "
                'degrees.csv) or a founders list (generic mapping, shape = "founders")',
            )
        return notes

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict: selection, has_people, talent_list, ci_level, notes, each table."""
        return {
            "selection": self.selection,
            "has_people": self.has_people,
            "talent_list": list(self.talent_list),
            "ci_level": self.ci_level,
            "notes": self.notes,
            **{name: to_records(getattr(self, name)) for name in self.TABLES},
        }


def _company_money(con: duckdb.DuckDBPyConnection, opts: FlowOptions) -> pd.DataFrame:
    base = base_relation(con)
    rounds_sql, rparams = selected_rounds_sql(opts, base)
    shares, sparams = shares_sql(share_options(opts), base)
    ic, cc = c.INVESTOR_COUNTRY, c.COMPANY_COUNTRY
    return con.execute(
        f"""
        WITH r AS (
            SELECT {s.COMPANY_ID}, any_value({cc}) AS {c.COUNTRY}, count(*) AS {c.ROUNDS},
                   coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {t.TOTAL_USD}
            FROM ({rounds_sql}) WHERE {cc} IS NOT NULL GROUP BY ALL
        ), a AS (
            SELECT {s.COMPANY_ID}, coalesce(fsum({s.AMOUNT_USD}), 0.0) AS {t.ATTRIBUTED_USD},
                   coalesce(fsum({s.AMOUNT_USD}) FILTER (WHERE {ic} <> {cc}), 0.0)
                       AS {t.FOREIGN_USD}
            FROM ({shares}) WHERE {c.REASON} IS NULL GROUP BY ALL
        )
        SELECT r.{s.COMPANY_ID}, co.{s.NAME}, r.{c.COUNTRY}, r.{c.ROUNDS}, r.{t.TOTAL_USD},
               coalesce(a.{t.ATTRIBUTED_USD}, 0.0) AS {t.ATTRIBUTED_USD},
               coalesce(a.{t.FOREIGN_USD}, 0.0) AS {t.FOREIGN_USD}
        FROM r LEFT JOIN a ON a.{s.COMPANY_ID} = r.{s.COMPANY_ID}
        LEFT JOIN {s.COMPANIES} co ON co.{s.COMPANY_ID} = r.{s.COMPANY_ID}
        ORDER BY r.{c.COUNTRY}, r.{t.TOTAL_USD} DESC, r.{s.COMPANY_ID}
        """,
        [*rparams, *sparams],
    ).fetchdf()


def _ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


def difference_interval(
    group: pd.DataFrame, country: str, ci_level: float, resamples: int, seed: int
) -> tuple[float | None, float | None]:
    """Bootstrap interval of talent − other foreign share over one country's companies.

    Parameters
    ----------
    group : pandas.DataFrame
        The country's companies: talent_founded, attributed_usd, foreign_usd.
    country : str
        Its ISO3 code (seeds the generator with ``seed``).
    ci_level : float
        Interval level.
    resamples : int
        Number of resamples (0: no interval).
    seed : int
        Seed.

    Returns
    -------
    tuple
        (low, high), None when there are no resamples or no defined difference.
    """
    if resamples <= 0 or group.empty:
        return None, None
    rng = np.random.default_rng([seed, *country.encode("utf-8")])
    weights = rng.poisson(1.0, size=(resamples, len(group))).astype(np.float64)
    talent = group[t.TALENT_FOUNDED].to_numpy(dtype=bool)
    att = group[t.ATTRIBUTED_USD].to_numpy(dtype=float)
    foreign = group[t.FOREIGN_USD].to_numpy(dtype=float)
    share_t = _ratio(weights @ (foreign * talent), weights @ (att * talent))
    share_o = _ratio(weights @ (foreign * ~talent), weights @ (att * ~talent))
    return interval(share_t - share_o, ci_level)


def interval(samples: np.ndarray, level: float) -> tuple[float | None, float | None]:
    """The central ``level`` percentile interval of the finite ``samples`` (None if none).

    The interval of :func:`vcflows.findings.bootstrap.interval`; kept here so that this
    analysis does not stand on the findings layer, which stands on it.
    """
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return None, None
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(finite, [tail, 1.0 - tail])
    return float(low), float(high)


def _share(num: float, den: float) -> float:
    return num / den if den > 0 else float("nan")


def _countries(
    companies: pd.DataFrame, with_founders: set[str], ci_level: float, resamples: int, seed: int
) -> pd.DataFrame:
    rows = []
    for country, group in companies.groupby(c.COUNTRY, sort=True):
        if str(country) not in with_founders:
            continue
        talent = group[group[t.TALENT_FOUNDED]]
        other = group[~group[t.TALENT_FOUNDED]]
        ts = _share(talent[t.FOREIGN_USD].sum(), talent[t.ATTRIBUTED_USD].sum())
        os_ = _share(other[t.FOREIGN_USD].sum(), other[t.ATTRIBUTED_USD].sum())
        low, high = difference_interval(group, str(country), ci_level, resamples, seed)
        ai_usd = float(group[t.TOTAL_USD].sum())
        rows.append(
            (
                country, int((group[t.FOUNDERS] > 0).sum()), len(talent), len(other), ai_usd,
                float(talent[t.TOTAL_USD].sum()), _share(talent[t.TOTAL_USD].sum(), ai_usd),
                ts, os_, ts - os_, low, high,
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(COUNTRY_COLUMNS))


def talent_analysis(
    con: duckdb.DuckDBPyConnection,
    opts: FlowOptions | None = None,
    *,
    talent: TalentList | None = None,
    flags: TalentFlags | None = None,
    ci_level: float = 0.9,
    resamples: int = 200,
    seed: int = 0,
    top: int = 5,
) -> TalentResult:
    """Talent-founded companies, and the foreign share of the money they draw, per country.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A vcflows database.
    opts : FlowOptions, optional
        Round selection and attribution (default: AI companies, all years, equal).
    talent : TalentList, optional
        What counts as AI talent (default: the shipped list).
    flags : TalentFlags, optional
        Flags already computed with ``talent`` (else computed here).
    ci_level : float
        Level of the bootstrap interval of each country's difference.
    resamples : int
        Bootstrap resamples (0: no interval).
    seed : int
        Bootstrap seed.
    top : int
        Champions per country.

    Returns
    -------
    TalentResult
    """
    opts = opts or FlowOptions()
    flags = flags or talent_flags(con, talent)
    money = _company_money(con, opts)
    f = flags.companies
    ids = money[s.COMPANY_ID]
    founders = dict(zip(f[s.COMPANY_ID], f[t.FOUNDERS], strict=True))
    evidence = dict(zip(f[s.COMPANY_ID], f[t.EVIDENCE], strict=True))
    talented = set(f.loc[f[t.TALENT_FOUNDED].astype(bool), s.COMPANY_ID])
    money[t.TALENT_FOUNDED] = ids.isin(talented).astype(bool)
    money[t.FOUNDERS] = pd.Series([int(founders.get(i, 0)) for i in ids], dtype="int64")
    money[t.EVIDENCE] = pd.Series([evidence.get(i) or None for i in ids], dtype=object)
    money[c.ROUNDS] = money[c.ROUNDS].astype("int64")
    money[t.FOREIGN_SHARE] = [
        _share(x, y) for x, y in zip(money[t.FOREIGN_USD], money[t.ATTRIBUTED_USD], strict=True)
    ]
    companies = money[list(COMPANY_COLUMNS)]
    with_founders = set(companies.loc[companies[t.FOUNDERS] > 0, c.COUNTRY].astype(str))
    countries = _countries(companies, with_founders, ci_level, resamples, seed)
    champs = champions(con, opts, top=top)
    by_id = companies.set_index(s.COMPANY_ID)
    for col in CHAMPION_EXTRA:
        champs[col] = pd.Series([by_id.at[i, col] for i in champs[s.COMPANY_ID]], dtype=object)
    return TalentResult(
        companies=companies.reset_index(drop=True),
        countries=countries,
        evidence=flags.evidence,
        champions=champs,
        has_people=flags.has_people,
        selection=opts.describe(),
        talent_list=flags.talent_list,
        ci_level=ci_level,
    )
