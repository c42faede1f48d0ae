"""Issue 28's corrections and allowance: the loan policy's denda cap, installment rounding,
kolektibilitas bands and allowance rates; a payable SHU share's payout; the Deposit PPOB
balance beside its journal lines (so an outside bill never takes it below 0); a loan's
write-off and each month's allowance; the chart's allowance accounts.

The deposit's column starts at the account's balance from the books, which may be negative:
every outside bill was only ever credited to it; such a cooperative pays no outside bill
until a recorded top-up covers it."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.cooperatives import EntryKind, KolektibilitasBands

DEPOSIT_FROM_BOOKS = """
UPDATE cooperative SET ppob_deposit = COALESCE((
    SELECT SUM(l.debit) - SUM(l.credit) FROM journal_line l
    JOIN ledger_account a ON a.id = l.account_id
    WHERE a.cooperative_id = cooperative.id AND a.code = '1-1400'
), 0)
"""
# The allowance's two accounts for every cooperative's chart (resolvers.cooperatives.books).
NEW_ACCOUNTS = """
INSERT INTO ledger_account (cooperative_id, code, name, kind)
SELECT c.id, x.code, x.name, x.kind FROM cooperative c
CROSS JOIN (
    SELECT '1-1900' AS code, 'Penyisihan Piutang Tak Tertagih' AS name, 'ASSET' AS kind
    UNION ALL SELECT '5-1100', 'Beban Penyisihan Piutang', 'EXPENSE'
    UNION ALL SELECT '4-1900', 'Pendapatan Lain-lain', 'INCOME'
) x
WHERE NOT EXISTS (
    SELECT 1 FROM ledger_account a WHERE a.cooperative_id = c.id AND a.code = x.code
)
"""
REMOVE_ACCOUNTS = (
    "DELETE FROM ledger_account WHERE code IN ('1-1900', '5-1100', '4-1900') "
    "AND NOT EXISTS (SELECT 1 FROM journal_line l WHERE l.account_id = ledger_account.id)"
)


class AlterFieldState(ops.AlterField):
    """An AlterField of the models' state only: the entry kinds added change only the enum's
    description, and rebuilding `journal_entry` (SQLite alters a column so) would drop its
    append-only triggers."""

    async def database_forward(self, *args: object, **kwargs: object) -> None:
        return None

    async def database_backward(self, *args: object, **kwargs: object) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0025_test_clock")]

    initial = False

    operations = [
        AlterFieldState(
            model_name="JournalEntry",
            name="kind",
            field=fields.CharEnumField(
                description="\n".join(f"{kind.name}: {kind.value}" for kind in EntryKind),
                enum_type=EntryKind,
                max_length=20,
            ),
        ),
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
        ops.RunSQL(NEW_ACCOUNTS, reverse_sql=REMOVE_ACCOUNTS),
    ]
