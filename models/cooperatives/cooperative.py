"""Cooperatives (koperasi), their pengurus and members, and members' savings."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from models.platform import Moment

if TYPE_CHECKING:
    from models.platform import Kelurahan, User


class CooperativeType(StrEnum):
    # The kinds of koperasi by business (UU 25/1992 and Permenkop 2015).
    SIMPAN_PINJAM = "SIMPAN_PINJAM"
    KONSUMEN = "KONSUMEN"
    PRODUSEN = "PRODUSEN"
    PEMASARAN = "PEMASARAN"
    JASA = "JASA"
    SERBA_USAHA = "SERBA_USAHA"


class MembershipStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"
    ENDED = "ENDED"


class SavingsKind(StrEnum):
    # Simpanan pokok (once) and wajib (monthly) are equity; sukarela is a debt to the member.
    POKOK = "POKOK"
    WAJIB = "WAJIB"
    SUKARELA = "SUKARELA"


class KolektibilitasBands(StrEnum):
    # Which days-past-due bands grade its loans (resolvers.loans.arrears).
    BANK = "BANK"
    MINISTRY = "MINISTRY"


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
    legal_date = fields.DateField(null=True)
    # Its policy: the one-time simpanan pokok and the monthly simpanan wajib, in rupiah.
    pokok_amount = fields.BigIntField(default=0)
    wajib_monthly_amount = fields.BigIntField(default=0)
    # Its loan policy: the largest principal it lends, and the denda (late fee) in basis
    # points per day past due of what is still owed, charged after the grace days.
    loan_max_principal = fields.BigIntField(default=50_000_000)
    denda_bps_per_day = fields.IntField(default=10)
    denda_grace_days = fields.IntField(default=7)
    # The most denda one installment owes, in basis points of its principal and interest
    # (none when null); every installment but a loan's last a multiple of this many rupiah.
    denda_cap_bps = fields.IntField(null=True)
    installment_multiple = fields.IntField(default=1)
    # The allowance for bad loans per kolektibilitas 1-5, in basis points of the principal
    # outstanding, comma-separated (resolvers.loans.allowance).
    allowance_rates_bps = fields.CharField(max_length=60, default="50,1000,5000,5000,10000")
    kolektibilitas_bands = fields.CharEnumField(
        KolektibilitasBands, max_length=10, default=KolektibilitasBands.BANK
    )
    # The Deposit PPOB account's balance, kept beside its journal lines so that an outside
    # bill takes it by one conditional UPDATE and it never goes below 0 (resolvers.bills).
    ppob_deposit = fields.BigIntField(default=0)
    # The highest member number given: approvals take the next one under this row's lock.
    last_member_number = fields.IntField(default=0)
    # The name's stems, space-separated and framed by spaces, for the directory's name match.
    search_name = fields.CharField(max_length=400, default="")
    created_at = Moment(auto_now_add=True)

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
    created_at = Moment(auto_now_add=True)

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
    joined_at = Moment(null=True)
    # Personal data (UU PDP 27/2022): shown only to the member and the pengurus.
    nik = fields.CharField(max_length=16, null=True)
    address = fields.CharField(max_length=255, default="")
    phone = fields.CharField(max_length=16, default="")
    rejection_reason = fields.CharField(max_length=255, default="")
    ended_at = Moment(null=True)
    # False while an imported membership waits for its member's account (`MembershipClaim`).
    claimed = fields.BooleanField(default=True, db_default=True)
    created_at = Moment(auto_now_add=True)

    class Meta:
        table = "membership"
        # The city's grouped counts of active members and of new members; applications by NIK.
        indexes = (
            ("user_id", "id"),
            ("cooperative_id", "status", "id"),
            ("status", "cooperative_id"),
            ("joined_at",),
            ("nik",),
        )
        # A NIK is not unique here: applications with one are judged by their pengurus
        # against `NikOwner` (resolvers.cooperatives.membership).
        unique_together = (
            ("cooperative", "user"),
            ("cooperative", "number"),
        )


class NikOwner(Model):
    # The account a NIK belongs to across the city: the first whose membership with it a
    # pengurus approved. Permanent: a membership that ends does not give the NIK away.
    id = fields.BigIntField(primary_key=True)
    nik = fields.CharField(max_length=16, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "satupintu.User", related_name="verified_niks", on_delete=fields.RESTRICT
    )
    user_id: int
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="verified_niks", on_delete=fields.RESTRICT
    )
    membership_id: int
    verified_at = Moment()

    class Meta:
        table = "nik_owner"


class SavingsAccount(Model):
    # One of a membership's three savings; `balance` always equals the sum of its journal lines.
    id = fields.BigIntField(primary_key=True)
    membership: fields.ForeignKeyRelation[Membership] = fields.ForeignKeyField(
        "satupintu.Membership", related_name="savings", on_delete=fields.RESTRICT
    )
    membership_id: int
    kind = fields.CharEnumField(SavingsKind, max_length=10)
    balance = fields.BigIntField(default=0)
    # Closed when the membership ends: nothing moves it after its payout.
    is_open = fields.BooleanField(default=True)

    class Meta:
        table = "savings_account"
        unique_together = (("membership", "kind"),)
