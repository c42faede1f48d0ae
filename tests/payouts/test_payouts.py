"""Payouts from the right and the wrong side: the banks and account checks, destinations,
payouts to a bank (COMPLETED, PENDING until the sweep, FAILED and returned) and to SUKARELA,
the minimum, the daily maximum and idempotency; the ledgers balance after each."""

import json
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from models.cooperatives import Membership, MembershipStatus
from models.payouts import BankAccountCheck, Payout
from models.platform import User
from resolvers.payouts import recheck_pending_payouts, withdrawals
from resolvers.platform import today
from resolvers.providers.payouts import (
    Disbursement,
    DisbursementRequest,
    PayoutsUnavailable,
    SandboxPayouts,
)
from resolvers.providers.signature import sign
from schema.platform.ids import decode_id
from tests.cooperatives.helpers import sukarela
from tests.payouts.helpers import (
    assert_ledgers_balance,
    available,
    bank_destination,
    codes,
    completed_sale,
    money,
    request_payout,
    savings_destination,
    stranger,
)
from tests.payouts.sweep import limited_server, services_of


@pytest.fixture
async def sale(gql, client, live):
    """A shop with Rp30.000 available."""
    return await completed_sale(gql, client, live)


async def test_anyone_lists_the_banks(gql):
    banks = (await gql(money("PayoutBanks")))["data"]["payoutBanks"]
    assert {"code": "bca", "name": "Bank Central Asia (BCA)"} in banks


async def test_an_account_check_names_its_holder(gql):
    user = await stranger(gql)
    ask = money("CheckBankAccount")
    found = (await gql(ask, {"bankCode": "bca", "accountNumber": "1234567801"},
                       token=user["token"]))["data"]["checkBankAccount"]  # fmt: skip
    assert found["errors"] == []
    assert found["check"]["holderName"]
    assert found["check"]["bankName"] == "Bank Central Asia (BCA)"
    for bank, number, expected in (
        ("xyz", "1234567801", [("bankCode", "INVALID")]),
        ("bca", "12ab", [("accountNumber", "INVALID")]),
        ("bca", "1234567800", [("accountNumber", "NOT_FOUND")]),
    ):
        refused = await gql(ask, {"bankCode": bank, "accountNumber": number}, token=user["token"])
        assert codes(refused["data"]["checkBankAccount"]) == expected
    anonymous = await gql(ask, {"bankCode": "bca", "accountNumber": "1234567801"})
    assert codes(anonymous["data"]["checkBankAccount"]) == [(None, "UNAUTHENTICATED")]


