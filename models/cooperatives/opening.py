"""Moving an existing cooperative in (saldo awal): the import of its opening balances, and
the imported memberships waiting for their members' accounts to claim them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.cooperatives.books import JournalEntry
    from models.cooperatives.cooperative import Cooperative, Membership
    from models.platform import User


class OpeningImport(Model):
    # A cooperative's one completed import, known by its file's SHA-256: the same file again
    # changes nothing, another file is refused.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.OneToOneRelation[Cooperative] = fields.OneToOneField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    digest = fields.CharField(max_length=64)
    cut_over = fields.DateField()
    members = fields.IntField()
    loans = fields.IntField()
    total_debit = fields.BigIntField()
    total_credit = fields.BigIntField()
    entry: fields.ForeignKeyRelation[JournalEntry] = fields.ForeignKeyField(
        "satupintu.JournalEntry", related_name=False, on_delete=fields.RESTRICT
    )
    entry_id: int
    imported_by: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.RESTRICT
    )
    imported_by_id: int
    imported_at = Moment(auto_now_add=True)

    class Meta:
        table = "opening_import"


class MembershipClaim(Model):
    # An imported membership, held by an account that cannot sign in until its member's
    # account claims it with a one-time code sent to the imported phone (only its digest kept).
    id = fields.BigIntField(primary_key=True)
    membership: fields.OneToOneRelation[Membership] = fields.OneToOneField(
        "satupintu.Membership", related_name="claim", on_delete=fields.RESTRICT
    )
    membership_id: int
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.RESTRICT
    )
    cooperative_id: int
    # Personal data (UU PDP 27/2022), as imported: the phone as E.164.
    phone = fields.CharField(max_length=16)
    nik = fields.CharField(max_length=16)
    code_digest = fields.CharField(max_length=64, null=True)
    code_expires_at = Moment(null=True)
    claimed_at = Moment(null=True)
    claimed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, null=True, on_delete=fields.RESTRICT
    )
    claimed_by_id: int | None

    class Meta:
        table = "membership_claim"
        indexes = (("cooperative_id", "phone", "nik"),)


class ClaimLock(Model):
    # Wrong claim codes for a cooperative, phone and NIK, counted whether or not such an
    # imported membership exists; past the limit every claim of it waits until `locked_until`.
    id = fields.BigIntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "satupintu.Cooperative", related_name=False, on_delete=fields.CASCADE
    )
    cooperative_id: int
    phone = fields.CharField(max_length=16)
    nik = fields.CharField(max_length=16)
    failures = fields.IntField(default=0)
    locked_until = Moment(null=True)

    class Meta:
        table = "claim_lock"
        unique_together = (("cooperative", "phone", "nik"),)


class ClaimCodeRequest(Model):
    # One request for a claim code: who asked, and the claim it sent a code for (if any).
    id = fields.BigIntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    claim: fields.ForeignKeyNullableRelation[MembershipClaim] = fields.ForeignKeyField(
        "satupintu.MembershipClaim", related_name=False, null=True, on_delete=fields.CASCADE
    )
    claim_id: int | None
    at = Moment(auto_now_add=True)

    class Meta:
        table = "claim_code_request"
        indexes = (("user_id", "at"), ("claim_id", "at"))
