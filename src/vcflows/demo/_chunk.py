"""One chunk of the demo universe: companies, rounds (raw amounts) and participations.

Everything is drawn with numpy's vectorized generators; the only Python loops run over
countries or pools, never over rows. Amounts are heavy-tailed draws scaled so that each cell's
rounds in the chunk hold the chunk's part of the cell's target (``cell_money``); knowing every
round's money here lets investor countries be placed by money (:mod:`._countries`). The
generator rescales once more over all chunks, which only absorbs floating-point error.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vcflows.demo import _model as m
from vcflows.demo._countries import assign_countries
from vcflows.demo._investors import InvestorPool
from vcflows.demo._korea import country_groups, global_companies
from vcflows.demo._names import KOREAN_GLOBAL_NAMES, company_names, company_tags

_EPOCH_YEAR = 1970
_YEAR_KEY = 10_000  # group * _YEAR_KEY + year orders companies by group, then founding year
_MAX_MEGA = 200.0  # cap of the mega-round multiplier, so one draw cannot swallow a decade


@dataclass(frozen=True)
class Cells:
    """The (company country, year, AI flag) cells that rounds are allocated to."""

    country: np.ndarray  # country index
    year: np.ndarray  # calendar year
    ai: np.ndarray  # bool


@dataclass(frozen=True)
class Chunk:
    """Generated rows of one chunk, with integer keys (formatted to IDs when written)."""

    companies: pd.DataFrame  # company, name, country, founded_on, categories, description
    rounds: pd.DataFrame  # round, company, announced_on, stage, raw_amount, cell
    participations: pd.DataFrame  # round, investor, is_lead


def _year_start(year: np.ndarray) -> np.ndarray:
    return (year - _EPOCH_YEAR).astype("datetime64[Y]").astype("datetime64[D]")


def _random_day(rng: np.random.Generator, year: np.ndarray) -> np.ndarray:
    start = _year_start(year)
    length = (_year_start(year + 1) - start).astype(np.int64)
    day: np.ndarray = start + (rng.random(len(year)) * length).astype(np.int64)
    return day


def _companies_for_rounds(
    rng: np.random.Generator, group: np.ndarray, year: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Create companies per group (country x AI flag) and give each round one of them.

    A round goes to a company of its group founded at most ``MAX_COMPANY_AGE`` years before.
    Founding years follow the round years, shifted back by a geometric lag.

    Returns
    -------
    tuple of numpy.ndarray
        Company of each round (dense index), and group and founding year of each company.
    """
    n_groups = int(group.max()) + 1
    per_group = np.bincount(group, minlength=n_groups)
    n_comp = np.where(per_group > 0, np.maximum(1, np.round(per_group / m.ROUNDS_PER_COMPANY)), 0)
    comp_group = np.repeat(np.arange(n_groups), n_comp.astype(np.int64))
    by_group = np.argsort(group, kind="stable")
    start = np.concatenate([[0], np.cumsum(per_group)[:-1]])
    sample = by_group[
        start[comp_group] + (rng.random(len(comp_group)) * per_group[comp_group]).astype(np.int64)
    ]
    lag = np.minimum(rng.geometric(0.4, len(comp_group)) - 1, m.MAX_COMPANY_AGE)
    founded = year[sample] - lag
    order = np.lexsort((rng.random(len(comp_group)), founded, comp_group))
    comp_group, founded = comp_group[order], founded[order]
    keys = comp_group * _YEAR_KEY + founded

    lo = np.searchsorted(keys, group * _YEAR_KEY + year - m.MAX_COMPANY_AGE, side="left")
    hi = np.searchsorted(keys, group * _YEAR_KEY + year, side="right")
    # No company of the group founded in the window: take the nearest one of the same group.
    empty = hi <= lo
    before_ok = (hi > 0) & (comp_group[np.maximum(hi - 1, 0)] == group)
    lo = np.where(empty, np.where(before_ok, hi - 1, lo), lo)
    hi = np.where(empty, lo + 1, hi)
    company = lo + (rng.random(len(group)) * (hi - lo)).astype(np.int64)
    return company, comp_group, founded


def _ladder_stages(
    rng: np.random.Generator, company: np.ndarray, announced: np.ndarray
) -> np.ndarray:
    """Draw stages, then reorder each company's ladder stages so they rise with time."""
    stage = rng.choice(len(m.STAGE_NAMES), size=len(company), p=m.STAGE_PROB)
    rank = m.STAGE_RANK[stage]
    ids = np.flatnonzero(rank >= 0)
    by_date = ids[np.lexsort((announced[ids], company[ids]))]
    by_rank = ids[np.lexsort((rank[ids], company[ids]))]
    stage[by_date] = stage[by_rank]
    return stage


