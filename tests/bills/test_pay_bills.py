"""PayBills from SUKARELA through the running server: cooperative and outside bills at once,
all or nothing, once per key; each sandbox behaviour of the biller end to end."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from models.bills import Bill, BillKind, BillReceipt
from models.cooperatives.books import EntryKind, JournalEntry
from resolvers.bills.outside import recheck_pending_bills
from schema.platform.ids import decode_id, encode_id
from server.app import make_services
from tests.bills.helpers import (
    DEPOSIT,
    SAVINGS,
    outside_bill,
    pay,
    refunded_entries,
    saver,
    unpaid_bills,
)
from tests.conftest import contract, sign_up
from tests.cooperatives.feed import follow, next_line, wait_for_followers
from tests.cooperatives.helpers import Koperasi, accounts, codes, journal_size, sukarela

pytestmark = pytest.mark.usefixtures("books_balance")

BILL = """query($id: ID!) { node(id: $id) { ... on Bill { id status state paidAt } } }"""
RECEIPT = """query($id: ID!) { node(id: $id) { ... on BillReceipt {
  id status lines { state token kwh billerReference message } } } }"""


async def recheck(live) -> int:
    return await recheck_pending_bills(make_services(live.settings, None), timedelta(0))


async def test_wajib_paid_from_sukarela(gql):
    koperasi, warga, membership_id = await saver(gql, 100000)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    paid = await pay(gql, warga["token"], [wajib], membershipId=membership_id)
    assert paid["errors"] == []
    assert paid["bills"] == [{"id": wajib, "status": "PAID", "state": "PAID"}]
    receipt = paid["receipt"]
    assert (receipt["source"], receipt["status"]) == ("SUKARELA", "PAID")
    assert receipt["total"] == {"amount": 20000, "formatted": "Rp20.000"}
    assert receipt["paidAt"]
    assert [(x["kind"], x["amount"]["amount"]) for x in receipt["lines"]] == [
        ("SIMPANAN_WAJIB", 20000)
    ]
    assert await sukarela(membership_id) == 80000
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    assert {s["account"]: s["balance"]["amount"] for s in page["savings"]}["WAJIB"] == 20000
    assert "SIMPANAN_WAJIB" not in {b["kind"] for b in page["bills"]}
    moved = [
        (t["node"]["account"], t["node"]["amount"]["amount"])
        for t in page["transactions"]["edges"]
        if t["node"]["kind"] == "BILL_PAYMENT"
    ]
    assert sorted(moved) == [("SUKARELA", -20000), ("WAJIB", 20000)]  # one entry, two lines
    books = await accounts(koperasi)
    assert (books["3-1200"], books["2-1100"]) == (20000, 80000)


async def test_a_mix_of_cooperative_and_outside_bills_is_paid_at_once(gql):
    koperasi, warga, membership_id = await saver(gql)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    pdam = await outside_bill(gql, warga)
    token = await outside_bill(gql, warga, kind="PLN_TOKEN")
    asked = [own["SIMPANAN_POKOK"], own["SIMPANAN_WAJIB"], pdam["id"], token["id"]]
    paid = await pay(gql, warga["token"], asked, membershipId=membership_id)
    assert paid["errors"] == []
    assert [b["state"] for b in paid["bills"]] == ["PAID"] * 4
    total = 100000 + 20000 + pdam["total"]["amount"] + token["total"]["amount"]
    assert paid["receipt"]["total"]["amount"] == total
    lines = paid["receipt"]["lines"]
    assert [x["bill"]["id"] for x in lines] == asked
    assert lines[2]["billerReference"].startswith("SBX-")
    assert lines[2]["token"] is None
    assert len(lines[3]["token"].replace("-", "")) == 20
    assert float(lines[3]["kwh"]) > 0
    assert await sukarela(membership_id) == SAVINGS - total
    books = await accounts(koperasi)
    # The deposit topped up at the start paid both outside bills.
    assert books["1-1400"] == DEPOSIT - (pdam["amount"]["amount"] + token["amount"]["amount"])
    assert books["4-1300"] == 5000  # two admin fees
    assert books["3-1100"] == 100000
    assert books["3-1200"] == 20000


async def test_short_savings_refuse_and_write_nothing(gql):
    koperasi, warga, membership_id = await saver(gql, 30000)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    pdam = await outside_bill(gql, warga)
    before = (await journal_size(), await BillReceipt.all().count())
    asked = [own["SIMPANAN_WAJIB"], pdam["id"]]  # 20.000 fits, the two together do not
    refused = await pay(gql, warga["token"], asked, membershipId=membership_id)
    assert codes(refused) == [("membershipId", "INSUFFICIENT_BALANCE")]
    assert refused["receipt"] is None
    assert (await journal_size(), await BillReceipt.all().count()) == before
    assert await sukarela(membership_id) == 30000
    for bill_id in asked:
        assert (await Bill.get(id=decode_id(bill_id, "Bill"))).status == "UNPAID"


async def test_other_peoples_bills_and_savings_are_refused(gql):
    koperasi, warga, membership_id = await saver(gql)
    other, other_membership = await koperasi.member()
    await koperasi.deposit(other_membership, 100000)
    theirs = (await unpaid_bills(koperasi, other_membership, other["token"]))["SIMPANAN_POKOK"]
    their_pdam = await outside_bill(gql, other)
    before = await journal_size()
    for bill_id in (theirs, their_pdam["id"]):
        refused = await pay(gql, warga["token"], [bill_id], membershipId=membership_id)
        assert codes(refused) == [("billIds", "NOT_FOUND")]
    mine = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_POKOK"]
    refused = await pay(gql, warga["token"], [mine], membershipId=other_membership)
    assert codes(refused) == [("membershipId", "NOT_FOUND")]
    stranger = await sign_up(gql, "Orang Lain")
    refused = await pay(gql, stranger["token"], [mine], membershipId=membership_id)
    assert codes(refused) == [("membershipId", "NOT_FOUND")]
    assert await journal_size() == before


async def test_a_cooperative_bill_is_paid_from_that_cooperatives_savings(gql):
    koperasi, warga, membership_id = await saver(gql)
    other = await Koperasi.new(gql)
    _, elsewhere = await other.member(warga)
    await other.deposit(elsewhere, SAVINGS)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    refused = await pay(gql, warga["token"], [wajib], membershipId=elsewhere)
    assert codes(refused) == [("billIds", "INVALID")]


async def test_a_paid_bill_is_not_paid_again(gql):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    assert (await pay(gql, warga["token"], [wajib], membershipId=membership_id))["errors"] == []
    before = await journal_size()
    again = await pay(gql, warga["token"], [wajib], membershipId=membership_id)
    assert codes(again) == [("billIds", "INVALID_STATE")]
    assert await journal_size() == before
    assert await sukarela(membership_id) == SAVINGS - 20000


async def test_an_expired_inquiry_is_refused_and_writes_nothing(gql):
    koperasi, warga, membership_id = await saver(gql)
    expired = await outside_bill(gql, warga, "02")
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    before = await journal_size()
    refused = await pay(gql, warga["token"], [wajib, expired["id"]], membershipId=membership_id)
    assert codes(refused) == [("billIds", "INVALID_STATE")]
    assert await journal_size() == before
    assert await sukarela(membership_id) == SAVINGS


async def test_an_outside_bill_needs_a_membership_and_sukarela_needs_one_too(gql):
    warga = await sign_up(gql)
    pdam = await outside_bill(gql, warga)
    for source in ("SUKARELA", "BANK_TRANSFER"):
        refused = await pay(gql, warga["token"], [pdam["id"]], source=source)
        assert codes(refused) == [("membershipId", "REQUIRED")], source
    refused = await pay(gql, warga["token"], [], membershipId=encode_id("Membership", 1))
    assert ("billIds", "REQUIRED") in codes(refused)


async def test_the_same_key_returns_the_same_receipt_and_other_bills_are_refused(gql):
    koperasi, warga, membership_id = await saver(gql)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    key = uuid.uuid4().hex
    first = await pay(gql, warga["token"], [own["SIMPANAN_WAJIB"]], membershipId=membership_id,
                      idempotencyKey=key)  # fmt: skip
    again = await pay(gql, warga["token"], [own["SIMPANAN_WAJIB"]], membershipId=membership_id,
                      idempotencyKey=key)  # fmt: skip
    assert again["errors"] == []
    assert again["receipt"]["id"] == first["receipt"]["id"]
    other = await pay(gql, warga["token"], [own["SIMPANAN_POKOK"]], membershipId=membership_id,
                      idempotencyKey=key)  # fmt: skip
    assert codes(other) == [("idempotencyKey", "DUPLICATE")]
    assert await sukarela(membership_id) == SAVINGS - 20000


async def test_twenty_copies_racing_pay_once(gql):
    koperasi, warga, membership_id = await saver(gql)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    pdam = await outside_bill(gql, warga)
    asked = [own["SIMPANAN_WAJIB"], own["SIMPANAN_POKOK"], pdam["id"]]
    key = uuid.uuid4().hex
    copies = await asyncio.gather(
        *(
            pay(gql, warga["token"], asked, membershipId=membership_id, idempotencyKey=key)
            for _ in range(20)
        )
    )
    assert all(c["errors"] == [] for c in copies), [c["errors"] for c in copies]
    assert len({c["receipt"]["id"] for c in copies}) == 1
    assert await BillReceipt.filter(idempotency_key=key).count() == 1
    total = 120000 + pdam["total"]["amount"]
    assert await sukarela(membership_id) == SAVINGS - total
    member = decode_id(membership_id, "Membership")
    assert await JournalEntry.filter(membership_id=member, kind=EntryKind.BILL_PAYMENT).count() == 3
    pdam_bill = await Bill.get(id=decode_id(pdam["id"], "Bill"))
    assert (pdam_bill.status, pdam_bill.kind) == ("PAID", BillKind.PDAM)


async def test_a_bill_the_biller_refuses_is_refunded_into_sukarela(gql):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    refused = await outside_bill(gql, warga, "05", kind="BPJS")
    paid = await pay(gql, warga["token"], [wajib, refused["id"]], membershipId=membership_id)
    assert paid["errors"] == []
    assert [b["state"] for b in paid["bills"]] == ["PAID", "REFUNDED"]
    assert [b["status"] for b in paid["bills"]] == ["PAID", "UNPAID"]
    assert paid["receipt"]["lines"][1]["message"] == "Pembayaran ditolak biller."
    assert await sukarela(membership_id) == SAVINGS - 20000
    assert await refunded_entries(membership_id) == 1
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    refunds = [t["node"] for t in page["transactions"]["edges"] if t["node"]["kind"] == "REFUND"]
    assert [r["amount"]["amount"] for r in refunds] == [refused["total"]["amount"]]
    books = await accounts(koperasi)
    assert (books["1-1400"], books["4-1300"]) == (DEPOSIT, 0)


async def test_pending_then_paid_settles_on_the_recheck(gql, live):
    _, warga, membership_id = await saver(gql)
    for behaviour in ("03", "06"):  # pending, then paid; a payment timeout, then paid
        bill = await outside_bill(gql, warga, behaviour, kind="PLN_TOKEN")
        paid = await pay(gql, warga["token"], [bill["id"]], membershipId=membership_id)
        assert paid["errors"] == []
        assert paid["bills"][0]["state"] == "PENDING"
        assert paid["receipt"]["lines"][0]["message"]
        assert paid["receipt"]["lines"][0]["token"] is None
        assert await recheck(live) >= 1
        seen = await gql(RECEIPT, {"id": paid["receipt"]["id"]}, token=warga["token"])
        line = seen["data"]["node"]["lines"][0]
        assert line["state"] == "PAID"
        assert len(line["token"].replace("-", "")) == 20
        assert line["message"] is None
    assert await sukarela(membership_id) == SAVINGS - 2 * (20000 + 2500)
    assert await refunded_entries(membership_id) == 0


async def test_pending_then_failed_is_refunded_on_the_recheck(gql, live):
    _, warga, membership_id = await saver(gql)
    bill = await outside_bill(gql, warga, "04", kind="PLN_POSTPAID")
    paid = await pay(gql, warga["token"], [bill["id"]], membershipId=membership_id)
    assert paid["bills"][0]["state"] == "PENDING"
    assert await sukarela(membership_id) == SAVINGS - bill["total"]["amount"]
    await recheck(live)
    seen = await gql(BILL, {"id": bill["id"]}, token=warga["token"])
    assert seen["data"]["node"]["state"] == "REFUNDED"
    assert await sukarela(membership_id) == SAVINGS
    assert await refunded_entries(membership_id) == 1
    await recheck(live)  # settled once: a second sweep finds nothing to do
    assert await refunded_entries(membership_id) == 1


async def test_the_contracts_pay_bills_operation(gql):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    body = {"billIds": [wajib], "source": "SUKARELA", "membershipId": membership_id,
            "idempotencyKey": uuid.uuid4().hex}  # fmt: skip
    result = await gql(contract("PayBills"), {"input": body}, token=warga["token"])
    payload = result["data"]["payBills"]
    assert payload["errors"] == []
    assert payload["bills"] == [{"id": wajib, "status": "PAID"}]
    assert payload["receipt"]["total"]["amount"] == 20000


async def test_payments_and_refunds_reach_the_live_feed(gql, live):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    refused = await outside_bill(gql, warga, "05", kind="BPJS")
    socket = await follow(live, koperasi.pengurus["token"], koperasi.id)
    try:
        await wait_for_followers(live.server.config.app.state.services.events, koperasi.id)
        paid = await pay(gql, warga["token"], [wajib, refused["id"]], membershipId=membership_id)
        assert paid["errors"] == []
        seen = [await next_line(socket) for _ in range(4)]
        total = refused["total"]["amount"]
        assert [(x["kind"], x["account"], x["amount"]["amount"]) for x in seen] == [
            ("BILL_PAYMENT", "SUKARELA", -20000),
            ("BILL_PAYMENT", "WAJIB", 20000),
            ("BILL_PAYMENT", "SUKARELA", -total),
            ("REFUND", "SUKARELA", total),
        ]
    finally:
        await socket.close()


async def test_overlapping_payments_racing_with_other_keys_pay_each_bill_once(gql):
    koperasi, warga, membership_id = await saver(gql)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    first = await outside_bill(gql, warga)
    second = await outside_bill(gql, warga, kind="BPJS")
    asked = [
        [own["SIMPANAN_POKOK"], own["SIMPANAN_WAJIB"], first["id"]],
        [second["id"], own["SIMPANAN_WAJIB"], own["SIMPANAN_POKOK"]],
        [first["id"], second["id"]],
    ]
    results = await asyncio.gather(
        *(pay(gql, warga["token"], ids, membershipId=membership_id) for ids in asked * 3)
    )
    won = [r for r in results if r["errors"] == []]
    assert won, results
    for refused in (r for r in results if r["errors"]):
        assert {code for _, code in codes(refused)} == {"INVALID_STATE"}
    paid = [bill["id"] for r in won for bill in r["bills"]]
    assert len(paid) == len(set(paid))  # no bill paid twice
    total = 120000 + first["total"]["amount"] + second["total"]["amount"]
    taken = sum(r["receipt"]["total"]["amount"] for r in won)
    assert await sukarela(membership_id) == SAVINGS - taken
    assert taken <= total


async def test_a_biller_that_does_not_answer_leaves_the_bill_pending(gql, live, monkeypatch):
    _, warga, membership_id = await saver(gql)
    bill = await outside_bill(gql, warga)

    async def no_answer(reference, inquiry):
        raise ConnectionError("biller down")

    monkeypatch.setattr(live.server.config.app.state.services.biller, "pay", no_answer)
    paid = await pay(gql, warga["token"], [bill["id"]], membershipId=membership_id)
    assert paid["errors"] == []
    assert paid["bills"][0]["state"] == "PENDING"
    assert await sukarela(membership_id) == SAVINGS - bill["total"]["amount"]
    monkeypatch.undo()
    await recheck(live)
    seen = await gql(BILL, {"id": bill["id"]}, token=warga["token"])
    assert seen["data"]["node"]["state"] == "PAID"


async def test_a_membership_is_not_ended_while_a_bill_it_paid_is_pending(gql, live):
    _, warga, membership_id = await saver(gql)
    bill = await outside_bill(gql, warga, "04")  # pending, then failed: refunded into SUKARELA
    assert (await pay(gql, warga["token"], [bill["id"]], membershipId=membership_id))[
        "errors"
    ] == []
    ended = await gql(contract("EndMembership"), {"id": membership_id}, token=warga["token"])
    assert codes(ended["data"]["endMembership"]) == [("id", "INVALID_STATE")]
    await recheck(live)
    assert await sukarela(membership_id) == SAVINGS
    ended = await gql(contract("EndMembership"), {"id": membership_id}, token=warga["token"])
    assert ended["data"]["endMembership"]["errors"] == []
