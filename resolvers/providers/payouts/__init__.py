"""Payout (disbursement) providers behind one interface (`base.py`), chosen by name in the
settings (`PAYOUTS`): the sandbox by default.

`payout_provider_named(name, env)` builds the provider a setting names from the
environment's variables, as `biller_named` does for billers; a real provider is one more
module here with a `from_env` and one more line in `PAYOUT_PROVIDERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from resolvers.providers.payouts.base import (
    AccountHolder,
    Bank,
    Disbursement,
    DisbursementRequest,
    DisbursementStatus,
    InvalidPayoutNotification,
    PayoutProvider,
    PayoutsUnavailable,
    account_number,
)
from resolvers.providers.payouts.sandbox import SandboxPayouts

__all__ = [
    "PAYOUT_PROVIDERS",
    "AccountHolder",
    "Bank",
    "Disbursement",
    "DisbursementRequest",
    "DisbursementStatus",
    "InvalidPayoutNotification",
    "PayoutProvider",
    "PayoutsUnavailable",
    "SandboxPayouts",
    "account_number",
    "payout_provider_named",
]

PAYOUT_PROVIDERS: dict[str, Callable[[Mapping[str, str]], PayoutProvider]] = {
    "sandbox": SandboxPayouts.from_env,
}


def payout_provider_named(name: str, env: Mapping[str, str]) -> PayoutProvider:
    try:
        factory = PAYOUT_PROVIDERS[name]
    except KeyError:
        raise ValueError(
            f"unknown payout provider {name!r}: one of {', '.join(sorted(PAYOUT_PROVIDERS))}"
        ) from None
    return factory(env)
