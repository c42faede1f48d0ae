"""Cooperatives, their pengurus, memberships, savings accounts and double-entry books."""

from models.cooperatives import books
from models.cooperatives.books import (
    AccountKind,
    EntryKind,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from models.cooperatives.cooperative import (
    Cooperative,
    CooperativeAdmin,
    CooperativeType,
    KolektibilitasBands,
    Membership,
    MembershipStatus,
    NikOwner,
    SavingsAccount,
    SavingsKind,
)

__all__ = [
    "AccountKind",
    "Cooperative",
    "CooperativeAdmin",
    "CooperativeType",
    "EntryKind",
    "JournalEntry",
    "JournalLine",
    "KolektibilitasBands",
    "LedgerAccount",
    "Membership",
    "MembershipStatus",
    "NikOwner",
    "SavingsAccount",
    "SavingsKind",
    "books",
]