async def test_destinations_are_the_owners(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(gql, token, shop_id)
    listed = await gql(money("PayoutDestinations"), {"shopId": shop_id}, token=token)
    assert [d["id"] for d in listed["data"]["node"]["payoutDestinations"]] == [destination]
    other = await stranger(gql)
    hidden = await gql(money("PayoutDestinations"), {"shopId": shop_id}, token=other["token"])
    assert hidden["data"]["node"]["payoutDestinations"] is None
    # Another user: the shop is public, so PERMISSION_DENIED; their own check won't do either.
    check = (await gql(money("CheckBankAccount"), {"bankCode": "bri", "accountNumber": "99887766"},
                       token=other["token"]))["data"]["checkBankAccount"]["check"]  # fmt: skip
    create = money("CreatePayoutDestination")
    denied = await gql(create, {"input": {"shopId": shop_id, "bankAccountCheckId": check["id"]}},
                       token=other["token"])  # fmt: skip
    assert codes(denied["data"]["createPayoutDestination"]) == [("shopId", "PERMISSION_DENIED")]
    theirs = await gql(create, {"input": {"shopId": shop_id, "bankAccountCheckId": check["id"]}},
                       token=token)  # fmt: skip
    assert codes(theirs["data"]["createPayoutDestination"]) == [("bankAccountCheckId", "NOT_FOUND")]
    neither = await gql(create, {"input": {"shopId": shop_id}}, token=token)
    assert codes(neither["data"]["createPayoutDestination"])[0][1] == "INVALID"
    # The same account twice: DUPLICATE; an expired check: INVALID_STATE.
    again = (await gql(money("CheckBankAccount"), {"bankCode": "bca", "accountNumber": "1234567801"},
                       token=token))["data"]["checkBankAccount"]["check"]  # fmt: skip
    twice = await gql(create, {"input": {"shopId": shop_id, "bankAccountCheckId": again["id"]}},
                      token=token)  # fmt: skip
    assert codes(twice["data"]["createPayoutDestination"])[0][1] == "DUPLICATE"
    await BankAccountCheck.filter(id=decode_id(again["id"], "BankAccountCheck")).update(
        expires_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    expired = await gql(create, {"input": {"shopId": shop_id, "bankAccountCheckId": again["id"]}},
                        token=token)  # fmt: skip
    assert codes(expired["data"]["createPayoutDestination"])[0][1] == "INVALID_STATE"
    # Deleting: another user NOT_FOUND; the owner's, then it is gone for new payouts.
    delete = money("DeletePayoutDestination")
    refused = await gql(delete, {"id": destination}, token=other["token"])
    assert codes(refused["data"]["deletePayoutDestination"]) == [("id", "NOT_FOUND")]
    assert (await gql(delete, {"id": destination}, token=token))["data"]["deletePayoutDestination"][
        "ok"
    ] is True
    gone = await request_payout(gql, token, shop_id, destination, 10000)
    assert codes(gone) == [("destinationId", "NOT_FOUND")]


async def test_savings_destinations_need_the_owners_active_membership(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    koperasi, _, _ = await savings_destination(gql, sale.seller, shop_id)
    create = money("CreatePayoutDestination")
    _, someone_else = await koperasi.member()
    refused = await gql(create, {"input": {"shopId": shop_id, "membershipId": someone_else}},
                        token=token)  # fmt: skip
    assert codes(refused["data"]["createPayoutDestination"]) == [("membershipId", "NOT_FOUND")]
    other_koperasi = await type(koperasi).new(gql)
    _, inactive = await other_koperasi.member(sale.seller)
    await Membership.filter(id=decode_id(inactive, "Membership")).update(
        status=MembershipStatus.ENDED
    )
    refused = await gql(create, {"input": {"shopId": shop_id, "membershipId": inactive}},
                        token=token)  # fmt: skip
    assert codes(refused["data"]["createPayoutDestination"]) == [("membershipId", "INVALID_STATE")]


async def test_bank_payout_outcomes(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    done = await request_payout(
        gql, token, shop_id, await bank_destination(gql, token, shop_id), 10000
    )
    assert done["errors"] == []
    assert done["payout"]["status"] == "COMPLETED"
    assert done["balance"]["available"]["amount"] == 20000
    failed = await request_payout(
        gql, token, shop_id, await bank_destination(gql, token, shop_id, "5555666605"), 10000
    )
    assert failed["errors"] == []
    assert failed["payout"]["status"] == "FAILED"
    assert failed["payout"]["failureReason"]
    assert failed["balance"]["available"]["amount"] == 20000
    pending = await request_payout(
        gql, token, shop_id, await bank_destination(gql, token, shop_id, "5555666603"), 10000
    )
    assert pending["payout"]["status"] == "PENDING"
    assert pending["balance"]["pendingPayouts"]["amount"] == 10000
    assert pending["balance"]["available"]["amount"] == 10000
    await assert_ledgers_balance()
    assert await recheck_pending_payouts(services_of()) >= 1
    one = await gql(money("Payout"), {"id": pending["payout"]["id"]}, token=token)
    assert one["data"]["node"]["status"] == "COMPLETED"
    assert (await gql(money("Payout"), {"id": pending["payout"]["id"]},
                      token=(await stranger(gql))["token"]))["data"]["node"] is None  # fmt: skip
    listed = await gql(money("SellerPayouts"), {"shopId": shop_id}, token=token)
    statuses = [e["node"]["status"] for e in listed["data"]["node"]["payouts"]["edges"]]
    assert statuses == ["COMPLETED", "FAILED", "COMPLETED"]
    failed_only = await gql(money("SellerPayouts"), {"shopId": shop_id, "status": "FAILED"},
                            token=token)  # fmt: skip
    assert failed_only["data"]["node"]["payouts"]["totalCount"] == 1
    statement = await gql(money("SellerStatement"), {"shopId": shop_id}, token=token)
    rows = [e["node"] for e in statement["data"]["node"]["balanceStatement"]["edges"]]
    assert [r["kind"] for r in rows] == ["PAYOUT", "PAYOUT_RETURNED", "PAYOUT", "PAYOUT", "SALE"]
    assert rows[0]["balanceAfter"]["amount"] == 10000
    await assert_ledgers_balance()


async def test_refusals_move_nothing(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(gql, token, shop_id)
    assert codes(await request_payout(gql, token, shop_id, destination, 9999)) == [
        ("amount", "INVALID")
    ]
    assert codes(await request_payout(gql, token, shop_id, destination, 30001)) == [
        ("amount", "INSUFFICIENT_BALANCE")
    ]
    other = await stranger(gql)
    assert codes(await request_payout(gql, other["token"], shop_id, destination, 10000)) == [
        ("shopId", "PERMISSION_DENIED")
    ]
    assert await available(gql, shop_id, token) == 30000
    await assert_ledgers_balance()


async def test_the_same_key_pays_once(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(gql, token, shop_id)
    key = str(uuid.uuid4())
    first = await request_payout(gql, token, shop_id, destination, 10000, key)
    again = await request_payout(gql, token, shop_id, destination, 10000, key)
    assert again["payout"]["id"] == first["payout"]["id"]
    assert await available(gql, shop_id, token) == 20000
    other_amount = await request_payout(gql, token, shop_id, destination, 12000, key)
    assert codes(other_amount) == [("idempotencyKey", "DUPLICATE")]


async def test_payout_into_sukarela_moves_both_books(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    koperasi, membership_id, destination = await savings_destination(gql, sale.seller, shop_id)
    paid = await request_payout(gql, token, shop_id, destination, 25000)
    assert paid["errors"] == []
    assert paid["payout"]["status"] == "COMPLETED"
    assert await sukarela(membership_id) == 25000
    clearing = await gql(money("CooperativePlatformClearing"), {"id": koperasi.id},
                         token=koperasi.pengurus["token"])  # fmt: skip
    side = clearing["data"]["node"]["platformClearing"]
    assert (side["owedToPlatform"]["amount"], side["owedByPlatform"]["amount"],
            side["net"]["amount"]) == (0, 25000, -25000)  # fmt: skip
    dashboard = await koperasi.dashboard(membership_id, token)
    kinds = [t["node"]["kind"] for t in dashboard["data"]["node"]["transactions"]["edges"]]
    assert "SELLER_PAYOUT" in kinds
    await assert_ledgers_balance()


async def test_the_daily_maximum(gql, client, live, tmp_path):
    async with limited_server(live, tmp_path, PAYOUT_DAILY_MAX_AMOUNT="15000") as (
        lgql,
        http,
        server,
    ):
        sale = await completed_sale(lgql, http, server)
        shop_id, token = sale.shop["id"], sale.seller["token"]
        destination = await bank_destination(lgql, token, shop_id)
        assert (await request_payout(lgql, token, shop_id, destination, 10000))["errors"] == []
        over = await request_payout(lgql, token, shop_id, destination, 10000)
        assert codes(over) == [("amount", "LIMIT_EXCEEDED")]
        found = await lgql(money("SellerBalance"), {"shopId": shop_id}, token=token)
        limits = found["data"]["node"]["balance"]["payoutLimits"]
        assert limits["remainingToday"]["amount"] == 5000
        assert limits["dailyMaximum"]["amount"] == 15000
    await assert_ledgers_balance()


async def test_a_signed_notification_settles_a_pending_payout_once(gql, client, live, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(gql, token, shop_id, "7777888803")
    pending = await request_payout(gql, token, shop_id, destination, 10000)
    payout = await Payout.get(id=decode_id(pending["payout"]["id"], "Payout"))
    body = json.dumps({"reference": payout.reference, "status": "FAILED",
                       "failureReason": "Rekening ditutup."}).encode()  # fmt: skip
    stamp = int(time.time())
    forged = {"X-Sandbox-Timestamp": str(stamp), "X-Sandbox-Signature": sign("salah", stamp, body)}
    assert (await client.post("/payouts/webhook", content=body, headers=forged)).status_code == 401
    # The payment webhook's secret is not the payout webhook's.
    payments = {"X-Sandbox-Timestamp": str(stamp),
                "X-Sandbox-Signature": sign(live.settings.payment_webhook_secret, stamp, body)}  # fmt: skip
    not_ours = await client.post("/payouts/webhook", content=body, headers=payments)
    assert not_ours.status_code == 401
    signed = {"X-Sandbox-Timestamp": str(stamp),
              "X-Sandbox-Signature": sign(live.settings.payout_webhook_secret, stamp, body)}  # fmt: skip
    changed = json.dumps({"reference": payout.reference, "status": "COMPLETED",
                          "amount": 99000}).encode()  # fmt: skip
    more = {"X-Sandbox-Timestamp": str(stamp),
            "X-Sandbox-Signature": sign(live.settings.payout_webhook_secret, stamp, changed)}  # fmt: skip
    refused = await client.post("/payouts/webhook", content=changed, headers=more)
    assert (refused.status_code, refused.json()) == (422, {"outcome": "AMOUNT_MISMATCH"})
    first = await client.post("/payouts/webhook", content=body, headers=signed)
    assert first.json() == {"outcome": "SETTLED"}
    again = await client.post("/payouts/webhook", content=body, headers=signed)
    assert again.json() == {"outcome": "UNCHANGED"}
    found = await gql(money("Payout"), {"id": pending["payout"]["id"]}, token=token)
    assert found["data"]["node"]["status"] == "FAILED"
    assert found["data"]["node"]["failureReason"] == "Rekening ditutup."
    assert await available(gql, shop_id, token) == 30000
    await assert_ledgers_balance()


async def test_a_statement_month_must_be_a_month(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    for period in ("2026-13", "Desember", "2026-1"):
        found = await gql(money("SellerStatement"), {"shopId": shop_id, "period": period},
                          token=token)  # fmt: skip
        assert found["errors"], period
    this_month = f"{today():%Y-%m}"
    found = await gql(money("SellerStatement"), {"shopId": shop_id, "period": this_month},
                      token=token)  # fmt: skip
    assert found["data"]["node"]["balanceStatement"]["totalCount"] == 1
    empty = await gql(money("SellerStatement"), {"shopId": shop_id, "period": "2001-01"},
                      token=token)  # fmt: skip
    assert empty["data"]["node"]["balanceStatement"]["totalCount"] == 0


class SilentProvider(SandboxPayouts):
    """The sandbox that does not answer until told to."""

    answering = False

    async def disburse(self, request: DisbursementRequest) -> Disbursement:
        raise PayoutsUnavailable("time-out")

    async def status(self, request: DisbursementRequest) -> Disbursement:
        if not self.answering:
            raise PayoutsUnavailable("time-out")
        return await super().status(request)


async def test_a_provider_that_does_not_answer_leaves_the_payout_pending(gql, sale):
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(gql, token, shop_id)
    seller = await User.get(id=decode_id(sale.seller["user"]["id"], "User"))
    provider = SilentProvider()
    services = replace(services_of(), payouts=provider)
    payout = await withdrawals.request_payout(
        seller, decode_id(shop_id, "Shop"), decode_id(destination, "PayoutDestination"),
        10000, str(uuid.uuid4()), services,
    )  # fmt: skip
    assert payout.status == "PENDING"
    await assert_ledgers_balance()
    assert await recheck_pending_payouts(services) == 0
    provider.answering = True
    assert await recheck_pending_payouts(services) >= 1
    assert (await Payout.get(id=payout.id)).status == "COMPLETED"
    await assert_ledgers_balance()
