"""What a typical project ships: Strawberry's stock ASGI app over Tortoise, answering the same
`SearchProducts` operation with the same search, but every nested field a query of its own
(shop, kelurahan, kecamatan, category and thumbnail per product), no parse or validation
caches, no DataLoaders. Input and plain output types are the API's own."""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from bench.orm import orm_lifespan
from media.images import pick_rendition
from media.storage import Storage
from media.urls import absolute_url
from models import catalog, shops
from models.platform import regions
from resolvers.catalog import category_tree
from resolvers.search import products as search
from schema.catalog import ImageRendition
from schema.platform import Money, encode_id
from schema.search import Facet, ProductFilter, ProductSort, to_search_filter
from server.app import make_storage
from server.settings import Settings


@strawberry.type
class Kecamatan:
    code: str
    name: str


@strawberry.type
class Kelurahan:
    code: str
    name: str
    kecamatan_code: strawberry.Private[str]

    @strawberry.field
    async def kecamatan(self) -> Kecamatan:
        found = await regions.Kecamatan.get(code=self.kecamatan_code)
        return Kecamatan(code=found.code, name=found.name)


@strawberry.type
class Shop:
    id: strawberry.ID
    slug: str
    name: str
    is_verified: bool
    kelurahan_code: strawberry.Private[str]

    @strawberry.field
    async def kelurahan(self) -> Kelurahan:
        found = await regions.Kelurahan.get(code=self.kelurahan_code)
        return Kelurahan(code=found.code, name=found.name, kecamatan_code=found.kecamatan_id)


@strawberry.type
class Category:
    slug: str
    name: str


@strawberry.type
class Product:
    id: strawberry.ID
    slug: str
    name: str
    price: Money
    in_stock: bool
    is_halal: bool
    model: strawberry.Private[catalog.Product]

    @strawberry.field
    async def thumbnail(self, info: strawberry.Info, width: int = 320) -> ImageRendition | None:
        image = (
            await catalog.Image.filter(product_id=self.model.id).order_by("position", "id").first()
        )
        if image is None:
            return None
        chosen = pick_rendition(image.renditions, width)
        url = absolute_url(info.context["storage"].url(chosen["key"]), info.context["request"])
        return ImageRendition(url=url, width=chosen["width"], height=chosen["height"])

    @strawberry.field
    async def shop(self) -> Shop:
        found = await shops.Shop.get(id=self.model.shop_id)
        return Shop(id=strawberry.ID(encode_id("Shop", found.id)), slug=found.slug, name=found.name,
                    is_verified=found.is_verified, kelurahan_code=found.kelurahan_id)  # fmt: skip

    @strawberry.field
    async def category(self) -> Category:
        found = await catalog.Category.get(id=self.model.category_id)
        return Category(slug=found.slug, name=found.name)


def _product(model: catalog.Product) -> Product:
    price = Money(amount=model.price)
    return Product(id=strawberry.ID(encode_id("Product", model.id)), slug=model.slug,
                   name=model.name, price=price, in_stock=model.stock > 0, is_halal=model.is_halal,
                   model=model)  # fmt: skip


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ProductEdge:
    cursor: str
    node: Product


@strawberry.type
class ProductSearchConnection:
    total_count: int
    suggestion: str | None
    page_info: PageInfo
    facets: list[Facet]
    edges: list[ProductEdge]


@strawberry.type
class Query:
    @strawberry.field
    async def products(
        self,
        query: str | None = None,
        filter: ProductFilter | None = None,
        sort: ProductSort = ProductSort.RELEVANCE,
        first: int = 20,
        after: str | None = None,
    ) -> ProductSearchConnection:
        chosen = to_search_filter(filter)
        found = await search.search_products(
            query,
            chosen,
            search.Sort(sort.value),
            tree=await category_tree(),
            first=first,
            after=after,
        )
        page = found.page
        facets = [Facet.of(f) for f in await found.facets()]
        return ProductSearchConnection(
            total_count=await page.count(),
            suggestion=found.suggestion,
            page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=page.cursors[-1] if page.cursors else None
            ),
            facets=facets,
            edges=[
                ProductEdge(cursor=c, node=_product(p))
                for c, p in zip(page.cursors, page.items, strict=True)
            ],
        )


class NaiveGraphQL(GraphQL):
    storage: Storage

    async def get_context(self, request, response) -> dict:
        return {"request": request, "response": response, "storage": self.storage}


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings) -> Starlette:
    graphql = NaiveGraphQL(strawberry.Schema(query=Query))
    graphql.storage = make_storage(settings)
    return Starlette(
        routes=[Route("/graphql", graphql), Route("/healthz", healthz)],
        lifespan=orm_lifespan(settings.database_url),
    )
