"""Helpers for cart, checkout and order tests: the contract's own operations, and a shop."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from models.accounts import AuthToken, User
from resolvers.sessions import digest
from tests.conftest import contract, sign_up
from tests.test_shops_catalog import add_product, open_shop


def address(**extra: Any) -> dict[str, Any]:
    return {
        "recipient": "Siti Aminah",
        "phone": "0812-1111-2222",
        "street": "Jl. Daan Mogot No. 12, RT 03/RW 05",
        "kelurahanCode": "36.71.01.1001",
        **extra,
    }


def checkout_input(method: str = "BANK_TRANSFER", **extra: Any) -> dict[str, Any]:
    return {
        "paymentMethod": method,
        "shippingAddress": address(),
        "idempotencyKey": str(uuid.uuid4()),
        **extra,
    }


async def seller_with_products(gql, count: int = 1, **product: Any) -> tuple[dict, dict, list]:
    """A new owner, their shop and `count` active products."""
    owner = await sign_up(gql, "Pemilik Toko")
    shop = await open_shop(gql, owner["token"], name=f"Toko {uuid.uuid4().hex[:6]}")
    products = [
        await add_product(gql, owner["token"], shop["id"], **{"name": f"Produk {i}", **product})
        for i in range(count)
    ]
    return owner, shop, products


async def add_to_cart(gql, token: str, product_id: str, quantity: int = 1) -> dict[str, Any]:
    result = await gql(
        contract("AddToCart"), {"productId": product_id, "quantity": quantity}, token=token
    )
    return result["data"]["addToCart"]


async def checkout(gql, token: str, **extra: Any) -> dict[str, Any]:
    result = await gql(contract("Checkout"), {"input": checkout_input(**extra)}, token=token)
    assert "errors" not in result, result
    return result["data"]["checkout"]


async def buy(gql, product_id: str, quantity: int = 1, **extra: Any) -> tuple[dict, dict]:
    """A new buyer who checks out `quantity` of the product; (buyer, the one order)."""
    buyer = await sign_up(gql, "Pembeli")
    added = await add_to_cart(gql, buyer["token"], product_id, quantity)
    assert added["errors"] == [], added
    placed = await checkout(gql, buyer["token"], **extra)
    assert placed["errors"] == [], placed
    return buyer, placed["orders"][0]


async def quick_buyers(count: int) -> list[str]:
    """Tokens of `count` new buyers, made in the database: sign-up hashes cost ~100 ms each."""
    tokens = []
    for _ in range(count):
        user = await User.create(
            name="Pembeli", email=f"b{uuid.uuid4().hex[:12]}@contoh.id", password_hash="-"
        )
        tokens.append(secrets.token_urlsafe(24))
        await AuthToken.create(user=user, digest=digest(tokens[-1]))
    return tokens
