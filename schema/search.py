"""Marketplace search: `products` with filters, facets and sorts, and `searchSuggestions`."""

from __future__ import annotations

import math
from enum import Enum
from functools import partial
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from resolvers import catalog
from resolvers.platform import BadInput, UserError
from resolvers.search import products as search
from resolvers.search import suggestions
from schema.catalog import Product, card_plan, prefetch_cards
from schema.platform import (
    After,
    Connection,
    First,
    Rupiah,
    connection,
    decode_id,
    described_enum,
    selected,
)

# The fields of a search's connection that count every match, by what they need counted.
COUNTS = {"totalCount": "total", "facets": "facets"}


class ProductSort(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    BEST_SELLING = "BEST_SELLING"
    RATING = "RATING"


described_enum(
    ProductSort,
    "The order of product search results. RELEVANCE without `query` means NEWEST.",
    {
        "RELEVANCE": "Most of the query's words in the name first, then verified shops, then "
        "in stock, then newest.",
        "NEWEST": "Newest first.",
        "PRICE_ASC": "Cheapest first (then oldest first).",
        "PRICE_DESC": "Dearest first (then newest first).",
        "BEST_SELLING": "Most units ordered (cancelled orders not counted) first, then newest.",
        "RATING": "Highest rating average (as shown) first, ties more ratings first, then "
        "newest; unrated products last.",
    },
)


@strawberry.input(description="Every given field must hold (AND); within a list, any value.")
class ProductFilter:
    categories: list[str] | None = strawberry.field(
        default=None, description="Category slugs; a parent category includes its children."
    )
    kecamatan: list[str] | None = strawberry.field(default=None, description="Kecamatan codes.")
    kelurahan: list[str] | None = strawberry.field(default=None, description="Kelurahan codes.")
    shop: strawberry.ID | None = strawberry.field(
        default=None, description="A Shop's id: its products only."
    )
    cooperative: strawberry.ID | None = strawberry.field(
        default=None, description="A Cooperative's id: the products of the shops it runs."
    )
    price_min: Rupiah | None = strawberry.field(
        default=None, description="The lowest price, inclusive."
    )
    price_max: Rupiah | None = strawberry.field(
        default=None, description="The highest price, inclusive."
    )
    halal: bool | None = strawberry.field(
        default=None, description="Only products declared halal (true) or not (false)."
    )
    in_stock: bool | None = strawberry.field(
        default=None, description="Only products in stock (true) or sold out (false)."
    )
    min_rating: float | None = strawberry.field(
        default=None,
        description="Only products whose rating average, as shown (one decimal), is at least "
        "this (0 to 5, else BAD_USER_INPUT); unrated products never match.",
    )


@strawberry.type(description="One value of a facet and how many matches have it.")
class FacetValue:
    value: str = strawberry.field(
        description='What to filter by: a category slug, a kecamatan code, or "true"/"false" '
        "for halal."
    )
    label: str = strawberry.field(description="Its name to show, in Bahasa Indonesia.")
    count: int = strawberry.field(description="Matches with this value.")


@strawberry.type(description='Matches per value of `field`: "category", "kecamatan" or "halal".')
class Facet:
    field: str = strawberry.field(description='"category", "kecamatan" or "halal".')
    values: list[FacetValue] = strawberry.field(
        description="The values that have matches, most matches first."
    )

    @classmethod
    def of(cls, found: search.Facet) -> Facet:
        return cls(
            field=found.field,
            values=[FacetValue(value=v.value, label=v.label, count=v.count) for v in found.values],
        )


@strawberry.type(
    description="One page of product search results, with the corrected query and the facets."
)
class ProductSearchConnection(Connection[Product]):
    suggestion: str | None = strawberry.field(
        description="The corrected query, when a word had to be corrected; else null."
    )
    found: strawberry.Private[search.ProductResults]

    @strawberry.field(description="Counts over every match, not only this page.")
    async def facets(self) -> list[Facet]:
        return [Facet.of(f) for f in await self.found.facets()]


SuggestionKind = described_enum(
    suggestions.SuggestionKind,
    "What a search suggestion names.",
    {
        "CATEGORY": "A category: `slug` is the category's.",
        "SHOP": "A shop: `slug` is the shop's.",
        "PRODUCT": "An active product: `slug` is the product's.",
    },
    name="SuggestionKind",
)


@strawberry.type(description="A completion for the search box.")
class Suggestion:
    text: str = strawberry.field(description="The name to show and search for.")
    kind: SuggestionKind = strawberry.field(description="What it names.")
    slug: str = strawberry.field(description="The slug of what it names, to link to it.")


def _as_is(card: Any) -> Any:
    return card


def _id(value: strawberry.ID | None, type_name: str, label: str) -> int | None:
    if value is None:
        return None
    try:
        return decode_id(value, type_name)
    except UserError:
        raise BadInput(f"Filter {label} tidak valid.") from None


def to_search_filter(given: ProductFilter | None) -> search.ProductFilter:
    given = given or ProductFilter()
    return search.ProductFilter(
        categories=given.categories,
        kecamatan=given.kecamatan,
        kelurahan=given.kelurahan,
        shop_id=_id(given.shop, "Shop", "toko"),
        cooperative_id=_id(given.cooperative, "Cooperative", "koperasi"),
        price_min=given.price_min,
        price_max=given.price_max,
        halal=given.halal,
        in_stock=given.in_stock,
        min_rating=_tenths(given.min_rating),
    )


def _tenths(rating: float | None) -> int | None:
    """A minimum rating in tenths of a star: the smallest shown average that reaches it."""
    if rating is None:
        return None
    if not 0 <= rating <= 5:
        raise BadInput("Filter rating minimal 0 sampai 5.")
    return math.ceil(round(rating * 10, 6))


@strawberry.type
class Query:
    @strawberry.field(
        description="Marketplace search: ACTIVE products matching free text in Bahasa "
        "Indonesia and the filter. Bad filters and cursors are BAD_USER_INPUT errors."
    )
    async def products(
        self,
        info: Info,
        query: Annotated[
            str | None,
            strawberry.argument(
                description='Free text: word forms ("keripik" finds "Keripik Singkong", '
                '"membatik" finds "batik") and small typos ("kripik") still match; none '
                "lists every active product."
            ),
        ] = None,
        filter: Annotated[
            ProductFilter | None, strawberry.argument(description="Conditions on the matches.")
        ] = None,
        sort: Annotated[
            ProductSort | None, strawberry.argument(description="The order of the results.")
        ] = ProductSort.RELEVANCE,
        first: First = 20,
        after: After = None,
    ) -> ProductSearchConnection:
        tree = await catalog.category_tree()
        # From a compiled plan whose cards ask only what a card shows: plain rows.
        cards = card_plan(info)
        found = await search.search_products(
            query,
            to_search_filter(filter),
            search.Sort((sort or ProductSort.RELEVANCE).value),
            tree=tree,
            first=first,
            after=after,
            asked=frozenset(COUNTS[name] for name in selected(info) if name in COUNTS),
            cards=None if cards is None else partial(cards.read, context=info.context, tree=tree),
        )
        if cards is None:
            await prefetch_cards(info, found.page.items)
        plain = connection(found.page, Product.of if cards is None else _as_is)
        return ProductSearchConnection(
            edges=plain.edges,
            page_info=plain.page_info,
            count=plain.count,
            suggestion=found.suggestion,
            found=found,
        )

    @strawberry.field(
        description="Search-box completions: categories, shops and active products whose names "
        "have words starting with the prefix's words; whole names starting with it first, "
        "then categories (up to 3), shops (up to 3), products (best-selling first)."
    )
    async def search_suggestions(
        self,
        prefix: Annotated[
            str,
            strawberry.argument(
                description="What was typed; fewer than 2 letters gives none, only its first "
                "4 words count."
            ),
        ],
        first: Annotated[
            int, strawberry.argument(description="How many, at most 20 (0 or less gives none).")
        ] = 8,
    ) -> list[Suggestion]:
        return [
            Suggestion(text=s.text, kind=s.kind, slug=s.slug)
            for s in await suggestions.suggestions(prefix, first, await catalog.category_tree())
        ]
