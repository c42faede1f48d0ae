"""Reviews of what buyers bought: one per line of a COMPLETED order, editable once within
30 days, with photos, the shop's one reply, reports by anyone and hiding by a marketplace
admin. Every write that changes what counts moves the product's and the shop's rating tally
by atomic increments in its own transaction, so ratings are exact as soon as it returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from media.storage import Storage
from models.catalog import (
    Image,
    ProductRating,
    Review,
    ReviewReport,
    ReviewReportReason,
    ShopRating,
    Tally,
)
from models.orders import OrderLine, OrderStatus
from models.platform import User
from resolvers.catalog import images
from resolvers.platform import (
    ErrorCode,
    Forbidden,
    Page,
    UserError,
    is_marketplace_admin,
    keyset_page,
    now,
    require_user,
    row_per,
    rows_by_ids,
    rows_grouped_by,
    visibility,
)

MAX_TEXT = 1000
MAX_PHOTOS = 3
EDITABLE_FOR = timedelta(days=30)
STARS = range(1, 6)
CHANGED = "Ulasan ini baru saja berubah; muat ulang."


@dataclass(frozen=True)
class Rating:
    """How many visible reviews gave 1, 2, 3, 4 and 5 stars."""

    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)

    @property
    def count(self) -> int:
        return sum(self.distribution)

    @property
    def tenths(self) -> int:
        """The average in tenths of a star, rounded half up (as search stores it); 0 when
        unrated."""
        count = self.count
        if not count:
            return 0
        total = sum(stars * n for stars, n in zip(STARS, self.distribution, strict=True))
        return (total * 20 + count) // (2 * count)

    @property
    def average(self) -> float | None:
        return self.tenths / 10 if self.count else None


def rating_of(tally: Tally | None) -> Rating:
    if tally is None:
        return Rating()
    return Rating((tally.stars_1, tally.stars_2, tally.stars_3, tally.stars_4, tally.stars_5))


async def product_ratings(product_ids: list[int]) -> list[Rating]:
    found = await row_per(ProductRating.all(), "product_id", product_ids)
    return [rating_of(t) for t in found]


async def shop_ratings(shop_ids: list[int]) -> list[Rating]:
    found = await row_per(ShopRating.all(), "shop_id", shop_ids)
    return [rating_of(t) for t in found]


async def _count(review: Review, stars: int, delta: int) -> None:
    """Inside the caller's transaction: `delta` more reviews of `stars` for the review's
    product and shop, by atomic increments (the tally rows made first when missing), so
    concurrent writers never lose one another's counts."""
    column = f"stars_{stars}"
    change = {column: F(column) + delta}
    await ProductRating.bulk_create(
        [ProductRating(product_id=review.product_id)], ignore_conflicts=True
    )
    await ProductRating.filter(product_id=review.product_id).update(**change)
    await ShopRating.bulk_create([ShopRating(shop_id=review.shop_id)], ignore_conflicts=True)
    await ShopRating.filter(shop_id=review.shop_id).update(**change)


def _checked(rating: int, text: str | None) -> str:
    if rating not in STARS:
        raise UserError(ErrorCode.INVALID, "Nilai ulasan 1 sampai 5 bintang.", "input.rating")
    body = (text or "").strip()
    if len(body) > MAX_TEXT:
        raise UserError(
            ErrorCode.INVALID, f"Ulasan paling panjang {MAX_TEXT} karakter.", "input.text"
        )
    return body


async def review_order_line(
    viewer: User | None, line_id: int, rating: int, text: str | None
) -> Review:
    """The buyer of a COMPLETED order reviews one of its lines, once."""
    buyer = require_user(viewer)
    query = visibility.visible("OrderLine", buyer, OrderLine.filter(id=line_id))
    line = await query.select_related("order").first()
    if line is None:  # no review by guessing ids: the line is missing to whoever may not see it
        raise UserError(ErrorCode.NOT_FOUND, "Barang pesanan tidak ditemukan.", "orderLineId")
    order = line.order
    if order.buyer_id != buyer.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya pembeli pesanan ini yang boleh mengulasnya.",
            "orderLineId",
        )
    body = _checked(rating, text)
    if order.status != OrderStatus.COMPLETED:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Ulasan bisa ditulis setelah pesanan selesai.",
            "orderLineId",
        )
    if await Review.exists(order_line_id=line.id):
        raise UserError(ErrorCode.DUPLICATE, "Barang ini sudah Anda ulas.", "orderLineId")
    try:
        async with in_transaction():
            review = await Review.create(
                order_line_id=line.id, product_id=line.product_id, shop_id=order.shop_id,
                author_id=buyer.id, rating=rating, text=body, created_at=now(),
            )  # fmt: skip
            await _count(review, rating, 1)
    except IntegrityError:
        raise UserError(ErrorCode.DUPLICATE, "Barang ini sudah Anda ulas.", "orderLineId") from None
    return review


