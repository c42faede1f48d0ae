"""Where a shop's payouts may go: a bank account its owner checked with the payout provider's
account inquiry (the holder's name shown first), or the owner's own SUKARELA at a
cooperative where they are an ACTIVE member."""

from __future__ import annotations

from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models.cooperatives import Membership, MembershipStatus
from models.payouts import BankAccountCheck, PayoutDestination, PayoutDestinationKind
from models.platform import User
from models.shops import Shop
from resolvers.platform import (
    ErrorCode,
    ServiceUnavailable,
    UserError,
    now,
    require_user,
    visibility,
)
from resolvers.providers import Services
from resolvers.providers.payouts import Bank, PayoutsUnavailable, account_number
from resolvers.shops import owned_shop

CHECK_LIFETIME = timedelta(minutes=30)


def _own_checks(viewer: User | None) -> Q | None:
    return None if viewer is None else Q(user_id=viewer.id)


def _own_shops(viewer: User | None) -> Q | None:
    return None if viewer is None else Q(shop__owner_id=viewer.id, deleted_at__isnull=True)


visibility.register("BankAccountCheck", BankAccountCheck, _own_checks)
visibility.register("PayoutDestination", PayoutDestination, _own_shops)


UNAVAILABLE = "Penyedia pencairan dana sedang tidak bisa dihubungi; coba lagi."


async def banks(services: Services) -> list[Bank]:
    """A top-level SERVICE_UNAVAILABLE when the provider does not answer."""
    try:
        return await services.payouts.banks()
    except PayoutsUnavailable:
        raise ServiceUnavailable(UNAVAILABLE) from None


async def check_bank_account(
    viewer: User | None, bank_code: str, number: str, services: Services
) -> BankAccountCheck:
    """The payout provider's account inquiry, kept as the caller's own check for a while."""
    user = require_user(viewer)
    try:
        known = {bank.code: bank for bank in await services.payouts.banks()}
        bank = known.get(bank_code.strip().lower())
        if bank is None:
            raise UserError(ErrorCode.INVALID, "Kode bank tidak dikenal.", "bankCode")
        holder = await services.payouts.inquire(bank.code, account_number(number))
    except PayoutsUnavailable:
        raise UserError(ErrorCode.SERVICE_UNAVAILABLE, UNAVAILABLE, "accountNumber") from None
    return await BankAccountCheck.create(
        user_id=user.id,
        bank_code=bank.code,
        bank_name=bank.name,
        account_number=holder.account_number,
        holder_name=holder.holder_name,
        expires_at=now() + CHECK_LIFETIME,
    )


async def _shop_to_change(viewer: User | None, shop_id: int) -> tuple[User, Shop]:
    """The shop is public: another user may see it but not add to it."""
    denied = "Hanya pemilik toko yang boleh mengatur tujuan pencairan."
    return require_user(viewer), await owned_shop(viewer, shop_id, "shopId", denied)


async def _bank_destination(user: User, shop: Shop, check_id: int) -> PayoutDestination:
    check = await BankAccountCheck.get_or_none(id=check_id, user_id=user.id)
    if check is None:
        raise UserError(
            ErrorCode.NOT_FOUND, "Pengecekan rekening tidak ditemukan.", "bankAccountCheckId"
        )
    if check.expires_at <= now():
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Pengecekan rekening sudah kedaluwarsa; cek rekening lagi.",
            "bankAccountCheckId",
        )
    return PayoutDestination(
        shop_id=shop.id,
        kind=PayoutDestinationKind.BANK_ACCOUNT,
        label=f"{check.bank_name} {check.account_number} a.n. {check.holder_name}",
        bank_code=check.bank_code,
        bank_name=check.bank_name,
        account_number=check.account_number,
        holder_name=check.holder_name,
        active_key=f"bank:{check.bank_code}:{check.account_number}",
    )


async def _savings_destination(user: User, shop: Shop, membership_id: int) -> PayoutDestination:
    membership = await Membership.get_or_none(id=membership_id).select_related("cooperative")
    if membership is None or membership.user_id != user.id:
        raise UserError(ErrorCode.NOT_FOUND, "Keanggotaan tidak ditemukan.", "membershipId")
    if membership.status != MembershipStatus.ACTIVE:
        raise UserError(ErrorCode.INVALID_STATE, "Keanggotaan ini tidak aktif.", "membershipId")
    return PayoutDestination(
        shop_id=shop.id,
        kind=PayoutDestinationKind.COOPERATIVE_SAVINGS,
        label=f"Simpanan sukarela di {membership.cooperative.name}",
        membership_id=membership.id,
        active_key=f"membership:{membership.id}",
    )


async def create_destination(
    viewer: User | None, shop_id: int, check_id: int | None, membership_id: int | None
) -> PayoutDestination:
    user, shop = await _shop_to_change(viewer, shop_id)
    if (check_id is None) == (membership_id is None):
        raise UserError(
            ErrorCode.INVALID,
            "Pilih satu: rekening bank yang sudah dicek atau keanggotaan koperasi.",
            "bankAccountCheckId",
        )
    if check_id is not None:
        destination = await _bank_destination(user, shop, check_id)
    else:
        assert membership_id is not None
        destination = await _savings_destination(user, shop, membership_id)
    try:
        await destination.save()
    except IntegrityError:
        raise UserError(
            ErrorCode.DUPLICATE, "Tujuan pencairan ini sudah ada di toko.", "bankAccountCheckId"
        ) from None
    return destination


async def usable_destination(user: User, shop_id: int, destination_id: int) -> PayoutDestination:
    """One of the shop's destinations, not deleted, or NOT_FOUND."""
    destination = await PayoutDestination.get_or_none(
        id=destination_id, shop_id=shop_id, deleted_at__isnull=True, shop__owner_id=user.id
    )
    if destination is None:
        raise UserError(ErrorCode.NOT_FOUND, "Tujuan pencairan tidak ditemukan.", "destinationId")
    return destination


async def delete_destination(viewer: User | None, destination_id: int) -> None:
    user = require_user(viewer)
    deleted = await PayoutDestination.filter(
        id=destination_id, shop__owner_id=user.id, deleted_at__isnull=True
    ).update(deleted_at=now(), active_key=None)
    if not deleted:
        raise UserError(ErrorCode.NOT_FOUND, "Tujuan pencairan tidak ditemukan.", "id")


async def destinations_of(shop_id: int) -> list[PayoutDestination]:
    """Call `owner_only` first: oldest first, the deleted ones left out."""
    return await PayoutDestination.filter(shop_id=shop_id, deleted_at__isnull=True).order_by("id")
