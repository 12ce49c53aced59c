"""Calibration targets of the demo universe, shipped as package data, and the flow shares they imply.

The targets (AI VC amount and deal count by company country and year) and the cross-border
structure (inbound foreign and US shares, outbound overseas shares) live in
``vcflows/data/calibration/``; each row names its public source or says it is an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

#: Column names of the calibration files (data-file vocabulary, not canonical table columns).
COUNTRY = "country_iso3"
YEAR = "year"
AI_AMOUNT = "ai_amount_usd"
AI_DEALS = "ai_deals"
FOREIGN_IN = "inbound_foreign_share"
US_IN = "inbound_us_share"
OVERSEAS_OUT = "outbound_overseas_share"

#: Countries treated as one region for the prior of non-US foreign flows (neighbours co-invest).
_EUROPE = frozenset(
    ("GBR", "DEU", "FRA", "SWE", "NLD", "CHE", "ESP", "IRL", "FIN", "DNK", "EST", "ITA", "BEL", "AUT", "NOR")
)  # fmt: skip
_SAME_REGION_PRIOR = 3.0


@dataclass(frozen=True)
class Calibration:
    """The demo's calibration tables.

    Attributes
    ----------
    targets : pandas.DataFrame
        ``country_iso3, year, ai_amount_usd, ai_deals, source, deals_source``, one row per
        company country and year.
    structure : pandas.DataFrame
        ``country_iso3, inbound_foreign_share, inbound_us_share, outbound_overseas_share,
        source``, one row per company country.
    """

    targets: pd.DataFrame
    structure: pd.DataFrame

    @property
    def countries(self) -> tuple[str, ...]:
        """Company countries in file order (the US first)."""
        return tuple(self.structure[COUNTRY])

    @property
    def years(self) -> tuple[int, ...]:
        """Calendar years covered, ascending."""
        return tuple(int(y) for y in sorted(self.targets[YEAR].unique()))

    def grid(self, column: str) -> np.ndarray:
        """Return ``column`` of the targets as a (country, year) array in :attr:`countries` order."""
        wide = self.targets.pivot(index=COUNTRY, columns=YEAR, values=column)
        return wide.loc[list(self.countries), list(self.years)].to_numpy(dtype=float)


def _read(name: str) -> pd.DataFrame:
    ref = resources.files("vcflows").joinpath("data", "calibration", name)
    with resources.as_file(ref) as path:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])


@lru_cache(maxsize=1)
def load_calibration() -> Calibration:
    """Load the shipped calibration tables (cached).

    Returns
    -------
    Calibration
        Targets and cross-border structure.
    """
    targets = _read("ai_vc_targets.csv")
    structure = _read("cross_border_structure.csv")
    return Calibration(targets=targets, structure=structure)


def investor_country_shares(cal: Calibration) -> np.ndarray:
    """Share of each company country's AI VC amount by investor country.

    Domestic and US shares come straight from the structure table. The remaining non-US
    foreign money of each company country is spread over the other countries by iterative
    proportional fitting, so that each investor country's amount placed abroad approaches
    what its ``outbound_overseas_share`` implies (the column fit is exact; the row fit is as
    close as the totals allow). The prior favours same-region pairs (European co-investment).

    Parameters
    ----------
    cal : Calibration
        The calibration tables.

    Returns
    -------
    numpy.ndarray
        ``shares[c, i]``: share of company country ``c``'s inbound amount from investor country
        ``i`` (rows sum to 1), both in ``cal.countries`` order.
    """
    countries = list(cal.countries)
    n = len(countries)
    us = countries.index("USA")
    st = cal.structure.set_index(COUNTRY).loc[countries]
    foreign = st[FOREIGN_IN].to_numpy(dtype=float, copy=True)
    us_in = st[US_IN].to_numpy(dtype=float, copy=True)
    overseas = st[OVERSEAS_OUT].fillna(0.0).to_numpy(dtype=float)
    amount = cal.grid(AI_AMOUNT).sum(axis=1)

    shares = np.zeros((n, n))
    shares[np.arange(n), np.arange(n)] = 1.0 - foreign
    rest = foreign - us_in
    # For the US itself inbound_us_share is its domestic share, already on the diagonal.
    rest[us] = foreign[us]
    us_in[us] = 0.0
    shares[:, us] += us_in

    # Non-US foreign amount to place (columns) and wished-for amount abroad (rows).
    col_target = rest * amount
    domestic = (1.0 - foreign) * amount
    row_target = domestic * overseas / np.clip(1.0 - overseas, 1e-9, None)
    row_target[us] = 0.0
    row_target *= col_target.sum() / row_target.sum()

    region = np.array([c in _EUROPE for c in countries])
    prior = np.where(region[:, None] & region[None, :], _SAME_REGION_PRIOR, 1.0)
    prior[np.arange(n), np.arange(n)] = 0.0
    prior[us, :] = 0.0
    flows = prior * np.outer(row_target, col_target)  # flows[i, c], investor i -> company c
    for _ in range(200):
        flows *= (row_target / np.clip(flows.sum(axis=1), 1e-12, None))[:, None]
        flows *= (col_target / np.clip(flows.sum(axis=0), 1e-12, None))[None, :]
    shares += (flows / amount[None, :]).T
    return shares
