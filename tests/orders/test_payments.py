"""Payments: bank transfer and QRIS instructions, the signed webhook, and expiry."""

import asyncio
import json
import os
import subprocess
import sys
import time
from datetime import timedelta

from models.orders.order import Order
from models.orders.payments import Payment, PaymentNotification
from resolvers.platform.clock import now
from resolvers.providers.qris import crc16_ccitt
from resolvers.providers.signature import sign
from server.app import make_services
from server.periodic import sweep_periodically, sweeps
from tests.conftest import TEST_SECRET, contract
from tests.orders.helpers import buy, notify, parse_tlv, payment_of, seller_with_products, stock_of


async def order_state(order: dict) -> tuple[str, str, int]:
    payment = await payment_of(order)
    stored = await Order.get(id=payment.order_id)
    notes = await PaymentNotification.filter(payment_id=payment.id).count()
    return stored.status, payment.status, notes


async def test_bank_transfer_gives_a_virtual_account_that_expires_in_24_hours(gql):
    _, _, (product,) = await seller_with_products(gql, price=12500)
    _, order = await buy(gql, product["id"], 2, method="BANK_TRANSFER")
    payment = order["payment"]
    assert order["status"] == "PENDING_PAYMENT"
    assert payment["method"] == "BANK_TRANSFER"
    assert payment["status"] == "PENDING"
    assert payment["qrisPayload"] is None
    assert "Rp25.000" in payment["instructions"]
    assert "virtual account" in payment["instructions"]
    assert any(w.isdigit() and len(w) == 16 for w in payment["instructions"].split())
    expires = (await payment_of(order)).expires_at
    assert timedelta(hours=23, minutes=59) < expires - now() <= timedelta(hours=24)


async def test_qris_payload_carries_the_amount_and_the_shop(gql):
    _, shop, (product,) = await seller_with_products(gql, price=7000)
    _, order = await buy(gql, product["id"], 3, method="QRIS")
    payload = order["payment"]["qrisPayload"]
    fields = parse_tlv(payload)
    assert fields["54"] == "21000"
    assert fields["59"] == shop["name"][:25]
    assert fields["63"] == f"{crc16_ccitt(payload[:-4].encode()):04X}"
    assert order["payment"]["expiresAt"]


