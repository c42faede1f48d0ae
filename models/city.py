"""The city's programme: socialisation sessions per kelurahan, and the tallies its figures read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.platform import Kelurahan, User

MAX_NOTE = 500
ACTIVE_PRODUCTS = "active_products"


class Socialization(Model):
    # One socialisation session the Dinas held in a kelurahan; a kelurahan may have several.
    id = fields.BigIntField(primary_key=True)
    kelurahan: fields.ForeignKeyRelation[Kelurahan] = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name="socializations", on_delete=fields.RESTRICT
    )
    kelurahan_id: str
    held_on = fields.DateField()
    note = fields.CharField(max_length=MAX_NOTE, default="")
    recorded_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    recorded_by_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "socialization"
        indexes = (("kelurahan_id", "held_on"),)


class PaidOrderMonth(Model):
    # Paid orders and their GMV by the Jakarta month they were placed in. Database triggers
    # on `payment` keep it (migration 0013), in the transaction that pays or refunds.
    month = fields.CharField(primary_key=True, max_length=7)
    orders = fields.BigIntField(default=0)
    gmv = fields.BigIntField(default=0)

    class Meta:
        table = "paid_order_month"


class CityCount(Model):
    # A city-wide count kept by database triggers (migration 0013) in the transaction of
    # each change: `active_products`, the products whose status is ACTIVE.
    name = fields.CharField(primary_key=True, max_length=32)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "city_count"
