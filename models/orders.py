"""Carts, checkouts, orders and their status history."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


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
    buyer = fields.ForeignKeyField(
        "satupintu.User", related_name="cart_lines", on_delete=fields.CASCADE
    )
    product = fields.ForeignKeyField(
        "satupintu.Product", related_name="cart_lines", on_delete=fields.CASCADE
    )
    quantity = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cart_line"
        unique_together = (("buyer_id", "product_id"),)


class Checkout(Model):
    # One checkout request: its idempotency key and what it was asked with, so that a
    # repeated key can be answered with the same orders.
    id = fields.BigIntField(primary_key=True)
    buyer = fields.ForeignKeyField(
        "satupintu.User", related_name="checkouts", on_delete=fields.RESTRICT
    )
    idempotency_key = fields.CharField(max_length=100)
    # SHA-256 of the input, and of the cart lines it took.
    input_digest = fields.CharField(max_length=64)
    cart_digest = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "checkout"
        unique_together = (("buyer_id", "idempotency_key"),)


class Order(Model):
    id = fields.BigIntField(primary_key=True)
    checkout = fields.ForeignKeyField(
        "satupintu.Checkout", related_name="orders", on_delete=fields.RESTRICT
    )
    buyer = fields.ForeignKeyField(
        "satupintu.User", related_name="orders", on_delete=fields.RESTRICT
    )
    shop = fields.ForeignKeyField(
        "satupintu.Shop", related_name="orders", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(OrderStatus, max_length=16)
    total = fields.BigIntField()
    recipient = fields.CharField(max_length=120)
    phone = fields.CharField(max_length=16)
    street = fields.CharField(max_length=255)
    kelurahan = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name=False, on_delete=fields.RESTRICT
    )
    tracking_number = fields.CharField(max_length=64, null=True)
    cancel_reason = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "order"
        indexes = (("buyer_id", "id"), ("shop_id", "status", "id"))


class OrderLine(Model):
    # Name and price as they were at checkout: later changes to the product do not reach here.
    id = fields.BigIntField(primary_key=True)
    order = fields.ForeignKeyField(
        "satupintu.Order", related_name="lines", on_delete=fields.CASCADE
    )
    product = fields.ForeignKeyField(
        "satupintu.Product", related_name="order_lines", on_delete=fields.RESTRICT
    )
    product_name = fields.CharField(max_length=120)
    unit_price = fields.BigIntField()
    quantity = fields.IntField()

    class Meta:
        table = "order_line"
        indexes = (("order_id", "id"),)


class OrderStatusChange(Model):
    # Every status an order took, who set it (null: the system) and when.
    id = fields.BigIntField(primary_key=True)
    order = fields.ForeignKeyField(
        "satupintu.Order", related_name="status_changes", on_delete=fields.CASCADE
    )
    from_status = fields.CharEnumField(OrderStatus, max_length=16, null=True)
    to_status = fields.CharEnumField(OrderStatus, max_length=16)
    actor = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    reason = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "order_status_change"
        indexes = (("order_id", "id"),)
