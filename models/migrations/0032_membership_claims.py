from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0031_opening_balances")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ClaimLock",
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
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("phone", fields.CharField(max_length=16)),
                ("nik", fields.CharField(max_length=16)),
                ("failures", fields.IntField(default=0)),
                (
                    "locked_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "claim_lock",
                "app": "satupintu",
                "unique_together": (("cooperative", "phone", "nik"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MembershipClaim",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "membership",
                    fields.OneToOneField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="claim",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("phone", fields.CharField(max_length=16)),
                ("nik", fields.CharField(max_length=16)),
                ("code_digest", fields.CharField(null=True, max_length=64)),
                (
                    "code_expires_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("claimed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "claimed_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="claimed_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "membership_claim",
                "app": "satupintu",
                "indexes": [Index(fields=["cooperative_id", "phone", "nik"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ClaimCodeRequest",
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
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "claim",
                    fields.ForeignKeyField(
                        "satupintu.MembershipClaim",
                        source_field="claim_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "claim_code_request",
                "app": "satupintu",
                "indexes": [Index(fields=["user_id", "at"]), Index(fields=["claim_id", "at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OpeningImport",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "cooperative",
                    fields.OneToOneField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("digest", fields.CharField(max_length=64)),
                ("cut_over", fields.DateField()),
                ("members", fields.IntField()),
                ("loans", fields.IntField()),
                ("total_debit", fields.BigIntField()),
                ("total_credit", fields.BigIntField()),
                (
                    "entry",
                    fields.ForeignKeyField(
                        "satupintu.JournalEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "imported_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="imported_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("imported_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "opening_import", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Membership",
            name="claimed",
            field=fields.BooleanField(default=True, db_default=True),
        ),
    ]
