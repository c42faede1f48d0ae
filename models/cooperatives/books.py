"""Each cooperative's double-entry books: its chart of accounts and its journal (append-only)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.cooperatives.cooperative import SavingsKind
from models.platform import Moment

if TYPE_CHECKING:
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
    # The cooperative's own movements: a top-up of its biller deposit paid from Kas, the
    # month's allowance for bad loans, and a loan written off against it.
    CASH_PAYMENT = "CASH_PAYMENT"
    ALLOWANCE = "ALLOWANCE"
    WRITE_OFF = "WRITE_OFF"


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

    class Meta:
        table = "ledger_account"
        unique_together = (("cooperative", "code"),)


class JournalEntry(Model):
    # One balanced movement; never edited: a mistake is reversed by another entry.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="journal_entries", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    kind = fields.CharEnumField(EntryKind, max_length=20)
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
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "journal_entry"
        indexes = (("cooperative_id", "id"), ("order_id",), ("membership_id", "kind"))


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

    class Meta:
        table = "journal_line"
        indexes = (("membership_id", "id"), ("account_id",), ("entry_id",))
