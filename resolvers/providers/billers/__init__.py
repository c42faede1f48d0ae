"""Outside billers (PPOB) behind one interface (`biller.py`), chosen by name in the settings.

`biller_named(name, env)` builds the biller a setting names from the environment's variables:
the sandbox (the default) or Digiflazz; another aggregator is one more module here with a
`from_env` and one more line in `BILLERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from resolvers.providers.billers.biller import (
    Biller,
    BillerCallback,
    BillerPayment,
    BillerStatus,
    BillerUnavailable,
    Inquiry,
    InvalidCallback,
    customer_number,
)
from resolvers.providers.billers.digiflazz import DigiflazzBiller
from resolvers.providers.billers.sandbox import SandboxBiller

__all__ = [
    "BILLERS",
    "Biller",
    "BillerCallback",
    "BillerPayment",
    "BillerStatus",
    "BillerUnavailable",
    "DigiflazzBiller",
    "Inquiry",
    "InvalidCallback",
    "SandboxBiller",
    "biller_named",
    "customer_number",
]

BILLERS: dict[str, Callable[[Mapping[str, str]], Biller]] = {
    "sandbox": SandboxBiller.from_env,
    "digiflazz": DigiflazzBiller.from_env,
}


def biller_named(name: str, env: Mapping[str, str]) -> Biller:
    try:
        factory = BILLERS[name]
    except KeyError:
        raise ValueError(f"unknown biller {name!r}: one of {', '.join(sorted(BILLERS))}") from None
    return factory(env)
