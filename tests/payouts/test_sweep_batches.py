"""Each re-check sweep (payments, bill receipts, outside bills, payouts) asks the provider
about at most `RECHECK_BATCH_SIZE` rows a run, the oldest first, so a backlog cannot make one
run endless; the next run goes on after the last row asked, back at the oldest after the
newest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from tortoise.queryset import QuerySet

from models.bills import Bill, BillReceipt, BillStatus, ReceiptStatus
from models.orders import Payment, PaymentStatus
from models.payouts import Payout, PayoutStatus
from resolvers.bills import recheck_awaiting_receipts, recheck_pending_bills, reference_of
from resolvers.orders import recheck_pending_payments
from resolvers.payouts import recheck_pending_payouts
from resolvers.platform import now
from resolvers.providers import Notification, Services
from resolvers.providers.billers import BillerPayment, BillerStatus, Inquiry
from resolvers.providers.billers.sandbox import SandboxBiller
from resolvers.providers.payouts import (
    Disbursement,
    DisbursementRequest,
    PayoutsUnavailable,
    SandboxPayouts,
)
from resolvers.providers.sandbox_payments import SandboxProvider
from server.settings import Settings
from tests.bills.helpers import outside_bill, pay, saver
from tests.orders.helpers import buy, seller_with_products
from tests.payouts.helpers import (
    assert_ledgers_balance,
    bank_destination,
    completed_sale,
    request_payout,
)
from tests.payouts.sweep import services_of

BATCH = 2
NOW = timedelta(0)  # any row is old enough


class Payments(SandboxProvider):
    """Knows of no payment, and remembers what it was asked about."""

    asked: list[str]

    async def status(self, reference: str) -> Notification | None:
        self.asked.append(reference)
        return None


class Biller(SandboxBiller):
    asked: list[str]

    async def status(self, reference: str, inquiry: Inquiry) -> BillerPayment:
        self.asked.append(reference)
        return BillerPayment(reference, BillerStatus.PENDING)


class Payouts(SandboxPayouts):
    asked: list[str]

    async def status(self, request: DisbursementRequest) -> Disbursement:
        self.asked.append(request.reference)
        raise PayoutsUnavailable("time-out")


def recording(batch: int) -> tuple[Services, list[str]]:
    asked: list[str] = []
    payments, biller, payouts = Payments("rahasia"), Biller(), Payouts()
    payments.asked = biller.asked = payouts.asked = asked
    services = replace(
        services_of(), payments=payments, biller=biller, payouts=payouts, recheck_batch=batch
    )
    return services, asked


async def asks_the_oldest(rows: QuerySet[Any], sweep: Callable[[Services], Awaitable[int]]) -> None:
    """One run of `sweep` asks about the BATCH oldest of `rows` (by their `reference`)."""
    oldest = await rows.limit(BATCH).values_list("reference", flat=True)
    services, asked = recording(BATCH)
    assert await sweep(services) == 0
    assert asked == oldest


async def test_the_payment_sweep_asks_the_oldest_batch(gql):
    _, _, (product,) = await seller_with_products(gql, price=10000, stock=10)
    for _ in range(BATCH + 1):
        await buy(gql, product["id"], 1, method="QRIS")
    pending = Payment.filter(
        status=PaymentStatus.PENDING, expires_at__isnull=False, created_at__lte=now()
    ).order_by("id")
    await asks_the_oldest(pending, lambda services: recheck_pending_payments(services, NOW))
    everything = await pending.values_list("reference", flat=True)
    assert len(everything) > BATCH
    wide, asked = recording(len(everything))
    await recheck_pending_payments(wide, NOW)
    assert asked == everything

    # Runs go on where the last one stopped, so rows that stay pending (these do) never keep
    # newer ones from being asked; after the newest, the next run starts at the oldest again.
    services, asked = recording(BATCH)
    runs = []
    while not runs or len(runs[-1]) == BATCH:
        asked.clear()
        await recheck_pending_payments(services, NOW)
        runs.append(list(asked))
    assert [reference for run in runs for reference in run] == everything
    asked.clear()
    await recheck_pending_payments(services, NOW)
    assert asked == everything[:BATCH]


async def test_the_receipt_sweep_asks_the_oldest_batch(gql):
    _, warga, membership_id = await saver(gql)
    for _ in range(BATCH + 1):
        bill = await outside_bill(gql, warga)
        opened = await pay(gql, warga["token"], [bill["id"]], source="QRIS",
                           membershipId=membership_id)  # fmt: skip
        assert opened["receipt"]["status"] == "AWAITING_PAYMENT"
    awaiting = BillReceipt.filter(
        status=ReceiptStatus.AWAITING_PAYMENT, reference__isnull=False, expires_at__gt=now()
    ).order_by("id")
    await asks_the_oldest(awaiting, lambda services: recheck_awaiting_receipts(services, NOW))


async def test_the_bill_sweep_asks_the_longest_paid_batch(gql):
    _, warga, membership_id = await saver(gql)
    for _ in range(BATCH + 1):
        bill = await outside_bill(gql, warga, behaviour="03")  # PENDING at the biller
        paid = await pay(gql, warga["token"], [bill["id"]], membershipId=membership_id)
        assert paid["bills"][0]["state"] == "PENDING", paid
    pending = (
        Bill.filter(status=BillStatus.PENDING, receipt__paid_at__isnull=False)
        .select_related("receipt")
        .order_by("id")
    )
    oldest = [reference_of(bill) for bill in await pending.limit(BATCH)]
    services, asked = recording(BATCH)
    assert await recheck_pending_bills(services, NOW) == 0
    assert asked == oldest
    assert await pending.count() > BATCH


async def test_the_payout_sweep_asks_the_oldest_batch(gql, client, live):
    sale = await completed_sale(gql, client, live)
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(gql, token, shop_id, "4444555503")
    for _ in range(BATCH + 1):
        requested = await request_payout(gql, token, shop_id, destination, 10000)
        assert requested["payout"]["status"] == "PENDING"
    pending = Payout.filter(status=PayoutStatus.PENDING, provider="sandbox").order_by("id")
    await asks_the_oldest(pending, recheck_pending_payouts)
    # The default sandbox settles the backlog a batch a run, the oldest first.
    backlog = await pending.count()
    assert backlog > BATCH
    sandbox = replace(services_of(), recheck_batch=BATCH)
    runs = 0
    while left := await pending.count():
        assert await recheck_pending_payouts(sandbox) == min(BATCH, left)
        runs += 1
    assert runs == -(-backlog // BATCH)
    await assert_ledgers_balance()


@pytest.mark.parametrize(("value", "batch"), [(None, 100), ("25", 25)])
def test_the_batch_is_a_setting(value, batch, tmp_path):
    env = {"SATUPINTU_VAR_DIR": str(tmp_path)}
    if value is not None:
        env["RECHECK_BATCH_SIZE"] = value
    assert Settings.from_env(env).recheck_batch_size == batch
