"""Payouts of a shop's available balance: requested by its owner, once per idempotency key,
to a checked bank account (PENDING until the payout provider confirms or fails it) or to the
owner's own SUKARELA (COMPLETED at once, the platform's and the cooperative's books in one
transaction).

The amount leaves the balance in the request's transaction by one conditional UPDATE, which
also queues racing requests of the shop, so the accepted ones never add up to more than the
balance held, nor to more than the day's maximum. The provider is asked after that commit,
never inside it; its answer (or a later one: the sweep, a notification) settles the payout in
a transaction of its own, exactly once."""

from __future__ import annotations

import logging
import secrets
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from models.cooperatives import Membership, MembershipStatus
from models.payouts import (
    Payout,
    PayoutDestination,
    PayoutDestinationKind,
    PayoutStatus,
    PlatformEntryKind,
    SellerMovementKind,
)
from models.platform import User
from models.shops import Shop
from resolvers.cooperatives import Journal, clearing
from resolvers.orders import platform_books as ledger
from resolvers.orders import seller_balance
from resolvers.orders.platform_books import (
    KAS_BANK,
    PAYOUT_PROSES,
    SALDO_PENJUAL,
    UTANG_KOPERASI,
    Entry,
)
from resolvers.payouts.balance import own_shops, paid_out_today
from resolvers.payouts.destinations import usable_destination
from resolvers.platform import (
    ErrorCode,
    NotificationKind,
    Once,
    Page,
    UserError,
    exactly_once,
    format_rupiah,
    keyset_page,
    marketplace_admin_ids,
    notify,
    now,
    remember,
    require_user,
    visibility,
)
from resolvers.providers import Services, next_batch
from resolvers.providers.payouts import (
    Disbursement,
    DisbursementRequest,
    DisbursementStatus,
    PayoutsUnavailable,
)
from resolvers.shops import owned_shop

logger = logging.getLogger("satupintu.payouts")
visibility.register("Payout", Payout, own_shops)


async def _shop_to_pay(viewer: User | None, shop_id: int) -> tuple[User, Shop]:
    denied = "Hanya pemilik toko yang boleh mencairkan saldo."
    return require_user(viewer), await owned_shop(viewer, shop_id, "shopId", denied)


def _check_amount(amount: int, services: Services) -> None:
    least = max(services.payout_minimum, 1)
    if amount < least:
        raise UserError(
            ErrorCode.INVALID, f"Pencairan paling sedikit {format_rupiah(least)}.", "amount"
        )


async def _take(
    shop: Shop, destination: PayoutDestination, amount: int, user: User, services: Services
) -> Payout:
    """Inside the transaction: the payout, its PAYOUT movement, or the refusal."""
    payout = await Payout.create(
        shop_id=shop.id,
        destination_id=destination.id,
        amount=amount,
        status=PayoutStatus.PENDING,
        reference=f"PO-{secrets.token_hex(10).upper()}",
        provider=services.payouts.name,
        requested_by_id=user.id,
    )
    taken = await seller_balance.move(
        shop.id,
        -amount,
        SellerMovementKind.PAYOUT,
        f"Pencairan ke {destination.label}",
        payout_id=payout.id,
    )
    if taken is None:
        raise UserError(ErrorCode.INSUFFICIENT_BALANCE, "Saldo tidak mencukupi.", "amount")
    # The balance's row is locked by now: racing requests of the shop wait here.
    if await paid_out_today(shop.id) > services.payout_daily_maximum:
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED,
            f"Pencairan melebihi batas harian {format_rupiah(services.payout_daily_maximum)}.",
            "amount",
        )
    return payout


