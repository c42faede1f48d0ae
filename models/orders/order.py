"""Carts, checkouts, orders and their status history."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.orders.shipping import ShippingKind
from models.platform import Moment

if TYPE_CHECKING:
    from models.catalog import Product, ProductVariant
    from models.platform import Kelurahan, User
    from models.shops import Shop


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "PENDING_PAYMENT"
    PROCESSING = "PROCESSING"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class CartLine(Model):
    # A buyer's cart is the set of their lines: it needs no row of its own.
    id = fields.BigIntField(primary_key=True)
    buyer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="cart_lines", on_delete=fields.CASCADE
    )
    buyer_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name="cart_lines", on_delete=fields.CASCADE
    )
    product_id: int
    # Null only in a database not yet migrated by 0028, which gives every line its variant.
    variant: fields.ForeignKeyNullableRelation[ProductVariant] = fields.ForeignKeyField(
        "satupintu.ProductVariant", related_name=False, null=True, on_delete=fields.CASCADE
    )
    variant_id: int | None
    quantity = fields.IntField()
    # The unit price the buyer saw and took: when the line was added (or added again) or
    # when they confirmed a changed price. A price risen above it refuses the checkout until
    # the buyer confirms; 0 (a line written without one) is never enough.
    unit_price = fields.BigIntField(db_default=0)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "cart_line"
        unique_together = (("buyer_id", "variant_id"),)


class Checkout(Model):
    # One checkout request: its idempotency key and what it was asked with, so that a
    # repeated key can be answered with the same orders.
    id = fields.BigIntField(primary_key=True)
    buyer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="checkouts", on_delete=fields.RESTRICT
    )
    buyer_id: int
    idempotency_key = fields.CharField(max_length=100)
    # SHA-256 of the input, and of the cart lines it took.
    input_digest = fields.CharField(max_length=64)
    cart_digest = fields.CharField(max_length=64)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "checkout"
        unique_together = (("buyer_id", "idempotency_key"),)


class Order(Model):
    id = fields.BigIntField(primary_key=True)
    checkout: fields.ForeignKeyRelation[Checkout] = fields.ForeignKeyField(
        "satupintu.Checkout", related_name="orders", on_delete=fields.RESTRICT
    )
    checkout_id: int
    buyer: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="orders", on_delete=fields.RESTRICT
    )
    buyer_id: int
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name="orders", on_delete=fields.RESTRICT
    )
    shop_id: int
    status = fields.CharEnumField(OrderStatus, max_length=16)
    # subtotal (the goods at checkout prices) + shipping_fee - discount: what the buyer pays.
    total = fields.BigIntField()
    shipping_fee = fields.BigIntField(db_default=0)
    # The shipping method chosen, as the buyer saw it; null for an order without one.
    shipping_kind = fields.CharEnumField(ShippingKind, max_length=16, null=True)
    shipping_name = fields.CharField(max_length=120, null=True)
    # COURIER: the provider's courier and service codes, e.g. "jne/reg".
    shipping_service = fields.CharField(max_length=64, null=True)
    # The shop voucher's discount on the goods, and its code as the buyer used it (upper-case).
    discount = fields.BigIntField(default=0, db_default=0)
    voucher_code = fields.CharField(max_length=20, null=True)
    recipient = fields.CharField(max_length=120)
    phone = fields.CharField(max_length=16)
    street = fields.CharField(max_length=255)
    kelurahan: fields.ForeignKeyRelation[Kelurahan] = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name=False, on_delete=fields.RESTRICT
    )
    kelurahan_id: str
    tracking_number = fields.CharField(max_length=64, null=True)
    cancel_reason = fields.CharField(max_length=255, default="")
    delivered_at = Moment(null=True)
    # When a DELIVERED order completes by itself unless a complaint is open: set on delivery,
    # pushed later when a complaint is rejected (the buyer's time to escalate).
    auto_complete_at = Moment(null=True, db_index=True)
    created_at = Moment(auto_now_add=True)
    updated_at = Moment(auto_now=True)

    class Meta:
        table = "order"
        indexes = (("buyer_id", "id"), ("shop_id", "status", "id"))


class OrderLine(Model):
    # Name and price as they were at checkout: later changes to the product do not reach here.
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "satupintu.Order", related_name="lines", on_delete=fields.CASCADE
    )
    order_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "satupintu.Product", related_name="order_lines", on_delete=fields.RESTRICT
    )
    product_id: int
    # Null only in a database not yet migrated by 0028, which gives every line its variant.
    variant: fields.ForeignKeyNullableRelation[ProductVariant] = fields.ForeignKeyField(
        "satupintu.ProductVariant", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    variant_id: int | None
    product_name = fields.CharField(max_length=120)
    # The variant's SKU and name at checkout; null for a product's default variant.
    sku = fields.CharField(max_length=64, null=True)
    variant_name = fields.CharField(max_length=120, null=True)
    unit_price = fields.BigIntField()
    quantity = fields.IntField()

    class Meta:
        table = "order_line"
        indexes = (("order_id", "id"),)


class OrderStatusChange(Model):
    # Every status an order took, who set it (null: the system) and when.
    id = fields.BigIntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "satupintu.Order", related_name="status_changes", on_delete=fields.CASCADE
    )
    order_id: int
    from_status = fields.CharEnumField(OrderStatus, max_length=16, null=True)
    to_status = fields.CharEnumField(OrderStatus, max_length=16)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    actor_id: int | None
    reason = fields.CharField(max_length=255, default="")
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "order_status_change"
        indexes = (("order_id", "id"),)
