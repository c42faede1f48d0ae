"""Products with options and variants, through the marketplace contract's operations."""

from __future__ import annotations

from typing import Any

from tests.orders.complaint_helpers import op
from tests.orders.helpers import seller_with_products

SIZES = {"name": "Ukuran", "values": ["S", "M", "L"]}
COLOURS = {"name": "Warna", "values": ["Merah", "Biru"]}


async def set_options(gql, token: str, product_id: str, options: list[dict]) -> dict[str, Any]:
    answer = await gql(
        op("SetProductOptions"), {"productId": product_id, "options": options}, token=token
    )
    assert "errors" not in answer, answer
    return answer["data"]["setProductOptions"]


async def create_variant(gql, token: str, product_id: str, **given: Any) -> dict[str, Any]:
    values = given.pop("values", {"Ukuran": "M", "Warna": "Merah"})
    body = {
        "productId": product_id,
        "sku": given.pop("sku", "BTK-M-MERAH"),
        "price": given.pop("price", 35000),
        "stock": given.pop("stock", 5),
        "options": [{"name": k, "value": v} for k, v in values.items()],
        **given,
    }
    answer = await gql(op("CreateProductVariant"), {"input": body}, token=token)
    assert "errors" not in answer, answer
    return answer["data"]["createProductVariant"]


async def update_variant(gql, token: str | None, variant_id: str, **given: Any) -> dict:
    answer = await gql(op("UpdateProductVariant"), {"id": variant_id, "input": given}, token=token)
    assert "errors" not in answer, answer
    return answer["data"]["updateProductVariant"]


async def batik_shirt(gql, **stock: int) -> tuple[dict, dict, dict, dict[str, dict]]:
    """An owner, their shop, an ACTIVE product with Ukuran and Warna, and variants by name
    ("M / Merah": stock 5 at Rp35.000 unless `stock` says otherwise, "L / Biru" at
    Rp45.000)."""
    owner, shop, (product,) = await seller_with_products(gql, name="Kemeja Batik Parang")
    token = owner["token"]
    assert (await set_options(gql, token, product["id"], [SIZES, COLOURS]))["errors"] == []
    made = {}
    for name, sku, price, values in (
        ("M / Merah", "BTK-M-MERAH", 35000, {"Ukuran": "M", "Warna": "Merah"}),
        ("L / Biru", "BTK-L-BIRU", 45000, {"Ukuran": "L", "Warna": "Biru"}),
    ):
        done = await create_variant(
            gql, token, product["id"], sku=sku, price=price, values=values,
            stock=stock.get(sku.replace("-", "_"), 5),
        )  # fmt: skip
        assert done["errors"] == [], done
        made[name] = done["variant"]
    return owner, shop, product, made
