"""Reviews of order lines, as the marketplace operations define them; none are written yet."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from resolvers.catalog import reviews
from schema.catalog.product import Product
from schema.platform import After, Connection, First, connection


@strawberry.type(description="A buyer's review of a line they bought (none are written yet).")
class Review:
    id: strawberry.ID = strawberry.field(description="The review's global id.")
    rating: int = strawberry.field(description="1 to 5 stars.")
    text: str = strawberry.field(description="What the buyer wrote.")
    author_name: str = strawberry.field(description="The buyer's name as shown.")
    edited_at: datetime | None = strawberry.field(description="When its author edited it.")
    is_hidden: bool = strawberry.field(description="Hidden by a marketplace admin.")
    product: Product = strawberry.field(description="The product reviewed.")


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
        page = await reviews.reported_reviews_page(info.context.viewer, first)
        return connection(page, lambda review: review)
