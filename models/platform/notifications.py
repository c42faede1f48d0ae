"""Notifications: what a user is told in the app, and the outbox of what is still to be sent
to them by e-mail or WhatsApp, written in the transaction of the change each tells of."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.platform.accounts import User
from models.platform.moments import Moment


class NotificationKind(StrEnum):
    BILL_ISSUED = "BILL_ISSUED"
    BILL_DUE_SOON = "BILL_DUE_SOON"
    BILL_OVERDUE = "BILL_OVERDUE"
    AUTO_DEBIT_PAID = "AUTO_DEBIT_PAID"
    AUTO_DEBIT_FAILED = "AUTO_DEBIT_FAILED"
    LOAN_APPROVED = "LOAN_APPROVED"
    LOAN_DISBURSED = "LOAN_DISBURSED"
    GROUP_LOAN_APPROVAL_REQUESTED = "GROUP_LOAN_APPROVAL_REQUESTED"
    TIME_DEPOSIT_MATURING = "TIME_DEPOSIT_MATURING"
    TIME_DEPOSIT_MATURED = "TIME_DEPOSIT_MATURED"
    ORDER_STATUS_CHANGED = "ORDER_STATUS_CHANGED"
    COMPLAINT_CHANGED = "COMPLAINT_CHANGED"
    PAYOUT_COMPLETED = "PAYOUT_COMPLETED"
    PAYOUT_FAILED = "PAYOUT_FAILED"
    MEMBERSHIP_CLAIM_CODE = "MEMBERSHIP_CLAIM_CODE"


class NotificationChannel(StrEnum):
    IN_APP = "IN_APP"
    EMAIL = "EMAIL"
    WHATSAPP = "WHATSAPP"
    # Only in place of a WhatsApp message refused for good: an outbox row of its own, never a
    # channel a user chooses.
    SMS = "SMS"


class Notification(Model):
    # One in-app notification; `event` names what it tells of, once per recipient.
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="notifications", on_delete=fields.CASCADE
    )
    user_id: int
    kind = fields.CharEnumField(NotificationKind, max_length=32)
    event = fields.CharField(max_length=120)
    # The Node it is about (a type name and its row id), if any.
    subject_type = fields.CharField(max_length=32, default="")
    subject_id = fields.BigIntField(null=True)
    title = fields.CharField(max_length=160)
    body = fields.TextField()
    created_at = Moment(auto_now_add=True)
    read_at = Moment(null=True)

    class Meta:
        table = "notification"
        unique_together = (("user", "event"),)
        indexes = (("user_id", "read_at"),)


class OutboxMessage(Model):
    # One message to send on a channel other than the app; sent once per (user, event, channel).
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="outbox_messages", on_delete=fields.CASCADE
    )
    user_id: int
    event = fields.CharField(max_length=120)
    channel = fields.CharEnumField(NotificationChannel, max_length=16)
    kind = fields.CharEnumField(NotificationKind, max_length=32)
    # The address (an e-mail address or a phone number) when the event happened.
    to = fields.CharField(max_length=254)
    title = fields.CharField(max_length=160)
    body = fields.TextField()
    created_at = Moment(auto_now_add=True)
    attempts = fields.IntField(default=0)
    # Wall-clock times: when to try next, until when a sender holds it, when it went out.
    next_attempt_at = Moment()
    claimed_until = Moment(null=True)
    sent_at = Moment(null=True)
    # Given up after the last attempt (the error kept for the operator, no personal data).
    failed_at = Moment(null=True)
    last_error = fields.CharField(max_length=200, default="")

    class Meta:
        table = "outbox_message"
        unique_together = (("user", "event", "channel"),)
        indexes = (("sent_at", "failed_at", "next_attempt_at"),)
