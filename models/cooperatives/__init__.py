"""Cooperatives, their pengurus, memberships, savings accounts and double-entry books."""

from models.cooperatives import books
from models.cooperatives.books import (
    MEMBER_KINDS,
    AccountKind,
    BookYear,
    BookYearAction,
    BookYearEvent,
    BookYearState,
    EntryKind,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    MemberEntryKind,
    Rat,
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
from models.cooperatives.opening import (
    ClaimCodeRequest,
    ClaimLock,
    MembershipClaim,
    OpeningImport,
)

__all__ = [
    "MEMBER_KINDS",
    "AccountKind",
    "BookYear",
    "BookYearAction",
    "BookYearEvent",
    "BookYearState",
    "ClaimCodeRequest",
    "ClaimLock",
    "Cooperative",
    "CooperativeAdmin",
    "CooperativeType",
    "EntryKind",
    "JournalEntry",
    "JournalLine",
    "KolektibilitasBands",
    "LedgerAccount",
    "MemberEntryKind",
    "Membership",
    "MembershipClaim",
    "MembershipStatus",
    "NikOwner",
    "OpeningImport",
    "Rat",
    "SavingsAccount",
    "SavingsKind",
    "books",
]
