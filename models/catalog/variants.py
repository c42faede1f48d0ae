"""A product's options (Ukuran, Warna, ...) and its variants: what is actually sold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.catalog.product import Image, Product
    from models.shops import Shop


class ProductOption(Model):
    # One of a product's (at most 3) options, with its distinct values in the seller's order.
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name="options", on_delete=fields.CASCADE
    )
    product_id: int
    position = fields.IntField()
    name = fields.CharField(max_length=40)
    values: fields.JSONField[list[str]] = fields.JSONField()

    class Meta:
        table = "product_option"
        unique_together = (("product_id", "position"),)


class ProductVariant(Model):
    # What a cart line and an order line hold. A product without options has exactly one,
    # its default variant (`is_default`, no SKU, no values), which stops being sold (inactive)
    # when the product gets options. The product row keeps the figures of its active variants
    # (lowest price, summed stock) in the transaction of every change, for search and cards.
    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name="variants", on_delete=fields.CASCADE
    )
    product_id: int
    # The product's shop, so that a SKU is unique within the shop by a constraint.
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name=False, on_delete=fields.RESTRICT
    )
    shop_id: int
    sku = fields.CharField(max_length=64, null=True)
    name = fields.CharField(max_length=120, default="")
    # Its value of each of the product's options, by option name; {} for the default variant.
    option_values: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    price = fields.BigIntField()
    stock = fields.IntField(default=0)
    weight_grams = fields.IntField(default=0)
    image: fields.ForeignKeyNullableRelation[Image] = fields.ForeignKeyField(
        "satupintu.Image", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    image_id: int | None
    is_active = fields.BooleanField(default=True)
    is_default = fields.BooleanField(default=False)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "product_variant"
        unique_together = (("shop_id", "sku"),)
        indexes = (("product_id", "id"),)
