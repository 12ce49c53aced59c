"""Networks of AI venture flows: countries, corporate investors and investor syndicates."""

from vcflows.network.corporate import CorporateNetworkResult, corporate_network
from vcflows.network.country import CountryNetworkResult, country_network
from vcflows.network.syndicate import SyndicateResult, syndicate_network

__all__ = [
    "CorporateNetworkResult",
    "CountryNetworkResult",
    "SyndicateResult",
    "corporate_network",
    "country_network",
    "syndicate_network",
]
