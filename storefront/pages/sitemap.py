"""The sitemap (shops and products, newest first, up to a cap) and robots.txt."""

from __future__ import annotations

import time
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from storefront.api import Api
from storefront.web import api

CAP = 5_000  # of each kind; more wants a sitemap index, the API's cursors walk only forward
MAX_AGE = 3600


async def sitemap(request: Request) -> Response:
    cached = getattr(request.app.state, "sitemap", None)
    if cached is None or cached[0] < time.monotonic() - MAX_AGE:
        base = str(request.base_url).rstrip("/")
        cached = (time.monotonic(), await _build(api(request), base))
        request.app.state.sitemap = cached
    return Response(
        cached[1], media_type="application/xml", headers={"Cache-Control": f"max-age={MAX_AGE}"}
    )


async def _build(client: Api, base: str) -> str:
    paths = ["/", "/cari"]
    paths += [f"/toko/{slug}" for slug in await _slugs(client, "SitemapShops", "shops")]
    paths += [f"/produk/{slug}" for slug in await _slugs(client, "SitemapProducts", "products")]
    entries = "".join(f"<url><loc>{escape(base + path)}</loc></url>" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


async def _slugs(client: Api, operation: str, field: str) -> list[str]:
    slugs: list[str] = []
    after = None
    while len(slugs) < CAP:
        page = (await client.run(operation, {"after": after}))[field]
        slugs += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return slugs[:CAP]


async def robots(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return PlainTextResponse(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n")


routes = [
    Route("/sitemap.xml", sitemap, name="sitemap"),
    Route("/robots.txt", robots, name="robots"),
]
