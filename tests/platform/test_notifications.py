"""In-app notifications: who is told of an order's moves, reading and marking them, the
channels a user chooses, and who may subscribe (the live feed: test_notification_feed.py)."""

from __future__ import annotations

import json

from models.platform import Notification, User
from tests.conftest import contract, sign_up
from tests.orders.complaint_helpers import open_complaint, shipped_sale
from tests.orders.helpers import move
from tests.platform.notification_helpers import (
    MARK,
    NOTIFICATIONS,
    PREFERENCES,
    SET_CHANNELS,
    kinds_of,
    listed,
    outbox_of,
    user_pk,
)
from tests.server.helpers import open_socket

PHONE = "081311112222"


async def test_an_order_move_tells_its_buyer_and_its_shop_owner(gql):
    sale = await shipped_sale(gql)
    for party in (sale.buyer, sale.seller):
        page = await listed(gql, party["token"])
        shipped = [e["node"] for e in page["edges"] if "dikirim" in e["node"]["title"]]
        assert len(shipped) == 1, page
        node = shipped[0]
        assert node["kind"] == "ORDER_STATUS_CHANGED"
        assert node["subject"] == {"id": sale.order_id}
        assert (node["read"], node["readAt"]) == (False, None)
    stranger = await sign_up(gql)
    assert (await listed(gql, stranger["token"]))["totalCount"] == 0


async def test_each_complaint_step_is_told_to_both_sides_and_the_marketplace_admins(gql):
    sale = await shipped_sale(gql)
    admin, stranger = await sign_up(gql, "Admin Marketplace"), await sign_up(gql)
    await User.filter(email=admin["user"]["email"]).update(is_marketplace_admin=True)
    opened = await open_complaint(gql, sale)
    complaint = opened["complaint"]["id"]
    assert await kinds_of(stranger) == []
    for party in (sale.buyer, sale.seller, admin):
        nodes = [e["node"] for e in (await listed(gql, party["token"]))["edges"]]
        (step,) = [n for n in nodes if n["kind"] == "COMPLAINT_CHANGED"]
        assert step["subject"] == {"id": complaint}
        assert "menunggu jawaban penjual" in step["body"]


async def test_signed_out_is_unauthenticated(gql):
    result = await gql(NOTIFICATIONS, {})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    marked = (await gql(MARK, {"all": True}))["data"]["markNotificationsRead"]
    assert [e["code"] for e in marked["errors"]] == ["UNAUTHENTICATED"]


async def test_marking_read_keeps_the_first_time_and_counts_unread(gql):
    sale = await shipped_sale(gql)
    await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")
    token = sale.buyer["token"]
    page = await listed(gql, token)
    assert page["unreadCount"] == page["totalCount"] >= 2
    newest = page["edges"][0]["node"]["id"]
    first = (await gql(MARK, {"ids": [newest, newest]}, token=token))["data"]
    marked = first["markNotificationsRead"]
    assert marked["errors"] == []
    assert [n["id"] for n in marked["notifications"]] == [newest]
    assert marked["unreadCount"] == page["unreadCount"] - 1
    read_at = marked["notifications"][0]["readAt"]
    again = (await gql(MARK, {"ids": [newest]}, token=token))["data"]["markNotificationsRead"]
    assert again["notifications"][0]["readAt"] == read_at
    unread = await listed(gql, token, unreadOnly=True)
    assert newest not in [e["node"]["id"] for e in unread["edges"]]
    assert unread["unreadCount"] == unread["totalCount"] == page["unreadCount"] - 1
    everything = (await gql(MARK, {"all": True}, token=token))["data"]["markNotificationsRead"]
    assert (everything["notifications"], everything["unreadCount"]) == ([], 0)


async def test_another_users_ids_are_not_found_and_nothing_is_marked(gql):
    sale = await shipped_sale(gql)
    buyer_ids = [e["node"]["id"] for e in (await listed(gql, sale.buyer["token"]))["edges"]]
    seller_ids = [e["node"]["id"] for e in (await listed(gql, sale.seller["token"]))["edges"]]
    for ids in ([seller_ids[0]], [buyer_ids[0], seller_ids[0]], ["bm90LWFuLWlk"]):
        result = await gql(MARK, {"ids": ids}, token=sale.buyer["token"])
        marked = result["data"]["markNotificationsRead"]
        assert [(e["field"], e["code"]) for e in marked["errors"]] == [("ids", "NOT_FOUND")]
    assert (
        await Notification.filter(user_id=user_pk(sale.buyer), read_at__isnull=False).count() == 0
    )
    assert (
        await Notification.filter(user_id=user_pk(sale.seller), read_at__isnull=False).count() == 0
    )
    hidden = await gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": seller_ids[0]}, token=sale.buyer["token"]
    )
    assert hidden["data"]["node"] is None


async def test_channels_start_in_app_and_email_and_whatsapp_needs_a_phone(gql):
    warga = await sign_up(gql)
    me = (await gql(PREFERENCES, token=warga["token"]))["data"]["me"]
    assert me["notificationChannels"] == ["IN_APP", "EMAIL"]
    refused = await gql(SET_CHANNELS, {"channels": ["WHATSAPP"]}, token=warga["token"])
    errors = refused["data"]["setNotificationChannels"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("channels", "INVALID")]
    with_phone = await sign_up(gql, phone=PHONE)
    chosen = await gql(
        SET_CHANNELS, {"channels": ["WHATSAPP", "WHATSAPP"]}, token=with_phone["token"]
    )
    assert chosen["data"]["setNotificationChannels"] == {
        "channels": ["IN_APP", "WHATSAPP"],
        "errors": [],
    }
    other = await gql(
        "query($id: ID!) { node(id: $id) { ... on User { notificationChannels } } }",
        {"id": with_phone["user"]["id"]},
        token=warga["token"],
    )
    assert other["data"]["node"] in (None, {"notificationChannels": None})


async def test_the_outbox_follows_the_chosen_channels(gql):
    sale = await shipped_sale(gql)
    by_buyer = {(m.channel.value, m.to) for m in await outbox_of(sale.buyer)}
    assert by_buyer == {("EMAIL", sale.buyer["user"]["email"])}
    await User.filter(id=user_pk(sale.buyer)).update(phone="+6281311112222")
    chosen = await gql(SET_CHANNELS, {"channels": ["WHATSAPP"]}, token=sale.buyer["token"])
    assert chosen["data"]["setNotificationChannels"]["errors"] == []
    await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")
    latest = [m for m in await outbox_of(sale.buyer) if m.event.endswith("DELIVERED")]
    assert [(m.channel.value, m.to) for m in latest] == [("WHATSAPP", "+6281311112222")]
    assert (await kinds_of(sale.buyer)).count("ORDER_STATUS_CHANGED") == 2


async def test_signed_out_cannot_subscribe(live):
    socket = await open_socket(live, {})
    try:
        assert json.loads(await socket.recv()) == {"type": "connection_ack"}
        query = contract("NewNotifications")
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        answer = json.loads(await socket.recv())
        assert answer["payload"]["data"] is None
        assert answer["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await socket.close()
