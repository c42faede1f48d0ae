"""The platform's books, sellers' balances and payouts."""

from models.payouts.books import (
    CooperativeSettlement,
    PlatformEntry,
    PlatformEntryKind,
    PlatformLine,
    SettlementDirection,
)
from models.payouts.payouts import (
    BankAccountCheck,
    Payout,
    PayoutDestination,
    PayoutDestinationKind,
    PayoutStatus,
    SellerBalance,
    SellerMovement,
    SellerMovementKind,
)

__all__ = [
    "BankAccountCheck",
    "CooperativeSettlement",
    "Payout",
    "PayoutDestination",
    "PayoutDestinationKind",
    "PayoutStatus",
    "PlatformEntry",
    "PlatformEntryKind",
    "PlatformLine",
    "SellerBalance",
    "SellerMovement",
    "SellerMovementKind",
    "SettlementDirection",
]
