from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.orders import OrderStatus, PaymentMethod, PaymentStatus


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0007_search")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CartLine",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "buyer",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="buyer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cart_lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cart_lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("quantity", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "cart_line",
                "app": "satupintu",
                "unique_together": (("buyer_id", "product_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Checkout",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "buyer",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="buyer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="checkouts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("idempotency_key", fields.CharField(max_length=100)),
                ("input_digest", fields.CharField(max_length=64)),
                ("cart_digest", fields.CharField(max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "checkout",
                "app": "satupintu",
                "unique_together": (("buyer_id", "idempotency_key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Order",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "checkout",
                    fields.ForeignKeyField(
                        "satupintu.Checkout",
                        source_field="checkout_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="orders",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "buyer",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="buyer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="orders",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "shop",
                    fields.ForeignKeyField(
                        "satupintu.Shop",
                        source_field="shop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="orders",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="PENDING_PAYMENT: PENDING_PAYMENT\nPROCESSING: PROCESSING\nSHIPPED: SHIPPED\nDELIVERED: DELIVERED\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED",
                        enum_type=OrderStatus,
                        max_length=16,
                    ),
                ),
                ("total", fields.BigIntField()),
                ("recipient", fields.CharField(max_length=120)),
                ("phone", fields.CharField(max_length=16)),
                ("street", fields.CharField(max_length=255)),
                (
                    "kelurahan",
                    fields.ForeignKeyField(
                        "satupintu.Kelurahan",
                        source_field="kelurahan_id",
                        db_constraint=True,
                        to_field="code",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("tracking_number", fields.CharField(null=True, max_length=64)),
                ("cancel_reason", fields.CharField(default="", max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "order",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["buyer_id", "id"]),
                    Index(fields=["shop_id", "status", "id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrderLine",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "satupintu.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="order_lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("product_name", fields.CharField(max_length=120)),
                ("unit_price", fields.BigIntField()),
                ("quantity", fields.IntField()),
            ],
            options={"table": "order_line", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OrderStatusChange",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "satupintu.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="status_changes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "from_status",
                    fields.CharEnumField(
                        null=True,
                        description="PENDING_PAYMENT: PENDING_PAYMENT\nPROCESSING: PROCESSING\nSHIPPED: SHIPPED\nDELIVERED: DELIVERED\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED",
                        enum_type=OrderStatus,
                        max_length=16,
                    ),
                ),
                (
                    "to_status",
                    fields.CharEnumField(
                        description="PENDING_PAYMENT: PENDING_PAYMENT\nPROCESSING: PROCESSING\nSHIPPED: SHIPPED\nDELIVERED: DELIVERED\nCOMPLETED: COMPLETED\nCANCELLED: CANCELLED",
                        enum_type=OrderStatus,
                        max_length=16,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reason", fields.CharField(default="", max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "order_status_change", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Payment",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "order",
                    fields.OneToOneField(
                        "satupintu.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="payment",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "method",
                    fields.CharEnumField(
                        description="COD: COD\nBANK_TRANSFER: BANK_TRANSFER\nQRIS: QRIS\nCOOPERATIVE_BALANCE: COOPERATIVE_BALANCE",
                        enum_type=PaymentMethod,
                        max_length=20,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=PaymentStatus.PENDING,
                        description="PENDING: PENDING\nPAID: PAID\nEXPIRED: EXPIRED\nCANCELLED: CANCELLED\nREFUNDED: REFUNDED",
                        enum_type=PaymentStatus,
                        max_length=10,
                    ),
                ),
                ("amount", fields.BigIntField()),
                ("reference", fields.CharField(unique=True, max_length=40)),
                ("instructions", fields.TextField(null=True, unique=False)),
                ("qris_payload", fields.TextField(null=True, unique=False)),
                (
                    "expires_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "payment", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PaymentNotification",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("notification_id", fields.CharField(unique=True, max_length=100)),
                (
                    "payment",
                    fields.ForeignKeyField(
                        "satupintu.Payment",
                        source_field="payment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "payment_notification", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
