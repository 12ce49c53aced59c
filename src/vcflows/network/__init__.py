"""Networks of AI venture flows: countries, corporate investors and investor syndicates."""

from vcflows.network._scope import participations_table
from vcflows.network.corporate import CorporateNetworkResult, corporate_network
from vcflows.network.country import CountryNetworkResult, country_network
from vcflows.network.syndicate import (
    SyndicateResult,
    SyndicateTies,
    syndicate_network,
    syndicate_ties,
)

__all__ = [
    "CorporateNetworkResult",
    "CountryNetworkResult",
    "SyndicateResult",
    "SyndicateTies",
    "corporate_network",
    "country_network",
    "participations_table",
    "syndicate_network",
    "syndicate_ties",
]
