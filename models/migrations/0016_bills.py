"""Bills II: what an outside biller's inquiry found and answered, the richer bill states
(PENDING, REFUNDED), PayBills' receipts and their lines, and the admin-fee income account
(Pendapatan Admin PPOB) in every cooperative's chart, existing ones included."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.bills import BillStatus, PaymentSource, ReceiptStatus

ADMIN_FEE_ACCOUNT = ("4-1300", "Pendapatan Admin PPOB", "INCOME")


async def open_admin_fee_account(apps, schema_editor) -> None:
    client = schema_editor.client
    mark = "$" if client.capabilities.dialect == "postgres" else "?"
    await client.execute_query(
        "INSERT INTO ledger_account (cooperative_id, code, name, kind) SELECT id, "
        f"{mark}1, {mark}2, {mark}3 FROM cooperative WHERE id NOT IN (SELECT cooperative_id "
        f"FROM ledger_account WHERE code = {mark}4)",
        [*ADMIN_FEE_ACCOUNT, ADMIN_FEE_ACCOUNT[0]],
    )


async def close_admin_fee_account(apps, schema_editor) -> None:
    await schema_editor.client.execute_query("DELETE FROM ledger_account WHERE code = '4-1300'")


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0015_loans")]

    initial = False

    operations = [
        ops.CreateModel(
            name="BillReceipt",
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
                        related_name="bill_receipts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "source",
                    fields.CharEnumField(
                        description="SUKARELA: SUKARELA\nQRIS: QRIS\nBANK_TRANSFER: BANK_TRANSFER",
                        enum_type=PaymentSource,
                        max_length=16,
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
                        related_name="bill_receipts",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("idempotency_key", fields.CharField(max_length=100)),
                ("input_digest", fields.CharField(max_length=64)),
                ("total", fields.BigIntField()),
                (
                    "status",
                    fields.CharEnumField(
                        description="AWAITING_PAYMENT: AWAITING_PAYMENT\nPAID: PAID\nREFUNDED: REFUNDED",
                        enum_type=ReceiptStatus,
                        max_length=16,
                    ),
                ),
                ("paid_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("reference", fields.CharField(null=True, unique=True, max_length=40)),
                ("instructions", fields.TextField(null=True, unique=False)),
                ("qris_payload", fields.TextField(null=True, unique=False)),
                ("expires_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("notification_id", fields.CharField(null=True, unique=True, max_length=100)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "bill_receipt",
                "app": "satupintu",
                "unique_together": (("user_id", "idempotency_key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BillReceiptLine",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "receipt",
                    fields.ForeignKeyField(
                        "satupintu.BillReceipt",
                        source_field="receipt_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "bill",
                    fields.ForeignKeyField(
                        "satupintu.Bill",
                        source_field="bill_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="receipt_lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
            ],
            options={
                "table": "bill_receipt_line",
                "app": "satupintu",
                "unique_together": (("receipt", "bill"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AlterField(
            model_name="Bill",
            name="status",
            field=fields.CharEnumField(
                default=BillStatus.UNPAID,
                description="UNPAID: UNPAID\nPENDING: PENDING\nPAID: PAID\nREFUNDED: REFUNDED",
                enum_type=BillStatus,
                max_length=8,
            ),
        ),
        ops.AddField(
            model_name="Bill",
            name="admin_fee",
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name="Bill",
            name="biller_message",
            field=fields.CharField(default="", max_length=255),
        ),
        ops.AddField(
            model_name="Bill",
            name="biller_reference",
            field=fields.CharField(default="", max_length=64),
        ),
        ops.AddField(
            model_name="Bill",
            name="cooperative",
            field=fields.ForeignKeyField(
                "satupintu.Cooperative",
                source_field="cooperative_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="bills",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="Bill",
            name="customer_name",
            field=fields.CharField(default="", max_length=120),
        ),
        ops.AddField(
            model_name="Bill",
            name="customer_number",
            field=fields.CharField(default="", max_length=20),
        ),
        ops.AddField(
            model_name="Bill",
            name="expires_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Bill",
            name="inquiry_id",
            field=fields.CharField(default="", max_length=64),
        ),
        ops.AddField(
            model_name="Bill",
            name="kwh",
            field=fields.DecimalField(null=True, max_digits=10, decimal_places=2),
        ),
        ops.AddField(
            model_name="Bill",
            name="receipt",
            field=fields.ForeignKeyField(
                "satupintu.BillReceipt",
                source_field="receipt_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="bills",
                on_delete=OnDelete.RESTRICT,
            ),
        ),
        ops.AddField(
            model_name="Bill",
            name="token",
            field=fields.CharField(default="", max_length=32),
        ),
        ops.AddIndex(
            model_name="Bill",
            index=Index(fields=["status", "receipt_id"]),
        ),
        ops.RunPython(open_admin_fee_account, close_admin_fee_account),
    ]
