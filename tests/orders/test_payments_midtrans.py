"""Orders and bill receipts paid through Midtrans (PAYMENT_PROVIDER=midtrans) in a server of
its own, against a local server that speaks Midtrans's protocol: its QR code and virtual
account are what the buyer sees; its notifications pay once, and only when signed and
confirmed by its status API; a Midtrans that cannot be asked leaves the payment PENDING for
the sweeps."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from fakes.midtrans import SERVER_KEY, FakeMidtrans, FakeMidtransServer
from models.bills import BillReceipt
from models.orders.payments import Payment
from resolvers.bills import recheck_awaiting_receipts
from resolvers.orders import expire_orders, recheck_pending_payments
from resolvers.platform.clock import now
from resolvers.providers import MidtransPayments
from schema.platform.ids import decode_id
from tests.bills.helpers import pay, saver, unpaid_bills
from tests.cooperatives.helpers import accounts
from tests.orders.helpers import CANCEL, buy, payment_of, seller_with_products, stock_of
from tests.orders.test_payments import order_state
from tests.providers.loopback import Api, api_with

pytestmark = pytest.mark.usefixtures("books_balance")


@dataclass
class Shop:
    api: Api
    fake: FakeMidtrans

    @property
    def webhook(self) -> str:
        return f"{self.api.url}/payments/webhook"


@pytest.fixture
async def shop(live, tmp_path, monkeypatch) -> AsyncIterator[Shop]:
    async with FakeMidtransServer() as fake:
        env = {
            "MIDTRANS_SERVER_KEY": SERVER_KEY,
            "MIDTRANS_BASE_URL": fake.url,
            "MIDTRANS_TIMEOUT_SECONDS": "1",
        }
        media = tmp_path / "media"
        async with api_with(live, media, monkeypatch, env, PAYMENT_PROVIDER="midtrans") as api:
            assert isinstance(api.services.payments, MidtransPayments)
            yield Shop(api, fake)


async def ordered(shop: Shop, method: str = "QRIS", price: int = 10_000):
    _, _, (product,) = await seller_with_products(shop.api.gql, price=price, stock=5)
    buyer, order = await buy(shop.api.gql, product["id"], 1, method=method)
    return buyer, order, product, (await payment_of(order)).reference


async def test_a_qris_order_is_paid_once_by_a_confirmed_notification(shop):
    buyer, order, product, reference = await ordered(shop)
    assert order["payment"]["qrisPayload"] == shop.fake.transactions[reference]["qr_string"]
    shop.fake.settle(reference)

    answer = await shop.fake.notify(shop.webhook, reference)
    assert (answer.status_code, answer.json()) == (200, {"outcome": "CONFIRMED"})
    assert await order_state(order) == ("PROCESSING", "PAID", 1)
    replayed = await shop.fake.notify(shop.webhook, reference)
    assert (replayed.status_code, replayed.json()) == (200, {"outcome": "DUPLICATE"})
    assert await recheck_pending_payments(shop.api.services, timedelta(0)) == 0
    assert await order_state(order) == ("PROCESSING", "PAID", 1)

    cancelled = await shop.api.gql(CANCEL, {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["order"]["payment"] == {"status": "REFUNDED"}
    assert shop.fake.transactions[reference]["transaction_status"] == "refund"
    assert await stock_of(product["id"]) == (5, 0)


async def test_a_transfer_order_shows_the_midtrans_virtual_account(shop):
    _, order, _, reference = await ordered(shop, "BANK_TRANSFER")
    (account,) = shop.fake.transactions[reference]["va_numbers"]
    assert f"virtual account BCA {account['va_number']}" in order["payment"]["instructions"]


@pytest.mark.parametrize("state", ["pending", "deny", "expire"])
async def test_notifications_of_no_payment_change_nothing(shop, state):
    _, order, _, reference = await ordered(shop)
    shop.fake.settle(reference, state)
    answer = await shop.fake.notify(shop.webhook, reference)
    assert (answer.status_code, answer.json()) == (200, {"outcome": "NOT_PAID"})
    assert await order_state(order) == ("PENDING_PAYMENT", "PENDING", 0)


async def test_forged_notifications_and_changed_amounts_are_refused(shop):
    _, order, _, reference = await ordered(shop)
    shop.fake.settle(reference)
    forged = await shop.fake.notify(shop.webhook, reference, key="SB-Mid-server-tebakan")
    assert (forged.status_code, forged.json()) == (401, {"outcome": "INVALID_SIGNATURE"})
    shop.fake.settle(reference, gross_amount="1000.00")  # Midtrans took less than the order
    short = await shop.fake.notify(shop.webhook, reference)
    assert (short.status_code, short.json()) == (422, {"outcome": "AMOUNT_MISMATCH"})
    assert (await order_state(order))[:2] == ("PENDING_PAYMENT", "PENDING")


@pytest.mark.parametrize("mode", ["down", "slow", "malformed"])
async def test_a_midtrans_that_cannot_confirm_leaves_the_order_for_the_sweep(shop, mode):
    _, order, _, reference = await ordered(shop)
    shop.fake.settle(reference)
    shop.fake.mode = mode
    answer = await shop.fake.notify(shop.webhook, reference)
    assert (answer.status_code, answer.json()) == (503, {"outcome": "PROVIDER_UNAVAILABLE"})
    assert await order_state(order) == ("PENDING_PAYMENT", "PENDING", 0)
    # Still unanswered at the payment's deadline: the order is not cancelled.
    await Payment.filter(reference=reference).update(expires_at=now() - timedelta(seconds=1))
    await expire_orders(shop.api.services)
    assert await order_state(order) == ("PENDING_PAYMENT", "PENDING", 0)

    shop.fake.mode = "ok"
    assert await recheck_pending_payments(shop.api.services, timedelta(0)) >= 1
    assert await order_state(order) == ("PROCESSING", "PAID", 1)
    late = await shop.fake.notify(shop.webhook, reference)  # Midtrans's retry
    assert (late.status_code, late.json()) == (200, {"outcome": "DUPLICATE"})
    assert await order_state(order) == ("PROCESSING", "PAID", 1)


async def test_an_unpaid_order_expires_here_and_at_midtrans(shop):
    _, order, product, reference = await ordered(shop)
    await Payment.filter(reference=reference).update(expires_at=now() - timedelta(seconds=1))
    assert await expire_orders(shop.api.services) >= 1
    assert (await order_state(order))[:2] == ("CANCELLED", "EXPIRED")
    assert shop.fake.transactions[reference]["transaction_status"] == "expire"
    assert await stock_of(product["id"]) == (5, 0)


async def test_a_payment_made_at_the_deadline_is_confirmed_not_cancelled(shop):
    _, order, _, reference = await ordered(shop)
    shop.fake.settle(reference)  # paid, but its notification never arrived
    await Payment.filter(reference=reference).update(expires_at=now() - timedelta(seconds=1))
    await expire_orders(shop.api.services)
    assert await order_state(order) == ("PROCESSING", "PAID", 1)


async def test_racing_notifications_and_sweeps_pay_once(shop):
    _, order, _, reference = await ordered(shop)
    shop.fake.settle(reference)
    answers = await asyncio.gather(
        *(shop.fake.notify(shop.webhook, reference) for _ in range(8)),
        *(recheck_pending_payments(shop.api.services, timedelta(0)) for _ in range(2)),
    )
    outcomes = sorted(a.json()["outcome"] for a in answers[:8])
    assert outcomes.count("CONFIRMED") <= 1
    assert set(outcomes) <= {"CONFIRMED", "DUPLICATE"}
    assert await order_state(order) == ("PROCESSING", "PAID", 1)


async def test_bills_paid_by_qris_through_midtrans_once_even_if_it_was_down(shop):
    koperasi, warga, membership_id = await saver(shop.api.gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    opened = await pay(
        shop.api.gql, warga["token"], [wajib], source="QRIS", membershipId=membership_id
    )
    receipt = await BillReceipt.get(id=decode_id(opened["receipt"]["id"], "BillReceipt"))
    reference = receipt.reference
    assert opened["receipt"]["qrisPayload"] == shop.fake.transactions[reference]["qr_string"]
    shop.fake.settle(reference)
    shop.fake.mode = "down"
    answer = await shop.fake.notify(shop.webhook, reference)
    assert (answer.status_code, answer.json()) == (503, {"outcome": "PROVIDER_UNAVAILABLE"})
    assert (await BillReceipt.get(id=receipt.id)).status == "AWAITING_PAYMENT"
    shop.fake.mode = "ok"
    assert await recheck_awaiting_receipts(shop.api.services, timedelta(0)) >= 1
    assert (await BillReceipt.get(id=receipt.id)).status == "PAID"
    late = await shop.fake.notify(shop.webhook, reference)
    assert (late.status_code, late.json()) == (200, {"outcome": "DUPLICATE"})
    assert (await accounts(koperasi))["3-1200"] == 20_000  # the wajib, credited once


async def test_a_refund_midtrans_does_not_take_leaves_the_order_as_it_was(shop):
    buyer, order, product, reference = await ordered(shop)
    shop.fake.settle(reference)
    assert (await shop.fake.notify(shop.webhook, reference)).status_code == 200
    shop.fake.mode = "down"
    refused = await shop.api.gql(CANCEL, {"id": order["id"]}, token=buyer["token"])
    errors = refused["data"]["cancelOrder"]["errors"]
    assert [e["code"] for e in errors] == ["SERVICE_UNAVAILABLE"]
    assert await order_state(order) == ("PROCESSING", "PAID", 1)
    assert await stock_of(product["id"]) == (4, 1)
    shop.fake.mode = "ok"
    cancelled = await shop.api.gql(CANCEL, {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["order"]["payment"] == {"status": "REFUNDED"}
    assert len(shop.fake.transactions[reference]["refunds"]) == 1
