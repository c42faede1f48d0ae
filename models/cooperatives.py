"""Cooperatives (koperasi), their pengurus and members, members' savings, bills and loans."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.moments import Moment

if TYPE_CHECKING:
    from models.accounts import User
    from models.regions import Kelurahan


class CooperativeType(StrEnum):
    # The kinds of koperasi by business (UU 25/1992 and Permenkop 2015).
    SIMPAN_PINJAM = "SIMPAN_PINJAM"
    KONSUMEN = "KONSUMEN"
    PRODUSEN = "PRODUSEN"
    PEMASARAN = "PEMASARAN"
    JASA = "JASA"
    SERBA_USAHA = "SERBA_USAHA"


class MembershipStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    ENDED = "ENDED"


class SavingsKind(StrEnum):
    # Simpanan pokok (once) and wajib (monthly) are equity; sukarela is a debt to the member.
    POKOK = "POKOK"
    WAJIB = "WAJIB"
    SUKARELA = "SUKARELA"


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


class LoanStatus(StrEnum):
    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    ACTIVE = "ACTIVE"
    PAID_OFF = "PAID_OFF"


class InterestMethod(StrEnum):
    FLAT = "FLAT"
    EFEKTIF = "EFEKTIF"
    ANUITAS = "ANUITAS"


class Cooperative(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=160)
    type = fields.CharEnumField(CooperativeType, max_length=16)
    # The badan hukum number issued by the Ministry of Law (AHU-...).
    legal_number = fields.CharField(max_length=60, unique=True)
    is_digital = fields.BooleanField(default=False)
    kelurahan: fields.ForeignKeyRelation[Kelurahan] = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name="cooperatives", on_delete=fields.RESTRICT
    )
    kelurahan_id: str
    address = fields.CharField(max_length=255, default="")
    legal_date = fields.DateField(null=True)
    # Its policy: the one-time simpanan pokok and the monthly simpanan wajib, in rupiah.
    pokok_amount = fields.BigIntField(default=0)
    wajib_monthly_amount = fields.BigIntField(default=0)
    # Its loan policy: the largest principal it lends, and the denda (late fee) in basis
    # points per day past due of what is still owed, charged after the grace days.
    loan_max_principal = fields.BigIntField(default=50_000_000)
    denda_bps_per_day = fields.IntField(default=10)
    denda_grace_days = fields.IntField(default=7)
    # The highest member number given: approvals take the next one under this row's lock.
    last_member_number = fields.IntField(default=0)
    # The name's stems, space-separated and framed by spaces, for the directory's name match.
    search_name = fields.CharField(max_length=400, default="")
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "cooperative"


class CooperativeAdmin(Model):
    # A pengurus: a user who administers one cooperative.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="admins", on_delete=fields.CASCADE
    )
    cooperative_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="administered", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "cooperative_admin"
        indexes = (("user_id",),)
        unique_together = (("cooperative", "user"),)


class Membership(Model):
    # One person's membership of one cooperative; the number is given on approval.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="memberships", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="memberships", on_delete=fields.RESTRICT
    )
    user_id: int
    number = fields.IntField(null=True)
    status = fields.CharEnumField(MembershipStatus, max_length=10, default=MembershipStatus.PENDING)
    joined_at = Moment(null=True)
    # Personal data (UU PDP 27/2022): shown only to the member and the pengurus.
    nik = fields.CharField(max_length=16, null=True)
    address = fields.CharField(max_length=255, default="")
    phone = fields.CharField(max_length=16, default="")
    rejection_reason = fields.CharField(max_length=255, default="")
    ended_at = Moment(null=True)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "membership"
        # The last two: the city's grouped counts of active members and of new members.
        indexes = (
            ("user_id", "id"),
            ("cooperative_id", "status", "id"),
            ("status", "cooperative_id"),
            ("joined_at",),
        )
        unique_together = (
            ("cooperative", "user"),
            ("cooperative", "number"),
            ("cooperative", "nik"),
        )


class SavingsAccount(Model):
    # One of a membership's three savings; `balance` always equals the sum of its journal lines.
    id = fields.BigIntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="savings", on_delete=fields.RESTRICT
    )
    membership_id: int
    kind = fields.CharEnumField(SavingsKind, max_length=10)
    balance = fields.BigIntField(default=0)
    # Closed when the membership ends: nothing moves it after its payout.
    is_open = fields.BooleanField(default=True)

    class Meta:
        table = "savings_account"
        unique_together = (("membership", "kind"),)


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


class Loan(Model):
    # A member's loan (pinjaman): APPLIED -> APPROVED (rate and method fix the schedule) ->
    # ACTIVE on disbursement -> PAID_OFF; or REJECTED. At most one of a membership's loans is
    # APPLIED, APPROVED or ACTIVE at a time (resolvers.loans).
    id = fields.BigIntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="loans", on_delete=fields.RESTRICT
    )
    membership_id: int
    status = fields.CharEnumField(LoanStatus, max_length=10, default=LoanStatus.APPLIED)
    principal = fields.BigIntField()
    tenor_months = fields.IntField()
    purpose = fields.CharField(max_length=255, default="")
    method = fields.CharEnumField(InterestMethod, max_length=10, null=True)
    annual_rate_bps = fields.IntField(null=True)
    # Principal still owed.
    outstanding = fields.BigIntField(default=0)
    # The applicant lets the pengurus see their shops' sales (the capital view).
    share_shop_sales = fields.BooleanField(default=False)
    applicant: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="loans_applied", on_delete=fields.RESTRICT
    )
    applicant_id: int
    # The pengurus who approved or rejected it, and when; the reason of a rejection.
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    decided_by_id: int | None
    decided_at = Moment(null=True)
    rejection_reason = fields.CharField(max_length=255, default="")
    disbursed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    disbursed_by_id: int | None
    disbursed_at = Moment(null=True)
    paid_off_at = Moment(null=True)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "loan"
        indexes = (("membership_id", "id"), ("status", "id"))


class LoanInstallment(Model):
    # One installment of an approved loan's schedule and what has been paid on it. Written on
    # approval with due dates from the approval date, re-dated from the disbursement date.
    id = fields.BigIntField(primary_key=True)
    loan: fields.ForeignKeyRelation[Loan] = fields.ForeignKeyField(
        "satupintu.Loan", related_name="installments", on_delete=fields.RESTRICT
    )
    loan_id: int
    number = fields.IntField()
    due_date = fields.DateField()
    principal = fields.BigIntField()
    interest = fields.BigIntField()
    principal_paid = fields.BigIntField(default=0)
    interest_paid = fields.BigIntField(default=0)
    denda_paid = fields.BigIntField(default=0)
    # When the last of its principal and interest was paid (or waived by an early payoff).
    paid_at = Moment(null=True)

    class Meta:
        table = "loan_installment"
        unique_together = (("loan", "number"),)
