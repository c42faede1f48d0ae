"""Shipping-rate providers behind one interface (`rates.py`), chosen by name in the
settings (`SHIPPING_RATES`): the sandbox by default, Biteship for real rates.

`rate_provider_named(name, env)` builds the provider a setting names from the environment's
variables, as `biller_named` does for billers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from resolvers.providers.shipping.biteship import BiteshipRates
from resolvers.providers.shipping.rates import (
    Place,
    Rate,
    RateProvider,
    RateRequest,
    RatesUnavailable,
)
from resolvers.providers.shipping.sandbox import SandboxRates

__all__ = [
    "RATE_PROVIDERS",
    "BiteshipRates",
    "Place",
    "Rate",
    "RateProvider",
    "RateRequest",
    "RatesUnavailable",
    "SandboxRates",
    "rate_provider_named",
]

RATE_PROVIDERS: dict[str, Callable[[Mapping[str, str]], RateProvider]] = {
    "sandbox": SandboxRates.from_env,
    "biteship": BiteshipRates.from_env,
}


def rate_provider_named(name: str, env: Mapping[str, str]) -> RateProvider:
    try:
        factory = RATE_PROVIDERS[name]
    except KeyError:
        raise ValueError(
            f"unknown shipping rate provider {name!r}: one of {', '.join(sorted(RATE_PROVIDERS))}"
        ) from None
    return factory(env)