async def _own_review(viewer: User | None, review_id: int, field: str) -> Review:
    """The review if `viewer` wrote it: NOT_FOUND when it is missing or hidden from them,
    PERMISSION_DENIED to anyone else, INVALID_STATE to its author once it is hidden."""
    user = require_user(viewer)
    review = await Review.get_or_none(id=review_id)
    if review is None or (review.is_hidden and review.author_id != user.id):
        raise UserError(ErrorCode.NOT_FOUND, "Ulasan tidak ditemukan.", field)
    if review.author_id != user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED, "Hanya penulis ulasan yang boleh mengubahnya.", field
        )
    if review.is_hidden:
        raise UserError(
            ErrorCode.INVALID_STATE, "Ulasan ini disembunyikan admin marketplace.", field
        )
    return review


async def update_review(
    viewer: User | None, review_id: int, rating: int, text: str | None
) -> Review:
    """Its author edits a review once, within EDITABLE_FOR of writing it."""
    review = await _own_review(viewer, review_id, "id")
    body = _checked(rating, text)
    if review.edited_at is not None:
        raise UserError(ErrorCode.DUPLICATE, "Ulasan hanya bisa diubah sekali.", "id")
    moment = now()
    if moment > review.created_at + EDITABLE_FOR:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Ulasan hanya bisa diubah dalam 30 hari setelah ditulis.",
            "id",
        )
    async with in_transaction():
        # Conditional on what was read: of an edit and a hiding at the same moment, one
        # counts and the other is refused, so the tallies follow exactly one of them.
        moved = await Review.filter(
            id=review.id, edited_at=None, is_hidden=False, rating=review.rating
        ).update(rating=rating, text=body, edited_at=moment)
        if not moved:
            raise UserError(ErrorCode.DUPLICATE, "Ulasan hanya bisa diubah sekali.", "id")
        if rating != review.rating:
            await _count(review, review.rating, -1)
            await _count(review, rating, 1)
    review.update_from_dict({"rating": rating, "text": body, "edited_at": moment})
    return review


async def add_review_photo(
    viewer: User | None, storage: Storage, review_id: int, upload: images.Upload
) -> Image:
    """Its author adds a photo to a review, at most MAX_PHOTOS."""
    review = await _own_review(viewer, review_id, "reviewId")
    if await Image.filter(review_id=review.id).count() >= MAX_PHOTOS:
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED, f"Paling banyak {MAX_PHOTOS} foto per ulasan.", "file"
        )
    return await images.store_image(
        storage,
        upload,
        require_user(viewer),
        "Foto ulasan",
        review_id=review.id,
        position=lambda: Image.filter(review_id=review.id).count(),
    )


async def _visible_review(viewer: User | None, review_id: int, field: str = "id") -> Review:
    require_user(viewer)
    review = await Review.get_or_none(id=review_id)
    if review is None or review.is_hidden:
        raise UserError(ErrorCode.NOT_FOUND, "Ulasan tidak ditemukan.", field)
    return review


async def reply_to_review(viewer: User | None, review_id: int, text: str | None) -> Review:
    """The reviewed shop's owner replies once."""
    review = await _visible_review(viewer, review_id)
    user = require_user(viewer)
    review_shop = await review.shop
    if review_shop.owner_id != user.id:
        raise UserError(
            ErrorCode.PERMISSION_DENIED, "Hanya pemilik toko yang boleh membalas ulasan.", "id"
        )
    body = (text or "").strip()
    if not 1 <= len(body) <= MAX_TEXT:
        raise UserError(ErrorCode.INVALID, f"Balasan 1 sampai {MAX_TEXT} karakter.", "text")
    moment = now()
    if not await Review.filter(id=review.id, reply_text=None).update(
        reply_text=body, replied_at=moment
    ):
        raise UserError(ErrorCode.DUPLICATE, "Ulasan ini sudah dibalas.", "id")
    review.update_from_dict({"reply_text": body, "replied_at": moment})
    return review


