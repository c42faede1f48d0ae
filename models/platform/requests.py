"""Requests that move money, kept by the caller's idempotency key so that a repeat of one
answers with the first result instead of moving the money again."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.platform.accounts import User
from models.platform.moments import Moment


class IdempotentRequest(Model):
    # One request under a caller's key: what it asked (digest) and what it answered (result,
    # the ids and figures that rebuild the answer). Written in the movement's transaction.
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="idempotent_requests", on_delete=fields.CASCADE
    )
    user_id: int
    key = fields.CharField(max_length=100)
    # SHA-256 of the operation and its arguments: the same key asked otherwise is refused.
    digest = fields.CharField(max_length=64)
    result: fields.JSONField[dict[str, Any]] = fields.JSONField()
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "idempotent_request"
        unique_together = (("user_id", "key"),)
