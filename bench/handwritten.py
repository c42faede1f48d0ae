"""The floor for our stack: a hand-written Starlette endpoint answering `SearchProducts`.

It takes the same request body as the API (it reads only the variables), runs the same
search SQL (the engine's `search_products`, its count and facets), fetches the page's
cards with one hand-written join and their thumbnails with one more query, and writes the
same JSON by hand. No GraphQL, no DataLoaders, no middleware.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.orm import orm_lifespan
from media.images import pick_rendition
from media.storage import Storage
from media.urls import absolute_url
from resolvers.catalog import category_tree
from resolvers.platform import format_rupiah
from resolvers.search.engines import Statement, engine
from resolvers.search.products import ProductFilter, Sort, search_products
from schema.platform import encode_id
from server.app import make_storage
from server.settings import Settings

CARDS = """
SELECT p.id, p.slug, p.name, p.price, p.stock, p.is_halal,
       s.id, s.slug, s.name, s.is_verified, k.code, k.name, kc.code, kc.name, c.slug, c.name
FROM product p
JOIN shop s ON s.id = p.shop_id
JOIN kelurahan k ON k.code = s.kelurahan_id
JOIN kecamatan kc ON kc.code = k.kecamatan_id
JOIN category c ON c.id = p.category_id
WHERE p.id IN ({ids})
"""
THUMBNAILS = """
SELECT product_id, renditions FROM image WHERE product_id IN ({ids}) ORDER BY position, id
"""


def product_filter(given: dict[str, Any] | None) -> ProductFilter:
    given = given or {}
    return ProductFilter(
        categories=given.get("categories"),
        kecamatan=given.get("kecamatan"),
        kelurahan=given.get("kelurahan"),
        price_min=given.get("priceMin"),
        price_max=given.get("priceMax"),
        halal=given.get("halal"),
        in_stock=given.get("inStock"),
    )


async def _rows(sql: str, ids: list[int]) -> list[tuple]:
    st = Statement(engine())
    return [tuple(row) for row in await st.rows(sql.format(ids=st.bind_all(ids)))]


def _thumbnail(request: Request, renditions: Any) -> dict[str, Any] | None:
    if isinstance(renditions, str):
        renditions = json.loads(renditions)
    if not renditions:
        return None
    chosen = pick_rendition(renditions, 320)
    storage: Storage = request.app.state.storage
    url = absolute_url(storage.url(chosen["key"]), request)
    return {"url": url, "width": chosen["width"], "height": chosen["height"]}


def _card(row: tuple, thumbnail: dict[str, Any] | None) -> dict[str, Any]:
    (pid, slug, name, price, stock, halal, sid, sslug, sname, verified,
     kcode, kname, ccode, cname, cat_slug, cat_name) = row  # fmt: skip
    return {
        "id": encode_id("Product", pid), "slug": slug, "name": name,
        "price": {"amount": price, "currency": "IDR", "formatted": format_rupiah(price)},
        "inStock": stock > 0, "isHalal": bool(halal), "thumbnail": thumbnail,
        "shop": {
            "id": encode_id("Shop", sid), "slug": sslug, "name": sname,
            "isVerified": bool(verified),
            "kelurahan": {"code": kcode, "name": kname,
                          "kecamatan": {"code": ccode, "name": cname}},
        },
        "category": {"slug": cat_slug, "name": cat_name},
    }  # fmt: skip


async def search(request: Request) -> Response:
    variables = (await request.json()).get("variables") or {}
    found = await search_products(
        variables.get("query"),
        product_filter(variables.get("filter")),
        Sort(variables.get("sort") or "RELEVANCE"),
        tree=await category_tree(),
        first=variables.get("first", 20),
        after=variables.get("after"),
    )
    page = found.page
    ids = [p.id for p in page.items]
    cards: dict[int, tuple] = {}
    thumbnails: dict[int, dict[str, Any] | None] = {}
    if ids:
        cards = {row[0]: row for row in await _rows(CARDS, ids)}
        for product_id, renditions in await _rows(THUMBNAILS, ids):
            thumbnails.setdefault(product_id, _thumbnail(request, renditions))
    facets = [
        {"field": f.field,
         "values": [{"value": v.value, "label": v.label, "count": v.count} for v in f.values]}
        for f in await found.facets()
    ]  # fmt: skip
    products = {
        "totalCount": await page.count(),
        "suggestion": found.suggestion,
        "pageInfo": {
            "hasNextPage": page.has_next,
            "endCursor": page.cursors[-1] if page.cursors else None,
        },
        "facets": facets,
        "edges": [
            {"cursor": cursor, "node": _card(cards[pid], thumbnails.get(pid))}
            for cursor, pid in zip(page.cursors, ids, strict=True)
        ],
    }
    body = json.dumps({"data": {"products": products}}, ensure_ascii=False).encode()
    return Response(body, media_type="application/json")


async def healthz(_request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


def create_app(settings: Settings) -> Starlette:
    app = Starlette(
        routes=[Route("/graphql", search, methods=["POST"]), Route("/healthz", healthz)],
        lifespan=orm_lifespan(settings.database_url),
    )
    app.state.storage = make_storage(settings)
    return app
