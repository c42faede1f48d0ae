"""Shop vouchers, the products a voucher is limited to, and the uses buyers took."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.catalog import Product
    from models.orders.order import Order
    from models.platform import User
    from models.shops import Shop


class VoucherKind(StrEnum):
    FIXED = "FIXED"
    PERCENT = "PERCENT"


class Voucher(Model):
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name="vouchers", on_delete=fields.CASCADE
    )
    shop_id: int
    # Upper-case, so that the unique pair below matches codes case-insensitively.
    code = fields.CharField(max_length=20)
    kind = fields.CharEnumField(VoucherKind, max_length=8)
    # FIXED: the rupiah off; 0 for PERCENT.
    amount = fields.BigIntField(default=0)
    percent = fields.IntField(null=True)
    max_discount = fields.BigIntField(null=True)
    # On the eligible goods: the listed products, or the whole shop when none are listed.
    min_spend = fields.BigIntField(default=0)
    starts_at = Moment()
    ends_at = Moment()
    quota = fields.IntField()
    # Uses taken and not given back; never above quota (conditional updates only).
    used = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "voucher"
        unique_together = (("shop_id", "code"),)
        indexes = (("shop_id", "id"),)


class VoucherProduct(Model):
    # A product the voucher is limited to; a voucher without rows is for the whole shop.
    id = fields.BigIntField(primary_key=True)
    voucher: fields.ForeignKeyRelation[Voucher] = fields.ForeignKeyField(
        "satupintu.Voucher", related_name="product_links", on_delete=fields.CASCADE
    )
    voucher_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name=False, on_delete=fields.CASCADE
    )
    product_id: int

    class Meta:
        table = "voucher_product"
        unique_together = (("voucher_id", "product_id"),)


class VoucherUse(Model):
    # One buyer's use of a voucher, by one order; deleted when the use is given back.
    id = fields.BigIntField(primary_key=True)
    voucher: fields.ForeignKeyRelation[Voucher] = fields.ForeignKeyField(
        "satupintu.Voucher", related_name="uses", on_delete=fields.RESTRICT
    )
    voucher_id: int
    buyer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    buyer_id: int
    order: fields.OneToOneRelation[Order] = fields.OneToOneField(
        "satupintu.Order", related_name="voucher_use", on_delete=fields.CASCADE
    )
    order_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "voucher_use"
        unique_together = (("voucher_id", "buyer_id"),)
