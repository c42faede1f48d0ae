"""Keranjang: the buyer's cart, its lines grouped by shop."""

from __future__ import annotations

from itertools import groupby

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah
from storefront.pages import catalog
from storefront.web import api, field_errors, redirect, render, signed_in_token


async def cart(request: Request) -> Response:
    data = await api(request).run("CartView", token=signed_in_token(request))
    found = data["myCart"]
    lines = sorted(found["lines"], key=lambda line: line["product"]["shop"]["name"])
    shops = [
        (lines_of_shop[0]["product"]["shop"], lines_of_shop)
        for _, group in groupby(lines, key=lambda line: line["product"]["shop"]["id"])
        if (lines_of_shop := list(group))
    ]
    return render(request, "cart.html", {"cart": found, "shops": shops})


async def add(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    quantity = _quantity(form.get("quantity"))
    variant_id = str(form.get("variant_id", ""))
    if variant_id:  # chosen on the page of a product with options
        data = await api(request).run(
            "AddVariantToCart", {"variantId": variant_id, "quantity": quantity}, token=token
        )
        errors = data["addVariantToCart"]["errors"]
    else:
        data = await api(request).run(
            "AddToCart",
            {"productId": str(form.get("product_id", "")), "quantity": quantity},
            token=token,
        )
        errors = data["addToCart"]["errors"]
    if errors:
        slug = str(form.get("slug", ""))
        return await catalog.product_page(request, slug, errors=field_errors(errors), status=400)
    session.flash(request, "Produk masuk ke keranjang.")
    return redirect("/keranjang")


async def update(request: Request) -> Response:
    form = await session.checked_form(request)
    token = signed_in_token(request)
    quantity = 0 if "hapus" in form else _quantity(form.get("quantity"))
    data = await api(request).run(
        "UpdateCartLine",
        {"lineId": str(form.get("line_id", "")), "quantity": quantity},
        token=token,
    )
    errors = [error["message"] for error in data["updateCartLine"]["errors"]]
    done = "Produk dihapus dari keranjang." if quantity == 0 else "Jumlah diperbarui."
    session.flash(request, errors[0] if errors else done)
    return redirect("/keranjang")


async def confirm_prices(request: Request) -> Response:
    """The buyer agrees to the new prices the page showed (their total, `expectedTotal`)."""
    form = await session.checked_form(request)
    token = signed_in_token(request)
    shown = parse_rupiah(str(form.get("expectedTotal", "")))
    data = await api(request).run("ConfirmCartPrices", {"expectedTotal": shown}, token=token)
    errors = [error["message"] for error in data["confirmCartPrices"]["errors"]]
    session.flash(request, errors[0] if errors else "Harga baru disetujui.")
    return redirect("/checkout" if form.get("next") == "/checkout" else "/keranjang")


def _quantity(value: object) -> int:
    """The typed quantity; what is not a number asks for 0, which the API refuses politely."""
    try:
        return max(min(int(str(value)), 1_000_000), -1)
    except ValueError:
        return 0


routes = [
    Route("/keranjang", cart, name="cart"),
    Route("/keranjang/tambah", add, methods=["POST"], name="cart_add"),
    Route("/keranjang/ubah", update, methods=["POST"], name="cart_update"),
    Route("/keranjang/setujui-harga", confirm_prices, methods=["POST"], name="cart_confirm_prices"),
]
