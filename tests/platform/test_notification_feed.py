"""The live feed of new notifications (`newNotifications`) over graphql-transport-ws: woken
by its own user's event once the change commits, never by another's nor by a rollback, on
the in-process broker and, with REDIS_URL, across two workers."""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest
from redis.asyncio import Redis
from tortoise.transactions import in_transaction

from models.platform import NotificationKind
from resolvers.platform import notify, telling
from resolvers.platform.notification_wakes import channel_of
from server.redis_broker import RedisBroker
from tests.conftest import contract, sign_up
from tests.orders.complaint_helpers import shipped_sale
from tests.orders.helpers import move
from tests.platform.notification_helpers import user_pk
from tests.platform.test_sessions import closed_code, listening
from tests.server.helpers import ServerProcess, open_socket, wait_for_listeners

PROMPTLY = 1.0  # seconds from the answer of the change to the notification on the socket


async def subscribed(server, token: str, broker, user_id: int):
    """A socket with `newNotifications` running, its subscription on the broker."""
    socket = await open_socket(server, {"authorization": f"Bearer {token}"})
    assert json.loads(await socket.recv()) == {"type": "connection_ack"}
    query = contract("NewNotifications")
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
    await wait_for_listeners(broker, channel_of(user_id))
    return socket


async def nothing_within(socket, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            stray = await socket.recv()
    except TimeoutError:
        return
    raise AssertionError(f"unexpected {stray}")


async def next_notification(socket) -> dict:
    async with asyncio.timeout(PROMPTLY):
        got = json.loads(await socket.recv())
    assert got["type"] == "next", got
    return got["payload"]["data"]["newNotifications"]


def broker_of(live):
    return live.server.config.app.state.services.events


async def test_a_notification_arrives_promptly_to_its_user_only_and_a_logout_closes_it(gql, live):
    sale = await shipped_sale(gql)
    stranger = await sign_up(gql)
    await listening(live)
    broker = broker_of(live)
    mine = await subscribed(live, sale.buyer["token"], broker, user_pk(sale.buyer))
    other = await subscribed(live, stranger["token"], broker, user_pk(stranger))
    try:
        started = time.perf_counter()
        await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")
        node = await next_notification(mine)
        print(f"notification after {time.perf_counter() - started:.3f}s")
        assert (node["kind"], node["subject"]) == ("ORDER_STATUS_CHANGED", {"id": sale.order_id})
        assert "diterima" in node["title"]
        await nothing_within(other, 0.5)
        assert (await gql("mutation { logout { ok } }", token=sale.buyer["token"]))["data"]
        assert await closed_code(mine, 1.0) == 4401
    finally:
        for socket in (mine, other):
            await socket.close()


async def test_a_rolled_back_change_wakes_nobody_and_sends_nothing(gql, live):
    warga = await sign_up(gql)
    user_id = user_pk(warga)
    broker = broker_of(live)
    socket = await subscribed(live, warga["token"], broker, user_id)
    try:
        async with broker.subscribe(channel_of(user_id)) as wakes:
            await wait_for_listeners(broker, channel_of(user_id), 2)
            with pytest.raises(RuntimeError):  # noqa: PT012 (the change, then its failure)
                async with telling(broker), in_transaction():
                    await notify(NotificationKind.PAYOUT_FAILED, None, [user_id], "Batal", "x")
                    raise RuntimeError("the change fails after telling")
            woken = asyncio.ensure_future(anext(wakes))
            await nothing_within(socket, 0.5)
            assert not woken.done()
            async with telling(broker), in_transaction():  # the same, committed
                await notify(NotificationKind.PAYOUT_FAILED, None, [user_id], "Jadi", "x")
            assert await asyncio.wait_for(woken, PROMPTLY) == {"notifications": True}
        node = await next_notification(socket)
        assert (node["kind"], node["title"]) == ("PAYOUT_FAILED", "Jadi")
    finally:
        await socket.close()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_a_change_on_one_worker_reaches_a_subscriber_on_another(gql, live, tmp_path):
    sale = await shipped_sale(gql)
    stranger = await sign_up(gql)
    redis = Redis.from_url(live.settings.redis_url)
    broker = RedisBroker(redis, f"{live.settings.redis_key_prefix}events:")
    try:
        async with ServerProcess(live, tmp_path) as other_worker:
            mine = await subscribed(other_worker, sale.buyer["token"], broker, user_pk(sale.buyer))
            theirs = await subscribed(other_worker, stranger["token"], broker, user_pk(stranger))
            try:
                started = time.perf_counter()
                await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")  # on `live`
                node = await next_notification(mine)
                print(f"notification across workers after {time.perf_counter() - started:.3f}s")
                assert node["subject"] == {"id": sale.order_id}
                await nothing_within(theirs, 0.5)
            finally:
                for socket in (mine, theirs):
                    await socket.close()
    finally:
        await redis.aclose()
