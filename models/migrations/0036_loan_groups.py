"""Issue 29's tanggung renteng: loan groups of a cooperative's members, each group member's
agreement to another's loan, and the sub-ledger of Piutang Antar Anggota (what a member's
contribution paid of another's arrears). The account itself was seeded in every cooperative's
chart by 0030."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0035_search_price_facets")]

    initial = False

    operations = [
        ops.CreateModel(
            name="GroupLoanApproval",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "loan",
                    fields.ForeignKeyField(
                        "satupintu.Loan",
                        source_field="loan_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "membership",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "group_loan_approval",
                "app": "satupintu",
                "unique_together": (("loan", "membership"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LoanGroup",
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
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("name", fields.CharField(max_length=80)),
                ("grace_days", fields.IntField()),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="created_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "loan_group",
                "app": "satupintu",
                "indexes": [Index(fields=["cooperative_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="GroupDebt",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "group",
                    fields.ForeignKeyField(
                        "satupintu.LoanGroup",
                        source_field="group_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "debtor",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="debtor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "creditor",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="creditor_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount", fields.BigIntField()),
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
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "group_debt",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["debtor_id", "creditor_id"]),
                    Index(fields=["creditor_id", "debtor_id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LoanGroupMember",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "group",
                    fields.ForeignKeyField(
                        "satupintu.LoanGroup",
                        source_field="group_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="members",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "membership",
                    fields.OneToOneField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={"table": "loan_group_member", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
