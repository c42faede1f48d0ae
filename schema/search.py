"""Marketplace search: `products` with filters, facets and sorts, and `searchSuggestions`."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from resolvers import catalog
from resolvers.platform import BadInput, UserError
from resolvers.search import products as search
from resolvers.search import suggestions
from schema.catalog import Product, prefetch_cards
from schema.platform import Connection, Rupiah, connection, decode_id, selected

# The fields of a search's connection that count every match, by what they need counted.
COUNTS = {"totalCount": "total", "facets": "facets"}


@strawberry.enum(description="RELEVANCE without `query` means NEWEST.")
class ProductSort(Enum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    BEST_SELLING = "BEST_SELLING"


@strawberry.input(description="Every given field must hold (AND); within a list, any value.")
class ProductFilter:
    categories: list[str] | None = strawberry.field(
        default=None, description="Category slugs; a parent category includes its children."
    )
    kecamatan: list[str] | None = strawberry.field(default=None, description="Kecamatan codes.")
    kelurahan: list[str] | None = strawberry.field(default=None, description="Kelurahan codes.")
    shop: strawberry.ID | None = None
    cooperative: strawberry.ID | None = None
    price_min: Rupiah | None = None
    price_max: Rupiah | None = None
    halal: bool | None = None
    in_stock: bool | None = None


@strawberry.type
class FacetValue:
    value: str
    label: str
    count: int


@strawberry.type(description='Matches per value of `field`: "category", "kecamatan" or "halal".')
class Facet:
    field: str
    values: list[FacetValue]

    @classmethod
    def of(cls, found: search.Facet) -> Facet:
        return cls(
            field=found.field,
            values=[FacetValue(value=v.value, label=v.label, count=v.count) for v in found.values],
        )


@strawberry.type
class ProductSearchConnection(Connection[Product]):
    suggestion: str | None = strawberry.field(
        description="The corrected query, when a word had to be corrected; else null."
    )
    found: strawberry.Private[search.ProductResults]

    @strawberry.field(description="Counts over every match, not only this page.")
    async def facets(self) -> list[Facet]:
        return [Facet.of(f) for f in await self.found.facets()]


SuggestionKind = strawberry.enum(suggestions.SuggestionKind, name="SuggestionKind")


@strawberry.type
class Suggestion:
    text: str
    kind: SuggestionKind
    slug: str


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
    )


@strawberry.type
class Query:
    @strawberry.field(description="Active products matching free text in Bahasa Indonesia.")
    async def products(
        self,
        info: Info,
        query: str | None = None,
        filter: ProductFilter | None = None,
        sort: ProductSort | None = ProductSort.RELEVANCE,
        first: int | None = 20,
        after: str | None = None,
    ) -> ProductSearchConnection:
        found = await search.search_products(
            query,
            to_search_filter(filter),
            search.Sort((sort or ProductSort.RELEVANCE).value),
            tree=await catalog.category_tree(),
            first=first,
            after=after,
            asked=frozenset(COUNTS[name] for name in selected(info) if name in COUNTS),
        )
        await prefetch_cards(info, found.page.items)
        plain = connection(found.page, Product.of)
        return ProductSearchConnection(
            edges=plain.edges,
            page_info=plain.page_info,
            count=plain.count,
            suggestion=found.suggestion,
            found=found,
        )

    @strawberry.field(description="Names of products, shops and categories for a typed prefix.")
    async def search_suggestions(self, prefix: str, first: int = 8) -> list[Suggestion]:
        return [
            Suggestion(text=s.text, kind=s.kind, slug=s.slug)
            for s in await suggestions.suggestions(prefix, first, await catalog.category_tree())
        ]
