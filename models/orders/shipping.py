"""A shop's shipping methods: one per kind, with the own courier's fee per kecamatan."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.platform import Kecamatan
    from models.shops import Shop


class ShippingKind(StrEnum):
    PICKUP = "PICKUP"
    SHOP_COURIER = "SHOP_COURIER"
    COURIER = "COURIER"


class ShippingMethod(Model):
    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name="shipping_methods", on_delete=fields.CASCADE
    )
    shop_id: int
    kind = fields.CharEnumField(ShippingKind, max_length=16)
    name = fields.CharField(max_length=120)
    is_active = fields.BooleanField(default=True)
    # PICKUP: when the buyer may come, as the seller writes it.
    opening_hours = fields.CharField(max_length=255, default="")
    # SHOP_COURIER: free from this subtotal of the shop's goods on; null: never free.
    free_shipping_minimum = fields.BigIntField(null=True)
    # COURIER: the rate provider's courier codes, comma-separated, e.g. "jne,sicepat".
    couriers = fields.CharField(max_length=255, default="")
    updated_at = Moment(auto_now=True)

    class Meta:
        table = "shipping_method"
        unique_together = (("shop_id", "kind"),)


class ShippingFee(Model):
    # The shop's own courier's fee to one kecamatan; a kecamatan without a row is not served.
    id = fields.BigIntField(primary_key=True)
    method: fields.ForeignKeyRelation[ShippingMethod] = fields.ForeignKeyField(
        "satupintu.ShippingMethod", related_name="fees", on_delete=fields.CASCADE
    )
    method_id: int
    kecamatan: fields.ForeignKeyRelation[Kecamatan] = fields.ForeignKeyField(
        "satupintu.Kecamatan", related_name=False, on_delete=fields.RESTRICT
    )
    kecamatan_id: str
    fee = fields.BigIntField()

    class Meta:
        table = "shipping_fee"
        unique_together = (("method_id", "kecamatan_id"),)
