"""Product cards as plain rows: one select of the columns a page of cards shows.

The general path builds a card from a `Product` row, its shop's, its photos' and its
tallies' rows (ORM objects, one batched query each). A search page asks the same few columns
of each; here they come from one statement, as plain values. What the card shows of a
product depends on nothing else, so the rows are whatever the product, shop, photo, variant
and rating tables hold when read: nothing is cached.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from resolvers.catalog.reviews import Rating
from resolvers.search import engines

# The product's and its shop's own columns, read for every card.
BASE = (
    "p.id, p.slug, p.name, p.price, p.stock, p.is_halal, p.category_id,"
    " s.id, s.slug, s.name, s.is_verified, s.kelurahan_id"
)
STARS = "{t}.stars_1, {t}.stars_2, {t}.stars_3, {t}.stars_4, {t}.stars_5"
# The first photo (`images_of_products`' order), and the active variants' price range.
THUMBNAIL = (
    "(SELECT i.renditions FROM image i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1)"
)
PRICES = "(SELECT {f}(v.price) FROM product_variant v WHERE v.product_id = p.id AND v.is_active)"


@dataclass(frozen=True)
class CardNeeds:
    """What a card's selection shows beyond the product's and its shop's own columns."""

    thumbnail: bool = False
    rating: bool = False
    shop_rating: bool = False
    price_range: bool = False


@dataclass(slots=True)
class CardRow:
    id: int
    slug: str
    name: str
    price: int
    stock: int
    is_halal: bool
    category_id: int
    shop_id: int
    shop_slug: str
    shop_name: str
    shop_verified: bool
    kelurahan_id: str
    renditions: list[dict[str, Any]] | None = None  # the first photo's; None: no photo
    rating: Rating | None = None
    shop_rating: Rating | None = None
    price_min: int | None = None  # of the active variants; None while none is active
    price_max: int | None = None


def card_sql(needs: CardNeeds, ids: str) -> str:
    """The statement reading the cards of the products `ids` (bound parameters)."""
    columns, joins = [BASE], []
    if needs.thumbnail:
        columns.append(THUMBNAIL)
    if needs.rating:
        columns.append(STARS.format(t="pr"))
        joins.append("LEFT JOIN product_rating pr ON pr.product_id = p.id")
    if needs.shop_rating:
        columns.append(STARS.format(t="sr"))
        joins.append("LEFT JOIN shop_rating sr ON sr.shop_id = s.id")
    if needs.price_range:
        columns.extend([PRICES.format(f="MIN"), PRICES.format(f="MAX")])
    return (
        f"SELECT {', '.join(columns)} FROM product p JOIN shop s ON s.id = p.shop_id"
        f" {' '.join(joins)} WHERE p.id IN ({ids})"
    )


async def card_rows(ids: list[int], needs: CardNeeds) -> list[CardRow]:
    """The cards of the products `ids`, in that order; a missing product has none (as
    `products_by_ids` leaves it out)."""
    if not ids:
        return []
    st = engines.Statement(engines.engine())
    found = {}
    for row in await st.rows(card_sql(needs, st.bind_all(ids))):
        card = CardRow(*row[:7], *row[7:12])
        card.is_halal, card.shop_verified = bool(card.is_halal), bool(card.shop_verified)
        rest = list(row[12:])
        if needs.thumbnail:
            card.renditions = _json(rest.pop(0))
        if needs.rating:
            card.rating = _rating(rest[:5])
            del rest[:5]
        if needs.shop_rating:
            card.shop_rating = _rating(rest[:5])
            del rest[:5]
        if needs.price_range:
            card.price_min, card.price_max = rest
        found[card.id] = card
    return [found[i] for i in ids if i in found]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _rating(stars: list[Any]) -> Rating:
    """A tally's stars (all None without a tally row: unrated)."""
    return Rating(tuple(int(n or 0) for n in stars))  # type: ignore[arg-type]
