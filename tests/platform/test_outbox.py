"""The outbox: every e-mail and WhatsApp message delivered once, whatever the senders do
(two racing, one killed mid-way), tried again with a growing backoff when the provider
fails, and a failure never undoing the change it tells of."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from models.orders import Order, OrderStatus
from models.platform import NotificationChannel, OutboxMessage, User
from resolvers.platform import Message, Undeliverable, outbox
from resolvers.platform.clock import real_now
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.orders.complaint_helpers import shipped_sale
from tests.orders.helpers import move
from tests.platform.notification_helpers import (
    SET_CHANNELS,
    Recorder,
    drain,
    kinds_of,
    outbox_of,
    user_pk,
)

PHONE = "+6281311113333"


def senders(email, whatsapp=None) -> dict:
    return {NotificationChannel.EMAIL: email, NotificationChannel.WHATSAPP: whatsapp or email}


class Slow(Recorder):
    async def send(self, message: Message) -> None:
        await asyncio.sleep(0.01)
        await super().send(message)


async def test_two_senders_racing_deliver_each_message_once(gql):
    await drain()
    sales = [await shipped_sale(gql) for _ in range(3)]
    first, second = Slow(), Slow()
    await asyncio.gather(outbox.send_due(senders(first)), outbox.send_due(senders(second)))
    for sale in sales:
        for party in (sale.buyer, sale.seller):
            email = party["user"]["email"]
            assert len(first.to(email)) + len(second.to(email)) == 1
            (row,) = await outbox_of(party)
            assert row.sent_at is not None
            assert row.attempts == 1
    assert {m.to for m in first.sent}.isdisjoint({m.to for m in second.sent})


async def test_a_sender_killed_mid_way_leaves_the_message_to_the_next_once(gql):
    sale = await shipped_sale(gql)
    await drain()
    await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")
    started = asyncio.Event()
    held: list[str] = []

    class Hanging:
        async def send(self, message: Message) -> None:
            held.append(message.to)
            started.set()
            await asyncio.Event().wait()

    killed = asyncio.create_task(outbox.send_due(senders(Hanging()), claim=timedelta(seconds=1)))
    await asyncio.wait_for(started.wait(), 5)
    killed.cancel()  # the process dies holding the claim, before the provider took it
    with pytest.raises(asyncio.CancelledError):
        await killed
    email = held[0]
    restarted = Recorder()
    await outbox.send_due(senders(restarted))
    assert restarted.to(email) == []  # the claim is still live
    await asyncio.sleep(1.1)
    await outbox.send_due(senders(restarted))
    await outbox.send_due(senders(restarted))
    assert len(restarted.to(email)) == 1
    assert "diterima" in restarted.to(email)[0].subject


async def test_a_failed_send_is_tried_again_with_a_growing_backoff(gql):
    sale = await shipped_sale(gql)
    email = sale.buyer["user"]["email"]
    await drain()
    await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")
    (row,) = [r for r in await outbox_of(sale.buyer) if r.sent_at is None]
    waits = []
    for attempt in (1, 2, 3):
        down = Recorder(fail=1_000)
        before = real_now()
        await outbox.send_due(senders(down))
        failed = await OutboxMessage.get(id=row.id)
        assert (failed.attempts, failed.sent_at, failed.claimed_until) == (attempt, None, None)
        assert "provider down" in failed.last_error
        waits.append(failed.next_attempt_at - before)
        await outbox.send_due(senders(down))  # not due yet: not tried
        assert (await OutboxMessage.get(id=row.id)).attempts == attempt
        await OutboxMessage.filter(id=row.id).update(next_attempt_at=real_now())
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 2, 4]
    working = Recorder()
    await outbox.send_due(senders(working))
    assert len(working.to(email)) == 1
    assert (await OutboxMessage.get(id=row.id)).sent_at is not None
    assert await Order.get(id=decode_id(sale.order_id, "Order")).values_list(
        "status", flat=True
    ) == (OrderStatus.DELIVERED)


async def test_the_last_attempt_and_a_refusal_give_up(gql):
    await drain()
    sale = await shipped_sale(gql)
    await OutboxMessage.filter(user_id=user_pk(sale.buyer)).update(attempts=outbox.MAX_ATTEMPTS - 1)
    await OutboxMessage.filter(user_id=user_pk(sale.seller)).update(attempts=0)
    seller_email = sale.seller["user"]["email"]

    class Picky(Recorder):
        async def send(self, message: Message) -> None:
            if message.to == seller_email:
                raise Undeliverable("template missing")
            raise ConnectionError("down")

    await outbox.send_due(senders(Picky()))
    for party, attempts in ((sale.buyer, outbox.MAX_ATTEMPTS), (sale.seller, 1)):
        (row,) = await outbox_of(party)
        assert row.failed_at is not None
        assert row.sent_at is None
        assert row.attempts == attempts
    again = Recorder()
    await outbox.send_due(senders(again))
    assert again.to(seller_email) == []
    assert again.to(sale.buyer["user"]["email"]) == []


async def test_a_failed_whatsapp_send_never_undoes_the_change(gql):
    sale = await shipped_sale(gql)
    await User.filter(id=user_pk(sale.buyer)).update(phone=PHONE)
    channels = {"channels": ["WHATSAPP", "EMAIL"]}
    assert (await gql(SET_CHANNELS, channels, token=sale.buyer["token"]))["data"]
    await drain()
    assert (await move(gql, sale.seller["token"], sale.order_id, "DELIVERED"))["errors"] == []
    email, whatsapp = Recorder(), Recorder(fail=1, error=TimeoutError())
    await outbox.send_due(senders(email, whatsapp))
    assert len(email.to(sale.buyer["user"]["email"])) == 1
    assert whatsapp.to(PHONE) == []
    order = await Order.get(id=decode_id(sale.order_id, "Order"))
    assert order.status == OrderStatus.DELIVERED
    assert (await kinds_of(sale.buyer)).count("ORDER_STATUS_CHANGED") == 2
    (pending,) = [r for r in await outbox_of(sale.buyer) if r.sent_at is None]
    assert (pending.channel, pending.to, pending.attempts) == (
        NotificationChannel.WHATSAPP,
        PHONE,
        1,
    )


async def test_an_event_is_told_once_however_often_it_is_notified(gql):
    from resolvers.platform import NotificationKind, notify

    warga = await sign_up(gql)
    for _ in range(2):
        await notify(NotificationKind.PAYOUT_FAILED, ("Payout", 1), [user_pk(warga)], "t", "b")
    assert await kinds_of(warga) == ["PAYOUT_FAILED"]
    assert len(await outbox_of(warga)) == 1
