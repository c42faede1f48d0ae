"""Bills through the contract's operations: issuing the month's, inquiring outside ones, and
paying them at once, from savings or confirmed by the provider's webhook."""

from __future__ import annotations

import uuid
from typing import Any

from models.bills import BillReceipt
from models.cooperatives.books import EntryKind, JournalEntry
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from tests.conftest import contract
from tests.cooperatives.helpers import Koperasi
from tests.orders.helpers import notify

INQUIRE = """mutation($kind: BillKind!, $number: String!, $denomination: Rupiah) {
  inquireBill(kind: $kind, customerNumber: $number, denomination: $denomination) {
    bill { id kind description status state period customerName customerNumber
           amount { amount } adminFee { amount } total { amount } dueDate expiresAt }
    errors { field code message }
  }
}"""


def this_period() -> str:
    return f"{today():%Y-%m}"


def customer_number(behaviour: str = "09") -> str:
    """A fresh sandbox customer number whose last two digits choose the behaviour."""
    return f"{uuid.uuid4().int % 10**10:010d}{behaviour}"


async def issue(koperasi: Koperasi, period: str, token: str | None = None) -> dict[str, Any]:
    result = await koperasi.gql(
        contract("IssueMonthlyBills"),
        {"cooperativeId": koperasi.id, "period": period},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["issueMonthlyBills"]


async def inquire(
    gql, token: str, kind: str, number: str, denomination: int | None = None
) -> dict[str, Any]:
    variables = {"kind": kind, "number": number, "denomination": denomination}
    result = await gql(INQUIRE, variables, token=token)
    assert "errors" not in result, result
    return result["data"]["inquireBill"]


PAY = """mutation($input: PayBillsInput!) { payBills(input: $input) {
  bills { id status state }
  receipt { id source status total { amount formatted } paidAt instructions qrisPayload
    lines { kind description amount { amount } adminFee { amount } state billerReference
            token kwh message bill { id } } }
  errors { field code message } } }"""
# Enough for any sandbox bill (at most Rp512.500 each) and the cooperative's own.
SAVINGS = 2_000_000


async def pay(gql, token: str, bill_ids: list[str], **extra: Any) -> dict[str, Any]:
    body = {
        "billIds": bill_ids,
        "source": "SUKARELA",
        "idempotencyKey": uuid.uuid4().hex,
        **extra,
    }
    result = await gql(PAY, {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["payBills"]


async def unpaid_bills(koperasi: Koperasi, membership_id: str, token: str) -> dict[str, str]:
    """The membership's UNPAID bills' ids by kind."""
    page = (await koperasi.dashboard(membership_id, token))["data"]["node"]
    return {bill["kind"]: bill["id"] for bill in page["bills"]}


TOP_UP = """mutation($id: ID!, $amount: Rupiah!, $key: String) {
  topUpPpobDeposit(cooperativeId: $id, amount: $amount, idempotencyKey: $key) {
  deposit { amount } errors { field code message } } }"""
# Enough for every outside bill a test pays.
DEPOSIT = 10_000_000


async def top_up(koperasi: Koperasi, amount: int, token: str | None = None, **extra: Any) -> dict:
    """The cooperative's Deposit PPOB topped up (from Kas dan Bank) by `amount`."""
    result = await koperasi.gql(
        TOP_UP,
        {"id": koperasi.id, "amount": amount, **extra},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["topUpPpobDeposit"]


async def saver(gql, savings: int = SAVINGS, deposit: int = DEPOSIT) -> tuple[Koperasi, dict, str]:
    """A cooperative with `deposit` at the biller, and a member with `savings` in SUKARELA and
    this month's wajib bill."""
    koperasi = await Koperasi.new(gql)
    if deposit:
        assert (await top_up(koperasi, deposit))["errors"] == []
    warga, membership_id = await koperasi.member()
    if savings:
        await koperasi.deposit(membership_id, savings)
    assert (await issue(koperasi, this_period()))["issued"] == 1
    return koperasi, warga, membership_id


async def outside_bill(gql, warga: dict, behaviour: str = "09", kind: str = "PDAM") -> dict:
    found = await inquire(gql, warga["token"], kind, customer_number(behaviour))
    assert found["errors"] == [], found
    return found["bill"]


async def refunded_entries(membership_id: str) -> int:
    return await JournalEntry.filter(
        membership_id=decode_id(membership_id, "Membership"), kind=EntryKind.REFUND
    ).count()


async def confirm(client, live, receipt: dict, amount: int | None = None, note: str = ""):
    row = await BillReceipt.get(id=decode_id(receipt["id"], "BillReceipt"))
    body = {
        "id": note or f"NTF-{uuid.uuid4().hex}",
        "reference": row.reference,
        "amount": row.total if amount is None else amount,
        "status": "PAID",
    }
    return await notify(client, live, body)
