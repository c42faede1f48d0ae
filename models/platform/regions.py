"""Kota Tangerang's kecamatan and kelurahan, keyed by Kemendagri code."""

from tortoise import fields
from tortoise.models import Model


class Kecamatan(Model):
    code = fields.CharField(primary_key=True, max_length=8)
    name = fields.CharField(max_length=64)

    class Meta:
        table = "kecamatan"
        ordering = ("code",)


class Kelurahan(Model):
    code = fields.CharField(primary_key=True, max_length=13)
    name = fields.CharField(max_length=64)
    kecamatan: fields.ForeignKeyRelation[Kecamatan] = fields.ForeignKeyField(
        "satupintu.Kecamatan", related_name="kelurahan", on_delete=fields.RESTRICT
    )
    kecamatan_id: str

    class Meta:
        table = "kelurahan"
        ordering = ("code",)
