"""Money exactly once and as seen: `idempotent_request` keeps the money-moving requests by
their callers' keys; a cart line remembers the unit price its buyer took."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0020_category_count_options")]

    initial = False

    operations = [
        ops.CreateModel(
            name="IdempotentRequest",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="idempotent_requests",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("key", fields.CharField(max_length=100)),
                ("digest", fields.CharField(max_length=64)),
                (
                    "result",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "idempotent_request",
                "app": "satupintu",
                "unique_together": (("user_id", "key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="CartLine",
            name="unit_price",
            field=fields.BigIntField(db_default=0),
        ),
        # Lines already in carts were seen at the price they show now.
        ops.RunSQL(
            "UPDATE cart_line SET unit_price = "
            "(SELECT price FROM product WHERE product.id = cart_line.product_id)"
        ),
    ]
