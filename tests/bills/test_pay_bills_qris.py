"""PayBills by QRIS and bank transfer: nothing moves until the provider's signed webhook
confirms the receipt; then every bill is taken at once (Dr Kas dan Bank), or, when one is no
longer payable, the whole amount goes back."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from models.bills import Bill, BillReceipt
from models.orders.payments import Payment
from resolvers.platform.clock import now
from schema.platform.ids import decode_id
from tests.bills.helpers import (
    DEPOSIT,
    confirm,
    outside_bill,
    pay,
    refunded_entries,
    saver,
    unpaid_bills,
)
from tests.conftest import contract
from tests.cooperatives.helpers import accounts, journal_size, sukarela

pytestmark = pytest.mark.usefixtures("books_balance")


async def states(bill_ids: list[str]) -> list[str]:
    return [(await Bill.get(id=decode_id(i, "Bill"))).status for i in bill_ids]


async def test_qris_pays_a_mix_when_the_webhook_confirms_it(gql, client, live):
    koperasi, warga, membership_id = await saver(gql)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    pdam = await outside_bill(gql, warga)
    asked = [own["SIMPANAN_WAJIB"], pdam["id"]]
    before = (await journal_size(), await Payment.all().count(), await accounts(koperasi))
    opened = await pay(gql, warga["token"], asked, source="QRIS", membershipId=membership_id)
    assert opened["errors"] == []
    receipt = opened["receipt"]
    assert (receipt["source"], receipt["status"], receipt["paidAt"]) == (
        "QRIS", "AWAITING_PAYMENT", None,
    )  # fmt: skip
    assert receipt["qrisPayload"].startswith("000201")
    total = 20000 + pdam["total"]["amount"]
    assert receipt["total"]["amount"] == total
    assert [b["status"] for b in opened["bills"]] == ["UNPAID", "UNPAID"]
    # Nothing moved, and a bill payment is no order payment (the city's GMV counts those).
    assert (await journal_size(), await Payment.all().count(), await accounts(koperasi)) == before

    note = f"NTF-{uuid.uuid4().hex}"
    done = await confirm(client, live, receipt, note=note)
    assert (done.status_code, done.json()) == (200, {"outcome": "CONFIRMED"})
    assert await states(asked) == ["PAID", "PAID"]
    books = await accounts(koperasi)
    assert books["1-1100"] == before[2]["1-1100"] + total  # Kas dan Bank
    assert books["3-1200"] == 20000
    assert books["1-1400"] == DEPOSIT - pdam["amount"]["amount"]
    assert books["4-1300"] == 2500
    assert await sukarela(membership_id) == 2_000_000

    again = await confirm(client, live, receipt, note=note)
    assert (again.status_code, again.json()) == (200, {"outcome": "DUPLICATE"})
    other = await confirm(client, live, receipt)
    assert (other.status_code, other.json()) == (409, {"outcome": "NOT_PENDING"})
    assert (await accounts(koperasi))["1-1100"] == books["1-1100"]


async def test_a_wrong_amount_confirms_nothing(gql, client, live):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    opened = await pay(gql, warga["token"], [wajib], source="BANK_TRANSFER")
    assert "virtual account" in opened["receipt"]["instructions"]
    before = await journal_size()
    done = await confirm(client, live, opened["receipt"], amount=19999)
    assert (done.status_code, done.json()) == (422, {"outcome": "AMOUNT_MISMATCH"})
    assert await journal_size() == before
    assert await states([wajib]) == ["UNPAID"]
    done = await confirm(client, live, opened["receipt"])
    assert done.json() == {"outcome": "CONFIRMED"}
    assert await states([wajib]) == ["PAID"]


async def test_a_bill_paid_another_way_meanwhile_refunds_the_whole_payment(gql, client, live):
    koperasi, warga, membership_id = await saver(gql)
    own = await unpaid_bills(koperasi, membership_id, warga["token"])
    asked = [own["SIMPANAN_WAJIB"], own["SIMPANAN_POKOK"]]
    opened = await pay(gql, warga["token"], asked, source="QRIS")
    paid = await pay(gql, warga["token"], [own["SIMPANAN_POKOK"]], membershipId=membership_id)
    assert paid["errors"] == []
    before = (await journal_size(), await accounts(koperasi))
    done = await confirm(client, live, opened["receipt"])
    assert (done.status_code, done.json()) == (200, {"outcome": "CONFIRMED"})
    row = await BillReceipt.get(id=decode_id(opened["receipt"]["id"], "BillReceipt"))
    assert row.status == "REFUNDED"
    assert await states(asked) == ["UNPAID", "PAID"]  # the wajib is still to pay
    assert (await journal_size(), await accounts(koperasi)) == before


async def test_an_outside_bill_refused_after_qris_is_refunded_out_of_kas(gql, client, live):
    koperasi, warga, membership_id = await saver(gql)
    refused = await outside_bill(gql, warga, "05", kind="BPJS")
    opened = await pay(gql, warga["token"], [refused["id"]], source="QRIS",
                       membershipId=membership_id)  # fmt: skip
    kas = (await accounts(koperasi))["1-1100"]
    done = await confirm(client, live, opened["receipt"])
    assert done.json() == {"outcome": "CONFIRMED"}
    assert await states([refused["id"]]) == ["REFUNDED"]
    assert await refunded_entries(membership_id) == 1
    books = await accounts(koperasi)
    assert (books["1-1100"], books["1-1400"], books["4-1300"]) == (kas, DEPOSIT, 0)


async def test_a_payment_confirmed_after_its_time_is_refunded(gql, client, live):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    opened = await pay(gql, warga["token"], [wajib], source="QRIS")
    receipt_id = decode_id(opened["receipt"]["id"], "BillReceipt")
    await BillReceipt.filter(id=receipt_id).update(expires_at=now() - timedelta(minutes=1))
    before = await journal_size()
    done = await confirm(client, live, opened["receipt"])
    assert (done.status_code, done.json()) == (200, {"outcome": "CONFIRMED"})
    assert (await BillReceipt.get(id=receipt_id)).status == "REFUNDED"
    assert await states([wajib]) == ["UNPAID"]
    assert await journal_size() == before


async def test_a_membership_ended_while_its_bill_awaits_qris_refunds_the_payment(gql, client, live):
    koperasi, warga, membership_id = await saver(gql)
    wajib = (await unpaid_bills(koperasi, membership_id, warga["token"]))["SIMPANAN_WAJIB"]
    opened = await pay(gql, warga["token"], [wajib], source="QRIS")
    ended = await gql(contract("EndMembership"), {"id": membership_id}, token=warga["token"])
    assert ended["data"]["endMembership"]["errors"] == []
    before = await journal_size()
    done = await confirm(client, live, opened["receipt"])
    assert (done.status_code, done.json()) == (200, {"outcome": "CONFIRMED"})
    receipt_id = decode_id(opened["receipt"]["id"], "BillReceipt")
    assert (await BillReceipt.get(id=receipt_id)).status == "REFUNDED"
    assert await journal_size() == before
