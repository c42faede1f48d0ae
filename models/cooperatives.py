"""Cooperatives (koperasi), their pengurus and their members."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.regions import Kelurahan


class CooperativeType(StrEnum):
    # The kinds of koperasi by business (UU 25/1992 and Permenkop 2015).
    SIMPAN_PINJAM = "SIMPAN_PINJAM"
    KONSUMEN = "KONSUMEN"
    PRODUSEN = "PRODUSEN"
    PEMASARAN = "PEMASARAN"
    JASA = "JASA"


class MembershipStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    ENDED = "ENDED"


class Cooperative(Model):
    id = fields.BigIntField(primary_key=True)
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=160)
    type = fields.CharEnumField(CooperativeType, max_length=16)
    # The badan hukum number issued by the Ministry of Law (AHU-...).
    legal_number = fields.CharField(max_length=60, unique=True)
    is_digital = fields.BooleanField(default=False)
    kelurahan: fields.ForeignKeyRelation[Kelurahan] = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name="cooperatives", on_delete=fields.RESTRICT
    )
    kelurahan_id: str
    address = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cooperative"


class CooperativeAdmin(Model):
    # A pengurus: a user who administers one cooperative.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="admins", on_delete=fields.CASCADE
    )
    cooperative_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="administered", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cooperative_admin"
        indexes = (("user_id",),)
        unique_together = (("cooperative", "user"),)


class Membership(Model):
    # One person's membership of one cooperative; the number is given on approval.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="memberships", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="memberships", on_delete=fields.RESTRICT
    )
    user_id: int
    number = fields.IntField(null=True)
    status = fields.CharEnumField(MembershipStatus, max_length=10, default=MembershipStatus.PENDING)
    joined_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        indexes = (("user_id", "id"),)
        unique_together = (("cooperative", "user"), ("cooperative", "number"))
