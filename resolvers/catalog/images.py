"""Storing uploaded pictures for products and shop logos, all or nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from media.images import MAX_BYTES, ImageRejected, ProcessedImage, process_image
from media.storage import Storage, StorageError
from models.catalog import Image, Product
from models.cooperatives import JournalEntry
from models.platform import User
from models.shops import Shop
from resolvers.catalog.product import active_or_own, owned_product
from resolvers.platform import (
    ErrorCode,
    UserError,
    require_user,
    rows_by_ids,
    rows_grouped_by,
    visibility,
)
from resolvers.shops import owned_shop

logger = logging.getLogger("satupintu.images")
MAX_IMAGES_PER_PRODUCT = 10
MAX_ALT = 200
REMOVAL_RETRIES = (1, 5, 30, 120, 600)  # seconds before each retry of a failed removal
_removals: set[asyncio.Task[None]] = set()  # held so that the loop does not drop them


class Upload(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


async def _read(upload: Upload) -> bytes:
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UserError(ErrorCode.FILE_TOO_LARGE, "Berkas paling besar 10 MB.", "file")
    return data


async def _process(upload: Upload) -> ProcessedImage:
    data = await _read(upload)
    try:
        return await asyncio.to_thread(process_image, data)
    except ImageRejected as rejected:
        raise UserError(ErrorCode(rejected.code), rejected.message, "file") from None


async def _put(storage: Storage, processed: ProcessedImage) -> None:
    """Store every rendition, or none: what was stored is removed again on failure."""
    stored: list[str] = []
    try:
        for rendition in processed.renditions:
            await storage.save(rendition.key, rendition.data, rendition.content_type)
            stored.append(rendition.key)
    except StorageError as error:
        logger.warning("media store failed: %s", error)
        in_use = await Image.filter(digest=processed.digest).exists()  # the same picture
        if not in_use and (left := await _remove(storage, stored)):
            _remove_later(storage, processed.digest, left)
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Penyimpanan gambar sedang bermasalah; coba lagi nanti.",
            "file",
        ) from None


async def _remove(storage: Storage, keys: list[str]) -> list[str]:
    """Delete `keys`; the ones the store would not delete."""
    left = []
    for key in keys:
        try:
            await storage.delete(key)
        except StorageError as error:
            logger.warning("could not remove %s: %s", key, error)
            left.append(key)
    return left


def _remove_later(storage: Storage, digest: str, keys: list[str]) -> None:
    """The store stopped answering halfway: remove what was stored once it answers again
    (unless an image row has come to use those objects meanwhile)."""
    task = asyncio.create_task(_retry_removal(storage, digest, keys))
    _removals.add(task)
    task.add_done_callback(_removals.discard)


async def _retry_removal(storage: Storage, digest: str, keys: list[str]) -> None:
    for delay in REMOVAL_RETRIES:
        await asyncio.sleep(delay)
        if await Image.filter(digest=digest).exists():
            return
        if not (keys := await _remove(storage, keys)):
            return
    logger.error("gave up removing %s from the media store", keys)


async def _release(storage: Storage, image: Image) -> None:
    """Delete the objects of a removed image unless another row shares them."""
    if not await Image.filter(digest=image.digest).exclude(id=image.id).exists():
        await _remove(storage, [r["key"] for r in image.renditions])


def _row(processed: ProcessedImage, owner: User, alt: str) -> dict[str, Any]:
    return {
        "owner": owner,
        "digest": processed.digest,
        "alt": alt,
        "width": processed.width,
        "height": processed.height,
        "renditions": [
            {"width": r.width, "height": r.height, "key": r.key} for r in processed.renditions
        ],
    }


async def add_product_image(
    viewer: User | None, storage: Storage, product_id: int, upload: Upload, alt: str | None
) -> Image:
    product: Product = await owned_product(viewer, product_id, "productId")
    alt_text = (alt or product.name).strip()[:MAX_ALT]
    if await Image.filter(product_id=product.id).count() >= MAX_IMAGES_PER_PRODUCT:
        raise UserError(ErrorCode.LIMIT_EXCEEDED, "Paling banyak 10 foto per produk.", "file")
    return await store_image(
        storage,
        upload,
        require_user(viewer),
        alt_text,
        product=product,
        position=lambda: Image.filter(product_id=product.id).count(),
    )


async def store_image(
    storage: Storage,
    upload: Upload,
    owner: User,
    alt: str,
    *,
    position: Callable[[], Awaitable[int]] | None = None,
    **attached: Any,
) -> Image:
    """Check, resize and store an uploaded picture and record it as attached (`product=`,
    `complaint_id=`, `review_id=`), at `position()` once stored; nothing stays behind on
    any failure."""
    processed = await _process(upload)
    await _put(storage, processed)
    try:
        at = await position() if position is not None else 0
        return await Image.create(position=at, **attached, **_row(processed, owner, alt))
    except BaseException:
        await _release_keys_if_unused(storage, processed)
        raise


async def _release_keys_if_unused(storage: Storage, processed: ProcessedImage) -> None:
    if not await Image.filter(digest=processed.digest).exists():
        await _remove(storage, [r.key for r in processed.renditions])


async def set_shop_logo(
    viewer: User | None, storage: Storage, shop_id: int, upload: Upload
) -> Shop:
    shop = await owned_shop(viewer, shop_id, "shopId")
    processed = await _process(upload)
    await _put(storage, processed)
    try:
        async with in_transaction():
            old = await Image.get_or_none(id=shop.logo_id) if shop.logo_id else None
            logo = await Image.create(**_row(processed, require_user(viewer), shop.name))
            shop.logo_id = logo.id
            await shop.save(update_fields=["logo_id"])
            if old is not None:
                await old.delete()
    except BaseException:
        await _release_keys_if_unused(storage, processed)
        raise
    if old is not None:
        await _release(storage, old)
    return shop


async def discard_image(storage: Storage, image: Image) -> None:
    """Remove a stored picture whose use failed (a receipt whose entry was refused)."""
    await image.delete()
    await _release(storage, image)


async def delete_product_image(viewer: User | None, storage: Storage, image_id: int) -> None:
    image = await Image.get_or_none(id=image_id)
    if image is None or image.product_id is None:
        raise UserError(ErrorCode.NOT_FOUND, "Foto tidak ditemukan.", "id")
    await owned_product(viewer, image.product_id)
    await image.delete()
    await _release(storage, image)


async def images_of_products(product_ids: list[int]) -> list[list[Image]]:
    return await rows_grouped_by(Image.all().order_by("position", "id"), "product_id", product_ids)


async def images_by_ids(ids: list[int]) -> list[Image | None]:
    return await rows_by_ids(Image, ids)


async def receipt_ids(image_ids: list[int]) -> set[int]:
    """Which of these pictures are a cash movement's nota."""
    found = await JournalEntry.filter(receipt_image_id__in=image_ids).values_list(
        "receipt_image_id", flat=True
    )
    return {int(i) for i in found}  # type: ignore[call-overload]


