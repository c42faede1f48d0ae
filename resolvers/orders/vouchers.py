"""Shop vouchers: the owner creates and changes them, anyone lists a shop's active ones."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.catalog import Product
from models.orders import Voucher, VoucherKind, VoucherProduct
from models.platform import User
from models.shops import Shop
from resolvers.orders.voucher_rules import is_code, normal_code
from resolvers.platform import (
    ErrorCode,
    Page,
    UserError,
    Validator,
    keyset_page,
    now,
    require_user,
    rows_grouped_by,
    visibility,
)

MAX_PRODUCTS = 100
DENIED = "Hanya pemilik toko yang boleh mengatur vouchernya."


def _public(moment: datetime) -> Q:
    """A voucher anyone sees: switched on and within its window."""
    return Q(is_active=True, starts_at__lte=moment, ends_at__gt=moment)


def _who_sees(viewer: User | None) -> Q:
    if viewer is None:
        return _public(now())
    return _public(now()) | Q(shop__owner_id=viewer.id)


visibility.register("Voucher", Voucher, _who_sees)


@dataclass(frozen=True)
class VoucherFields:
    """What a client sent; None: not given (an update leaves it as it is)."""

    code: str | None = None
    kind: VoucherKind | None = None
    amount: int | None = None
    percent: int | None = None
    max_discount: int | None = None
    min_spend: int | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    quota: int | None = None
    is_active: bool | None = None
    product_ids: list[int] | None = None


async def shop_vouchers_page(
    viewer: User | None, shop: Shop, *, first: int | None, after: str | None
) -> Page:
    """The shop's vouchers, newest first: every one for its owner, the public ones for others."""
    query = Voucher.filter(shop_id=shop.id)
    if viewer is None or viewer.id != shop.owner_id:
        query = query.filter(_public(now()))
    return await keyset_page(query, first=first, after=after)


async def products_of_vouchers(voucher_ids: list[int]) -> list[list[Product]]:
    links = await rows_grouped_by(
        VoucherProduct.all().select_related("product").order_by("id"), "voucher_id", voucher_ids
    )
    return [[link.product for link in group] for group in links]


async def create_voucher(viewer: User | None, shop_id: int, given: VoucherFields) -> Voucher:
    owner = require_user(viewer)
    shop = await Shop.get_or_none(id=shop_id)
    if shop is None:
        raise UserError(ErrorCode.NOT_FOUND, "Toko tidak ditemukan.", "shopId")
    if shop.owner_id != owner.id:
        raise UserError(ErrorCode.PERMISSION_DENIED, DENIED, "shopId")
    check = Validator()
    code = normal_code(given.code)
    if not is_code(code):
        check.add("code", ErrorCode.INVALID, "Kode voucher 4-20 huruf atau angka.")
    values = _terms(check, given, None)
    product_ids = await _products(check, shop.id, given.product_ids or [])
    check.check()
    try:
        async with in_transaction():
            voucher = await Voucher.create(shop_id=shop.id, code=code, used=0, **values)
            await _link(voucher.id, product_ids)
    except IntegrityError:
        raise UserError(
            ErrorCode.DUPLICATE, f"Toko ini sudah punya voucher {code}.", "code"
        ) from None
    return voucher


async def update_voucher(viewer: User | None, voucher_id: int, given: VoucherFields) -> Voucher:
    owner = require_user(viewer)
    found = visibility.visible("Voucher", owner, Voucher.filter(id=voucher_id))
    voucher = await found.select_related("shop").first()
    if voucher is None:
        raise UserError(ErrorCode.NOT_FOUND, "Voucher tidak ditemukan.", "id")
    if voucher.shop.owner_id != owner.id:
        raise UserError(ErrorCode.PERMISSION_DENIED, DENIED, "id")
    check = Validator()
    values = _terms(check, given, voucher)
    product_ids = None
    if given.product_ids is not None:
        product_ids = await _products(check, voucher.shop_id, given.product_ids)
    check.check()
    async with in_transaction():
        quota = values.pop("quota", None)
        if quota is not None:
            # Conditional on the uses at this moment: a checkout taking one at the same time
            # either counts here (and may refuse the quota) or finds the new quota.
            moved = await Voucher.filter(id=voucher.id, used__lte=quota).update(quota=quota)
            if not moved:
                raise _below_uses(await Voucher.get(id=voucher.id))
        if values:
            await Voucher.filter(id=voucher.id).update(**values)
        if product_ids is not None:
            await VoucherProduct.filter(voucher_id=voucher.id).delete()
            await _link(voucher.id, product_ids)
    return await Voucher.get(id=voucher.id)


