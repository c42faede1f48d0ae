"""Opening, changing and verifying UMKM shops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.catalog import Product, ProductStatus
from models.platform import User
from models.shops import NibHolder, Shop, ShopVerificationChange, SizeClass
from resolvers.platform import (
    ErrorCode,
    Page,
    UserError,
    Validator,
    counts_by,
    keyset_page,
    normalise_phone,
    now,
    regions,
    require_city_admin,
    require_user,
    row_where,
    rows_by_ids,
    unique_slug,
    visibility,
)
from resolvers.search.index import index_shop
from resolvers.search.shops import matching_shop_ids
from resolvers.shops.nib import is_valid_nib

MAX_NAME = 120
MAX_DESCRIPTION = 5000
MAX_ADDRESS = 255


@dataclass
class ShopFields:
    name: str | None = None
    description: str | None = None
    size_class: str | None = None
    kelurahan_code: str | None = None
    address: str | None = None
    whatsapp: str | None = None
    nib: str | None = None


async def _checked(fields: ShopFields, *, creating: bool) -> dict[str, Any]:
    check = Validator()
    values: dict[str, Any] = {}
    if fields.name is not None or creating:
        values["name"] = check.text("name", fields.name, "Nama toko", MAX_NAME, required=True)
    if fields.description is not None:
        values["description"] = check.text(
            "description", fields.description, "Deskripsi", MAX_DESCRIPTION, required=False
        )
    if fields.size_class is not None or creating:
        size_class = fields.size_class or ""
        if size_class not in SizeClass.__members__:
            check.add(
                "sizeClass", ErrorCode.INVALID, "Skala usaha harus MIKRO, KECIL atau MENENGAH."
            )
        else:
            values["size_class"] = SizeClass(size_class)
    if fields.kelurahan_code is not None or creating:
        kelurahan = await regions.kelurahan(fields.kelurahan_code or "")
        if kelurahan is None:
            check.add(
                "kelurahanCode", ErrorCode.INVALID, "Kelurahan tidak dikenal di Kota Tangerang."
            )
        else:
            values["kelurahan_id"] = kelurahan.code
    if fields.address is not None:
        if len(fields.address) > MAX_ADDRESS:
            check.add("address", ErrorCode.INVALID, "Alamat paling panjang 255 karakter.")
        values["address"] = fields.address.strip()
    if fields.whatsapp is not None or creating:
        number = normalise_phone(fields.whatsapp or "", mobile_only=True)
        if number is None:
            check.add("whatsapp", ErrorCode.INVALID, "Nomor WhatsApp harus nomor ponsel Indonesia.")
        values["whatsapp"] = number
    if fields.nib:
        nib = fields.nib.strip()
        if not is_valid_nib(nib):
            check.add("nib", ErrorCode.INVALID, "NIB harus 13 angka.")
        values["nib"] = nib
    check.check()
    return values


async def _claim_nib(owner_id: int, nib: object) -> None:
    """One NIB, one owner: the first shop naming a NIB claims it for its owner, whose other
    shops may name it too; another owner's shop may not. Claimed in its own transaction,
    so that two owners racing for one NIB meet at the primary key."""
    if not isinstance(nib, str):
        return
    holder = await NibHolder.get_or_none(nib=nib)
    if holder is None:
        try:
            holder = await NibHolder.create(nib=nib, owner_id=owner_id)
        except IntegrityError:
            holder = await NibHolder.get(nib=nib)
    if holder.owner_id != owner_id:
        raise UserError(
            ErrorCode.DUPLICATE, "NIB ini sudah terdaftar untuk toko milik orang lain.", "nib"
        )


async def create_shop(viewer: User | None, fields: ShopFields) -> Shop:
    owner = require_user(viewer)
    values = await _checked(fields, creating=True)
    await _claim_nib(owner.id, values.get("nib"))
    for _ in range(3):
        try:
            slug = await unique_slug(Shop, str(values["name"]))
            async with in_transaction():
                shop = await Shop.create(owner=owner, slug=slug, **values)
                await index_shop(shop.id, shop.name, shop.description, products=False)
            return shop
        except IntegrityError:
            continue  # another shop took the slug between the check and the insert
    raise UserError(ErrorCode.DUPLICATE, "Nama toko sedang dipakai; coba lagi.", "name")


async def owned_shop(
    viewer: User | None,
    shop_id: int,
    field: str = "id",
    denied: str = "Hanya pemilik toko yang boleh mengubahnya.",
) -> Shop:
    """The shop, if the viewer owns it; otherwise a UserError (`denied` for another user)."""
    user = require_user(viewer)
    shop = await Shop.get_or_none(id=shop_id)
    if shop is None:
        raise UserError(ErrorCode.NOT_FOUND, "Toko tidak ditemukan.", field)
    if shop.owner_id != user.id:
        raise UserError(ErrorCode.PERMISSION_DENIED, denied, field)
    return shop


async def update_shop(viewer: User | None, shop_id: int, fields: ShopFields) -> Shop:
    shop = await owned_shop(viewer, shop_id)
    values = await _checked(fields, creating=False)
    renamed = "name" in values and values["name"] != shop.name
    new_nib = "nib" in values and values["nib"] != shop.nib
    if new_nib:
        await _claim_nib(shop.owner_id, values["nib"])
    # The badge vouches for this name and this NIB: a change needs the Dinas to check again.
    unverify = shop.is_verified and (renamed or new_nib)
    if unverify:
        values["is_verified"] = False
        values["verified_at"] = None
    shop.update_from_dict(values)
    async with in_transaction():
        await shop.save()
        if unverify:
            reason = "Nama toko diubah." if renamed else "NIB diubah."
            await ShopVerificationChange.create(
                shop=shop, verified=False, actor_id=shop.owner_id, reason=reason
            )
        await index_shop(shop.id, shop.name, shop.description, products=renamed)
    return shop


async def verify_shop(viewer: User | None, shop_id: int) -> Shop:
    admin = require_city_admin(viewer)
    shop = await Shop.get_or_none(id=shop_id)
    if shop is None:
        raise UserError(ErrorCode.NOT_FOUND, "Toko tidak ditemukan.", "id")
    if not is_valid_nib(shop.nib):
        raise UserError(ErrorCode.INVALID_STATE, "Toko belum punya NIB 13 angka yang sah.", "id")
    if not shop.is_verified:
        shop.is_verified = True
        shop.verified_at = now()
        async with in_transaction():
            await shop.save(update_fields=["is_verified", "verified_at"])
            await ShopVerificationChange.create(
                shop=shop, verified=True, actor_id=admin.id, reason="Diverifikasi petugas Dinas."
            )
    return shop


async def verification_history(
    viewer: User | None, shop: Shop
) -> list[ShopVerificationChange] | None:
    """The badge's history, oldest first, for the shop's owner and the Dinas only."""
    if viewer is None or (viewer.id != shop.owner_id and not viewer.is_city_admin):
        return None
    return await ShopVerificationChange.filter(shop_id=shop.id).order_by("id")


visibility.register("Shop", Shop, visibility.everyone)


async def shop_by_slug(slug: str) -> Shop | None:
    return await row_where(Shop, "slug", slug)


async def shops_by_ids(ids: list[int]) -> list[Shop | None]:
    return await rows_by_ids(Shop, ids)


async def shops_of(owner_id: int) -> list[Shop]:
    return await Shop.filter(owner_id=owner_id).order_by("id")


@dataclass
class ShopFilter:
    kecamatan: str | None = None
    kelurahan: str | None = None
    verified: bool | None = None


async def shops_page(
    text: str | None, shop_filter: ShopFilter, *, first: int | None, after: str | None
) -> Page[Shop]:
    query = Shop.all()
    found = await matching_shop_ids(text or "")
    if found is not None:
        query = query.filter(id__in=found)
    directory = await regions.directory()
    if shop_filter.kelurahan:
        if shop_filter.kelurahan not in directory.kelurahan_by_code:
            query = query.filter(id__in=[])
        query = query.filter(kelurahan_id=shop_filter.kelurahan[:13])
    if shop_filter.kecamatan:
        if shop_filter.kecamatan not in directory.kecamatan_by_code:
            query = query.filter(id__in=[])
        query = query.filter(kelurahan__kecamatan_id=shop_filter.kecamatan[:8])
    if shop_filter.verified is not None:
        query = query.filter(is_verified=shop_filter.verified)
    return await keyset_page(query, first=first, after=after)


async def active_product_counts(shop_ids: list[int]) -> list[int]:
    return await counts_by(Product.filter(status=ProductStatus.ACTIVE), "shop_id", shop_ids)
