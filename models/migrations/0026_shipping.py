"""Shops' shipping methods (one per kind) with the own courier's fee per kecamatan, and each
order's shipping fee and chosen method. Orders placed before it had no shipping: their fee is 0,
their total stays what the goods cost."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.orders.shipping import ShippingKind


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0025_test_clock")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ShippingMethod",
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
                        related_name="shipping_methods",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PICKUP: PICKUP\nSHOP_COURIER: SHOP_COURIER\nCOURIER: COURIER",
                        enum_type=ShippingKind,
                        max_length=16,
                    ),
                ),
                ("name", fields.CharField(max_length=120)),
                ("is_active", fields.BooleanField(default=True)),
                ("opening_hours", fields.CharField(default="", max_length=255)),
                ("free_shipping_minimum", fields.BigIntField(null=True)),
                ("couriers", fields.CharField(default="", max_length=255)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "shipping_method",
                "app": "satupintu",
                "unique_together": (("shop_id", "kind"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShippingFee",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "method",
                    fields.ForeignKeyField(
                        "satupintu.ShippingMethod",
                        source_field="method_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="fees",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kecamatan",
                    fields.ForeignKeyField(
                        "satupintu.Kecamatan",
                        source_field="kecamatan_id",
                        db_constraint=True,
                        to_field="code",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("fee", fields.BigIntField()),
            ],
            options={
                "table": "shipping_fee",
                "app": "satupintu",
                "unique_together": (("method_id", "kecamatan_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_fee",
            field=fields.BigIntField(db_default=0),
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_kind",
            field=fields.CharEnumField(
                null=True,
                description="PICKUP: PICKUP\nSHOP_COURIER: SHOP_COURIER\nCOURIER: COURIER",
                enum_type=ShippingKind,
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_name",
            field=fields.CharField(null=True, max_length=120),
        ),
        ops.AddField(
            model_name="Order",
            name="shipping_service",
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