def _raw_amounts(rng: np.random.Generator, stage: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Heavy-tailed raw amounts (NaN = undisclosed); every cell keeps one disclosed round."""
    n = len(stage)
    amount = np.exp(
        np.log(m.STAGE_MEDIAN_USD[stage]) + m.STAGE_SIGMA[stage] * rng.standard_normal(n)
    )
    mega = rng.random(n) < m.STAGE_MEGA_PROB[stage]
    boost = m.MEGA_MULTIPLIER * (1.0 + rng.pareto(m.MEGA_PARETO_INDEX, n))
    amount = np.where(mega, amount * np.minimum(boost, _MAX_MEGA), amount)
    hidden = rng.random(n) < m.STAGE_UNDISCLOSED[stage]
    # Rounds come ordered by cell: keep the first round of a cell disclosed if all are hidden,
    # so every cell's target amount has a round to land on.
    disclosed = np.bincount(cell[~hidden], minlength=int(cell.max()) + 1)
    first = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    hidden[first[disclosed[cell[first]] == 0]] = False
    return np.where(hidden, np.nan, amount)


def make_chunk(
    rng: np.random.Generator,
    cells: Cells,
    counts: np.ndarray,
    *,
    shares: np.ndarray,
    cell_money: np.ndarray,
    investors: InvestorPool,
    kor: int,
    company_offset: int,
    round_offset: int,
    name_korean_startups: bool,
) -> Chunk:
    """Generate one chunk with ``counts[k]`` rounds in cell ``k``.

    Parameters
    ----------
    rng : numpy.random.Generator
        The chunk's own random source (seeded from the seed and the chunk number).
    cells : Cells
        Company country, year and AI flag of every cell.
    counts : numpy.ndarray
        Rounds of this chunk per cell.
    shares : numpy.ndarray
        Inbound shares by investor country, ``shares[company_country, investor_country]``.
    cell_money : numpy.ndarray
        Money this chunk's rounds of each cell hold (the cell's target times the chunk's part of
        its rounds): the disclosed amounts of each cell are scaled to sum to it.
    investors : InvestorPool
        The investor population.
    kor : int
        Country index of Korea.
    company_offset, round_offset : int
        Global numbers of this chunk's first company and round.
    name_korean_startups : bool
        Give the Korean globally backed startups their fictional names (first chunk only).
    """
    cell = np.repeat(np.arange(len(counts)), counts)
    country, year, ai = cells.country[cell], cells.year[cell], cells.ai[cell]
    group = country * 2 + ai.astype(np.int64)
    company, comp_group, founded_year = _companies_for_rounds(rng, group, year)

    announced = _random_day(rng, year)
    stage = _ladder_stages(rng, company, announced)
    raw = _raw_amounts(rng, stage, cell)
    # Each cell's rounds hold the chunk's part of its target: every round's money is known
    # now, whatever the other chunks draw.
    raw_sum = np.bincount(cell, weights=np.nan_to_num(raw), minlength=len(counts))
    scale = np.divide(cell_money, raw_sum, out=np.zeros(len(counts)), where=raw_sum > 0)
    amount = raw * scale[cell]

    # Keep only companies that got a round, numbered in (group, founding year) order.
    used, company = np.unique(company, return_inverse=True)
    comp_group, founded_year = comp_group[used], founded_year[used]
    comp_country, comp_ai = comp_group // 2, (comp_group % 2).astype(bool)
    first_round = np.full(len(used), np.datetime64("2100-01-01", "D"))
    np.minimum.at(first_round, company, announced)
    founded_on = np.minimum(_random_day(rng, founded_year), first_round)

    top = global_companies(
        np.bincount(company, weights=np.nan_to_num(amount), minlength=len(used)),
        np.flatnonzero((comp_country == kor) & comp_ai),
        1.0 - shares[kor, kor],
    )

    number = company_offset + np.arange(len(used))
    names = company_names(number, comp_ai)
    if name_korean_startups:
        named = top[: len(KOREAN_GLOBAL_NAMES)]
        names.iloc[named] = list(KOREAN_GLOBAL_NAMES[: len(named)])
    categories, description = company_tags(rng, number, comp_ai)
    companies = pd.DataFrame(
        {
            "company": number,
            "name": names,
            "country": comp_country,
            "founded_on": founded_on,
            "categories": categories,
            "description": description,
        }
    )

    size = 1 + rng.binomial(m.SYNDICATE_EXTRA_MAX, m.STAGE_SYNDICATE_P[stage])
    p_round = np.repeat(np.arange(len(stage)), size)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    lead = (np.arange(len(p_round)) - np.repeat(starts, size)) == 0
    # Money of each participation: an equal split of its round.
    weight = (np.nan_to_num(amount) / size)[p_round]
    global_rank = np.full(len(used), -1)
    global_rank[top] = np.arange(len(top))
    p_group, rows = country_groups(
        rng, shares, kor, group[p_round], global_rank[company[p_round]], weight
    )
    inv_country = assign_countries(rng, p_group, weight, rows)
    investor = investors.draw_distinct(
        rng, p_round, inv_country, m.STAGE_GROUP_IDX[stage[p_round]], lead
    )
    # An investor joins a round once: keep the first draw (so the lead survives).
    key = p_round * len(investors) + investor
    _, keep = np.unique(key, return_index=True)
    participations = pd.DataFrame(
        {
            "round": round_offset + p_round[keep],
            "investor": investor[keep],
            "is_lead": lead[keep],
        }
    )
    rounds = pd.DataFrame(
        {
            "round": round_offset + np.arange(len(stage)),
            "company": company_offset + company,
            "announced_on": announced,
            "stage": np.asarray(m.STAGE_NAMES, dtype=object)[stage],
            "raw_amount": amount,
            "cell": cell,
        }
    )
    return Chunk(companies=companies, rounds=rounds, participations=participations)
