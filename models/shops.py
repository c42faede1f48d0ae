"""UMKM shops."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.platform import Kelurahan, User


class SizeClass(StrEnum):
    MIKRO = "MIKRO"
    KECIL = "KECIL"
    MENENGAH = "MENENGAH"


class Shop(Model):
    id = fields.BigIntField(primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="shops", on_delete=fields.RESTRICT
    )
    owner_id: int
    slug = fields.CharField(max_length=80, unique=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    size_class = fields.CharEnumField(SizeClass, max_length=10)
    kelurahan: fields.ForeignKeyRelation[Kelurahan] = fields.ForeignKeyField(
        "satupintu.Kelurahan", related_name="shops", on_delete=fields.RESTRICT
    )
    kelurahan_id: str
    address = fields.CharField(max_length=255, default="")
    whatsapp = fields.CharField(max_length=16)
    nib = fields.CharField(max_length=13, null=True)
    is_verified = fields.BooleanField(default=False)
    verified_at = Moment(null=True)
    # The cooperative that runs this shop; set by that cooperative's admin.
    cooperative_id = fields.BigIntField(null=True, db_index=True)
    # The logo's Image id; a plain column, since images already point at products and shops.
    logo_id = fields.BigIntField(null=True)
    created_at = Moment(auto_now_add=True)
    updated_at = Moment(auto_now=True)

    class Meta:
        table = "shop"
        indexes = (("owner_id", "id"),)


class NibHolder(Model):
    # The owner a NIB belongs to: the first shop that names it claims it for its owner.

    nib = fields.CharField(max_length=13, primary_key=True)
    owner: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="nibs", on_delete=fields.CASCADE
    )
    owner_id: int

    class Meta:
        table = "nib_holder"


class ShopVerificationChange(Model):
    # The shop's badge given or taken, by whom (null: the system) and why.

    id = fields.BigIntField(primary_key=True)
    shop: fields.ForeignKeyRelation[Shop] = fields.ForeignKeyField(
        "satupintu.Shop", related_name="verification_changes", on_delete=fields.CASCADE
    )
    shop_id: int
    verified = fields.BooleanField()
    actor_id = fields.BigIntField(null=True)
    reason = fields.CharField(max_length=255)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "shop_verification_change"
        indexes = (("shop_id", "id"),)
