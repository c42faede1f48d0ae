"""Each cooperative's double-entry books: its chart of accounts and its journal (append-only)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.cooperatives.cooperative import SavingsKind
from models.platform import Moment

if TYPE_CHECKING:
    from models.catalog import Image
    from models.cooperatives.cooperative import Cooperative, Membership
    from models.orders import Order
    from models.platform import User


class AccountKind(StrEnum):
    ASSET = "ASSET"
    LIABILITY = "LIABILITY"
    EQUITY = "EQUITY"
    INCOME = "INCOME"
    EXPENSE = "EXPENSE"


class EntryKind(StrEnum):
    DEPOSIT = "DEPOSIT"
    WITHDRAWAL = "WITHDRAWAL"
    LOAN_DISBURSEMENT = "LOAN_DISBURSEMENT"
    LOAN_REPAYMENT = "LOAN_REPAYMENT"
    BILL_PAYMENT = "BILL_PAYMENT"
    PURCHASE = "PURCHASE"
    REFUND = "REFUND"
    SHU = "SHU"
    PAYOUT = "PAYOUT"
    SELLER_PAYOUT = "SELLER_PAYOUT"
    TIME_DEPOSIT = "TIME_DEPOSIT"
    TIME_DEPOSIT_INTEREST = "TIME_DEPOSIT_INTEREST"
    # Entries that are not a member's movement.
    CASH_RECEIPT = "CASH_RECEIPT"
    CASH_PAYMENT = "CASH_PAYMENT"
    GENERAL = "GENERAL"
    REVERSAL = "REVERSAL"
    OPENING = "OPENING"
    ALLOWANCE = "ALLOWANCE"
    WRITE_OFF = "WRITE_OFF"
    CLOSING = "CLOSING"


class MemberEntryKind(StrEnum):
    # The kinds of entry that move a member's savings, as their transactions show them.
    DEPOSIT = "DEPOSIT"
    WITHDRAWAL = "WITHDRAWAL"
    LOAN_DISBURSEMENT = "LOAN_DISBURSEMENT"
    LOAN_REPAYMENT = "LOAN_REPAYMENT"
    BILL_PAYMENT = "BILL_PAYMENT"
    PURCHASE = "PURCHASE"
    REFUND = "REFUND"
    SHU = "SHU"
    PAYOUT = "PAYOUT"
    SELLER_PAYOUT = "SELLER_PAYOUT"
    TIME_DEPOSIT = "TIME_DEPOSIT"
    TIME_DEPOSIT_INTEREST = "TIME_DEPOSIT_INTEREST"


MEMBER_KINDS = frozenset(EntryKind(kind.value) for kind in MemberEntryKind)


class BookYearState(StrEnum):
    OPEN = "OPEN"
    # Only inside the closing transaction: the CLOSING entry may still be dated in it.
    CLOSING = "CLOSING"
    CLOSED = "CLOSED"


class BookYearAction(StrEnum):
    CLOSED = "CLOSED"
    REOPENED = "REOPENED"


class LedgerAccount(Model):
    # One account of a cooperative's chart (`code` as in resolvers.cooperatives.books.CHART).
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="ledger_accounts", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    code = fields.CharField(max_length=10)
    name = fields.CharField(max_length=80)
    kind = fields.CharEnumField(AccountKind, max_length=10)
    # A sub-account the pengurus added nests under an account of its kind.
    parent: fields.ForeignKeyNullableRelation[LedgerAccount] = fields.ForeignKeyField(
        "satupintu.LedgerAccount", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    is_cash = fields.BooleanField(default=False)
    # Carries members' or the platform's sub-ledgers: moved by member operations only.
    is_control = fields.BooleanField(default=False)
    # Seeded with the chart: never deleted.
    is_system = fields.BooleanField(default=True)

    class Meta:
        table = "ledger_account"
        unique_together = (("cooperative", "code"), ("cooperative", "name"))


class JournalEntry(Model):
    # One balanced movement; never edited: a mistake is reversed by another entry.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="journal_entries", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    kind = fields.CharEnumField(EntryKind, max_length=24)
    description = fields.CharField(max_length=255)
    # The teller's note: free text, so shown only to the member and the pengurus.
    note = fields.CharField(max_length=255, default="")
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    actor_id: int | None
    # The member whose business the entry records (for SHU's jasa anggota), also when no line
    # moves their savings (a loan installment paid by QRIS, say).
    membership: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    membership_id: int | None
    # The order a purchase or refund belongs to.
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "satupintu.Order", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    order_id: int | None
    # The business day it records (Asia/Jakarta). The database refuses a new entry without
    # one or dated in a closed year; entries older than the column took their Jakarta day.
    date = fields.DateField(null=True)
    # The entry a REVERSAL undoes; each entry is reversed at most once.
    reversal_of: fields.ForeignKeyNullableRelation[JournalEntry] = fields.ForeignKeyField(
        "satupintu.JournalEntry", related_name=False, null=True, unique=True,
        on_delete=fields.RESTRICT,
    )  # fmt: skip
    reversal_of_id: int | None
    # The nota of a cash receipt or payment, through the image pipeline.
    receipt_image: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "satupintu.Image", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    receipt_image_id: int | None
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "journal_entry"
        indexes = (
            ("cooperative_id", "id"),
            ("order_id",),
            ("membership_id", "kind"),
            ("cooperative_id", "date", "id"),
        )


class JournalLine(Model):
    # A debit or a credit; lines on members' savings name the membership and the balance after.
    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[JournalEntry] = fields.ForeignKeyField(
        "satupintu.JournalEntry", related_name="lines", on_delete=fields.RESTRICT
    )
    entry_id: int
    account: fields.ForeignKeyRelation[LedgerAccount] = fields.ForeignKeyField(
        "satupintu.LedgerAccount", related_name="lines", on_delete=fields.RESTRICT
    )
    account_id: int
    debit = fields.BigIntField(default=0)
    credit = fields.BigIntField(default=0)
    membership: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="journal_lines", null=True, on_delete=fields.RESTRICT
    )
    membership_id: int | None
    savings = fields.CharEnumField(SavingsKind, max_length=10, null=True)
    balance_after = fields.BigIntField(null=True)
    memo = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "journal_line"
        indexes = (("membership_id", "id"), ("account_id",), ("entry_id",))


class BookYear(Model):
    # A cooperative's book year (tahun buku, January to December, Asia/Jakarta) once a close
    # touched it; a year without a row is OPEN.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    year = fields.IntField()
    state = fields.CharEnumField(BookYearState, max_length=10, default=BookYearState.OPEN)
    closed_at = Moment(null=True)
    closed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    closed_by_id: int | None
    surplus = fields.BigIntField(null=True)
    closing_entry: fields.ForeignKeyNullableRelation[JournalEntry] = fields.ForeignKeyField(
        "satupintu.JournalEntry", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    closing_entry_id: int | None

    class Meta:
        table = "book_year"
        unique_together = (("cooperative", "year"),)


class BookYearEvent(Model):
    # A close or a reopening of a book year: who, when and why.
    id = fields.BigIntField(primary_key=True)
    book_year: fields.ForeignKeyRelation[BookYear] = fields.ForeignKeyField(
        "satupintu.BookYear", related_name="events", on_delete=fields.RESTRICT
    )
    book_year_id: int
    action = fields.CharEnumField(BookYearAction, max_length=10)
    by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    by_id: int
    reason = fields.CharField(max_length=255, default="")
    at = Moment(auto_now_add=True)

    class Meta:
        table = "book_year_event"


class Rat(Model):
    # The Rapat Anggota Tahunan held for a closed book year, and what it decided on the SHU.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    year = fields.IntField()
    held_on = fields.DateField()
    members_present = fields.IntField()
    members_eligible = fields.IntField()
    shu_to_distribute = fields.BigIntField()
    reserve_bps = fields.IntField()
    capital_service_bps = fields.IntField()
    member_service_bps = fields.IntField()
    notes = fields.CharField(max_length=1000, default="")
    recorded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    recorded_at = Moment(auto_now_add=True)

    class Meta:
        table = "rat"
        unique_together = (("cooperative", "year"),)
