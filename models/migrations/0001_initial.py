from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="Kecamatan",
            fields=[
                (
                    "code",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=8),
                ),
                ("name", fields.CharField(max_length=64)),
            ],
            options={"table": "kecamatan", "app": "satupintu", "pk_attr": "code"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Kelurahan",
            fields=[
                (
                    "code",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=13),
                ),
                ("name", fields.CharField(max_length=64)),
                (
                    "kecamatan",
                    fields.ForeignKeyField(
                        "satupintu.Kecamatan",
                        source_field="kecamatan_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="kelurahan",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={"table": "kelurahan", "app": "satupintu", "pk_attr": "code"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("name", fields.CharField(max_length=120)),
                ("email", fields.CharField(unique=True, max_length=254)),
                ("phone", fields.CharField(null=True, max_length=16)),
                ("password_hash", fields.CharField(max_length=255)),
                ("is_city_admin", fields.BooleanField(default=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "user", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApiKey",
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
                        related_name="api_keys",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=80)),
                ("digest", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "api_key", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="AuthToken",
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
                        related_name="tokens",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("digest", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "auth_token", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
