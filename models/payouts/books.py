"""The platform's own double-entry books: its journal (append-only) on a chart kept in code
(`resolvers.payouts.chart`), with a sub-ledger per cooperative on the clearing accounts, and
the settlements that clear them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives import Cooperative
    from models.orders import Order
    from models.payouts.payouts import Payout
    from models.platform import User


class PlatformEntryKind(StrEnum):
    ORDER_PAID = "ORDER_PAID"
    ORDER_REFUND = "ORDER_REFUND"
    ORDER_COMPLETED = "ORDER_COMPLETED"
    PAYOUT_REQUESTED = "PAYOUT_REQUESTED"
    PAYOUT_COMPLETED = "PAYOUT_COMPLETED"
    PAYOUT_RETURNED = "PAYOUT_RETURNED"
    SAVINGS_PAYOUT = "SAVINGS_PAYOUT"
    SETTLEMENT = "SETTLEMENT"


class SettlementDirection(StrEnum):
    COOPERATIVE_TO_PLATFORM = "COOPERATIVE_TO_PLATFORM"
    PLATFORM_TO_COOPERATIVE = "PLATFORM_TO_COOPERATIVE"


class CooperativeSettlement(Model):
    # A real bank transfer between a cooperative and the platform, recorded in both books.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    direction = fields.CharEnumField(SettlementDirection, max_length=30)
    amount = fields.BigIntField()
    transfer_reference = fields.CharField(max_length=100)
    date = fields.DateField()
    recorded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "cooperative_settlement"
        unique_together = (("cooperative", "transfer_reference"),)


class PlatformEntry(Model):
    # One balanced movement of the platform's books; never edited.
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharEnumField(PlatformEntryKind, max_length=20)
    description = fields.CharField(max_length=255)
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "satupintu.Order", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    order_id: int | None
    payout: fields.ForeignKeyNullableRelation[Payout] = fields.ForeignKeyField(
        "satupintu.Payout", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    payout_id: int | None
    settlement: fields.ForeignKeyNullableRelation[CooperativeSettlement] = fields.ForeignKeyField(
        "satupintu.CooperativeSettlement",
        related_name=False,
        null=True,
        on_delete=fields.RESTRICT,
    )
    settlement_id: int | None
    date = fields.DateField()  # the business day it records (Asia/Jakarta)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "platform_entry"
        indexes = (("order_id",), ("payout_id",))


class PlatformLine(Model):
    # A debit or a credit on an account of the platform's chart; lines on the clearing
    # accounts name their cooperative (the sub-ledger).
    id = fields.BigIntField(primary_key=True)
    entry: fields.ForeignKeyRelation[PlatformEntry] = fields.ForeignKeyField(
        "satupintu.PlatformEntry", related_name="lines", on_delete=fields.RESTRICT
    )
    entry_id: int
    account = fields.CharField(max_length=10)
    debit = fields.BigIntField(default=0)
    credit = fields.BigIntField(default=0)
    cooperative: fields.ForeignKeyNullableRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    cooperative_id: int | None

    class Meta:
        table = "platform_line"
        indexes = (("account", "cooperative_id"), ("entry_id",))
