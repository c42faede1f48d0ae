"""OrderEvents over graphql-transport-ws: the shop's owner hears of every change within a second,
on this worker or, through Redis, on another."""

import asyncio
import json
import os
import time

import pytest
from redis.asyncio import Redis

from server.redis_broker import RedisBroker
from tests.conftest import contract, sign_up
from tests.orders.helpers import (
    add_to_cart,
    buy,
    checkout,
    notify,
    payment_of,
    seller_with_products,
    subscribe,
    wait_for_subscriber,
)
from tests.server.helpers import ServerProcess, open_socket


async def next_event(socket) -> dict:
    message = json.loads(await asyncio.wait_for(socket.recv(), 1.0))  # within a second
    assert message["type"] == "next", message
    return message["payload"]["data"]["orderEvents"]


async def test_the_owner_hears_every_change_within_a_second(gql, client, live):
    owner, shop, (product,) = await seller_with_products(gql, price=8000, stock=10)
    socket = await subscribe(live, owner["token"], shop["id"])
    try:
        await wait_for_subscriber(live.server.config.app.state.services.events, shop["id"])
        buyer, order = await buy(gql, product["id"], 2, method="QRIS")
        created = await next_event(socket)
        assert created == {
            "type": "CREATED",
            "order": {
                "id": order["id"],
                "number": order["number"],
                "status": "PENDING_PAYMENT",
                "total": {"amount": 16000, "formatted": "Rp16.000"},
            },
        }
        payment = await payment_of(order)
        body = {"id": "ev-1", "reference": payment.reference, "amount": 16000, "status": "PAID"}
        assert (await notify(client, live, body)).status_code == 200
        paid = await next_event(socket)
        assert (paid["type"], paid["order"]["status"]) == ("PAID", "PROCESSING")

        moved = await gql(
            contract("UpdateOrderStatus"),
            {"id": order["id"], "status": "SHIPPED", "trackingNumber": "JNE55"},
            token=owner["token"],
        )
        assert moved["data"]["updateOrderStatus"]["errors"] == []
        shipped = await next_event(socket)
        assert (shipped["type"], shipped["order"]["status"]) == ("STATUS_CHANGED", "SHIPPED")

        await add_to_cart(gql, buyer["token"], product["id"], 1)
        second = (await checkout(gql, buyer["token"], method="COD"))["orders"][0]
        assert (await next_event(socket))["type"] == "CREATED"
        await gql(contract("CancelOrder"), {"id": second["id"]}, token=buyer["token"])
        cancelled = await next_event(socket)
        assert cancelled["type"] == "CANCELLED"
        assert cancelled["order"] == {
            **cancelled["order"],
            "id": second["id"],
            "status": "CANCELLED",
        }
    finally:
        await socket.close()


async def test_each_event_shows_the_order_as_it_is_now(gql, client, live):
    owner, shop, (product,) = await seller_with_products(gql, price=3000)
    query = """subscription($shopId: ID!) {
      orderEvents(shopId: $shopId) { type order { status payment { status } } }
    }"""
    socket = await subscribe(live, owner["token"], shop["id"], query)
    try:
        await wait_for_subscriber(live.server.config.app.state.services.events, shop["id"])
        _, order = await buy(gql, product["id"], 1, method="BANK_TRANSFER")
        created = await next_event(socket)
        assert created["order"]["payment"] == {"status": "PENDING"}
        payment = await payment_of(order)
        body = {"id": "ev-now", "reference": payment.reference, "amount": 3000, "status": "PAID"}
        assert (await notify(client, live, body)).status_code == 200
        paid = await next_event(socket)  # not the payment cached with the first event
        assert paid == {
            "type": "PAID",
            "order": {"status": "PROCESSING", "payment": {"status": "PAID"}},
        }
    finally:
        await socket.close()


async def test_only_the_owner_may_subscribe(gql, live):
    _, shop, _ = await seller_with_products(gql)
    stranger = await sign_up(gql)
    for token_holder in (stranger["token"],):
        socket = await subscribe(live, token_holder, shop["id"])
        try:
            message = json.loads(await asyncio.wait_for(socket.recv(), 2))
            assert message["type"] == "next"
            assert message["payload"]["data"] is None
            assert message["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        finally:
            await socket.close()
    anonymous = await open_socket(live, {})
    try:
        assert json.loads(await anonymous.recv()) == {"type": "connection_ack"}
        await anonymous.send(json.dumps({
            "id": "1", "type": "subscribe",
            "payload": {"query": contract("OrderEvents"), "variables": {"shopId": shop["id"]}},
        }))  # fmt: skip
        message = json.loads(await asyncio.wait_for(anonymous.recv(), 2))
        assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await anonymous.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_an_order_placed_on_one_server_reaches_a_subscriber_on_another(gql, live, tmp_path):
    owner, shop, (product,) = await seller_with_products(gql, price=5000)
    async with ServerProcess(live, tmp_path) as other:
        socket = await subscribe(other, owner["token"], shop["id"])
        try:
            redis = Redis.from_url(live.settings.redis_url)
            try:
                await wait_for_subscriber(
                    RedisBroker(redis, f"{live.settings.redis_key_prefix}events:"), shop["id"]
                )
            finally:
                await redis.aclose()
            started = time.perf_counter()
            _, order = await buy(gql, product["id"], 1, method="COD")  # through `live`
            event = await next_event(socket)
            assert time.perf_counter() - started < 2  # the checkout itself, then under a second
            assert (event["type"], event["order"]["id"]) == ("CREATED", order["id"])
        finally:
            await socket.close()
