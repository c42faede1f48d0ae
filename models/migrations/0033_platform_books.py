"""Issue 27: the platform's own books (its journal, append-only like the cooperatives'),
the settlements between it and each cooperative, sellers' balances and their movements,
payout destinations, bank account checks and payouts; SELLER_PAYOUT, a cooperative entry
kind for a payout into a member's SUKARELA."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.cooperatives.books import EntryKind
from models.payouts.books import PlatformEntryKind, SettlementDirection
from models.payouts.payouts import PayoutDestinationKind, PayoutStatus, SellerMovementKind

# The platform's journal is append-only too: a mistake is reversed by a new entry.
TABLES = ("platform_entry", "platform_line")
SQLITE_APPEND_ONLY = "".join(
    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;"
    for table in TABLES
    for verb in ("UPDATE", "DELETE")
)
SQLITE_EDITABLE = "".join(
    f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()};"
    for table in TABLES
    for verb in ("update", "delete")
)
# journal_append_only() is migration 0012's.
POSTGRES_APPEND_ONLY = "".join(
    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION journal_append_only();"
    for table in TABLES
)
POSTGRES_EDITABLE = "".join(
    f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in TABLES
)


class DescribeField(ops.AlterField):
    """A field whose description alone changes (an enum's new value, no longer column): no
    SQL, since SQLite would rebuild the table for it and drop its triggers (0012, 0030)."""

    async def database_forward(self, *args, **kwargs) -> None:
        return None

    async def database_backward(self, *args, **kwargs) -> None:
        return None


async def append_only(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_APPEND_ONLY if postgres else SQLITE_APPEND_ONLY)


async def editable(apps, schema_editor) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(POSTGRES_EDITABLE if postgres else SQLITE_EDITABLE)


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0032_membership_claims")]

    initial = False

    operations = [
        ops.CreateModel(
            name="BankAccountCheck",
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
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("bank_code", fields.CharField(max_length=20)),
                ("bank_name", fields.CharField(max_length=80)),
                ("account_number", fields.CharField(max_length=20)),
                ("holder_name", fields.CharField(max_length=100)),
                ("expires_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "bank_account_check", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CooperativeSettlement",
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
                (
                    "direction",
                    fields.CharEnumField(
                        description="COOPERATIVE_TO_PLATFORM: COOPERATIVE_TO_PLATFORM\nPLATFORM_TO_COOPERATIVE: PLATFORM_TO_COOPERATIVE",
                        enum_type=SettlementDirection,
                        max_length=30,
                    ),
                ),
                ("amount", fields.BigIntField()),
                ("transfer_reference", fields.CharField(max_length=100)),
                ("date", fields.DateField()),
                (
                    "recorded_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="recorded_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "cooperative_settlement",
                "app": "satupintu",
                "unique_together": (("cooperative", "transfer_reference"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PayoutDestination",
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
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="BANK_ACCOUNT: BANK_ACCOUNT\nCOOPERATIVE_SAVINGS: COOPERATIVE_SAVINGS",
                        enum_type=PayoutDestinationKind,
                        max_length=20,
                    ),
                ),
                ("label", fields.CharField(max_length=160)),
                ("bank_code", fields.CharField(null=True, max_length=20)),
                ("bank_name", fields.CharField(null=True, max_length=80)),
                ("account_number", fields.CharField(null=True, max_length=20)),
                ("holder_name", fields.CharField(null=True, max_length=100)),
                (
                    "membership",
                    fields.ForeignKeyField(
                        "satupintu.Membership",
                        source_field="membership_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("active_key", fields.CharField(null=True, max_length=60)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("deleted_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "payout_destination",
                "app": "satupintu",
                "unique_together": (("shop", "active_key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Payout",
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
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "destination",
                    fields.ForeignKeyField(
                        "satupintu.PayoutDestination",
                        source_field="destination_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("amount", fields.BigIntField()),
                (
                    "status",
                    fields.CharEnumField(
                        description="PENDING: PENDING\nCOMPLETED: COMPLETED\nFAILED: FAILED",
                        enum_type=PayoutStatus,
                        max_length=10,
                    ),
                ),
                ("reference", fields.CharField(unique=True, max_length=40)),
                ("provider_reference", fields.CharField(null=True, max_length=100)),
                ("failure_reason", fields.CharField(null=True, max_length=255)),
                (
                    "requested_by",
                    fields.ForeignKeyField(
                        "satupintu.User",
                        source_field="requested_by_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "completed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "payout",
                "app": "satupintu",
                "indexes": [Index(fields=["shop_id", "status"]), Index(fields=["status", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PlatformEntry",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="ORDER_PAID: ORDER_PAID\nORDER_REFUND: ORDER_REFUND\nORDER_COMPLETED: ORDER_COMPLETED\nPAYOUT_REQUESTED: PAYOUT_REQUESTED\nPAYOUT_COMPLETED: PAYOUT_COMPLETED\nPAYOUT_RETURNED: PAYOUT_RETURNED\nSAVINGS_PAYOUT: SAVINGS_PAYOUT\nSETTLEMENT: SETTLEMENT",
                        enum_type=PlatformEntryKind,
                        max_length=20,
                    ),
                ),
                ("description", fields.CharField(max_length=255)),
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
                (
                    "payout",
                    fields.ForeignKeyField(
                        "satupintu.Payout",
                        source_field="payout_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "settlement",
                    fields.ForeignKeyField(
                        "satupintu.CooperativeSettlement",
                        source_field="settlement_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("date", fields.DateField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "platform_entry",
                "app": "satupintu",
                "indexes": [Index(fields=["order_id"]), Index(fields=["payout_id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PlatformLine",
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
                        "satupintu.PlatformEntry",
                        source_field="entry_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("account", fields.CharField(max_length=10)),
                ("debit", fields.BigIntField(default=0)),
                ("credit", fields.BigIntField(default=0)),
                (
                    "cooperative",
                    fields.ForeignKeyField(
                        "satupintu.Cooperative",
                        source_field="cooperative_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
            ],
            options={
                "table": "platform_line",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["account", "cooperative_id"]),
                    Index(fields=["entry_id"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SellerBalance",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "shop",
                    fields.OneToOneField(
                        "satupintu.Shop",
                        source_field="shop_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("available", fields.BigIntField(default=0)),
            ],
            options={"table": "seller_balance", "app": "satupintu", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SellerMovement",
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
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="SALE: SALE\nPLATFORM_FEE: PLATFORM_FEE\nPAYOUT: PAYOUT\nPAYOUT_RETURNED: PAYOUT_RETURNED",
                        enum_type=SellerMovementKind,
                        max_length=20,
                    ),
                ),
                ("amount", fields.BigIntField()),
                ("balance_after", fields.BigIntField()),
                ("description", fields.CharField(max_length=255)),
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
                (
                    "payout",
                    fields.ForeignKeyField(
                        "satupintu.Payout",
                        source_field="payout_id",
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
                "table": "seller_movement",
                "app": "satupintu",
                "indexes": [
                    Index(fields=["shop_id", "id"]),
                    Index(fields=["shop_id", "created_at"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        DescribeField(
            model_name="JournalEntry",
            name="kind",
            field=fields.CharEnumField(
                description="DEPOSIT: DEPOSIT\nWITHDRAWAL: WITHDRAWAL\nLOAN_DISBURSEMENT: LOAN_DISBURSEMENT\nLOAN_REPAYMENT: LOAN_REPAYMENT\nBILL_PAYMENT: BILL_PAYMENT\nPURCHASE: PURCHASE\nREFUND: REFUND\nSHU: SHU\nPAYOUT: PAYOUT\nSELLER_PAYOUT: SELLER_PAYOUT\nCASH_RECEIPT: CASH_RECEIPT\nCASH_PAYMENT: CASH_PAYMENT\nGENERAL: GENERAL\nREVERSAL: REVERSAL\nOPENING: OPENING\nALLOWANCE: ALLOWANCE\nWRITE_OFF: WRITE_OFF\nCLOSING: CLOSING",
                enum_type=EntryKind,
                max_length=20,
            ),
        ),
        ops.RunPython(append_only, editable),
    ]
