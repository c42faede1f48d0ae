"""Issue 29's notifications: the in-app notifications, the outbox of e-mail and WhatsApp
messages, and each user's channels (e-mail on, WhatsApp off until chosen)."""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from models.platform.notifications import NotificationChannel, NotificationKind


class Migration(migrations.Migration):
    dependencies = [("satupintu", "0037_standing_instructions")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Notification",
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
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="BILL_ISSUED: BILL_ISSUED\nBILL_DUE_SOON: BILL_DUE_SOON\nBILL_OVERDUE: BILL_OVERDUE\nAUTO_DEBIT_PAID: AUTO_DEBIT_PAID\nAUTO_DEBIT_FAILED: AUTO_DEBIT_FAILED\nLOAN_APPROVED: LOAN_APPROVED\nLOAN_DISBURSED: LOAN_DISBURSED\nGROUP_LOAN_APPROVAL_REQUESTED: GROUP_LOAN_APPROVAL_REQUESTED\nTIME_DEPOSIT_MATURING: TIME_DEPOSIT_MATURING\nTIME_DEPOSIT_MATURED: TIME_DEPOSIT_MATURED\nORDER_STATUS_CHANGED: ORDER_STATUS_CHANGED\nCOMPLAINT_CHANGED: COMPLAINT_CHANGED\nPAYOUT_COMPLETED: PAYOUT_COMPLETED\nPAYOUT_FAILED: PAYOUT_FAILED\nMEMBERSHIP_CLAIM_CODE: MEMBERSHIP_CLAIM_CODE",
                        enum_type=NotificationKind,
                        max_length=32,
                    ),
                ),
                ("event", fields.CharField(max_length=120)),
                ("subject_type", fields.CharField(default="", max_length=32)),
                ("subject_id", fields.BigIntField(null=True)),
                ("title", fields.CharField(max_length=160)),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("read_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "notification",
                "app": "satupintu",
                "unique_together": (("user", "event"),),
                "indexes": [Index(fields=["user_id", "read_at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="OutboxMessage",
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
                        related_name="outbox_messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("event", fields.CharField(max_length=120)),
                (
                    "channel",
                    fields.CharEnumField(
                        description="IN_APP: IN_APP\nEMAIL: EMAIL\nWHATSAPP: WHATSAPP",
                        enum_type=NotificationChannel,
                        max_length=16,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="BILL_ISSUED: BILL_ISSUED\nBILL_DUE_SOON: BILL_DUE_SOON\nBILL_OVERDUE: BILL_OVERDUE\nAUTO_DEBIT_PAID: AUTO_DEBIT_PAID\nAUTO_DEBIT_FAILED: AUTO_DEBIT_FAILED\nLOAN_APPROVED: LOAN_APPROVED\nLOAN_DISBURSED: LOAN_DISBURSED\nGROUP_LOAN_APPROVAL_REQUESTED: GROUP_LOAN_APPROVAL_REQUESTED\nTIME_DEPOSIT_MATURING: TIME_DEPOSIT_MATURING\nTIME_DEPOSIT_MATURED: TIME_DEPOSIT_MATURED\nORDER_STATUS_CHANGED: ORDER_STATUS_CHANGED\nCOMPLAINT_CHANGED: COMPLAINT_CHANGED\nPAYOUT_COMPLETED: PAYOUT_COMPLETED\nPAYOUT_FAILED: PAYOUT_FAILED\nMEMBERSHIP_CLAIM_CODE: MEMBERSHIP_CLAIM_CODE",
                        enum_type=NotificationKind,
                        max_length=32,
                    ),
                ),
                ("to", fields.CharField(max_length=254)),
                ("title", fields.CharField(max_length=160)),
                ("body", fields.TextField(unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "claimed_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("failed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("last_error", fields.CharField(default="", max_length=200)),
            ],
            options={
                "table": "outbox_message",
                "app": "satupintu",
                "unique_together": (("user", "event", "channel"),),
                "indexes": [Index(fields=["sent_at", "failed_at", "next_attempt_at"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="User",
            name="notify_by_email",
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.AddField(
            model_name="User",
            name="notify_by_whatsapp",
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
