"""Issue 28's corrections and allowance: the loan policy's denda cap, installment rounding,
kolektibilitas bands and allowance rates; a payable SHU share's payout; the Deposit PPOB
balance beside its journal lines (so an outside bill never takes it below 0); a loan's
write-off and each month's allowance (on the chart's allowance accounts, seeded by 0030).

The deposit's column starts at the account's balance from the books, which may be negative:
every outside bill was only ever credited to it; such a cooperative pays no outside bill
until a recorded top-up covers it."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.cooperatives import KolektibilitasBands

DEPOSIT_FROM_BOOKS = """
UPDATE cooperative SET ppob_deposit = COALESCE((
    SELECT SUM(l.debit) - SUM(l.credit) FROM journal_line l
    JOIN ledger_account a ON a.id = l.account_id
    WHERE a.cooperative_id = cooperative.id AND a.code = '1-1400'
), 0)
"""


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0030_book_year")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Cooperative", name="denda_cap_bps", field=fields.IntField(null=True)
        ),
        ops.AddField(
            model_name="Cooperative",
            name="installment_multiple",
            field=fields.IntField(default=1),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="kolektibilitas_bands",
            field=fields.CharEnumField(
                default=KolektibilitasBands.BANK,
                description="BANK: BANK\nMINISTRY: MINISTRY",
                enum_type=KolektibilitasBands,
                max_length=10,
            ),
        ),
        ops.AddField(
            model_name="Cooperative", name="ppob_deposit", field=fields.BigIntField(default=0)
        ),
        ops.AddField(
            model_name="Loan",
            name="written_off_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="allowance_rates_bps",
            field=fields.CharField(default="50,1000,5000,5000,10000", max_length=60),
        ),
        ops.CreateModel(
            name="LoanLossAllowance",
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
                        related_name="allowances",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("period", fields.CharField(max_length=7)),
                ("required", fields.BigIntField(default=0)),
                ("posted", fields.BigIntField(default=0)),
                ("posted_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "loan_loss_allowance",
                "app": "satupintu",
                "unique_together": (("cooperative", "period"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="ShuShare",
            name="paid_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunSQL(DEPOSIT_FROM_BOOKS, reverse_sql=ops.RunSQL.noop),
    ]
