"""Cooperatives (koperasi), their pengurus and their members."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


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
    kelurahan = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name="cooperatives", on_delete=fields.RESTRICT
    )
    address = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cooperative"


class CooperativeAdmin(Model):
    # A pengurus: a user who administers one cooperative.
    id = fields.BigIntField(primary_key=True)
    cooperative = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="admins", on_delete=fields.CASCADE
    )
    user = fields.ForeignKeyField(
        "satupintu.User", related_name="administered", on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cooperative_admin"
        indexes = (("user_id",),)
        unique_together = (("cooperative", "user"),)


class Membership(Model):
    # One person's membership of one cooperative; the number is given on approval.
    id = fields.BigIntField(primary_key=True)
    cooperative = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name="memberships", on_delete=fields.RESTRICT
    )
    user = fields.ForeignKeyField(
        "satupintu.User", related_name="memberships", on_delete=fields.RESTRICT
    )
    number = fields.IntField(null=True)
    status = fields.CharEnumField(MembershipStatus, max_length=10, default=MembershipStatus.PENDING)
    joined_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        # The last two: the city's grouped counts of active members and of new members.
        indexes = (("user_id", "id"), ("status", "cooperative_id"), ("joined_at",))
        unique_together = (("cooperative", "user"), ("cooperative", "number"))
