import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.catalog import ProductStatus
from models.shops import SizeClass


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0002_regions")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Category",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=80)),
                ("name", fields.CharField(max_length=80)),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "satupintu.Category",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("position", fields.IntField(default=0)),
            ],
            options={"table": "category", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Shop",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="shops",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("slug", fields.CharField(unique=True, max_length=80)),
                ("name", fields.CharField(max_length=120)),
                ("description", fields.TextField(default="", unique=False)),
                (
                    "size_class",
                    fields.CharEnumField(
                        description="MIKRO: MIKRO\nKECIL: KECIL\nMENENGAH: MENENGAH",
                        enum_type=SizeClass,
                        max_length=10,
                    ),
                ),
                (
                    "kelurahan",
                    fields.ForeignKeyField(
                        "satupintu.Kelurahan",
                        source_field="kelurahan_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="shops",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("address", fields.CharField(default="", max_length=255)),
                ("whatsapp", fields.CharField(max_length=16)),
                ("nib", fields.CharField(null=True, max_length=13)),
                ("is_verified", fields.BooleanField(default=False)),
                (
                    "verified_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("cooperative_id", fields.BigIntField(null=True, db_index=True)),
                ("logo_id", fields.BigIntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "shop", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Product",
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
                        related_name="products",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("slug", fields.CharField(unique=True, max_length=120)),
                ("name", fields.CharField(max_length=120)),
                ("description", fields.TextField(default="", unique=False)),
                ("price", fields.BigIntField()),
                ("stock", fields.IntField(default=0)),
                ("weight_grams", fields.IntField(default=0)),
                (
                    "category",
                    fields.ForeignKeyField(
                        "satupintu.Category",
                        source_field="category_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="products",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("is_halal", fields.BooleanField(default=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=ProductStatus.DRAFT,
                        description="DRAFT: DRAFT\nACTIVE: ACTIVE\nARCHIVED: ARCHIVED",
                        enum_type=ProductStatus,
                        max_length=10,
                    ),
                ),
                ("units_sold", fields.IntField(default=0)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "product",
                "app": "satupintu",
                "indexes": [Index(fields=["shop_id", "status", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.Product",
                        source_field="product_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="images",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("alt", fields.CharField(default="", max_length=200)),
                ("width", fields.IntField()),
                ("height", fields.IntField()),
                (
                    "renditions",
                    fields.JSONField(
                        encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("position", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "image", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
