"""Members' loans (pinjaman) and their installments."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives import Cooperative, JournalEntry, Membership
    from models.platform import User


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
    # Written off against the allowance: still the member's debt, kept for collection.
    written_off_at = Moment(null=True)
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


class LoanLossAllowance(Model):
    # A month's allowance for bad loans (penyisihan piutang) as last posted: what it required
    # and what its postings moved in all; a period with a row counts as posted (also at Rp0).
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="allowances", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    period = fields.CharField(max_length=7)
    required = fields.BigIntField(default=0)
    posted = fields.BigIntField(default=0)
    posted_at = Moment(auto_now=True)

    class Meta:
        table = "loan_loss_allowance"
        unique_together = (("cooperative", "period"),)


class LoanGroup(Model):
    # A tanggung renteng group: 3 to 10 members of one cooperative, formed by its pengurus,
    # who agree to each other's loans and may pay each other's arrears.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    name = fields.CharField(max_length=80)
    # Days an installment may be past due before the group is blocked.
    grace_days = fields.IntField()
    created_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    created_by_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "loan_group"
        indexes = (("cooperative_id", "id"),)


class LoanGroupMember(Model):
    # A membership's place in its group; a membership is in one group at most.
    id = fields.BigIntField(primary_key=True)
    group: fields.ForeignKeyRelation[LoanGroup] = fields.ForeignKeyField(
        "satupintu.LoanGroup", related_name="members", on_delete=fields.RESTRICT
    )
    group_id: int
    membership: fields.OneToOneRelation[Membership] = fields.OneToOneField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    membership_id: int

    class Meta:
        table = "loan_group_member"


class GroupLoanApproval(Model):
    # A group member's agreement to another member's APPLIED loan; once per member and loan.
    id = fields.BigIntField(primary_key=True)
    loan: fields.ForeignKeyRelation[Loan] = fields.ForeignKeyField(
        "satupintu.Loan", related_name=False, on_delete=fields.RESTRICT
    )
    loan_id: int
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    membership_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "group_loan_approval"
        unique_together = (("loan", "membership"),)


class GroupDebt(Model):
    # The sub-ledger of Piutang Antar Anggota: what one contribution paid of the debtor's
    # installments, owed by the debtor to the payer (the creditor); the entry that moved it.
    id = fields.BigIntField(primary_key=True)
    group: fields.ForeignKeyRelation[LoanGroup] = fields.ForeignKeyField(
        "satupintu.LoanGroup", related_name=False, on_delete=fields.RESTRICT
    )
    group_id: int
    debtor: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    debtor_id: int
    creditor: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    creditor_id: int
    amount = fields.BigIntField()
    entry: fields.ForeignKeyRelation[JournalEntry] = fields.ForeignKeyField(
        "satupintu.JournalEntry", related_name=False, on_delete=fields.RESTRICT
    )
    entry_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "group_debt"
        indexes = (("debtor_id", "creditor_id"), ("creditor_id", "debtor_id"))
