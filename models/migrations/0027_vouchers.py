"""Shop vouchers: the vouchers, the products each is limited to and the uses buyers took; an
order's discount and voucher code (orders placed before it had neither: Rp0, none)."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.orders.voucher import VoucherKind


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0026_shipping")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Voucher",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "shop",
                    fields.ForeignKeyField(
                        "satupintu.Shop",
                        source_field="shop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="vouchers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("code", fields.CharField(max_length=20)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="FIXED: FIXED\nPERCENT: PERCENT",
                        enum_type=VoucherKind,
                        max_length=8,
                    ),
                ),
                ("amount", fields.BigIntField(default=0)),
                ("percent", fields.IntField(null=True)),
                ("max_discount", fields.BigIntField(null=True)),
                ("min_spend", fields.BigIntField(default=0)),
                ("starts_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("ends_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("quota", fields.IntField()),
                ("used", fields.IntField(default=0)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "voucher",
                "app": "satupintu",
                "unique_together": (("shop_id", "code"),),
                "indexes": [Index(fields=["shop_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="VoucherProduct",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "voucher",
                    fields.ForeignKeyField(
                        "satupintu.Voucher",
                        source_field="voucher_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="product_links",
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
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "voucher_product",
                "app": "satupintu",
                "unique_together": (("voucher_id", "product_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="VoucherUse",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "voucher",
                    fields.ForeignKeyField(
                        "satupintu.Voucher",
                        source_field="voucher_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="uses",
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
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "order",
                    fields.OneToOneField(
                        "satupintu.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="voucher_use",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "voucher_use",
                "app": "satupintu",
                "unique_together": (("voucher_id", "buyer_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Order",
            name="discount",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Order",
            name="voucher_code",
            field=fields.CharField(null=True, max_length=20),
        ),
    ]
