"""Bills: what members owe their cooperative, outside bills (PPOB), and their receipts."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives import Cooperative, Membership
    from models.loans import LoanInstallment
    from models.platform import User


class BillKind(StrEnum):
    SIMPANAN_POKOK = "SIMPANAN_POKOK"
    SIMPANAN_WAJIB = "SIMPANAN_WAJIB"
    LOAN_INSTALLMENT = "LOAN_INSTALLMENT"
    PLN_TOKEN = "PLN_TOKEN"
    PLN_POSTPAID = "PLN_POSTPAID"
    PDAM = "PDAM"
    BPJS = "BPJS"


# Bills paid on to a biller outside the cooperative (PPOB), not into its own books.
OUTSIDE_BILL_KINDS = frozenset(
    [BillKind.PLN_POSTPAID, BillKind.PLN_TOKEN, BillKind.PDAM, BillKind.BPJS]
)


class BillStatus(StrEnum):
    UNPAID = "UNPAID"
    # An outside bill debited and sent to its biller, which has not answered PAID yet.
    PENDING = "PENDING"
    PAID = "PAID"
    # An outside bill its biller refused after the debit: the money went back.
    REFUNDED = "REFUNDED"


class PaymentSource(StrEnum):
    SUKARELA = "SUKARELA"
    QRIS = "QRIS"
    BANK_TRANSFER = "BANK_TRANSFER"


class ReceiptStatus(StrEnum):
    # QRIS or bank transfer asked for, not yet confirmed by the provider's webhook.
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    PAID = "PAID"
    # Confirmed, but a bill was no longer payable by then: the whole amount went back.
    REFUNDED = "REFUNDED"


class Bill(Model):
    # Something a user owes: their cooperative's simpanan or loan installments, or an outside bill.
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="bills", on_delete=fields.RESTRICT
    )
    user_id: int
    membership: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="bills", null=True, on_delete=fields.RESTRICT
    )
    membership_id: int | None
    kind = fields.CharEnumField(BillKind, max_length=16)
    # YYYY-MM for monthly bills, "" for once-only ones: a bill is issued once per period.
    period = fields.CharField(max_length=7, default="")
    description = fields.CharField(max_length=255)
    amount = fields.BigIntField()
    due_date = fields.DateField()
    status = fields.CharEnumField(BillStatus, max_length=8, default=BillStatus.UNPAID)
    paid_at = Moment(null=True)
    # A LOAN_INSTALLMENT bill names the installment it bills.
    installment: fields.ForeignKeyNullableRelation[LoanInstallment] = fields.ForeignKeyField(
        "satupintu.LoanInstallment", related_name="bills", null=True, on_delete=fields.RESTRICT
    )
    installment_id: int | None
    created_at = Moment(auto_now_add=True)
    # Outside bills: what the biller's inquiry found, payable until `expires_at`.
    customer_number = fields.CharField(max_length=20, default="")
    customer_name = fields.CharField(max_length=120, default="")
    admin_fee = fields.BigIntField(default=0)
    expires_at = Moment(null=True)
    inquiry_id = fields.CharField(max_length=64, default="")
    # Once paid: the receipt that paid it, the cooperative whose books hold the payment,
    # and what the biller answered (its transaction id; a PLN token and its kWh).
    receipt: fields.ForeignKeyNullableRelation[BillReceipt] = fields.ForeignKeyField(
        "satupintu.BillReceipt", related_name="bills", null=True, on_delete=fields.RESTRICT
    )
    receipt_id: int | None
    cooperative: fields.ForeignKeyNullableRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="bills", null=True, on_delete=fields.RESTRICT
    )
    cooperative_id: int | None
    biller_reference = fields.CharField(max_length=64, default="")
    token = fields.CharField(max_length=32, default="")
    kwh = fields.DecimalField(max_digits=10, decimal_places=2, null=True)
    biller_message = fields.CharField(max_length=255, default="")

    class Meta:
        table = "bill"
        indexes = (
            ("user_id", "status", "id"),
            ("membership_id", "status", "id"),
            ("status", "receipt_id"),
        )
        unique_together = (("membership", "kind", "period"),)


class BillReceipt(Model):
    # One PayBills request: the bills it pays, all at once, once per idempotency key.
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="bill_receipts", on_delete=fields.RESTRICT
    )
    user_id: int
    source = fields.CharEnumField(PaymentSource, max_length=16)
    # The membership whose SUKARELA pays, or through whose cooperative outside bills are paid.
    membership: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="bill_receipts", null=True, on_delete=fields.RESTRICT
    )
    membership_id: int | None
    idempotency_key = fields.CharField(max_length=100)
    # SHA-256 of the request: the same key with other bills is another request.
    input_digest = fields.CharField(max_length=64)
    total = fields.BigIntField()
    status = fields.CharEnumField(ReceiptStatus, max_length=16)
    paid_at = Moment(null=True)
    # QRIS and bank transfer: our reference at the payment provider, what it tells the payer,
    # until when, and the provider's notification that confirmed it.
    reference = fields.CharField(max_length=40, null=True, unique=True)
    instructions = fields.TextField(null=True)
    qris_payload = fields.TextField(null=True)
    expires_at = Moment(null=True)
    notification_id = fields.CharField(max_length=100, null=True, unique=True)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "bill_receipt"
        unique_together = (("user_id", "idempotency_key"),)


class BillReceiptLine(Model):
    # A bill a receipt pays, in the order asked.
    id = fields.BigIntField(primary_key=True)
    receipt: fields.ForeignKeyRelation[BillReceipt] = fields.ForeignKeyField(
        "satupintu.BillReceipt", related_name="lines", on_delete=fields.RESTRICT
    )
    receipt_id: int
    # A cooperative's unpaid bills go when the membership ends, and with them their lines of
    # receipts still awaiting QRIS or transfer (which then refund their whole payment).
    bill: fields.ForeignKeyRelation[Bill] = fields.ForeignKeyField(
        "satupintu.Bill", related_name="receipt_lines", on_delete=fields.CASCADE
    )
    bill_id: int

    class Meta:
        table = "bill_receipt_line"
        unique_together = (("receipt", "bill"),)


class StandingInstructionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    CANCELLED = "CANCELLED"


class StandingInstruction(Model):
    # A member's authorisation to pay their bills of `kinds` from SUKARELA on their due dates.
    id = fields.BigIntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    membership_id: int
    # BillKind values, in BillKind's order, each once.
    kinds: fields.JSONField[list[str]] = fields.JSONField()
    status = fields.CharEnumField(
        StandingInstructionStatus, max_length=9, default=StandingInstructionStatus.ACTIVE
    )
    # The membership while the instruction is not CANCELLED, NULL after: one live instruction
    # per membership, also when two are created at once.
    live_membership_id = fields.BigIntField(null=True, unique=True)
    created_at = Moment(auto_now_add=True)
    paused_at = Moment(null=True)
    cancelled_at = Moment(null=True)

    class Meta:
        table = "standing_instruction"
        indexes = (("membership_id", "id"), ("status", "membership_id"))


class AutoDebitOutcome(StrEnum):
    PAID = "PAID"
    UNPAID = "UNPAID"


class AutoDebitAttempt(Model):
    # What an auto-debit run did with a bill for a date: each outcome once per bill and date,
    # whatever the number of runs (the member is told of each once).
    id = fields.BigIntField(primary_key=True)
    # A bill goes with its ended membership, and its attempts with it.
    bill: fields.ForeignKeyRelation[Bill] = fields.ForeignKeyField(
        "satupintu.Bill", related_name=False, on_delete=fields.CASCADE
    )
    bill_id: int
    instruction: fields.ForeignKeyRelation[StandingInstruction] = fields.ForeignKeyField(
        "satupintu.StandingInstruction", related_name=False, on_delete=fields.RESTRICT
    )
    instruction_id: int
    date = fields.DateField()
    outcome = fields.CharEnumField(AutoDebitOutcome, max_length=6)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "auto_debit_attempt"
        unique_together = (("bill", "date", "outcome"),)
