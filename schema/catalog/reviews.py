"""Reviews of order lines, the shop's replies, reports and hiding, and the ratings they make."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import catalog as m
from resolvers.catalog import images, reviews
from resolvers.platform import visibility
from schema.catalog.images import Image, ImagePayload
from schema.catalog.product import Product
from schema.platform import (
    ERRORS,
    After,
    Connection,
    First,
    OkPayload,
    UserError,
    Visible,
    connection,
    decode_id,
    described_enum,
    later,
    payload_of,
)

if TYPE_CHECKING:
    from schema.orders import OrderLine

ReviewReportReason = described_enum(
    m.ReviewReportReason,
    "Why a user reports a review.",
    {
        "SPAM": "Advertising or text unrelated to the product.",
        "OFFENSIVE": "Insults, hate or indecent words or photos.",
        "MISLEADING": "False or not about this purchase.",
        "PERSONAL_DATA": "Shows someone's personal data (a phone number, an address).",
        "OTHER": "Something else: the note says what.",
    },
    name="ReviewReportReason",
)


@strawberry.type(
    description="The stars of the visible reviews: exact as soon as a review is written, "
    "edited or hidden."
)
class Rating:
    average: float | None = strawberry.field(
        description="The mean of the stars, rounded half up to one decimal (4.25 -> 4.3); "
        "null while unrated. minRating and the RATING sort use this figure."
    )
    count: int = strawberry.field(description="How many visible reviews.")
    distribution: list[int] = strawberry.field(
        description="How many gave 1, 2, 3, 4 and 5 stars (five numbers, 1 star first)."
    )

    @classmethod
    def of(cls, rating: reviews.Rating) -> Rating:
        return cls(
            average=rating.average, count=rating.count, distribution=list(rating.distribution)
        )


@strawberry.type(description="The reviewed shop's one reply.")
class ReviewReply:
    text: str = strawberry.field(description="What the shop's owner wrote, 1-1000 characters.")
    created_at: datetime = strawberry.field(description="When.")


def _author_name(name: str) -> str:
    """The first name and the initials of the others ("Budi Santoso" -> "Budi S.")."""
    first, *others = name.split() or ["Pembeli"]
    return " ".join([first, *(f"{o[0].upper()}." for o in others)])


@strawberry.type(
    description="A buyer's review of a line of a COMPLETED order. Public until a marketplace "
    "admin hides it; whoever reads the order still sees it there, with isHidden."
)
class Review(Visible, relay.Node):
    id: relay.NodeID[int]
    rating: int = strawberry.field(description="1 to 5 stars.")
    text: str = strawberry.field(description="What the buyer wrote, at most 1000 characters.")
    created_at: datetime = strawberry.field(description="When it was written.")
    edited_at: datetime | None = strawberry.field(
        description="When its author edited it (once, within 30 days); null if never."
    )
    is_hidden: bool = strawberry.field(
        description="Hidden by a marketplace admin: out of every public list and rating."
    )
    model: strawberry.Private[m.Review]

    @classmethod
    def of(cls, review: m.Review) -> Review:
        return cls(
            id=review.id,
            rating=review.rating,
            text=review.text,
            created_at=review.created_at,
            edited_at=review.edited_at,
            is_hidden=review.is_hidden,
            model=review,
        )

    @strawberry.field(
        description='The buyer\'s name as shown: first name and initials ("Budi S.").'
    )
    async def author_name(self, info: Info) -> str:
        author = await info.context.loaders.user.load(self.model.author_id)
        return _author_name(author.name if author else "")

    @strawberry.field(description="The variant bought, as its order line names it; else null.")
    async def variant_name(self, info: Info) -> str | None:
        line = await info.context.loaders.order_line.load(self.model.order_line_id)
        return None if line is None else later("schema.orders", "OrderLine").of(line).variant_name

    @strawberry.field(description="The product reviewed.")
    async def product(self, info: Info) -> Product:
        return Product.of(await info.context.loaders.product.load(self.model.product_id))

    @strawberry.field(description="The buyer's photos, at most 3, oldest first.")
    async def photos(self, info: Info) -> list[Image]:
        return [Image.of(i) for i in await info.context.loaders.review_photos.load(self.model.id)]

    @strawberry.field(description="The shop's reply; null until it replies.")
    def reply(self) -> ReviewReply | None:
        if self.model.reply_text is None or self.model.replied_at is None:
            return None
        return ReviewReply(text=self.model.reply_text, created_at=self.model.replied_at)

    @strawberry.field(description="The order line reviewed, for whoever may read its order.")
    async def order_line(
        self, info: Info
    ) -> Annotated[OrderLine, strawberry.lazy("schema.orders")] | None:
        OrderLine = later("schema.orders", "OrderLine")
        found = await visibility.by_ids(
            "OrderLine", info.context.viewer, [self.model.order_line_id]
        )
        return OrderLine.of(found[0]) if found[0] is not None else None


@strawberry.input(description="A review's stars and words.")
class ReviewInput:
    rating: int = strawberry.field(description="1 to 5 stars (else INVALID).")
    text: str = strawberry.field(
        default="", description="At most 1,000 characters (else INVALID); may be empty."
    )


@strawberry.type(description="The review a change acted on, or why it could not.")
class ReviewPayload:
    review: Review | None = strawberry.field(
        default=None, description="The review as it is now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


REVIEW = "The Review's id."


def _done(review: m.Review) -> ReviewPayload:
    return ReviewPayload(review=Review.of(review))


@strawberry.type
class Query:
    @strawberry.field(
        description="Marketplace admins only (others: FORBIDDEN): reported reviews not yet "
        "hidden, newest first."
    )
    async def reported_reviews(
        self,
        info: Info,
        first: First = 20,
        after: After = None,
    ) -> Connection[Review] | None:
        page = await reviews.reported_reviews_page(info.context.viewer, first, after)
        return connection(page, Review.of)


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="The buyer of a COMPLETED order reviews one of its lines, once. Errors: "
        "UNAUTHENTICATED, NOT_FOUND (a line the caller may not see), PERMISSION_DENIED (the "
        "shop's owner, an admin), INVALID (rating, text), INVALID_STATE (not completed), "
        "DUPLICATE."
    )
    async def review_order_line(
        self,
        info: Info,
        order_line_id: Annotated[
            strawberry.ID, strawberry.argument(description="The OrderLine's id.")
        ],
        input: Annotated[ReviewInput, strawberry.argument(description="The review.")],
    ) -> ReviewPayload:
        return await payload_of(
            ReviewPayload,
            lambda: reviews.review_order_line(
                info.context.viewer,
                decode_id(order_line_id, "OrderLine", "orderLineId"),
                input.rating,
                input.text,
            ),
            _done,
        )

    @strawberry.mutation(
        description="Its author edits a review once, within 30 days of writing it (a second "
        "edit: DUPLICATE; later: INVALID_STATE). Anyone else: PERMISSION_DENIED (NOT_FOUND "
        "for a hidden review)."
    )
    async def update_review(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=REVIEW)],
        input: Annotated[ReviewInput, strawberry.argument(description="The new review.")],
    ) -> ReviewPayload:
        return await payload_of(
            ReviewPayload,
            lambda: reviews.update_review(
                info.context.viewer, decode_id(id, "Review"), input.rating, input.text
            ),
            _done,
        )

    @strawberry.mutation(
        description="Its author adds a photo (as uploadProductImage takes) to a review, at "
        "most 3 (LIMIT_EXCEEDED)."
    )
    async def upload_review_photo(
        self,
        info: Info,
        review_id: Annotated[strawberry.ID, strawberry.argument(description=REVIEW)],
        file: Annotated[Upload, strawberry.argument(description="JPEG, PNG or WebP.")],
    ) -> ImagePayload:
        return await payload_of(
            ImagePayload,
            lambda: reviews.add_review_photo(
                info.context.viewer,
                info.context.services.storage,
                decode_id(review_id, "Review", "reviewId"),
                cast(images.Upload, file),  # starlette's UploadFile
            ),
            lambda image: ImagePayload(image=Image.of(image)),
        )

    @strawberry.mutation(
        description="The reviewed shop's owner replies once (DUPLICATE after), 1-1000 "
        "characters. Anyone else: PERMISSION_DENIED (NOT_FOUND for a hidden review)."
    )
    async def reply_to_review(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=REVIEW)],
        text: Annotated[str, strawberry.argument(description="The reply, 1-1000 characters.")],
    ) -> ReviewPayload:
        return await payload_of(
            ReviewPayload,
            lambda: reviews.reply_to_review(info.context.viewer, decode_id(id, "Review"), text),
            _done,
        )

    @strawberry.mutation(
        description="Any signed-in user reports a visible review, once per user and review "
        "(DUPLICATE); a hidden one is NOT_FOUND."
    )
    async def report_review(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=REVIEW)],
        reason: Annotated[ReviewReportReason, strawberry.argument(description="Why.")],
        note: Annotated[
            str | None, strawberry.argument(description="More words, at most 1000 characters.")
        ] = None,
    ) -> OkPayload:
        return await payload_of(
            OkPayload,
            lambda: reviews.report_review(
                info.context.viewer,
                decode_id(id, "Review"),
                m.ReviewReportReason(reason),
                note,
            ),
            lambda _: OkPayload(ok=True),
        )

    @strawberry.mutation(
        description="A marketplace admin hides a review (anyone else: PERMISSION_DENIED): it "
        "leaves the public lists and the ratings at once; its order still shows it."
    )
    async def hide_review(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=REVIEW)],
        reason: Annotated[str, strawberry.argument(description="Why (required).")],
    ) -> ReviewPayload:
        return await payload_of(
            ReviewPayload,
            lambda: reviews.hide_review(info.context.viewer, decode_id(id, "Review"), reason),
            _done,
        )
