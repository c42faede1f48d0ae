"""Product options and variants. Every existing product gets its default variant (its price,
stock and weight, no SKU), and every cart line and order line that variant; cart lines are
then unique per variant. Active variants of products with options get an index for the
search's price filter."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

DEFAULTS = """
INSERT INTO product_variant (product_id, shop_id, sku, name, option_values, price, stock,
    weight_grams, is_active, is_default, created_at)
SELECT id, shop_id, NULL, '', '{}', price, stock, weight_grams, TRUE, TRUE, created_at
FROM product;
UPDATE cart_line SET variant_id = (
    SELECT v.id FROM product_variant v WHERE v.product_id = cart_line.product_id AND v.is_default
);
UPDATE order_line SET variant_id = (
    SELECT v.id FROM product_variant v WHERE v.product_id = order_line.product_id AND v.is_default
);
CREATE INDEX product_variant_priced ON product_variant (price, product_id)
    WHERE is_active AND NOT is_default;
"""


class RemoveUniqueTogether(ops.RemoveConstraint):
    """On SQLite a unique_together lives inside CREATE TABLE, with no index to drop: the
    table is remade without it."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        if state_editor and state_editor.client.capabilities.dialect == "sqlite":
            model = new_state.apps.get_model(f"{app_label}.{self.model_name}")
            await state_editor._remake_table(model)
            return
        await super().database_forward(app_label, old_state, new_state, state_editor)


async def default_variants(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(DEFAULTS)


async def nothing(apps, schema_editor) -> None:
    """The variants' table goes with its model."""


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0027_vouchers")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ProductOption",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="options",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
                ("name", fields.CharField(max_length=40)),
                (
                    "values",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
            ],
            options={
                "table": "product_option",
                "app": "satupintu",
                "unique_together": (("product_id", "position"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ProductVariant",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.Product",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="variants",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "shop",
                    fields.ForeignKeyField(
                        "satupintu.Shop",
                        source_field="shop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("sku", fields.CharField(null=True, max_length=64)),
                ("name", fields.CharField(default="", max_length=120)),
                (
                    "option_values",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("price", fields.BigIntField()),
                ("stock", fields.IntField(default=0)),
                ("weight_grams", fields.IntField(default=0)),
                (
                    "image",
                    fields.ForeignKeyField(
                        "satupintu.Image",
                        source_field="image_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("is_active", fields.BooleanField(default=True)),
                ("is_default", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "product_variant",
                "app": "satupintu",
                "unique_together": (("shop_id", "sku"),),
                "indexes": [Index(fields=["product_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        RemoveUniqueTogether(
            model_name="CartLine",
            name=None,
            fields=["buyer_id", "product_id"],
        ),
        ops.AddField(
            model_name="CartLine",
            name="variant",
            field=fields.ForeignKeyField(
                "satupintu.ProductVariant",
                source_field="variant_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="sku",
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="variant",
            field=fields.ForeignKeyField(
                "satupintu.ProductVariant",
                source_field="variant_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="OrderLine",
            name="variant_name",
            field=fields.CharField(null=True, max_length=120),
        ),
        ops.RunPython(default_variants, nothing),
        ops.AddConstraint(
            model_name="CartLine",
            constraint=UniqueConstraint(fields=("buyer_id", "variant_id"), name=None),
        ),
    ]
