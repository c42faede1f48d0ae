from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.cooperatives import CooperativeType, MembershipStatus


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0005_image_digest")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Cooperative",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                ("slug", fields.CharField(unique=True, max_length=80)),
                ("name", fields.CharField(max_length=160)),
                (
                    "type",
                    fields.CharEnumField(
                        description="SIMPAN_PINJAM: SIMPAN_PINJAM\nKONSUMEN: KONSUMEN\nPRODUSEN: PRODUSEN\nPEMASARAN: PEMASARAN\nJASA: JASA",
                        enum_type=CooperativeType,
                        max_length=16,
                    ),
                ),
                ("legal_number", fields.CharField(unique=True, max_length=60)),
                ("is_digital", fields.BooleanField(default=False)),
                (
                    "kelurahan",
                    fields.ForeignKeyField(
                        "satupintu.Kelurahan",
                        source_field="kelurahan_id",
                        db_constraint=True,
                        to_field="code",
                        related_name="cooperatives",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("address", fields.CharField(default="", max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "cooperative", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CooperativeAdmin",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="admins",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="administered",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "cooperative_admin",
                "app": "satupintu",
                "unique_together": (("cooperative", "user"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="memberships",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("number", fields.IntField(null=True)),
                (
                    "status",
                    fields.CharEnumField(
                        default=MembershipStatus.PENDING,
                        description="PENDING: PENDING\nACTIVE: ACTIVE\nREJECTED: REJECTED\nENDED: ENDED",
                        enum_type=MembershipStatus,
                        max_length=10,
                    ),
                ),
                ("joined_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "membership",
                "app": "satupintu",
                "unique_together": (("cooperative", "user"), ("cooperative", "number")),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
