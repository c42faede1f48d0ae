"""Complaints (komplain) about shipped orders: the buyer's claim, the seller's answer, the
return of the goods, the marketplace admin's decision, and every step taken."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.orders.order import Order
    from models.platform import User


class ComplaintStatus(StrEnum):
    OPEN = "OPEN"
    RETURN_REQUESTED = "RETURN_REQUESTED"
    RETURN_SHIPPED = "RETURN_SHIPPED"
    ESCALATED = "ESCALATED"
    REJECTED = "REJECTED"
    REFUNDED = "REFUNDED"
    CLOSED = "CLOSED"


class ComplaintReason(StrEnum):
    NOT_RECEIVED = "NOT_RECEIVED"
    DAMAGED = "DAMAGED"
    WRONG_ITEM = "WRONG_ITEM"
    INCOMPLETE = "INCOMPLETE"
    NOT_AS_DESCRIBED = "NOT_AS_DESCRIBED"
    OTHER = "OTHER"


class ComplaintResponse(StrEnum):
    REFUND = "REFUND"
    RETURN = "RETURN"
    REJECT = "REJECT"


class Complaint(Model):
    # One per order: the unique key makes a second one (or two racing ones) DUPLICATE.
    id = fields.BigIntField(primary_key=True)
    order: fields.OneToOneRelation[Order] = fields.OneToOneField(
        "satupintu.Order", related_name="complaint", on_delete=fields.RESTRICT
    )
    order_id: int
    status = fields.CharEnumField(ComplaintStatus, max_length=16, default=ComplaintStatus.OPEN)
    reason = fields.CharEnumField(ComplaintReason, max_length=16)
    text = fields.TextField()
    respond_by = Moment()
    response = fields.CharEnumField(ComplaintResponse, max_length=8, null=True)
    response_reason = fields.CharField(max_length=1000, default="")
    # What the seller agreed to refund when the goods come back (RETURN).
    agreed_refund = fields.BigIntField(null=True)
    refunded_amount = fields.BigIntField(default=0)
    return_tracking_number = fields.CharField(max_length=64, null=True)
    decision_note = fields.CharField(max_length=1000, default="")
    created_at = Moment()

    class Meta:
        table = "complaint"
        indexes = (("status", "id"),)


class ComplaintStep(Model):
    # Every status a complaint took, who moved it (null: the system), when and why.
    id = fields.BigIntField(primary_key=True)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        "satupintu.Complaint", related_name="steps", on_delete=fields.CASCADE
    )
    complaint_id: int
    status = fields.CharEnumField(ComplaintStatus, max_length=16)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    actor_id: int | None
    reason = fields.CharField(max_length=1000, default="")
    created_at = Moment()

    class Meta:
        table = "complaint_step"
        indexes = (("complaint_id", "id"),)
