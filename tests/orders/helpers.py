"""Helpers for cart, checkout, order and payment tests: the contract's own operations, a shop,
the provider's signed webhook, and a subscription to a shop's order events."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from models.catalog import Product, ProductVariant
from models.orders.order import Order
from models.orders.payments import Payment
from models.platform.accounts import AuthToken, User
from resolvers.orders.events import shop_channel
from resolvers.platform.sessions import digest
from resolvers.providers.signature import sign
from schema.platform.ids import decode_id
from tests.catalog.helpers import add_product
from tests.conftest import contract, sign_up
from tests.server.helpers import open_socket, wait_for_listeners
from tests.shops.helpers import open_shop


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


async def stock_of(product_id: str) -> tuple[int, int]:
    product = await Product.get(id=decode_id(product_id, "Product"))
    return product.stock, product.units_sold


async def change_behind(product_id: str, **values: Any) -> None:
    """Change a product without options behind the API's back (sold elsewhere, repriced):
    its default variant, and the product's figures that follow it."""
    pk = decode_id(product_id, "Product")
    await ProductVariant.filter(product_id=pk, is_default=True).update(**values)
    await Product.filter(id=pk).update(**values)


MOVE = contract("UpdateOrderStatus")
CANCEL = contract("CancelOrder")


async def move(gql, token, order_id, status, tracking=None):
    variables = {"id": order_id, "status": status, "trackingNumber": tracking}
    return (await gql(MOVE, variables, token=token))["data"]["updateOrderStatus"]


async def past_auto_complete(order: dict) -> None:
    """Let the order's autoCompleteAt pass, as ORDER_AUTOCOMPLETE_DAYS would."""
    await Order.filter(id=decode_id(order["id"], "Order")).update(
        auto_complete_at=datetime.now(UTC) - timedelta(seconds=1)
    )


async def payment_of(order: dict) -> Payment:
    return await Payment.get(order_id=decode_id(order["id"], "Order"))


async def notify(client, live, body: dict, *, secret=None, timestamp=None, raw=None):
    data = raw if raw is not None else json.dumps(body).encode()
    stamp = int(time.time()) if timestamp is None else timestamp
    signature = sign(secret or live.settings.payment_webhook_secret, stamp, data)
    return await client.post(
        "/payments/webhook",
        content=data,
        headers={"X-Sandbox-Timestamp": str(stamp), "X-Sandbox-Signature": signature},
    )


def parse_tlv(text: str) -> dict[str, str]:
    fields, at = {}, 0
    while at < len(text):
        tag, length = text[at : at + 2], int(text[at + 2 : at + 4])
        fields[tag] = text[at + 4 : at + 4 + length]
        at += 4 + length
    return fields


async def subscribe(url_holder, token: str, shop_id: str, query: str | None = None):
    socket = await open_socket(url_holder, {"authorization": f"Bearer {token}"})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    await socket.send(json.dumps({
        "id": "1", "type": "subscribe",
        "payload": {"query": query or contract("OrderEvents"), "variables": {"shopId": shop_id}},
    }))  # fmt: skip
    return socket


async def wait_for_subscriber(broker, shop_id: str) -> None:
    await wait_for_listeners(broker, shop_channel(decode_id(shop_id, "Shop")))
