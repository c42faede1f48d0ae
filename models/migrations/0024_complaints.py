"""Complaints (komplain) about shipped orders and their steps, complaint photos, when an order
was delivered and when it completes by itself, what was refunded of a payment, and the
MARKETPLACE_ADMIN role. Orders delivered before it get their delivery time from their status
history and complete by themselves ORDER_AUTOCOMPLETE_DAYS' default (3) after it; payments
refunded before it were refunded whole."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.orders.complaint import ComplaintReason, ComplaintResponse, ComplaintStatus

DELIVERED = """
UPDATE "order" SET delivered_at = (
    SELECT MAX(c.created_at) FROM order_status_change c
    WHERE c.order_id = "order".id AND c.to_status = 'DELIVERED'
) WHERE status IN ('DELIVERED', 'COMPLETED');
UPDATE payment SET refunded_amount = amount WHERE status = 'REFUNDED';
"""
DUE = {
    "postgres": "UPDATE \"order\" SET auto_complete_at = delivered_at + interval '3 days' "
    "WHERE status = 'DELIVERED' AND delivered_at IS NOT NULL;",
    "sqlite": 'UPDATE "order" SET auto_complete_at = '
    "strftime('%Y-%m-%d %H:%M:%f+00:00', delivered_at, '+3 days') "
    "WHERE status = 'DELIVERED' AND delivered_at IS NOT NULL;",
}


async def backfill(apps, schema_editor) -> None:
    client = schema_editor.client
    await client.execute_script(DELIVERED + DUE[client.capabilities.dialect])


async def nothing(apps, schema_editor) -> None:
    """The columns that held the figures go with the fields."""


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0023_closed_rp0_installments")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Complaint",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "order",
                    fields.OneToOneField(
                        "satupintu.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="complaint",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ComplaintStatus.OPEN,
                        description="OPEN: OPEN\nRETURN_REQUESTED: RETURN_REQUESTED\nRETURN_SHIPPED: RETURN_SHIPPED\nESCALATED: ESCALATED\nREJECTED: REJECTED\nREFUNDED: REFUNDED\nCLOSED: CLOSED",
                        enum_type=ComplaintStatus,
                        max_length=16,
                    ),
                ),
                (
                    "reason",
                    fields.CharEnumField(
                        description="NOT_RECEIVED: NOT_RECEIVED\nDAMAGED: DAMAGED\nWRONG_ITEM: WRONG_ITEM\nINCOMPLETE: INCOMPLETE\nNOT_AS_DESCRIBED: NOT_AS_DESCRIBED\nOTHER: OTHER",
                        enum_type=ComplaintReason,
                        max_length=16,
                    ),
                ),
                ("text", fields.TextField(unique=False)),
                ("respond_by", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "response",
                    fields.CharEnumField(
                        null=True,
                        description="REFUND: REFUND\nRETURN: RETURN\nREJECT: REJECT",
                        enum_type=ComplaintResponse,
                        max_length=8,
                    ),
                ),
                ("response_reason", fields.CharField(default="", max_length=1000)),
                ("agreed_refund", fields.BigIntField(null=True)),
                ("refunded_amount", fields.BigIntField(default=0)),
                ("return_tracking_number", fields.CharField(null=True, max_length=64)),
                ("decision_note", fields.CharField(default="", max_length=1000)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "complaint",
                "app": "satupintu",
                "indexes": [Index(fields=["status", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ComplaintStep",
            fields=[
                (
                    "id",
                    fields.BigIntField(
                        generated=True, primary_key=True, unique=True, db_index=True
                    ),
                ),
                (
                    "complaint",
                    fields.ForeignKeyField(
                        "satupintu.Complaint",
                        source_field="complaint_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="steps",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="OPEN: OPEN\nRETURN_REQUESTED: RETURN_REQUESTED\nRETURN_SHIPPED: RETURN_SHIPPED\nESCALATED: ESCALATED\nREJECTED: REJECTED\nREFUNDED: REFUNDED\nCLOSED: CLOSED",
                        enum_type=ComplaintStatus,
                        max_length=16,
                    ),
                ),
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
                ("reason", fields.CharField(default="", max_length=1000)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "complaint_step",
                "app": "satupintu",
                "indexes": [Index(fields=["complaint_id", "id"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Image",
            name="complaint",
            field=fields.ForeignKeyField(
                "satupintu.Complaint",
                source_field="complaint_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="photos",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="auto_complete_at",
            field=fields.DatetimeField(
                null=True, db_index=True, auto_now=False, auto_now_add=False
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="delivered_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="Payment",
            name="refunded_amount",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="User",
            name="is_marketplace_admin",
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.RunPython(backfill, nothing),
    ]
