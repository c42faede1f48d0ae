"""A voucher's uses through HTTP: given back exactly once by a cancelled or fully refunded
order (not by a partial refund), exact under races of many buyers (also while the owner
changes the quota), and its window and the expiry sweep seen through the sandbox test clock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from models.orders import Voucher
from schema.platform.ids import decode_id
from tests.conftest import GraphQL, LiveServer, city_admin, contract
from tests.cooperatives.helpers import sukarela
from tests.orders.complaint_helpers import codes, op, respond
from tests.orders.helpers import add_to_cart, checkout_input, move, quick_buyers
from tests.orders.voucher_helpers import (
    buyer_with,
    check_out,
    member_buyer,
    moment,
    uses_of,
    voucher_shop,
    with_voucher,
)

pytestmark = pytest.mark.usefixtures("books_balance")
CANCEL = contract("CancelOrder")
ADVANCE = contract("AdvanceTestClock")


async def test_a_cancelled_order_gives_its_use_back_once(gql):
    _, shop, product, voucher = await voucher_shop(gql, quota=1)
    buyer = await buyer_with(gql, product["id"])
    (order,) = (await check_out(gql, buyer["token"], with_voucher(shop)))["orders"]
    assert await uses_of(voucher) == (1, 1)
    other = await buyer_with(gql, product["id"])
    full = await check_out(gql, other["token"], with_voucher(shop))
    assert codes(full) == [("shops.0.voucherCode", "LIMIT_EXCEEDED")]

    answers = await asyncio.gather(
        *(gql(CANCEL, {"id": order["id"]}, token=buyer["token"]) for _ in range(5))
    )
    assert sum(a["data"]["cancelOrder"]["errors"] == [] for a in answers) == 1
    assert await uses_of(voucher) == (0, 0)  # back once, however many cancellations raced
    assert (await check_out(gql, other["token"], with_voucher(shop)))["errors"] == []
    await add_to_cart(gql, buyer["token"], product["id"], 1)
    again = await check_out(gql, buyer["token"], with_voucher(shop))  # the quota is taken
    assert codes(again) == [("shops.0.voucherCode", "LIMIT_EXCEEDED")]
    assert await uses_of(voucher) == (1, 1)


async def paid_and_shipped(gql, shop, product) -> tuple[dict, str, dict]:
    """A member buys 2 x Rp15.000 with the shop's Rp5.000 voucher from savings; shipped."""
    buyer, membership_id = await member_buyer(gql, product["id"], 2, 100000)
    placed = await check_out(gql, buyer["token"], with_voucher(shop),
                             method="COOPERATIVE_BALANCE", membershipId=membership_id)  # fmt: skip
    assert placed["errors"] == [], placed
    return buyer, membership_id, placed["orders"][0]


async def complain(gql, buyer, order) -> str:
    body = {"orderId": order["id"], "reason": "DAMAGED", "text": "Kemasan sobek dan isinya tumpah."}
    result = await gql(op("OpenComplaint"), {"input": body}, token=buyer["token"])
    assert result["data"]["openComplaint"]["errors"] == [], result
    return result["data"]["openComplaint"]["complaint"]["id"]


async def test_a_full_refund_gives_the_use_back_and_a_partial_one_does_not(gql):
    seller, shop, product, voucher = await voucher_shop(gql, price=15000)
    partly, _, partly_order = await paid_and_shipped(gql, shop, product)
    fully, membership_id, fully_order = await paid_and_shipped(gql, shop, product)
    assert fully_order["total"]["amount"] == 25000
    assert await sukarela(membership_id) == 75000
    assert await uses_of(voucher) == (2, 2)
    for order in (partly_order, fully_order):
        assert (await move(gql, seller["token"], order["id"], "SHIPPED", "JNE-1"))["errors"] == []

    complaint = await complain(gql, partly, partly_order)
    answered = await respond(gql, seller["token"], complaint, response="REFUND", refundAmount=10000)
    assert answered["errors"] == []
    assert await uses_of(voucher) == (2, 2)  # part of the money back: the use stays taken

    complaint = await complain(gql, fully, fully_order)
    answered = await respond(gql, seller["token"], complaint, response="REFUND", refundAmount=25000)
    assert answered["errors"] == []
    payment = answered["complaint"]["order"]["payment"]
    assert (payment["status"], payment["refundedAmount"]["amount"]) == ("REFUNDED", 25000)
    assert await sukarela(membership_id) == 100000
    assert await uses_of(voucher) == (1, 1)


async def race_client(live: LiveServer) -> httpx.AsyncClient:
    # Its own client: the shared one holds at most 100 connections.
    unlimited = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    return httpx.AsyncClient(base_url=live.url, timeout=120, limits=unlimited)


