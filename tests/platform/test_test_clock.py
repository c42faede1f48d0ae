"""The sandbox test clock through HTTP: anyone reads the clock; a CITY_ADMIN of a sandbox
(TEST_CLOCK on) moves it forward by whole days, and each day passed runs every sweep once at
that day's time, however many advances race, on one server or two."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from models.platform import CLOCK_ROW, ClockOffset, ClockSweep
from resolvers.platform import JAKARTA, SharedOffset
from tests.conftest import (
    GraphQL,
    LiveServer,
    city_admin,
    contract,
    sign_up,
)
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan
from tests.orders.complaint_helpers import open_complaint, order_details, shipped_sale
from tests.orders.helpers import add_to_cart, checkout, seller_with_products
from tests.server.helpers import ServerProcess

CLOCK = contract("Clock")
ADVANCE = contract("AdvanceTestClock")
KINDS = [
    "PAYMENT_RECHECK",
    "ORDER_EXPIRY",
    "ORDER_COMPLETION",
    "BILL_RECHECK",
    "LOAN_LOSS_ALLOWANCE",
    "PAYOUT_RECHECK",
    "TIME_DEPOSITS",
    "AUTO_DEBIT",
    "BILL_REMINDERS",
    "OUTBOX",
]  # every sweep the server has, in a day's order
ORDER = """query($id: ID!) { node(id: $id) { ... on Order {
  status createdAt payment { status expiresAt } } } }"""
LOAN_ARREARS = """query($id: ID!) { node(id: $id) { ... on Loan {
  daysPastDue kolektibilitas { level } payoffAmount { amount } schedule { dueDate } } } }"""


@pytest.fixture
async def sgql(sandbox: LiveServer) -> AsyncIterator[GraphQL]:
    """Operations sent to the sandbox."""
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=120) as http:
        yield GraphQL(http)


async def read_clock(gql: GraphQL) -> dict[str, Any]:
    result = await gql(CLOCK)
    assert "errors" not in result, result
    return result["data"]["clock"]


async def advance(gql: GraphQL, token: str | None, days: int) -> dict[str, Any]:
    result = await gql(ADVANCE, {"input": {"days": days}}, token=token)
    assert "errors" not in result, result
    return result["data"]["advanceTestClock"]


def codes(payload: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


def days_after(start: str, count: int) -> list[str]:
    first = date.fromisoformat(start)
    return [(first + timedelta(days=k)).isoformat() for k in range(1, count + 1)]


async def stored_offset() -> int:
    return (await ClockOffset.get(id=CLOCK_ROW)).offset_days


async def swept() -> list[tuple[str, str]]:
    rows = await ClockSweep.all().order_by("day", "id").values_list("kind", "day")
    return [(kind, day.isoformat()) for kind, day in rows]


def assert_near(moment: str, expected: datetime) -> None:
    assert abs(datetime.fromisoformat(moment) - expected) < timedelta(seconds=30), moment


async def test_anyone_reads_the_real_clock_where_the_test_clock_is_off(gql):
    clock = await read_clock(gql)
    assert clock["isTestClock"] is False
    assert clock["offsetDays"] == 0
    assert_near(clock["now"], datetime.now(UTC))
    moment = datetime.fromisoformat(clock["now"])
    assert clock["today"] == moment.astimezone(JAKARTA).date().isoformat()


async def test_with_the_test_clock_off_an_advance_changes_nothing(gql):
    admin = await city_admin(gql)
    payload = await advance(gql, admin["token"], 3)
    assert codes(payload) == [(None, "INVALID_STATE")]
    assert payload["clock"] is None
    assert payload["sweeps"] == []
    assert await stored_offset() == 0
    assert await swept() == []
    assert (await read_clock(gql))["offsetDays"] == 0


async def test_only_a_city_admin_moves_the_sandbox_clock(sgql):
    warga = await sign_up(sgql, "Warga Biasa")
    koperasi = await Koperasi.new(sgql)
    for token in (warga["token"], koperasi.pengurus["token"]):
        payload = await advance(sgql, token, 1)
        assert codes(payload) == [(None, "PERMISSION_DENIED")]
        assert payload["clock"] is None
        assert payload["sweeps"] == []
    assert codes(await advance(sgql, None, 1)) == [(None, "UNAUTHENTICATED")]
    clock = await read_clock(sgql)  # anyone reads it, here too
    assert clock["isTestClock"] is True
    assert clock["offsetDays"] == 0
    assert await stored_offset() == 0
    assert await swept() == []


async def test_days_run_from_1_to_400_and_the_clock_never_goes_back(sgql):
    admin = await city_admin(sgql)
    for days in (0, -1, -30, 401, 100_000):
        payload = await advance(sgql, admin["token"], days)
        assert codes(payload) == [("input.days", "INVALID")], days
    assert await stored_offset() == 0
    moved = await advance(sgql, admin["token"], 1)
    assert moved["errors"] == []
    assert moved["clock"]["offsetDays"] == 1
    assert codes(await advance(sgql, admin["token"], -1)) == [("input.days", "INVALID")]
    assert (await read_clock(sgql))["offsetDays"] == 1


def test_a_process_never_takes_an_older_reading_of_the_offset():
    offset = SharedOffset()
    offset.seen(5)
    offset.seen(3)  # read before another worker's advance, answered after it
    assert offset.days == 5


async def test_an_advance_runs_every_sweep_once_per_day_at_that_days_time(sgql):
    admin = await city_admin(sgql)
    _, _, (product,) = await seller_with_products(sgql, stock=5)
    buyer = await sign_up(sgql, "Pembeli")

    async def place_order() -> dict[str, Any]:
        assert (await add_to_cart(sgql, buyer["token"], product["id"]))["errors"] == []
        placed = await checkout(sgql, buyer["token"], method="QRIS")
        assert placed["errors"] == [], placed
        return placed["orders"][0]

    async def order(order_id: str) -> dict[str, Any]:
        result = await sgql(ORDER, {"id": order_id}, token=buyer["token"])
        return result["data"]["node"]

    first = await place_order()
    start = await read_clock(sgql)
    payload = await advance(sgql, admin["token"], 2)
    assert payload["errors"] == []
    clock = payload["clock"]
    assert clock["offsetDays"] == 2
    assert clock["today"] == days_after(start["today"], 2)[-1]
    assert_near(clock["now"], datetime.now(UTC) + timedelta(days=2))
    days = days_after(start["today"], 2)
    assert [(s["kind"], s["day"]) for s in payload["sweeps"]] == [
        (kind, day) for day in days for kind in KINDS
    ]
    # Its payment had 24 hours: the first day's sweep cancelled it, the second had no more.
    expiry = [s for s in payload["sweeps"] if s["kind"] == "ORDER_EXPIRY"]
    assert expiry[0]["changed"] >= 1
    assert (await order(first["id"]))["status"] == "CANCELLED"
    assert (await order(first["id"]))["payment"]["status"] == "EXPIRED"

    # On the moved clock: an order placed now is stamped and given its 24 hours on it, and
    # the buyer's session (real time) still works.
    second = await place_order()
    placed = await order(second["id"])
    assert_near(placed["createdAt"], datetime.now(UTC) + timedelta(days=2))
    assert_near(placed["payment"]["expiresAt"], datetime.now(UTC) + timedelta(days=3))
    assert placed["status"] == "PENDING_PAYMENT"
    again = await advance(sgql, admin["token"], 1)
    assert [(s["kind"], s["day"]) for s in again["sweeps"]] == [
        (kind, days_after(start["today"], 3)[-1]) for kind in KINDS
    ]
    assert (await order(second["id"]))["status"] == "CANCELLED"
    assert await swept() == [(kind, day) for day in days_after(start["today"], 3) for kind in KINDS]
    assert (await read_clock(sgql))["offsetDays"] == 3


@pytest.mark.usefixtures("books_balance")
async def test_a_loan_falls_past_due_and_its_denda_grows_as_the_clock_moves(sgql):
    koperasi = await Koperasi.new(sgql)
    admin = await city_admin(sgql)
    _, _, loan_id = await active_loan(koperasi)

    async def arrears() -> dict[str, Any]:
        result = await sgql(LOAN_ARREARS, {"id": loan_id}, token=koperasi.pengurus["token"])
        assert "errors" not in result, result
        return result["data"]["node"]

    before = await arrears()
    assert before["daysPastDue"] == 0
    assert before["kolektibilitas"]["level"] == 1
    first_due = date.fromisoformat(before["schedule"][0]["dueDate"])
    assert (await advance(sgql, admin["token"], 45))["errors"] == []
    after = await arrears()
    overdue = (date.fromisoformat((await read_clock(sgql))["today"]) - first_due).days
    assert overdue > 7  # past the cooperative's grace days
    assert after["daysPastDue"] == overdue
    assert after["kolektibilitas"]["level"] == 2  # dalam perhatian khusus: 1-90 days
    assert after["payoffAmount"]["amount"] > before["payoffAmount"]["amount"]  # denda


async def test_a_delivered_order_completes_by_itself_when_the_clock_passes_three_days(sgql):
    admin = await city_admin(sgql)
    quiet, contested = (
        await shipped_sale(sgql, delivered=True),
        await shipped_sale(sgql, delivered=True),
    )
    assert (await open_complaint(sgql, contested))["errors"] == []

    async def status(sale) -> str:
        return (await order_details(sgql, sale.order_id, sale.buyer["token"]))["status"]

    assert (await order_details(sgql, quiet.order_id, quiet.buyer["token"]))["autoCompleteAt"]
    assert (await advance(sgql, admin["token"], 2))["errors"] == []
    assert await status(quiet) == "DELIVERED"  # ORDER_AUTOCOMPLETE_DAYS is 3
    moved = await advance(sgql, admin["token"], 1)
    assert {"kind": "ORDER_COMPLETION", "day": moved["clock"]["today"], "changed": 1} in moved[
        "sweeps"
    ]
    assert await status(quiet) == "COMPLETED"
    assert await status(contested) == "DELIVERED"  # a complaint is open


async def test_advances_at_the_same_moment_run_one_after_the_other(sgql):
    admin = await city_admin(sgql)
    start = await read_clock(sgql)
    payloads = await asyncio.gather(*(advance(sgql, admin["token"], 2) for _ in range(3)))
    assert all(p["errors"] == [] for p in payloads)
    assert sorted(p["clock"]["offsetDays"] for p in payloads) == [2, 4, 6]
    runs = [(s["kind"], s["day"]) for p in payloads for s in p["sweeps"]]
    assert sorted(runs) == sorted((k, d) for d in days_after(start["today"], 6) for k in KINDS)
    assert await stored_offset() == 6
    assert len(await swept()) == 6 * len(KINDS)


async def test_two_servers_racing_sweep_each_day_once_and_share_the_clock(sandbox, sgql, tmp_path):
    admin = await city_admin(sgql)
    start = await read_clock(sgql)
    async with (
        ServerProcess(
            sandbox,
            tmp_path,
            TEST_CLOCK="on",
            ORDER_EXPIRY_INTERVAL="86400",
            BILL_RECHECK_INTERVAL="86400",
        ) as other,  # fmt: skip
        httpx.AsyncClient(base_url=other.url, timeout=120) as http,
    ):
        ogql = GraphQL(http)
        assert (await read_clock(ogql))["offsetDays"] == 0
        payloads = await asyncio.gather(
            advance(sgql, admin["token"], 3),
            advance(ogql, admin["token"], 3),
            advance(sgql, admin["token"], 2),
            advance(ogql, admin["token"], 2),
        )
        assert all(p["errors"] == [] for p in payloads), payloads
        runs = [(s["kind"], s["day"]) for p in payloads for s in p["sweeps"]]
        expected = [(k, d) for d in days_after(start["today"], 10) for k in KINDS]
        assert sorted(runs) == sorted(expected)
        assert await swept() == expected
        # Whichever server moved it last, both read the clock 10 days ahead at once.
        for gql in (sgql, ogql):
            clock = await read_clock(gql)
            assert clock["offsetDays"] == 10
            assert clock["today"] == days_after(start["today"], 10)[-1]
        moved = await advance(sgql, admin["token"], 1)
        assert (await read_clock(ogql))["offsetDays"] == 11 == moved["clock"]["offsetDays"]