async def report_review(
    viewer: User | None, review_id: int, reason: ReviewReportReason, note: str | None
) -> None:
    """Any signed-in user reports a visible review, once."""
    review = await _visible_review(viewer, review_id)
    user = require_user(viewer)
    text = (note or "").strip()
    if len(text) > MAX_TEXT:
        raise UserError(ErrorCode.INVALID, f"Catatan paling panjang {MAX_TEXT} karakter.", "note")
    try:
        async with in_transaction():
            await ReviewReport.create(
                review_id=review.id, reporter_id=user.id, reason=reason, note=text,
                created_at=now(),
            )  # fmt: skip
            await Review.filter(id=review.id).update(reports=F("reports") + 1)
    except IntegrityError:
        raise UserError(ErrorCode.DUPLICATE, "Anda sudah melaporkan ulasan ini.", "id") from None


async def hide_review(viewer: User | None, review_id: int, reason: str | None) -> Review:
    """A marketplace admin hides a review: it leaves the lists and the ratings at once."""
    user = require_user(viewer)
    if not is_marketplace_admin(user):
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya admin marketplace yang boleh menyembunyikan ulasan.",
            "id",
        )
    review = await Review.get_or_none(id=review_id)
    if review is None:
        raise UserError(ErrorCode.NOT_FOUND, "Ulasan tidak ditemukan.", "id")
    why = (reason or "").strip()
    if not why:
        raise UserError(ErrorCode.REQUIRED, "Alasan wajib diisi.", "reason")
    if len(why) > MAX_TEXT:
        raise UserError(ErrorCode.INVALID, f"Alasan paling panjang {MAX_TEXT} karakter.", "reason")
    if review.is_hidden:
        raise UserError(ErrorCode.INVALID_STATE, "Ulasan ini sudah disembunyikan.", "id")
    async with in_transaction():
        moved = await Review.filter(id=review.id, is_hidden=False, rating=review.rating).update(
            is_hidden=True, hidden_reason=why
        )
        if not moved:
            raise UserError(ErrorCode.INVALID_STATE, CHANGED, "id")
        await _count(review, review.rating, -1)
    review.update_from_dict({"is_hidden": True, "hidden_reason": why})
    return review


async def product_reviews_page(product_id: int, first: int | None, after: str | None) -> Page:
    """A product's visible reviews, newest first."""
    query = Review.filter(product_id=product_id, is_hidden=False)
    return await keyset_page(query, first=first, after=after)


async def shop_reviews_page(
    shop_id: int, replied: bool | None, first: int | None, after: str | None
) -> Page:
    """A shop's visible reviews, newest first; `replied` false: those without its reply."""
    query = Review.filter(shop_id=shop_id, is_hidden=False)
    if replied is not None:
        query = query.filter(reply_text__isnull=not replied)
    return await keyset_page(query, first=first, after=after)


async def reported_reviews_page(
    viewer: User | None, first: int | None, after: str | None = None
) -> Page:
    """Reported reviews not yet hidden, newest first, for marketplace admins only."""
    if not is_marketplace_admin(viewer):
        raise Forbidden("Hanya admin marketplace yang boleh melihat ini.")
    query = Review.filter(is_hidden=False, reports__gt=0)
    return await keyset_page(query, first=first, after=after)


async def reviews_of_lines(line_ids: list[int]) -> list[Review | None]:
    """Each order line's review, hidden or not: whoever reads the order sees it."""
    return await row_per(Review.all(), "order_line_id", line_ids)


async def lines_by_ids(ids: list[int]) -> list[OrderLine | None]:
    """The reviewed lines, for what a review shows of its line (the variant's name)."""
    return await rows_by_ids(OrderLine, ids)


async def photos_of_reviews(review_ids: list[int]) -> list[list[Image]]:
    return await rows_grouped_by(Image.all().order_by("position", "id"), "review_id", review_ids)


def _visible_reviews(viewer: User | None) -> Q:
    """A review is public until hidden; then whoever may read its order (its author, the
    shop's owner) still sees it there."""
    lines = visibility.visible_ids("OrderLine", viewer)
    return Q(is_hidden=False) if lines is None else Q(is_hidden=False) | Q(order_line_id__in=lines)


visibility.register("Review", Review, _visible_reviews)
