"""SHU distributions: at most one per cooperative and year, with each member's share."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives import Cooperative, Membership
    from models.platform import User


class ShuDestination(StrEnum):
    # Where a member's share went: their SUKARELA, or Utang SHU Anggota for one who left.
    SUKARELA = "SUKARELA"
    PAYABLE = "PAYABLE"


class ShuDistribution(Model):
    # A year's SHU as the RAT decided it; the unique (cooperative, year) makes it once only.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="shu_distributions", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    year = fields.IntField()
    # Written first, as the claim on (cooperative, year); its figures once they are posted.
    surplus = fields.BigIntField(default=0)
    books_surplus = fields.BigIntField(default=0)
    # The percentages decided, in basis points.
    reserve_bps = fields.IntField(default=0)
    capital_service_bps = fields.IntField(default=0)
    member_service_bps = fields.IntField(default=0)
    reserve = fields.BigIntField(default=0)
    capital_service_pool = fields.BigIntField(default=0)
    member_service_pool = fields.BigIntField(default=0)
    allocations_payable = fields.BigIntField(default=0)
    distributed = fields.BigIntField(default=0)
    actor: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    actor_id: int
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "shu_distribution"
        unique_together = (("cooperative", "year"),)


class ShuShare(Model):
    # One member's share; a PAYABLE one is what Utang SHU Anggota owes that member.
    id = fields.BigIntField(primary_key=True)
    distribution: fields.ForeignKeyRelation[ShuDistribution] = fields.ForeignKeyField(
        "satupintu.ShuDistribution", related_name="shares", on_delete=fields.RESTRICT
    )
    distribution_id: int
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name=False, on_delete=fields.RESTRICT
    )
    membership_id: int
    capital_share = fields.BigIntField()
    service_share = fields.BigIntField()
    destination = fields.CharEnumField(ShuDestination, max_length=10)
    # When a PAYABLE share was paid out (cash, or into a SUKARELA), clearing Utang SHU Anggota.
    paid_at = Moment(null=True)

    class Meta:
        table = "shu_share"
        unique_together = (("distribution", "membership"),)