async def _into_savings(
    journal: Journal, payout: Payout, destination: PayoutDestination, user: User
) -> None:
    membership = await Membership.get(id=destination.membership_id)
    if membership.status != MembershipStatus.ACTIVE:
        raise UserError(
            ErrorCode.INVALID_STATE, "Keanggotaan tujuan pencairan tidak aktif.", "destinationId"
        )
    await clearing.pay_into_sukarela(journal, membership, payout.amount, user.id)
    await ledger.post(
        PlatformEntryKind.SAVINGS_PAYOUT,
        "Pencairan saldo penjual ke simpanan sukarela",
        [
            Entry(SALDO_PENJUAL, debit=payout.amount),
            Entry(UTANG_KOPERASI, credit=payout.amount, cooperative_id=membership.cooperative_id),
        ],
        payout_id=payout.id,
    )
    await Payout.filter(id=payout.id).update(status=PayoutStatus.COMPLETED, completed_at=now())
    await _tell(payout, None)


async def request_payout(
    viewer: User | None,
    shop_id: int,
    destination_id: int,
    amount: int,
    key: str,
    services: Services,
) -> Payout:
    user, shop = await _shop_to_pay(viewer, shop_id)

    async def move(once: Once) -> Payout:
        destination = await usable_destination(user, shop.id, destination_id)
        _check_amount(amount, services)
        journal = Journal()
        async with in_transaction():
            payout = await _take(shop, destination, amount, user, services)
            if destination.kind == PayoutDestinationKind.COOPERATIVE_SAVINGS:
                await _into_savings(journal, payout, destination, user)
            else:
                await ledger.post(
                    PlatformEntryKind.PAYOUT_REQUESTED,
                    "Pencairan saldo penjual ke rekening bank diminta",
                    [Entry(SALDO_PENJUAL, debit=amount), Entry(PAYOUT_PROSES, credit=amount)],
                    payout_id=payout.id,
                )
            await remember(once, {"payout": payout.id})
        await journal.publish(services.events)
        if destination.kind == PayoutDestinationKind.BANK_ACCOUNT:
            await _disburse(payout, destination, services)
        return await Payout.get(id=payout.id)

    return await exactly_once(user, key, ("payout", shop.id, destination_id, amount), move, _replay)


async def _replay(result: Any) -> Payout:
    return await Payout.get(id=result["payout"])


def _request(payout: Payout, destination: PayoutDestination) -> DisbursementRequest:
    """A bank destination's transfer (the three fields are set on every BANK_ACCOUNT)."""
    return DisbursementRequest(
        reference=payout.reference,
        bank_code=destination.bank_code or "",
        account_number=destination.account_number or "",
        holder_name=destination.holder_name or "",
        amount=payout.amount,
        description="Pencairan saldo penjual SatuPintu",
    )


async def _disburse(payout: Payout, destination: PayoutDestination, services: Services) -> None:
    """Ask the provider to send it; no answer leaves it PENDING for the sweep."""
    try:
        answer = await services.payouts.disburse(_request(payout, destination))
    except PayoutsUnavailable:
        return
    await settle(payout.id, answer)


async def settle(payout_id: int, answer: Disbursement) -> bool:
    """Apply the provider's answer to a PENDING payout, once however many answers race:
    COMPLETED moves it out of Payout dalam Proses to the bank, FAILED returns it to the
    shop's balance (a PAYOUT_RETURNED movement); PENDING only keeps the provider's id of the
    transfer, the first time it is told. Whether it moved."""
    if answer.status == DisbursementStatus.PENDING:
        if answer.provider_reference:
            await Payout.filter(
                id=payout_id, status=PayoutStatus.PENDING, provider_reference__isnull=True
            ).update(provider_reference=answer.provider_reference)
        return False
    async with in_transaction():
        payout = await Payout.get(id=payout_id)
        failed = answer.status == DisbursementStatus.FAILED
        moved = await Payout.filter(id=payout_id, status=PayoutStatus.PENDING).update(
            status=PayoutStatus.FAILED if failed else PayoutStatus.COMPLETED,
            completed_at=None if failed else now(),
            failure_reason=(answer.failure_reason or "Transfer gagal.") if failed else None,
            provider_reference=answer.provider_reference or payout.provider_reference,
        )
        if not moved:
            return False
        if failed:
            await ledger.post(
                PlatformEntryKind.PAYOUT_RETURNED,
                "Pencairan gagal: dana kembali ke saldo penjual",
                [
                    Entry(PAYOUT_PROSES, debit=payout.amount),
                    Entry(SALDO_PENJUAL, credit=payout.amount),
                ],
                payout_id=payout.id,
            )
            await seller_balance.move(
                payout.shop_id,
                payout.amount,
                SellerMovementKind.PAYOUT_RETURNED,
                "Pencairan gagal, dana dikembalikan",
                payout_id=payout.id,
            )
        else:
            await ledger.post(
                PlatformEntryKind.PAYOUT_COMPLETED,
                "Pencairan ke rekening bank berhasil",
                [Entry(PAYOUT_PROSES, debit=payout.amount), Entry(KAS_BANK, credit=payout.amount)],
                payout_id=payout.id,
            )
        await _tell(payout, (answer.failure_reason or "Transfer gagal.") if failed else None)
    return True


