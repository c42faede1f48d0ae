"""Helpers for the sellers' money tests: the money contract's own operations (a copy of the
contract in this folder until it lands in schema/contract), a sale paid by any method and
taken to COMPLETED, a shop's destinations, and the audit of every ledger."""

from __future__ import annotations

import uuid
from typing import Any

from resolvers.cooperatives import audit as cooperatives_audit
from resolvers.payouts import audit as platform_audit
from tests.conftest import contract as money
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi
from tests.orders.complaint_helpers import Sale, op, shipped_sale
from tests.orders.helpers import move, past_auto_complete


async def assert_ledgers_balance() -> None:
    """Every ledger as it must always be: the cooperatives' and the platform's."""
    assert await cooperatives_audit() == []
    assert await platform_audit.audit() == []


def codes(payload: dict) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in payload["errors"]]


async def completed_sale(gql, client, live, method: str = "QRIS") -> Sale:
    """A Rp30.000 sale by `method`, delivered and confirmed by its buyer."""
    sale = await shipped_sale(gql, client, live, method=method, delivered=True)
    confirmed = await gql(op("ConfirmReceipt"), {"id": sale.order_id}, token=sale.buyer["token"])
    assert "errors" not in confirmed, confirmed
    assert confirmed["data"]["confirmReceipt"]["errors"] == [], confirmed
    return sale


async def seller_completion(gql, sale: Sale) -> None:
    """The seller completes a delivered order once its autoCompleteAt passed."""
    await past_auto_complete(sale.order)
    assert (await move(gql, sale.seller["token"], sale.order_id, "COMPLETED"))["errors"] == []


async def balance(gql, shop_id: str, token: str | None) -> dict[str, Any] | None:
    result = await gql(money("SellerBalance"), {"shopId": shop_id}, token=token)
    assert "errors" not in result, result
    return result["data"]["node"]["balance"]


async def available(gql, shop_id: str, token: str) -> int:
    found = await balance(gql, shop_id, token)
    assert found is not None
    return found["available"]["amount"]


async def bank_destination(gql, token: str, shop_id: str, number: str = "1234567801") -> str:
    checked = await gql(
        money("CheckBankAccount"), {"bankCode": "bca", "accountNumber": number}, token=token
    )
    check = checked["data"]["checkBankAccount"]
    assert check["errors"] == [], check
    created = await gql(
        money("CreatePayoutDestination"),
        {"input": {"shopId": shop_id, "bankAccountCheckId": check["check"]["id"]}},
        token=token,
    )
    payload = created["data"]["createPayoutDestination"]
    assert payload["errors"] == [], payload
    return payload["destination"]["id"]


async def savings_destination(gql, seller: dict, shop_id: str) -> tuple[Koperasi, str, str]:
    """The seller made a member of a new cooperative; (it, the membership, the destination)."""
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(seller)
    created = await gql(
        money("CreatePayoutDestination"),
        {"input": {"shopId": shop_id, "membershipId": membership_id}},
        token=seller["token"],
    )
    payload = created["data"]["createPayoutDestination"]
    assert payload["errors"] == [], payload
    return koperasi, membership_id, payload["destination"]["id"]


async def request_payout(
    gql, token: str, shop_id: str, destination_id: str, amount: int, key: str | None = None
) -> dict[str, Any]:
    body = {"shopId": shop_id, "destinationId": destination_id, "amount": amount,
            "idempotencyKey": key or str(uuid.uuid4())}  # fmt: skip
    result = await gql(money("RequestPayout"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["requestPayout"]


async def platform_books(gql, token: str) -> dict[str, Any]:
    result = await gql(money("PlatformBooks"), token=token)
    assert "errors" not in result, result
    return result["data"]["platformBooks"]


def account_balances(books: dict[str, Any]) -> dict[str, int]:
    return {a["name"]: a["balance"]["amount"] for a in books["accounts"]}


async def stranger(gql) -> dict[str, Any]:
    return await sign_up(gql, "Orang Lain")
