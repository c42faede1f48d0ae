"""`satupintu backfill-platform-books`: orders paid before migration 0033 (made here by
forgetting what the books hold of them) written into the platform's books once, what is
missing only, the ledgers balanced after; again, or racing, it writes nothing more."""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys

from tortoise import connections

from models.payouts import (
    PlatformEntry,
    PlatformEntryKind,
    PlatformLine,
    SellerBalance,
    SellerMovement,
)
from resolvers.payouts import audit, backfill_platform_books
from schema.platform.ids import decode_id
from tests.conftest import TEST_SECRET
from tests.orders.complaint_helpers import Sale
from tests.orders.helpers import CANCEL, buy, notify, payment_of, seller_with_products
from tests.payouts.helpers import assert_ledgers_balance, available, completed_sale

platform_books = importlib.import_module("models.migrations.0033_platform_books")


async def forget(order_ids: list[int], shop_ids: list[int], *, paid_only: int | None) -> None:
    """The books as before migration 0033 for these orders and shops (but `paid_only`, an
    order of them paid before it and completed after, which lost only its payment)."""
    client = connections.get("default")
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(
        platform_books.POSTGRES_EDITABLE if postgres else platform_books.SQLITE_EDITABLE
    )
    try:
        older = [o for o in order_ids if o != paid_only]
        entries = await PlatformEntry.filter(order_id__in=older).values_list("id", flat=True)
        paid = PlatformEntry.filter(order_id=paid_only, kind=PlatformEntryKind.ORDER_PAID)
        entries += await paid.values_list("id", flat=True)
        await PlatformLine.filter(entry_id__in=entries).delete()
        await PlatformEntry.filter(id__in=entries).delete()
        await SellerMovement.filter(shop_id__in=shop_ids, order_id__in=older).delete()
        for shop_id in shop_ids:  # what is left: the kept completion's
            left = await SellerMovement.filter(shop_id=shop_id).values_list("amount", flat=True)
            await SellerBalance.filter(shop_id=shop_id).update(available=sum(left))
    finally:
        await client.execute_script(
            platform_books.POSTGRES_APPEND_ONLY if postgres else platform_books.SQLITE_APPEND_ONLY
        )


async def cancelled_after_paying(gql, client, live) -> dict:
    _, _, (product,) = await seller_with_products(gql, price=20000, stock=5)
    buyer, order = await buy(gql, product["id"], 1, method="QRIS")
    payment = await payment_of(order)
    body = {"id": f"n-{payment.reference}", "reference": payment.reference,
            "amount": payment.amount, "status": "PAID"}  # fmt: skip
    assert (await notify(client, live, body)).status_code == 200
    cancelled = await gql(CANCEL, {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["order"]["payment"] == {"status": "REFUNDED"}
    return order


async def old_orders(gql, client, live) -> tuple[list[Sale], dict]:
    sales = [
        await completed_sale(gql, client, live, method="QRIS"),
        await completed_sale(gql, client, live, method="COOPERATIVE_BALANCE"),
        await completed_sale(gql, client, live, method="BANK_TRANSFER"),
    ]
    return sales, await cancelled_after_paying(gql, client, live)


def ids(sales: list[Sale], cancelled: dict) -> tuple[list[int], list[int]]:
    orders = [decode_id(s.order_id, "Order") for s in sales] + [decode_id(cancelled["id"], "Order")]
    return orders, [decode_id(s.shop["id"], "Shop") for s in sales]


async def test_old_orders_are_written_once(gql, client, live):
    sales, cancelled = await old_orders(gql, client, live)
    order_ids, shop_ids = ids(sales, cancelled)
    await assert_ledgers_balance()
    before = {o: await PlatformEntry.filter(order_id=o).count() for o in order_ids}
    await backfill_platform_books()  # the orders other tests made by hand out of the way
    await forget(order_ids, shop_ids, paid_only=order_ids[2])
    assert await audit.audit() != []

    assert await backfill_platform_books() == len(order_ids)
    await assert_ledgers_balance()
    assert {o: await PlatformEntry.filter(order_id=o).count() for o in order_ids} == before
    for sale in sales:
        assert await available(gql, sale.shop["id"], sale.seller["token"]) == 30000
    completed = PlatformEntry.filter(order_id=order_ids[2], kind=PlatformEntryKind.ORDER_COMPLETED)
    assert await completed.count() == 1  # kept, not written again

    env = {**os.environ, "DATABASE_URL": live.settings.database_url, "SECRET_KEY": TEST_SECRET}
    env.pop("REDIS_URL", None)
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "server.cli", "backfill-platform-books", env=env,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(command.communicate(), 60)
    assert command.returncode == 0, stderr
    assert "Wrote 0 orders" in stderr.decode()
    await assert_ledgers_balance()


async def test_racing_backfills_write_each_order_once(gql, client, live):
    sales, cancelled = await old_orders(gql, client, live)
    order_ids, shop_ids = ids(sales, cancelled)
    before = {o: await PlatformEntry.filter(order_id=o).count() for o in order_ids}
    await backfill_platform_books()  # the orders other tests made by hand out of the way
    await forget(order_ids, shop_ids, paid_only=None)
    written = await asyncio.gather(*(backfill_platform_books() for _ in range(4)))
    assert sum(written) == len(order_ids)
    assert {o: await PlatformEntry.filter(order_id=o).count() for o in order_ids} == before
    await assert_ledgers_balance()
