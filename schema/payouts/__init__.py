"""Sellers' money: balances, statements, payout destinations and payouts; the platform's
books and its clearing with each cooperative."""

from schema.payouts import balance, books, payouts, shop_fields
from schema.payouts.balance import SellerBalance, SellerStatementFile
from schema.payouts.books import CooperativePlatformClearing, platform_clearing
from schema.payouts.payouts import Payout, PayoutDestination, PayoutStatus, SellerMovement

__all__ = [
    "CooperativePlatformClearing",
    "Payout",
    "PayoutDestination",
    "PayoutStatus",
    "SellerBalance",
    "SellerMovement",
    "SellerStatementFile",
    "balance",
    "books",
    "payouts",
    "platform_clearing",
    "shop_fields",
]