def _below_uses(voucher: Voucher) -> UserError:
    return UserError(
        ErrorCode.INVALID,
        f"Kuota tidak boleh kurang dari pemakaian saat ini ({voucher.used}).",
        "quota",
    )


def _terms(check: Validator, given: VoucherFields, current: Voucher | None) -> dict[str, Any]:
    """The columns to write from `given`, checked against each other and, for an update,
    against what the voucher has."""
    values = {
        f.name: getattr(given, f.name)
        for f in fields(given)
        if f.name not in ("code", "product_ids") and getattr(given, f.name) is not None
    }
    merged = {**_columns(current), **values}
    kind = merged.get("kind")
    if kind is None:
        check.add("kind", ErrorCode.REQUIRED, "Pilih jenis voucher: potongan tetap atau persen.")
    elif kind == VoucherKind.FIXED:
        if (merged.get("amount") or 0) <= 0:
            check.add("amount", ErrorCode.INVALID, "Potongan harus lebih dari Rp0.")
        values.update(percent=None, max_discount=None)
    else:
        if not 1 <= (merged.get("percent") or 0) <= 100:
            check.add("percent", ErrorCode.INVALID, "Persen potongan 1 sampai 100.")
        if (merged.get("max_discount") or 0) <= 0:
            check.add("maxDiscount", ErrorCode.INVALID, "Potongan maksimal harus lebih dari Rp0.")
        values["amount"] = 0
    if merged.get("min_spend", 0) < 0:
        check.add("minSpend", ErrorCode.INVALID, "Minimal belanja tidak boleh negatif.")
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if starts is None or ends is None:
        check.add("startsAt", ErrorCode.REQUIRED, "Isi masa berlaku voucher.")
    elif ends <= starts:
        check.add("endsAt", ErrorCode.INVALID, "Akhir masa berlaku harus setelah awalnya.")
    quota = merged.get("quota")
    if quota is None or quota < 1:
        check.add("quota", ErrorCode.INVALID, "Kuota paling sedikit 1.")
    elif current is not None and "quota" in values and quota < current.used:
        check.add("quota", ErrorCode.INVALID, _below_uses(current).problems[0].message)
    return values


def _columns(voucher: Voucher | None) -> dict[str, Any]:
    if voucher is None:
        return {}
    names = ("kind", "amount", "percent", "max_discount", "min_spend", "starts_at", "ends_at")
    return {name: getattr(voucher, name) for name in (*names, "quota")}


async def _products(check: Validator, shop_id: int, product_ids: list[int]) -> list[int]:
    """The distinct products listed, each one of the shop's (else INVALID)."""
    wanted = list(dict.fromkeys(product_ids))
    if len(wanted) > MAX_PRODUCTS:
        check.add("productIds", ErrorCode.INVALID, f"Paling banyak {MAX_PRODUCTS} produk.")
        return []
    found = set(await Product.filter(id__in=wanted, shop_id=shop_id).values_list("id", flat=True))
    if len(found) != len(wanted):
        check.add("productIds", ErrorCode.INVALID, "Voucher hanya untuk produk toko ini.")
    return wanted


async def _link(voucher_id: int, product_ids: list[int]) -> None:
    await VoucherProduct.bulk_create(
        [VoucherProduct(voucher_id=voucher_id, product_id=p) for p in product_ids]
    )
