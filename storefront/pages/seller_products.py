"""Penjual: creating and editing products, and their photos."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from storefront import session
from storefront.formatting import parse_rupiah
from storefront.web import api, field_errors, page_errors, redirect, render, signed_in_token

FIELDS = {"name", "description", "price", "stock", "weightGrams", "categorySlug", "status"}
NUMBERS = {"price": "Harga", "stock": "Stok", "weightGrams": "Berat"}
STATUSES = {"ACTIVE": "Tampil di toko", "DRAFT": "Draf (belum tampil)"}
MAX_UPLOAD = 10 * 1024 * 1024 + 64 * 1024  # the API's 10 MB, and the form around it


async def new_form(request: Request) -> Response:
    shop, categories = await _own_shop(request, request.path_params["slug"])
    values = {"status": "ACTIVE", "stock": "1", "weightGrams": "0"}
    return await _product_form(request, shop, None, values, {}, categories)


async def create(request: Request) -> Response:
    form = await session.checked_form(request)
    shop, categories = await _own_shop(request, request.path_params["slug"])
    values, body, errors = _read(form)
    if not errors:
        answer = await api(request).run(
            "NewProduct", {"input": {**body, "shopId": shop["id"]}}, token=signed_in_token(request)
        )
        errors = field_errors(answer["createProduct"]["errors"])
        if not errors:
            session.flash(request, "Produk disimpan. Tambahkan fotonya di sini.")
            return redirect(f"/penjual/produk/{answer['createProduct']['product']['slug']}")
    return await _product_form(request, shop, None, values, errors, categories, 400)


async def edit_form(request: Request) -> Response:
    product, categories = await _own_product(request)
    values = {
        "name": product["name"],
        "description": product["description"],
        "price": str(product["price"]["amount"]),
        "stock": str(product["stock"]),
        "weightGrams": str(product["weightGrams"]),
        "categorySlug": product["category"]["slug"],
        "status": product["status"],
        "isHalal": "1" if product["isHalal"] else "",
    }
    errors = session.take_errors(request, "photo")
    return await _product_form(request, product["shop"], product, values, errors, categories)


async def update(request: Request) -> Response:
    form = await session.checked_form(request)
    product, categories = await _own_product(request)
    values, body, errors = _read(form)
    if not errors:
        answer = await api(request).run(
            "EditProduct", {"id": product["id"], "input": body}, token=signed_in_token(request)
        )
        errors = field_errors(answer["updateProduct"]["errors"])
        if not errors:
            session.flash(request, "Perubahan disimpan.")
            return redirect(f"/penjual/produk/{product['slug']}")
    return await _product_form(request, product["shop"], product, values, errors, categories, 400)


async def add_photo(request: Request) -> Response:
    if int(request.headers.get("content-length") or 0) > MAX_UPLOAD:
        raise HTTPException(413, "Foto paling besar 10 MB.")
    form = await session.checked_form(request)
    product, _ = await _own_product(request)
    file = form.get("file")
    back = f"/penjual/produk/{product['slug']}"
    if not isinstance(file, UploadFile) or not file.filename:
        session.keep_errors(request, "photo", {"file": "Pilih foto yang akan diunggah."})
        return redirect(back)
    alt = str(form.get("alt", "")).strip() or None
    variables = {"productId": product["id"], "alt": alt, "file": None}
    upload = (file.filename, file.file, file.content_type or "application/octet-stream")
    answer = await api(request).upload(
        "AddProductPhoto", variables, upload, token=signed_in_token(request)
    )
    errors = field_errors(answer["uploadProductImage"]["errors"])
    if errors:
        session.keep_errors(request, "photo", {"file": next(iter(errors.values()))})
    else:
        session.flash(request, "Foto ditambahkan.")
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        # The upload script goes there itself: followed by the XHR, the page would eat the notice.
        return JSONResponse({"location": back})
    return redirect(back)


async def remove_photo(request: Request) -> Response:
    form = await session.checked_form(request)
    product, _ = await _own_product(request)
    answer = await api(request).run(
        "RemoveProductPhoto", {"id": str(form.get("image_id", ""))}, token=signed_in_token(request)
    )
    errors = [error["message"] for error in answer["deleteProductImage"]["errors"]]
    session.flash(request, errors[0] if errors else "Foto dihapus.")
    return redirect(f"/penjual/produk/{product['slug']}")


def _read(form: FormData) -> tuple[dict[str, str], dict, dict[str, str]]:
    """The typed values, the API input made of them, and what is wrong before asking the API."""
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    values["isHalal"] = "1" if form.get("isHalal") else ""
    body: dict = {name: values[name] for name in ("name", "description", "categorySlug")}
    body["isHalal"] = bool(values["isHalal"])
    body["status"] = values["status"] if values["status"] in STATUSES else "DRAFT"
    errors = {}
    for name, label in NUMBERS.items():
        if (amount := parse_rupiah(values[name])) is not None:
            body[name] = amount
        else:
            errors[name] = f"{label} harus berupa bilangan bulat, misalnya 15000."
    return values, body, errors


async def _own_shop(request: Request, slug: str) -> tuple[dict, list]:
    """One of the signed-in owner's shops (404 for anyone else's), and the categories."""
    data = await api(request).run("ProductForm", token=signed_in_token(request))
    shop = next((s for s in data["me"]["shops"] if s["slug"] == slug), None)
    if shop is None:
        raise HTTPException(404)
    return shop, data["categories"]


async def _own_product(request: Request) -> tuple[dict, list]:
    """The product at the path's slug if the signed-in visitor owns it (else 404)."""
    variables = {"slug": request.path_params["slug"][:200]}
    data = await api(request).run("SellerProduct", variables, token=signed_in_token(request))
    product = data["product"]
    mine = {shop["slug"] for shop in data["me"]["shops"]}
    if product is None or product["shop"]["slug"] not in mine:
        raise HTTPException(404)
    return product, data["categories"]


async def _product_form(
    request: Request,
    shop: dict,
    product: dict | None,
    values: dict[str, str],
    errors: dict[str, str],
    categories: list,
    status: int = 200,
) -> Response:
    context = {
        "shop": shop,
        "product": product,
        "values": values,
        "errors": errors,
        "page_errors": page_errors(errors, FIELDS | {"file", "isHalal"}),
        "categories": categories,
        "statuses": STATUSES,
    }
    return render(request, "seller/product_form.html", context, status)


routes = [
    Route("/penjual/toko/{slug}/produk-baru", new_form, name="seller_product_new"),
    Route(
        "/penjual/toko/{slug}/produk-baru", create, methods=["POST"], name="seller_product_create"
    ),
    Route("/penjual/produk/{slug}", edit_form, name="seller_product"),
    Route("/penjual/produk/{slug}", update, methods=["POST"], name="seller_product_update"),
    Route("/penjual/produk/{slug}/foto", add_photo, methods=["POST"], name="seller_photo_add"),
    Route(
        "/penjual/produk/{slug}/foto/hapus",
        remove_photo,
        methods=["POST"],
        name="seller_photo_remove",
    ),
]
