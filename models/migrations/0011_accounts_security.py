"""Accounts and shops, issue 11: password reset codes, session idle time, one owner per NIB,
the history of a shop's verification badge."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0010_search_speed")]

    initial = False

    operations = [
        ops.CreateModel(
            name="NibHolder",
            fields=[
                (
                    "nib",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=13),
                ),
                (
                    "owner",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="owner_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="nibs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={"table": "nib_holder", "app": "satupintu", "pk_attr": "nib"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PasswordReset",
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
                        related_name="password_resets",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("digest", fields.CharField(max_length=64)),
                ("attempts", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("used_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "password_reset",
                "app": "satupintu",
                "indexes": [Index(fields=["user_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ShopVerificationChange",
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
                        related_name="verification_changes",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("verified", fields.BooleanField()),
                ("actor_id", fields.BigIntField(null=True)),
                ("reason", fields.CharField(max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "shop_verification_change",
                "app": "satupintu",
                "indexes": [Index(fields=["shop_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="AuthToken",
            name="last_used_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name="AuthToken",
            index=Index(fields=["user_id", "revoked_at"]),
        ),
        # NIBs named before this migration go to the first owner who named them.
        ops.RunSQL(
            'INSERT INTO "nib_holder" ("nib", "owner_id") SELECT "nib", MIN("owner_id") '
            'FROM "shop" WHERE "nib" IS NOT NULL GROUP BY "nib"',
            reverse_sql='DELETE FROM "nib_holder"',
        ),
    ]
