"""Issue 29's simpanan berjangka: each cooperative's time deposit products and its members'
deposits; a journal entry's kind widens to 24 characters for TIME_DEPOSIT_INTEREST.

The chart's accounts they post to (Simpanan Berjangka, Utang Pajak, Beban Jasa Simpanan
Berjangka, Pendapatan Penalti Simpanan Berjangka) were seeded in every cooperative by 0030."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.cooperatives.books import EntryKind
from models.cooperatives.deposits import (
    TimeDepositInterestPayout,
    TimeDepositMaturity,
    TimeDepositStatus,
)


class WidenOnPostgres(ops.AlterField):
    """PostgreSQL's column becomes VARCHAR(24). SQLite does not enforce a VARCHAR's length,
    and remaking journal_entry there would drop 0030's triggers: only the state moves."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor is not None and state_editor.client.capabilities.dialect == "postgres":
            await super().database_backward(app_label, old_state, new_state, state_editor)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0033_platform_books")]

    initial = False

    operations = [
        ops.CreateModel(
            name="TimeDepositProduct",
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
                ("term_months", fields.IntField()),
                ("annual_rate_bps", fields.IntField()),
                ("minimum", fields.BigIntField()),
                ("early_withdrawal_penalty_bps", fields.IntField()),
                (
                    "interest_payout",
                    fields.CharEnumField(
                        description="MONTHLY: MONTHLY\nAT_MATURITY: AT_MATURITY",
                        enum_type=TimeDepositInterestPayout,
                        max_length=12,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "time_deposit_product",
                "app": "satupintu",
                "indexes": [Index(fields=["cooperative_id", "term_months"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TimeDeposit",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
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
                (
                    "product",
                    fields.ForeignKeyField(
                        "satupintu.TimeDepositProduct",
                        source_field="product_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("principal", fields.BigIntField()),
                ("term_months", fields.IntField()),
                ("annual_rate_bps", fields.IntField()),
                ("early_withdrawal_penalty_bps", fields.IntField()),
                (
                    "interest_payout",
                    fields.CharEnumField(
                        description="MONTHLY: MONTHLY\nAT_MATURITY: AT_MATURITY",
                        enum_type=TimeDepositInterestPayout,
                        max_length=12,
                    ),
                ),
                (
                    "maturity_instruction",
                    fields.CharEnumField(
                        description="ROLL_OVER: ROLL_OVER\nPAY_OUT: PAY_OUT",
                        enum_type=TimeDepositMaturity,
                        max_length=10,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=TimeDepositStatus.ACTIVE,
                        description="ACTIVE: ACTIVE\nWITHDRAWN_EARLY: WITHDRAWN_EARLY\nPAID_OUT: PAID_OUT\nROLLED_OVER: ROLLED_OVER",
                        enum_type=TimeDepositStatus,
                        max_length=16,
                    ),
                ),
                ("start_date", fields.DateField()),
                ("maturity_date", fields.DateField()),
                ("months_accrued", fields.IntField(default=0)),
                ("accrued_interest", fields.BigIntField(default=0)),
                ("accrued_net", fields.BigIntField(default=0)),
                ("accrued_tax", fields.BigIntField(default=0)),
                ("interest_paid", fields.BigIntField(default=0)),
                ("tax_withheld", fields.BigIntField(default=0)),
                ("closing_amount", fields.BigIntField(null=True)),
                (
                    "rolled_over_to",
                    fields.ForeignKeyField(
                        "satupintu.TimeDeposit",
                        source_field="rolled_over_to_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("opened_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "time_deposit",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["membership_id", "status", "id"]),
                    Index(fields=["status", "start_date"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        WidenOnPostgres(
            model_name="JournalEntry",
            name="kind",
            field=fields.CharEnumField(
                description="DEPOSIT: DEPOSIT\nWITHDRAWAL: WITHDRAWAL\nLOAN_DISBURSEMENT: LOAN_DISBURSEMENT\nLOAN_REPAYMENT: LOAN_REPAYMENT\nBILL_PAYMENT: BILL_PAYMENT\nPURCHASE: PURCHASE\nREFUND: REFUND\nSHU: SHU\nPAYOUT: PAYOUT\nSELLER_PAYOUT: SELLER_PAYOUT\nTIME_DEPOSIT: TIME_DEPOSIT\nTIME_DEPOSIT_INTEREST: TIME_DEPOSIT_INTEREST\nCASH_RECEIPT: CASH_RECEIPT\nCASH_PAYMENT: CASH_PAYMENT\nGENERAL: GENERAL\nREVERSAL: REVERSAL\nOPENING: OPENING\nALLOWANCE: ALLOWANCE\nWRITE_OFF: WRITE_OFF\nCLOSING: CLOSING",
                enum_type=EntryKind,
                max_length=24,
            ),
        ),
    ]