async def test_a_signed_notification_pays_once(gql, client, live):
    _, _, (product,) = await seller_with_products(gql, price=10000, stock=5)
    buyer, order = await buy(gql, product["id"], 1, method="QRIS")
    payment = await payment_of(order)
    body = {"id": "notif-1", "reference": payment.reference, "amount": 10000, "status": "PAID"}

    answer = await notify(client, live, body)
    assert (answer.status_code, answer.json()) == (200, {"outcome": "CONFIRMED"})
    assert await order_state(order) == ("PROCESSING", "PAID", 1)

    duplicate = await notify(client, live, body)
    assert (duplicate.status_code, duplicate.json()) == (200, {"outcome": "DUPLICATE"})
    another = await notify(client, live, {**body, "id": "notif-2"})
    assert another.status_code == 409
    assert await order_state(order) == ("PROCESSING", "PAID", 1)

    mine = (await gql(contract("MyOrders"), token=buyer["token"]))["data"]["myOrders"]
    assert mine["edges"][0]["node"]["payment"] == {"method": "QRIS", "status": "PAID"}

    cancelled = await gql(contract("CancelOrder"), {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["order"]["payment"] == {"status": "REFUNDED"}
    assert await stock_of(product["id"]) == (5, 0)


async def test_forged_stale_unknown_or_wrong_notifications_change_nothing(gql, client, live):
    _, _, (product,) = await seller_with_products(gql, price=10000)
    _, order = await buy(gql, product["id"], 1, method="BANK_TRANSFER")
    payment = await payment_of(order)
    body = {"id": "n-x", "reference": payment.reference, "amount": 10000, "status": "PAID"}
    data = json.dumps(body).encode()
    stamp = int(time.time())
    signature = sign(live.settings.payment_webhook_secret, stamp, data)
    tampered = await client.post(
        "/payments/webhook",
        content=data.replace(b"10000", b"1"),
        headers={"X-Sandbox-Timestamp": str(stamp), "X-Sandbox-Signature": signature},
    )
    assert tampered.status_code == 401
    assert (await notify(client, live, body, secret="tebakan")).status_code == 401
    assert (await notify(client, live, body, timestamp=stamp - 3600)).status_code == 401
    for digits in ("²", "١٧٠٠٠٠٠٠٠٠", "１７００"):  # isdigit() says yes; int() may say no
        forged = await client.post(
            "/payments/webhook",
            content=data,
            headers=[(b"X-Sandbox-Timestamp", digits.encode()), (b"X-Sandbox-Signature", b"0")],
        )
        assert forged.status_code == 401, forged.text
    latin1 = await client.post(
        "/payments/webhook",
        content=data,
        headers=[(b"X-Sandbox-Timestamp", b"\xb2"), (b"X-Sandbox-Signature", b"0")],
    )
    assert latin1.status_code == 401
    assert (await notify(client, live, {}, raw=b"bukan json")).status_code == 401
    unknown = await notify(client, live, {**body, "reference": "SPPTIDAKADA"})
    assert unknown.status_code == 404
    too_long = await notify(client, live, {**body, "reference": "SP" * 100})
    assert too_long.status_code == 404
    short = await notify(client, live, {**body, "amount": 9999})
    assert short.status_code == 422
    for fractional in (10000.9, 10000.0, "10000", True, None):  # not whole rupiah: invalid
        odd = await notify(client, live, {**body, "amount": fractional})
        assert (odd.status_code, odd.json()) == (401, {"outcome": "INVALID_SIGNATURE"}), fractional
    unsigned = await client.post("/payments/webhook", content=data)
    assert unsigned.status_code == 401
    assert await order_state(order) == ("PENDING_PAYMENT", "PENDING", 0)


async def test_concurrent_duplicate_notifications_pay_once(gql, client, live):
    _, _, (product,) = await seller_with_products(gql, price=10000)
    _, order = await buy(gql, product["id"], 1, method="QRIS")
    payment = await payment_of(order)
    body = {"id": "n-burst", "reference": payment.reference, "amount": 10000, "status": "PAID"}
    answers = await asyncio.gather(*(notify(client, live, body) for _ in range(10)))
    outcomes = sorted(a.json()["outcome"] for a in answers)
    assert outcomes == ["CONFIRMED"] + ["DUPLICATE"] * 9
    assert await order_state(order) == ("PROCESSING", "PAID", 1)


async def test_expire_orders_command_cancels_unpaid_orders_and_returns_stock(gql, client, live):
    _, _, (product,) = await seller_with_products(gql, price=10000, stock=10)
    _, late = await buy(gql, product["id"], 3, method="BANK_TRANSFER")
    _, on_time = await buy(gql, product["id"], 2, method="QRIS")
    _, cash = await buy(gql, product["id"], 1, method="COD")
    await Payment.filter(id=(await payment_of(late)).id).update(
        expires_at=now() - timedelta(minutes=1)
    )
    assert await stock_of(product["id"]) == (4, 6)

    env = {**os.environ, "DATABASE_URL": live.settings.database_url, "SECRET_KEY": TEST_SECRET}
    env.pop("REDIS_URL", None)
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "expire-orders", env=env, stderr=subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(command.communicate(), 60)
    assert command.returncode == 0, stderr
    assert "Cancelled 1 unpaid orders" in stderr.decode()
    assert (await order_state(late))[:2] == ("CANCELLED", "EXPIRED")
    assert (await order_state(on_time))[:2] == ("PENDING_PAYMENT", "PENDING")
    assert (await order_state(cash))[:2] == ("PROCESSING", "PENDING")
    assert await stock_of(product["id"]) == (7, 3)

    payment = await payment_of(late)
    body = {"id": "n-late", "reference": payment.reference, "amount": 30000, "status": "PAID"}
    assert (await notify(client, live, body)).status_code == 409  # too late: nothing changes
    assert (await order_state(late))[:2] == ("CANCELLED", "EXPIRED")


async def test_the_server_expires_orders_periodically(gql, live):
    _, _, (product,) = await seller_with_products(gql, stock=5)
    _, order = await buy(gql, product["id"], 2, method="QRIS")
    await Payment.filter(id=(await payment_of(order)).id).update(expires_at=now())
    (expiry,) = [sweep for sweep, _ in sweeps(live.settings) if sweep.kind == "ORDER_EXPIRY"]
    services = make_services(live.settings, None)
    task = asyncio.create_task(sweep_periodically(expiry, services, 0.05))
    try:
        for _ in range(100):
            if (await order_state(order))[0] == "CANCELLED":
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert (await order_state(order))[:2] == ("CANCELLED", "EXPIRED")
    assert await stock_of(product["id"]) == (5, 0)
