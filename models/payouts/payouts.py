"""Sellers' money: each shop's available balance and its movements (the statement), where
payouts may go, the bank accounts checked with the payout provider, and the payouts."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives import Membership
    from models.orders import Order
    from models.platform import User
    from models.shops import Shop


class SellerMovementKind(StrEnum):
    SALE = "SALE"
    PLATFORM_FEE = "PLATFORM_FEE"
    PAYOUT = "PAYOUT"
    PAYOUT_RETURNED = "PAYOUT_RETURNED"


class PayoutDestinationKind(StrEnum):
    BANK_ACCOUNT = "BANK_ACCOUNT"
    COOPERATIVE_SAVINGS = "COOPERATIVE_SAVINGS"


class PayoutStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"


class SellerBalance(Model):
    # A shop's available balance (Saldo Penjual), moved by conditional atomic updates only.
    id = fields.BigIntField(primary_key=True)
    shop: fields.OneToOneRelation[Shop] = fields.OneToOneField(
        "satupintu.Shop", related_name=False, on_delete=fields.RESTRICT
    )
    shop_id: int
    available = fields.BigIntField(default=0)

    class Meta:
        table = "seller_balance"


class BankAccountCheck(Model):
    # The payout provider's answer to an account inquiry, the caller's own until it expires.
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    user_id: int
    bank_code = fields.CharField(max_length=20)
    bank_name = fields.CharField(max_length=80)
    account_number = fields.CharField(max_length=20)
    holder_name = fields.CharField(max_length=100)
    expires_at = Moment()
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "bank_account_check"


class PayoutDestination(Model):
    # Where a shop's payouts may go: a checked bank account, or its owner's SUKARELA.
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name=False, on_delete=fields.RESTRICT
    )
    shop_id: int
    kind = fields.CharEnumField(PayoutDestinationKind, max_length=20)
    label = fields.CharField(max_length=160)
    bank_code = fields.CharField(max_length=20, null=True)
    bank_name = fields.CharField(max_length=80, null=True)
    account_number = fields.CharField(max_length=20, null=True)
    holder_name = fields.CharField(max_length=100, null=True)
    membership: fields.ForeignKeyNullableRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    membership_id: int | None
    # The account ("bank:bca:123..." or "membership:7") while not deleted; NULL once deleted,
    # so one account is added to a shop at most once at a time.
    active_key = fields.CharField(max_length=60, null=True)
    created_at = Moment(auto_now_add=True)
    deleted_at = Moment(null=True)

    class Meta:
        table = "payout_destination"
        unique_together = (("shop", "active_key"),)


class Payout(Model):
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name=False, on_delete=fields.RESTRICT
    )
    shop_id: int
    destination: fields.ForeignKeyRelation[PayoutDestination] = fields.ForeignKeyField(
        "satupintu.PayoutDestination", related_name=False, on_delete=fields.RESTRICT
    )
    destination_id: int
    amount = fields.BigIntField()
    status = fields.CharEnumField(PayoutStatus, max_length=10)
    # Ours, sent to the provider as its idempotency key.
    reference = fields.CharField(max_length=40, unique=True)
    provider_reference = fields.CharField(max_length=100, null=True)
    # The provider the transfer went to (`PAYOUTS` then): only that one is asked about it again.
    provider = fields.CharField(max_length=20, default="sandbox")
    failure_reason = fields.CharField(max_length=255, null=True)
    requested_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    requested_by_id: int
    created_at = Moment(auto_now_add=True)
    completed_at = Moment(null=True)

    class Meta:
        table = "payout"
        indexes = (("shop_id", "status"), ("status", "id"))


class SellerMovement(Model):
    # One movement of a shop's available balance, with the balance right after it.
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name=False, on_delete=fields.RESTRICT
    )
    shop_id: int
    kind = fields.CharEnumField(SellerMovementKind, max_length=20)
    amount = fields.BigIntField()  # positive into the balance, negative out of it
    balance_after = fields.BigIntField()
    description = fields.CharField(max_length=255)
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "satupintu.Order", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    order_id: int | None
    payout: fields.ForeignKeyNullableRelation[Payout] = fields.ForeignKeyField(
        "satupintu.Payout", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    payout_id: int | None
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "seller_movement"
        indexes = (("shop_id", "id"), ("shop_id", "created_at"))