async def racing_buyers(gql, product: dict, count: int) -> list[str]:
    tokens = await quick_buyers(count)
    for token in tokens:
        assert (await add_to_cart(gql, token, product["id"], 1))["errors"] == []
    return tokens


def checkout_with(race: GraphQL, token: str, shop: dict):
    body = {**checkout_input(method="COD"), "shops": with_voucher(shop)}
    return race(op("CheckoutWithShipping"), {"input": body}, token=token)


async def test_forty_buyers_racing_for_seven_uses(gql, live):
    _, shop, product, voucher = await voucher_shop(gql, quota=7, stock=100)
    tokens = await racing_buyers(gql, product, 40)
    async with await race_client(live) as http:
        race = GraphQL(http)
        results = await asyncio.gather(*(checkout_with(race, token, shop) for token in tokens))
    assert all("errors" not in r for r in results), results  # never INTERNAL, never locked
    answers = [r["data"]["checkout"] for r in results]
    placed = [a for a in answers if a["orders"]]
    assert len(placed) == 7
    assert all(a["orders"][0]["discount"]["amount"] == 5000 for a in placed)
    refused = [codes(a) for a in answers if not a["orders"]]
    assert refused == [[("shops.0.voucherCode", "LIMIT_EXCEEDED")]] * 33
    assert await uses_of(voucher) == (7, 7)


async def test_a_quota_lowered_while_buyers_race_is_never_exceeded(gql, live):
    seller, shop, product, voucher = await voucher_shop(gql, quota=20, stock=100)
    tokens = await racing_buyers(gql, product, 40)
    async with await race_client(live) as http:
        race = GraphQL(http)
        buying = [checkout_with(race, token, shop) for token in tokens]
        lowering = race(op("UpdateVoucher"), {"id": voucher["id"], "input": {"quota": 5}},
                        token=seller["token"])  # fmt: skip
        results = await asyncio.gather(*buying[:20], lowering, *buying[20:])
    update = results.pop(20)["data"]["updateVoucher"]
    assert all("errors" not in r for r in results), results
    sold = sum(bool(r["data"]["checkout"]["orders"]) for r in results)
    stored = await Voucher.get(id=decode_id(voucher["id"], "Voucher"))
    if update["errors"] == []:  # it came while at most 5 were taken: 5 is the quota from then
        assert (sold, stored.quota) == (5, 5)
    else:  # it came too late: more than 5 were taken, the quota stayed
        assert codes(update) == [("quota", "INVALID")]
        assert (sold, stored.quota) == (20, 20)
    assert await uses_of(voucher) == (sold, sold)


async def test_one_buyer_racing_with_itself_uses_a_voucher_once(gql, live):
    _, shop, product, voucher = await voucher_shop(gql, quota=10)
    (token,) = await racing_buyers(gql, product, 1)
    async with await race_client(live) as http:
        race = GraphQL(http)
        results = await asyncio.gather(*(checkout_with(race, token, shop) for _ in range(10)))
    assert all("errors" not in r for r in results), results
    assert sum(bool(r["data"]["checkout"]["orders"]) for r in results) == 1
    assert await uses_of(voucher) == (1, 1)


@pytest.fixture
async def sgql(sandbox: LiveServer) -> AsyncIterator[GraphQL]:
    """Operations sent to the sandbox (TEST_CLOCK on)."""
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=120) as http:
        yield GraphQL(http)


async def test_the_window_and_the_expiry_sweep_through_the_test_clock(sgql):
    admin = await city_admin(sgql)
    _, shop, product, voucher = await voucher_shop(sgql, startsAt=moment(1), endsAt=moment(3))

    async def advance(days: int) -> None:
        result = await sgql(ADVANCE, {"input": {"days": days}}, token=admin["token"])
        assert result["data"]["advanceTestClock"]["errors"] == [], result

    buyer = await buyer_with(sgql, product["id"])
    early = await check_out(sgql, buyer["token"], with_voucher(shop), method="BANK_TRANSFER")
    assert codes(early) == [("shops.0.voucherCode", "INVALID")]  # not started yet
    await advance(1)
    placed = await check_out(sgql, buyer["token"], with_voucher(shop), method="BANK_TRANSFER")
    assert placed["errors"] == []
    assert placed["orders"][0]["discount"]["amount"] == 5000
    assert await uses_of(voucher) == (1, 1)

    await advance(2)  # unpaid past its time: the sweep cancels it, and the use comes back
    order = await sgql(contract("MyOrders"), token=buyer["token"])
    assert order["data"]["myOrders"]["edges"][0]["node"]["status"] == "CANCELLED"
    assert await uses_of(voucher) == (0, 0)
    await add_to_cart(sgql, buyer["token"], product["id"], 1)
    late = await check_out(sgql, buyer["token"], with_voucher(shop), method="BANK_TRANSFER")
    assert codes(late) == [("shops.0.voucherCode", "INVALID")]  # its window has ended
