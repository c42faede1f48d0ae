"""A shop's page and a product's page, at their slugs."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront.web import api, render

SLUG_MAX = 200


async def shop(request: Request) -> Response:
    slug = request.path_params["slug"][:SLUG_MAX]
    after = request.query_params.get("setelah") or None
    data = await api(request).run("ShopView", {"slug": slug, "after": after})
    if data["shop"] is None:
        raise HTTPException(404)
    found = data["shop"]
    return render(
        request,
        "shop.html",
        {
            "shop": found,
            "products": [edge["node"] for edge in found["products"]["edges"]],
            "vouchers": [edge["node"] for edge in found["vouchers"]["edges"]],
            "canonical": f"/toko/{found['slug']}",
        },
    )


async def product(request: Request) -> Response:
    return await product_page(request, request.path_params["slug"])


async def product_page(
    request: Request, slug: str, *, errors: dict[str, str] | None = None, status: int = 200
) -> Response:
    """The product at `slug`; the add-to-cart form shows `errors` beside its fields."""
    data = await api(request).run("ProductView", {"slug": slug[:SLUG_MAX]})
    if data["product"] is None:
        raise HTTPException(404)
    found = data["product"]
    context = {"product": found, "canonical": f"/produk/{found['slug']}", "errors": errors or {}}
    return render(request, "product.html", context, status)


routes = [
    Route("/toko/{slug}", shop, name="shop"),
    Route("/produk/{slug}", product, name="product"),
]
