"""Simpanan berjangka (time deposits): each cooperative's products and its members' deposits.

A deposit is the cooperative's debt to the member on the control account "Simpanan
Berjangka"; these rows are that account's sub-ledger: the account's balance is the principal
of every ACTIVE deposit plus the net interest kept on AT_MATURITY ones."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives.cooperative import Cooperative, Membership


class TimeDepositInterestPayout(StrEnum):
    MONTHLY = "MONTHLY"
    AT_MATURITY = "AT_MATURITY"


class TimeDepositMaturity(StrEnum):
    ROLL_OVER = "ROLL_OVER"
    PAY_OUT = "PAY_OUT"


class TimeDepositStatus(StrEnum):
    ACTIVE = "ACTIVE"
    WITHDRAWN_EARLY = "WITHDRAWN_EARLY"
    PAID_OUT = "PAID_OUT"
    ROLLED_OVER = "ROLLED_OVER"


class TimeDepositProduct(Model):
    # A cooperative's product; its terms never change once created.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    name = fields.CharField(max_length=80)
    term_months = fields.IntField()
    annual_rate_bps = fields.IntField()
    minimum = fields.BigIntField()
    early_withdrawal_penalty_bps = fields.IntField()
    interest_payout = fields.CharEnumField(TimeDepositInterestPayout, max_length=12)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "time_deposit_product"
        indexes = (("cooperative_id", "term_months"),)


class TimeDeposit(Model):
    # One member's deposit, with the product's terms of the day it opened.
    id = fields.BigIntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    membership_id: int
    product: fields.ForeignKeyRelation[TimeDepositProduct] = fields.ForeignKeyField(
        "satupintu.TimeDepositProduct", related_name=False, on_delete=fields.RESTRICT
    )
    product_id: int
    principal = fields.BigIntField()
    term_months = fields.IntField()
    annual_rate_bps = fields.IntField()
    early_withdrawal_penalty_bps = fields.IntField()
    interest_payout = fields.CharEnumField(TimeDepositInterestPayout, max_length=12)
    maturity_instruction = fields.CharEnumField(TimeDepositMaturity, max_length=10)
    status = fields.CharEnumField(
        TimeDepositStatus, max_length=16, default=TimeDepositStatus.ACTIVE
    )
    start_date = fields.DateField()
    maturity_date = fields.DateField()
    # Anniversaries whose interest is booked: the daily run books month n + 1 only by a
    # conditional update from n, so two runs never book one month twice.
    months_accrued = fields.IntField(default=0)
    # Gross interest booked and not yet paid (AT_MATURITY), and its net after the tax.
    accrued_interest = fields.BigIntField(default=0)
    accrued_net = fields.BigIntField(default=0)
    accrued_tax = fields.BigIntField(default=0)
    interest_paid = fields.BigIntField(default=0)  # net, credited to SUKARELA
    tax_withheld = fields.BigIntField(default=0)
    closing_amount = fields.BigIntField(null=True)
    rolled_over_to: fields.ForeignKeyNullableRelation[TimeDeposit] = fields.ForeignKeyField(
        "satupintu.TimeDeposit", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    rolled_over_to_id: int | None
    opened_at = Moment(auto_now_add=True)
    closed_at = Moment(null=True)

    class Meta:
        table = "time_deposit"
        indexes = (("membership_id", "status", "id"), ("status", "start_date"))
