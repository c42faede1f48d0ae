"""A shop voucher at checkout: what it takes off a buyer's goods (also for a quote, which takes
nothing), the use checkout takes inside its transaction, and the use given back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from models.orders import Voucher, VoucherProduct, VoucherUse
from resolvers.orders.voucher_rules import Line, Terms, discount, eligible_goods, normal_code
from resolvers.platform import ErrorCode, UserError, format_rupiah, now


@dataclass(frozen=True)
class Priced:
    voucher: Voucher
    discount: int


async def price_voucher(
    buyer_id: int, shop_id: int, code: str, lines: Sequence[Line], field: str
) -> Priced:
    """The discount the shop's voucher `code` gives the buyer on `lines` (the shop's goods at
    the prices charged), or the UserError checkout would answer, on `field`. Takes no use."""
    wanted = normal_code(code)
    voucher = await Voucher.get_or_none(shop_id=shop_id, code=wanted)
    if voucher is None:
        raise UserError(ErrorCode.NOT_FOUND, f"Voucher {wanted} tidak ditemukan.", field)
    moment = now()
    if not voucher.is_active:
        raise UserError(ErrorCode.INVALID, f"Voucher {wanted} sedang tidak aktif.", field)
    if not voucher.starts_at <= moment < voucher.ends_at:
        raise UserError(ErrorCode.INVALID, f"Voucher {wanted} di luar masa berlakunya.", field)
    linked = VoucherProduct.filter(voucher_id=voucher.id).values_list("product_id", flat=True)
    products = frozenset(cast(list[int], await linked))
    if products and not any(line.product_id in products for line in lines):
        raise UserError(
            ErrorCode.INVALID, f"Voucher {wanted} tidak berlaku untuk produk ini.", field
        )
    goods = eligible_goods(lines, products)
    if goods < voucher.min_spend:
        raise UserError(
            ErrorCode.INVALID,
            f"Voucher {wanted} berlaku untuk belanja minimal {format_rupiah(voucher.min_spend)}.",
            field,
        )
    if await VoucherUse.exists(voucher_id=voucher.id, buyer_id=buyer_id):
        raise _used_by_buyer(wanted, field)
    if voucher.used >= voucher.quota:
        raise _quota_gone(wanted, field)
    terms = Terms(voucher.kind, voucher.amount, voucher.percent, voucher.max_discount)
    return Priced(voucher, discount(terms, goods))


async def take_use(priced: Priced, buyer_id: int, order_id: int, field: str) -> None:
    """Inside the checkout's transaction: one use of the voucher for this buyer's order.

    The count moves only while a use is left and the voucher is still on and within its
    window, in one conditional UPDATE: its row lock lines up buyers racing for the last uses
    (and an owner changing the quota), so the quota is never exceeded."""
    voucher, moment = priced.voucher, now()
    taken = await Voucher.filter(
        id=voucher.id,
        used__lt=F("quota"),
        is_active=True,
        starts_at__lte=moment,
        ends_at__gt=moment,
    ).update(used=F("used") + 1)
    if not taken:
        current = await Voucher.get(id=voucher.id)
        if current.is_active and current.used >= current.quota:
            raise _quota_gone(voucher.code, field)
        raise UserError(ErrorCode.INVALID, f"Voucher {voucher.code} sedang tidak berlaku.", field)
    try:
        await VoucherUse.create(voucher_id=voucher.id, buyer_id=buyer_id, order_id=order_id)
    except IntegrityError:  # the same buyer's other checkout took it meanwhile
        raise _used_by_buyer(voucher.code, field) from None


async def give_use_back(order_id: int) -> None:
    """Inside the caller's transaction (a cancellation, a full refund): the order's use goes
    back to its voucher, once however often this is called."""
    use = await VoucherUse.get_or_none(order_id=order_id)
    if use is None:
        return
    if await VoucherUse.filter(id=use.id).delete():
        await Voucher.filter(id=use.voucher_id, used__gt=0).update(used=F("used") - 1)


def _used_by_buyer(code: str, field: str) -> UserError:
    return UserError(ErrorCode.DUPLICATE, f"Anda sudah memakai voucher {code}.", field)


def _quota_gone(code: str, field: str) -> UserError:
    return UserError(ErrorCode.LIMIT_EXCEEDED, f"Kuota voucher {code} sudah habis.", field)
