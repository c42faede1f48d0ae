"""Loans: the cooperative's loan policy, who applied, decided and disbursed, the installments
of an approved loan's schedule (loan_installment), and the installment a bill bills."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0014_entry_member")]

    initial = False

    operations = [
        ops.CreateModel(
            name="LoanInstallment",
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
                        related_name="installments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("number", fields.IntField()),
                ("due_date", fields.DateField()),
                ("principal", fields.BigIntField()),
                ("interest", fields.BigIntField()),
                ("principal_paid", fields.BigIntField(default=0)),
                ("interest_paid", fields.BigIntField(default=0)),
                ("denda_paid", fields.BigIntField(default=0)),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "loan_installment",
                "app": "satupintu",
                "unique_together": (("loan", "number"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Bill",
            name="installment",
            field=fields.ForeignKeyField(
                "satupintu.LoanInstallment",
                source_field="installment_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="bills",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="denda_bps_per_day",
            field=fields.IntField(default=10),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="denda_grace_days",
            field=fields.IntField(default=7),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="loan_max_principal",
            field=fields.BigIntField(default=50000000),
        ),
        ops.AddField(
            model_name="Loan",
            name="applicant",
            field=fields.ForeignKeyField(
                "satupintu.User",
                source_field="applicant_id",
                db_constraint=True,
                to_field="id",
                related_name="loans_applied",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="Loan",
            name="decided_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Loan",
            name="decided_by",
            field=fields.ForeignKeyField(
                "satupintu.User",
                source_field="decided_by_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="Loan",
            name="disbursed_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Loan",
            name="disbursed_by",
            field=fields.ForeignKeyField(
                "satupintu.User",
                source_field="disbursed_by_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name=False,
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="Loan",
            name="paid_off_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Loan",
            name="rejection_reason",
            field=fields.CharField(default="", max_length=255),
        ),
        ops.AddField(
            model_name="Loan",
            name="share_shop_sales",
            field=fields.BooleanField(default=False),
        ),
        ops.AddIndex(
            model_name="Loan",
            index=Index(fields=["status", "id"]),
        ),
    ]
