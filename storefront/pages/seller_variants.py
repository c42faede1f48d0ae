"""Penjual: a product's options (Ukuran, Warna, ...) and its variants."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah
from storefront.web import api, field_errors, redirect, render, signed_in_token

OPTION_ROWS = 3  # the API takes at most 3 options
NUMBERS = {"price": "Harga", "stock": "Stok"}


async def page(request: Request) -> Response:
    return await _page(request, await _own_product(request), {})


async def set_options(request: Request) -> Response:
    form = await session.checked_form(request)
    product = await _own_product(request)
    options = []
    for i in range(OPTION_ROWS):
        name = str(form.get(f"option_{i}", "")).strip()
        values = [v.strip() for v in str(form.get(f"values_{i}", "")).split(",") if v.strip()]
        if name or values:
            options.append({"name": name, "values": values})
    answer = await api(request).run(
        "SetOptions", {"productId": product["id"], "options": options},
        token=signed_in_token(request),
    )  # fmt: skip
    return await _done(request, product, answer["setProductOptions"], "Pilihan disimpan.")


async def create(request: Request) -> Response:
    form = await session.checked_form(request)
    product = await _own_product(request)
    body, errors = _numbers(form)
    if errors:
        return await _page(request, product, errors, 400)
    body.update(
        productId=product["id"],
        sku=str(form.get("sku", "")).strip(),
        options=[
            {"name": option["name"], "value": str(form.get(f"value_{i}", ""))}
            for i, option in enumerate(product["options"])
        ],
    )
    answer = await api(request).run("NewVariant", {"input": body}, token=signed_in_token(request))
    return await _done(request, product, answer["createProductVariant"], "Varian ditambahkan.")


async def update(request: Request) -> Response:
    form = await session.checked_form(request)
    product = await _own_product(request)
    body, errors = _numbers(form)
    if errors:
        return await _page(request, product, errors, 400)
    if "sku" in form:  # a product's default variant has neither a SKU nor a switch
        body.update(sku=str(form.get("sku", "")).strip(), isActive=bool(form.get("isActive")))
    variables = {"id": str(form.get("variant_id", "")), "input": body}
    answer = await api(request).run("EditVariant", variables, token=signed_in_token(request))
    return await _done(request, product, answer["updateProductVariant"], "Varian disimpan.")


def _numbers(form: FormData) -> tuple[dict, dict[str, str]]:
    body, errors = {}, {}
    for name, label in NUMBERS.items():
        amount = parse_rupiah(str(form.get(name, "")).strip())
        if amount is None:
            errors[name] = f"{label} harus berupa bilangan bulat, misalnya 15000."
        else:
            body[name] = amount
    return body, errors


async def _done(request: Request, product: dict, payload: dict, notice: str) -> Response:
    errors = field_errors(payload["errors"])
    if errors:
        return await _page(request, await _own_product(request), errors, 400)
    session.flash(request, notice)
    return redirect(f"/penjual/produk/{product['slug']}/varian")


async def _own_product(request: Request) -> dict:
    """The product at the path's slug if the signed-in visitor owns it (else 404)."""
    variables = {"slug": request.path_params["slug"][:200]}
    data = await api(request).run("SellerVariants", variables, token=signed_in_token(request))
    product = data["product"]
    if product is None or product["shop"]["slug"] not in {s["slug"] for s in data["me"]["shops"]}:
        raise HTTPException(404)
    return product


async def _page(
    request: Request, product: dict, errors: dict[str, str], status: int = 200
) -> Response:
    rows = [*product["options"], *[{"name": "", "values": []}] * OPTION_ROWS][:OPTION_ROWS]
    context = {"product": product, "option_rows": rows, "errors": errors}
    return render(request, "seller/variants.html", context, status)


routes = [
    Route("/penjual/produk/{slug}/varian", page, name="seller_variants"),
    Route("/penjual/produk/{slug}/pilihan", set_options, methods=["POST"], name="seller_options"),
    Route("/penjual/produk/{slug}/varian", create, methods=["POST"], name="seller_variant_new"),
    Route(
        "/penjual/produk/{slug}/varian/ubah", update, methods=["POST"], name="seller_variant_edit"
    ),
]