async def only_receipts(digest: str) -> bool:
    """Whether the stored picture `digest` is a cash movement's nota and nothing else, so its
    files are served only behind a signed link."""
    ids = {int(i) for i in await Image.filter(digest=digest).values_list("id", flat=True)}  # type: ignore[call-overload]
    return bool(ids) and ids <= await receipt_ids(list(ids))


def _of_visible_subject(viewer: User | None) -> Q:
    """A product's photos are seen by whoever sees the product, a complaint's by whoever sees
    the complaint (its order's buyer and seller, a marketplace admin), a review's by all until
    it is hidden (then by whoever reads its order); a logo by all."""
    where = Q(product_id=None, complaint_id=None, review_id=None) | active_or_own(
        viewer, "product__"
    )
    where |= Q(review_id__in=visibility.visible_ids("Review", viewer))
    complaints = visibility.visible_ids("Complaint", viewer)
    where = where if complaints is None else where | Q(complaint_id__in=complaints)
    return where & _receipt_readable(viewer)


def _receipt_readable(viewer: User | None) -> Q:
    """The nota of a cooperative's cash movement is its books': seen by its pengurus and the
    Dinas only."""
    if viewer is not None and viewer.is_city_admin:
        return Q()
    receipts = JournalEntry.filter(receipt_image_id__isnull=False)
    hidden = ~Q(id__in=Subquery(receipts.values("receipt_image_id")))
    if viewer is None:
        return hidden
    theirs = receipts.filter(cooperative__admins__user_id=viewer.id)
    return hidden | Q(id__in=Subquery(theirs.values("receipt_image_id")))


visibility.register("Image", Image, _of_visible_subject)
