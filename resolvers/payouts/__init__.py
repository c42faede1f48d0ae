"""Sellers' money: each shop's balance and statement, payout destinations and payouts, the
clearing between the platform and each cooperative with its settlements, and the audit of
the platform's books (which the orders write: `resolvers.orders.platform_books`)."""

from resolvers.payouts import (
    audit,
    balance,
    destinations,
    settlements,
    statement,
    withdrawals,
)
from resolvers.payouts.backfill import backfill_platform_books
from resolvers.payouts.balance import owner_only
from resolvers.payouts.withdrawals import recheck_pending_payouts

__all__ = [
    "audit",
    "backfill_platform_books",
    "balance",
    "destinations",
    "owner_only",
    "recheck_pending_payouts",
    "settlements",
    "statement",
    "withdrawals",
]