async def _tell(payout: Payout, failure: str | None) -> None:
    """Inside the payout's transaction: the shop's owner and the marketplace's admins hear it
    completed or failed."""
    shop = await Shop.get(id=payout.shop_id)
    what = f"Pencairan saldo toko {shop.name} sebesar {format_rupiah(payout.amount)}"
    if failure is None:
        kind, title = NotificationKind.PAYOUT_COMPLETED, "Pencairan berhasil"
        body = f"{what} sudah berhasil."
    else:
        kind, title = NotificationKind.PAYOUT_FAILED, "Pencairan gagal"
        body = f"{what} gagal ({failure}); dana kembali ke saldo."
    recipients = [shop.owner_id, *await marketplace_admin_ids()]
    await notify(kind, ("Payout", payout.id), recipients, title, body)


async def recheck_pending_payouts(services: Services) -> int:
    """The sweep: ask the provider again about the next batch (`next_batch`) of PENDING bank
    payouts it made; how many settled. Another provider's (before `PAYOUTS` changed) are left
    to a host that still speaks to it: this one's answer about them would be made up."""
    settled = 0
    pending = await next_batch(
        Payout.filter(status=PayoutStatus.PENDING, provider=services.payouts.name),
        services,
        "payouts",
    )
    for payout in pending:
        destination = await PayoutDestination.get(id=payout.destination_id)
        try:
            answer = await services.payouts.status(_request(payout, destination))
        except PayoutsUnavailable:
            continue
        settled += await settle(payout.id, answer)
    return settled


class Notified(StrEnum):
    SETTLED = "SETTLED"
    UNCHANGED = "UNCHANGED"  # a repeat, or about a payout settled already
    UNKNOWN = "UNKNOWN"
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    REFERENCE_MISMATCH = "REFERENCE_MISMATCH"


async def apply_notification(answer: Disbursement) -> Notified:
    """A verified provider notification about a payout. It settles the payout it names only
    when its amount (if it says one) and the provider's id of the transfer (once known) are
    the payout's; a mismatch is logged and moves nothing."""
    payout = await Payout.get_or_none(reference=answer.reference)
    if payout is None:
        return Notified.UNKNOWN
    if answer.amount is not None and answer.amount != payout.amount:
        logger.warning(
            "payout %s: notified amount %s is not %s", payout.reference, answer.amount,
            payout.amount,
        )  # fmt: skip
        return Notified.AMOUNT_MISMATCH
    known = payout.provider_reference
    if known is not None and answer.provider_reference not in (None, known):
        logger.warning(
            "payout %s: notified transfer %s is not %s", payout.reference,
            answer.provider_reference, known,
        )  # fmt: skip
        return Notified.REFERENCE_MISMATCH
    return Notified.SETTLED if await settle(payout.id, answer) else Notified.UNCHANGED


async def payouts_page(
    shop_id: int, status: PayoutStatus | None, *, first: int | None, after: str | None
) -> Page[Payout]:
    """Call `owner_only` first: newest first."""
    query = Payout.filter(shop_id=shop_id)
    if status is not None:
        query = query.filter(status=status)
    return await keyset_page(query, first=first, after=after)
