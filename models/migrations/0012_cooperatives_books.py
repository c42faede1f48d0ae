"""Cooperatives I: policy and legal date, membership details, savings, bills, loans, and each
cooperative's double-entry books (chart of accounts, journal entries and lines), whose journal
the database keeps append-only."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

from models.bills import BillKind, BillStatus
from models.cooperatives import AccountKind, CooperativeType, EntryKind, SavingsKind
from models.loans import InterestMethod, LoanStatus

# The journal is append-only: a mistake is reversed by a new entry, never edited away.
SQLITE_APPEND_ONLY = "".join(
    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
    for table in ("journal_entry", "journal_line")
    for verb in ("UPDATE", "DELETE")
)
POSTGRES_APPEND_ONLY = """
CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER journal_entry_append_only BEFORE UPDATE OR DELETE ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();
CREATE TRIGGER journal_line_append_only BEFORE UPDATE OR DELETE ON journal_line
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();
"""
SQLITE_EDITABLE = "".join(
    f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()};"
    for table in ("journal_entry", "journal_line")
    for verb in ("update", "delete")
)
POSTGRES_EDITABLE = """
DROP TRIGGER IF EXISTS journal_line_append_only ON journal_line;
DROP TRIGGER IF EXISTS journal_entry_append_only ON journal_entry;
DROP FUNCTION IF EXISTS journal_append_only();
"""


async def append_only(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_APPEND_ONLY if postgres else SQLITE_APPEND_ONLY)


async def editable(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_EDITABLE if postgres else SQLITE_EDITABLE)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0011_accounts_security")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Bill",
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
                        related_name="bills",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "membership",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="bills",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SIMPANAN_POKOK: SIMPANAN_POKOK\nSIMPANAN_WAJIB: SIMPANAN_WAJIB\nLOAN_INSTALLMENT: LOAN_INSTALLMENT\nPLN_TOKEN: PLN_TOKEN\nPLN_POSTPAID: PLN_POSTPAID\nPDAM: PDAM\nBPJS: BPJS",
                        enum_type=BillKind,
                        max_length=16,
                    ),
                ),
                ("period", fields.CharField(default="", max_length=7)),
                ("description", fields.CharField(max_length=255)),
                ("amount", fields.BigIntField()),
                ("due_date", fields.DateField()),
                (
                    "status",
                    fields.CharEnumField(
                        default=BillStatus.UNPAID,
                        description="UNPAID: UNPAID\nPAID: PAID",
                        enum_type=BillStatus,
                        max_length=8,
                    ),
                ),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "bill",
                "app": "satupintu",
                "unique_together": (("membership", "kind", "period"),),
                "indexes": [
                    Index(fields=["user_id", "status", "id"]),
                    Index(fields=["membership_id", "status", "id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JournalEntry",
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
                        related_name="journal_entries",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="DEPOSIT: DEPOSIT\nWITHDRAWAL: WITHDRAWAL\nLOAN_DISBURSEMENT: LOAN_DISBURSEMENT\nLOAN_REPAYMENT: LOAN_REPAYMENT\nBILL_PAYMENT: BILL_PAYMENT\nPURCHASE: PURCHASE\nREFUND: REFUND\nSHU: SHU\nPAYOUT: PAYOUT",
                        enum_type=EntryKind,
                        max_length=20,
                    ),
                ),
                ("description", fields.CharField(max_length=255)),
                ("note", fields.CharField(default="", max_length=255)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "satupintu.Order",
                        source_field="order_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "journal_entry",
                "app": "satupintu",
                "indexes": [Index(fields=["cooperative_id", "id"]), Index(fields=["order_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LedgerAccount",
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
                        related_name="ledger_accounts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("code", fields.CharField(max_length=10)),
                ("name", fields.CharField(max_length=80)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="ASSET: ASSET\nLIABILITY: LIABILITY\nEQUITY: EQUITY\nINCOME: INCOME\nEXPENSE: EXPENSE",
                        enum_type=AccountKind,
                        max_length=10,
                    ),
                ),
            ],
            options={
                "table": "ledger_account",
                "app": "satupintu",
                "unique_together": (("cooperative", "code"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="JournalLine",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "entry",
                    fields.ForeignKeyField(
                        "satupintu.JournalEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "account",
                    fields.ForeignKeyField(
                        "satupintu.LedgerAccount",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("debit", fields.BigIntField(default=0)),
                ("credit", fields.BigIntField(default=0)),
                (
                    "membership",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="journal_lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "savings",
                    fields.CharEnumField(
                        null=True,
                        description="POKOK: POKOK\nWAJIB: WAJIB\nSUKARELA: SUKARELA",
                        enum_type=SavingsKind,
                        max_length=10,
                    ),
                ),
                ("balance_after", fields.BigIntField(null=True)),
            ],
            options={
                "table": "journal_line",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["membership_id", "id"]),
                    Index(fields=["account_id"]),
                    Index(fields=["entry_id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Loan",
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
                        related_name="loans",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=LoanStatus.APPLIED,
                        description="APPLIED: APPLIED\nAPPROVED: APPROVED\nREJECTED: REJECTED\nACTIVE: ACTIVE\nPAID_OFF: PAID_OFF",
                        enum_type=LoanStatus,
                        max_length=10,
                    ),
                ),
                ("principal", fields.BigIntField()),
                ("tenor_months", fields.IntField()),
                ("purpose", fields.CharField(default="", max_length=255)),
                (
                    "method",
                    fields.CharEnumField(
                        null=True,
                        description="FLAT: FLAT\nEFEKTIF: EFEKTIF\nANUITAS: ANUITAS",
                        enum_type=InterestMethod,
                        max_length=10,
                    ),
                ),
                ("annual_rate_bps", fields.IntField(null=True)),
                ("outstanding", fields.BigIntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "loan",
                "app": "satupintu",
                "indexes": [Index(fields=["membership_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SavingsAccount",
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
                        related_name="savings",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="POKOK: POKOK\nWAJIB: WAJIB\nSUKARELA: SUKARELA",
                        enum_type=SavingsKind,
                        max_length=10,
                    ),
                ),
                ("balance", fields.BigIntField(default=0)),
                ("is_open", fields.BooleanField(default=True)),
            ],
            options={
                "table": "savings_account",
                "app": "satupintu",
                "unique_together": (("membership", "kind"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AlterField(
            model_name="Cooperative",
            name="type",
            field=fields.CharEnumField(
                description="SIMPAN_PINJAM: SIMPAN_PINJAM\nKONSUMEN: KONSUMEN\nPRODUSEN: PRODUSEN\nPEMASARAN: PEMASARAN\nJASA: JASA\nSERBA_USAHA: SERBA_USAHA",
                enum_type=CooperativeType,
                max_length=16,
            ),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="last_member_number",
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="legal_date",
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="pokok_amount",
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="search_name",
            field=fields.CharField(default="", max_length=400),
        ),
        ops.AddField(
            model_name="Cooperative",
            name="wajib_monthly_amount",
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name="Membership",
            name="address",
            field=fields.CharField(default="", max_length=255),
        ),
        ops.AddField(
            model_name="Membership",
            name="ended_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Membership",
            name="nik",
            field=fields.CharField(null=True, max_length=16),
        ),
        ops.AddField(
            model_name="Membership",
            name="phone",
            field=fields.CharField(default="", max_length=16),
        ),
        ops.AddField(
            model_name="Membership",
            name="rejection_reason",
            field=fields.CharField(default="", max_length=255),
        ),
        ops.AddIndex(
            model_name="Membership",
            index=Index(fields=["cooperative_id", "status", "id"]),
        ),
        ops.AddConstraint(
            model_name="Membership",
            constraint=UniqueConstraint(fields=("cooperative", "nik"), name=None),
        ),
        ops.RunPython(append_only, editable),
    ]
