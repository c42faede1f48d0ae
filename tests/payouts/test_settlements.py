"""Settlements between a cooperative and the platform: both books in one transaction, the
whole net clears both sides, every refusal writes nothing, and racing settlements never
exceed the net."""

import asyncio
from datetime import timedelta

from models.cooperatives import BookYear, BookYearState, Membership
from resolvers.platform import today
from schema.platform.ids import decode_id, encode_id
from tests.conftest import city_admin, contract
from tests.cooperatives.helpers import Koperasi, sukarela
from tests.orders.complaint_helpers import shipped_sale
from tests.orders.helpers import add_to_cart, checkout, seller_with_products
from tests.payouts.helpers import (
    assert_ledgers_balance,
    codes,
    completed_sale,
    money,
    platform_books,
    request_payout,
    savings_destination,
)


async def settle(gql, token, cooperative_id, amount, direction="COOPERATIVE_TO_PLATFORM", **extra):
    body = {"cooperativeId": cooperative_id, "direction": direction, "amount": amount,
            "transferReference": extra.pop("reference", f"TRF-{amount}-{id(extra)}"),
            "date": extra.pop("date", today().isoformat()), **extra}  # fmt: skip
    result = await gql(money("RecordCooperativeSettlement"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["recordCooperativeSettlement"]


async def owing_cooperative(gql, client, live) -> tuple[str, dict]:
    """A cooperative that owes the platform Rp30.000 (a member's purchase), its pengurus."""
    sale = await shipped_sale(gql, client, live, method="COOPERATIVE_BALANCE")
    membership = await Membership.get(id=decode_id(sale.membership_id, "Membership"))
    return encode_id("Cooperative", membership.cooperative_id), sale.buyer


async def test_a_settlement_of_the_whole_net_clears_both_sides(gql, client, live):
    admin = await city_admin(gql)
    coop_id, _ = await owing_cooperative(gql, client, live)
    too_much = await settle(gql, admin["token"], coop_id, 30001)
    assert codes(too_much) == [("amount", "INVALID")]
    wrong_way = await settle(gql, admin["token"], coop_id, 1, "PLATFORM_TO_COOPERATIVE")
    assert codes(wrong_way) == [("amount", "INVALID")]
    part = await settle(gql, admin["token"], coop_id, 10000, reference="TRF-001")
    assert part["errors"] == []
    assert part["clearing"]["net"]["amount"] == 20000
    again = await settle(gql, admin["token"], coop_id, 5000, reference="TRF-001")
    assert codes(again) == [("transferReference", "DUPLICATE")]
    rest = await settle(gql, admin["token"], coop_id, 20000, reference="TRF-002")
    assert [rest["clearing"][k]["amount"] for k in ("owedToPlatform", "owedByPlatform", "net")] == [
        0,
        0,
        0,
    ]
    books = await platform_books(gql, admin["token"])
    mine = [c for c in books["cooperatives"] if c["cooperative"]["id"] == coop_id]
    assert [mine[0][k]["amount"] for k in ("owedToPlatform", "owedByPlatform", "net")] == [0, 0, 0]
    clearing = await gql(
        money("CooperativePlatformClearing"), {"id": coop_id}, token=admin["token"]
    )
    side = clearing["data"]["node"]["platformClearing"]
    assert [e["node"]["transferReference"] for e in side["settlements"]["edges"]] == [
        "TRF-002",
        "TRF-001",
    ]
    await assert_ledgers_balance()


async def test_the_platform_pays_what_it_owes(gql, client, live):
    admin = await city_admin(gql)
    sale = await completed_sale(gql, client, live)
    koperasi, _, destination = await savings_destination(gql, sale.seller, sale.shop["id"])
    paid = await request_payout(gql, sale.seller["token"], sale.shop["id"], destination, 30000)
    assert paid["errors"] == []
    settled = await settle(gql, admin["token"], koperasi.id, 30000, "PLATFORM_TO_COOPERATIVE")
    assert settled["errors"] == []
    assert settled["clearing"]["net"]["amount"] == 0
    await assert_ledgers_balance()


async def test_refusals_write_nothing(gql, client, live):
    admin = await city_admin(gql)
    coop_id, member = await owing_cooperative(gql, client, live)
    for token, expected in ((member["token"], [("cooperativeId", "PERMISSION_DENIED")]),):
        assert codes(await settle(gql, token, coop_id, 1000)) == expected
    assert codes(await settle(gql, admin["token"], coop_id, 1000, reference=" ")) == [
        ("transferReference", "REQUIRED")
    ]
    assert codes(await settle(gql, admin["token"], coop_id, 1000, reference="x" * 101)) == [
        ("transferReference", "INVALID")
    ]
    tomorrow = (today() + timedelta(days=1)).isoformat()
    assert codes(await settle(gql, admin["token"], coop_id, 1000, date=tomorrow)) == [
        ("date", "INVALID")
    ]
    unknown = encode_id("Cooperative", 987654321)
    assert codes(await settle(gql, admin["token"], unknown, 1000)) == [
        ("cooperativeId", "NOT_FOUND")
    ]
    outsider = await gql(
        money("CooperativePlatformClearing"), {"id": coop_id}, token=member["token"]
    )
    assert outsider["data"]["node"]["platformClearing"] is None
    await assert_ledgers_balance()


async def test_racing_settlements_never_exceed_the_net(gql, client, live):
    admin = await city_admin(gql)
    coop_id, _ = await owing_cooperative(gql, client, live)
    answers = await asyncio.gather(
        *(settle(gql, admin["token"], coop_id, 20000, reference=f"RACE-{i}") for i in range(10))
    )
    assert len([a for a in answers if not a["errors"]]) == 1
    await assert_ledgers_balance()


async def test_a_closed_book_year_refuses_the_settlement(gql, client, live):
    admin = await city_admin(gql)
    coop_id, _ = await owing_cooperative(gql, client, live)
    await BookYear.create(
        cooperative_id=decode_id(coop_id, "Cooperative"), year=2020, state=BookYearState.CLOSED
    )
    refused = await settle(gql, admin["token"], coop_id, 1000, date="2020-06-01")
    assert codes(refused) == [("date", "INVALID_STATE")]
    await assert_ledgers_balance()


async def test_a_refund_after_settlement_is_owed_by_the_platform(gql, client, live):
    admin = await city_admin(gql)
    _, _, (product,) = await seller_with_products(gql, price=30000, stock=5)
    koperasi = await Koperasi.new(gql)
    buyer, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 50000)
    assert (await add_to_cart(gql, buyer["token"], product["id"]))["errors"] == []
    placed = await checkout(gql, buyer["token"], method="COOPERATIVE_BALANCE",
                            membershipId=membership_id)  # fmt: skip
    order = placed["orders"][0]
    assert (await settle(gql, admin["token"], koperasi.id, 30000))["errors"] == []
    cancelled = await gql(contract("CancelOrder"), {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["errors"] == [], cancelled
    assert await sukarela(membership_id) == 50000
    clearing = await gql(money("CooperativePlatformClearing"), {"id": koperasi.id},
                         token=koperasi.pengurus["token"])  # fmt: skip
    side = clearing["data"]["node"]["platformClearing"]
    assert (side["owedToPlatform"]["amount"], side["owedByPlatform"]["amount"]) == (0, 30000)
    await assert_ledgers_balance()
    back = await settle(gql, admin["token"], koperasi.id, 30000, "PLATFORM_TO_COOPERATIVE")
    assert back["clearing"]["net"]["amount"] == 0
    await assert_ledgers_balance()
