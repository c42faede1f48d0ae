"""Complaints (komplain) through real HTTP, from every side: the buyer opens one about a
shipped order, the seller refunds, asks the goods back or rejects, the buyer escalates, a
marketplace admin decides; each step once, money back the way it came, the books balanced."""

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from models.cooperatives.books import EntryKind, JournalEntry
from models.orders.complaint import Complaint
from models.orders.order import Order
from models.platform.accounts import User
from resolvers.providers.sandbox_payments import SandboxProvider
from schema.platform.ids import decode_id
from tests.catalog.helpers import picture, upload
from tests.conftest import contract, sign_up
from tests.cooperatives.helpers import sukarela
from tests.orders.complaint_helpers import (
    codes,
    onlookers,
    op,
    open_complaint,
    order_details,
    respond,
    shipped_sale,
)
from tests.orders.helpers import (
    move,
    seller_with_products,
    stock_of,
    subscribe,
    wait_for_subscriber,
)

pytestmark = pytest.mark.usefixtures("books_balance")


async def _past_respond_by(complaint_id: str) -> None:
    await Complaint.filter(id=decode_id(complaint_id, "Complaint")).update(
        respond_by=datetime.now(UTC) - timedelta(seconds=1)
    )


async def test_a_refund_from_savings_goes_back_to_the_same_sukarela_and_completes(gql):
    sale = await shipped_sale(gql, method="COOPERATIVE_BALANCE")
    assert await sukarela(sale.membership_id) == 70000
    opened = await open_complaint(gql, sale)
    assert opened["errors"] == []
    complaint = opened["complaint"]
    assert (complaint["status"], complaint["reason"]) == ("OPEN", "DAMAGED")
    assert complaint["order"] == {"id": sale.order_id, "status": "SHIPPED"}
    respond_by = datetime.fromisoformat(complaint["respondBy"])
    created = datetime.fromisoformat(complaint["createdAt"])
    assert respond_by - created == timedelta(days=2)  # COMPLAINT_RESPONSE_DAYS

    too_much = await respond(gql, sale.seller["token"], complaint["id"], response="REFUND",
                             refundAmount=30001)  # fmt: skip
    assert codes(too_much) == [("refundAmount", "INVALID")]
    none = await respond(gql, sale.seller["token"], complaint["id"], response="REFUND",
                         refundAmount=0)  # fmt: skip
    assert codes(none) == [("refundAmount", "INVALID")]
    answered = await respond(gql, sale.seller["token"], complaint["id"], response="REFUND",
                             refundAmount=12000, reason="Maaf, kami ganti sebagian.")  # fmt: skip
    assert answered["errors"] == []
    assert answered["complaint"] == {
        "id": complaint["id"], "status": "REFUNDED", "response": "REFUND",
        "responseReason": "Maaf, kami ganti sebagian.",
        "agreedRefund": {"amount": 12000, "formatted": "Rp12.000"},
        "refundedAmount": {"amount": 12000, "formatted": "Rp12.000"},
        "order": {"id": sale.order_id, "status": "COMPLETED", "payment": {
            "status": "PAID", "amount": {"amount": 30000}, "refundedAmount": {"amount": 12000}}},
    }  # fmt: skip
    assert await sukarela(sale.membership_id) == 82000
    refunds = await JournalEntry.filter(
        order_id=decode_id(sale.order_id, "Order"), kind=EntryKind.REFUND
    )
    assert len(refunds) == 1
    again = await respond(gql, sale.seller["token"], complaint["id"], response="REFUND",
                          refundAmount=1000)  # fmt: skip
    assert codes(again) == [("id", "INVALID_STATE")]
    assert await sukarela(sale.membership_id) == 82000


async def test_every_side_of_opening_and_answering(gql):
    sale = await shipped_sale(gql)
    who = await onlookers(gql)
    input_ = {"orderId": sale.order_id, "reason": "WRONG_ITEM", "text": "Warnanya lain sekali."}
    for token, code in ((who.other_buyer["token"], "NOT_FOUND"),
                        (who.other_seller["token"], "NOT_FOUND"),
                        (who.admin["token"], "NOT_FOUND"),
                        (sale.seller["token"], "PERMISSION_DENIED"),
                        (None, "UNAUTHENTICATED")):  # fmt: skip
        refused = await gql(op("OpenComplaint"), {"input": input_}, token=token)
        assert codes(refused["data"]["openComplaint"]) == [
            ("orderId" if code != "UNAUTHENTICATED" else None, code)
        ], token
    short = await open_complaint(gql, sale, text="Rusak.")
    assert codes(short) == [("text", "INVALID")]
    long = await open_complaint(gql, sale, text="x" * 2001)
    assert codes(long) == [("text", "INVALID")]
    assert await Complaint.filter(order_id=decode_id(sale.order_id, "Order")).count() == 0
    # Before the complaint, only the buyer and the seller see the order.
    assert await order_details(gql, sale.order_id, who.admin["token"]) is None
    complaint = (await open_complaint(gql, sale))["complaint"]
    assert codes(await open_complaint(gql, sale)) == [("orderId", "DUPLICATE")]

    for token in (sale.buyer["token"], sale.seller["token"], who.admin["token"]):
        seen = await order_details(gql, sale.order_id, token)
        assert seen["complaint"]["id"] == complaint["id"], token
        assert seen["autoCompleteAt"] is None  # a complaint is open
    for token in (who.other_buyer["token"], who.other_seller["token"], None):
        assert await order_details(gql, sale.order_id, token) is None
        seen = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": complaint["id"]},
                         token=token)  # fmt: skip
        assert seen["data"]["node"] is None

    answer = {"response": "REFUND", "refundAmount": 1000}
    for token, code in ((sale.buyer["token"], "PERMISSION_DENIED"),
                        (who.admin["token"], "PERMISSION_DENIED"),
                        (who.other_buyer["token"], "NOT_FOUND"),
                        (who.other_seller["token"], "NOT_FOUND")):  # fmt: skip
        assert codes(await respond(gql, token, complaint["id"], **answer)) == [("id", code)]
    # COD not yet delivered: nothing was paid, so nothing can go back.
    assert codes(await respond(gql, sale.seller["token"], complaint["id"], **answer)) == [
        ("refundAmount", "INVALID")
    ]
    no_reason = await respond(gql, sale.seller["token"], complaint["id"], response="REJECT")
    assert codes(no_reason) == [("reason", "REQUIRED")]


async def test_complaints_only_about_shipped_or_delivered_orders(gql):
    sale = await shipped_sale(gql, delivered=True)
    await Order.filter(id=decode_id(sale.order_id, "Order")).update(status="PROCESSING")
    assert codes(await open_complaint(gql, sale)) == [("orderId", "INVALID_STATE")]
    await Order.filter(id=decode_id(sale.order_id, "Order")).update(status="DELIVERED")
    assert (await open_complaint(gql, sale))["errors"] == []


async def test_return_then_refund_by_bank_transfer_through_the_provider(
    gql, client, live, monkeypatch
):
    refunded: list[tuple[str, int]] = []

    async def spy(self, reference: str, amount: int) -> None:
        refunded.append((reference, amount))

    monkeypatch.setattr(SandboxProvider, "refund", spy)
    sale = await shipped_sale(gql, client, live, method="BANK_TRANSFER", delivered=True)
    assert await stock_of(sale.product["id"]) == (8, 2)
    complaint = (await open_complaint(gql, sale, reason="NOT_AS_DESCRIBED"))["complaint"]
    asked = await respond(gql, sale.seller["token"], complaint["id"], response="RETURN",
                          refundAmount=30000)  # fmt: skip
    assert asked["errors"] == []
    assert (asked["complaint"]["status"], asked["complaint"]["agreedRefund"]["amount"]) == (
        "RETURN_REQUESTED",
        30000,
    )
    assert refunded == []
    ship = op("ShipComplaintReturn")
    for token, code in ((sale.seller["token"], "PERMISSION_DENIED"),
                        (sale.buyer["token"], "REQUIRED")):  # fmt: skip
        tried = await gql(ship, {"id": complaint["id"], "trackingNumber": " "}, token=token)
        assert codes(tried["data"]["shipComplaintReturn"])[0][1] == code
    receive = op("ReceiveComplaintReturn")
    early = await gql(receive, {"id": complaint["id"]}, token=sale.seller["token"])
    assert codes(early["data"]["receiveComplaintReturn"]) == [("id", "INVALID_STATE")]
    shipped = await gql(ship, {"id": complaint["id"], "trackingNumber": "JNE-BALIK-1"},
                        token=sale.buyer["token"])  # fmt: skip
    assert shipped["data"]["shipComplaintReturn"] == {"complaint": {
        "id": complaint["id"], "status": "RETURN_SHIPPED", "returnTrackingNumber": "JNE-BALIK-1"},
        "errors": []}  # fmt: skip
    by_buyer = await gql(receive, {"id": complaint["id"]}, token=sale.buyer["token"])
    assert codes(by_buyer["data"]["receiveComplaintReturn"]) == [("id", "PERMISSION_DENIED")]
    received = await gql(receive, {"id": complaint["id"]}, token=sale.seller["token"])
    assert received["data"]["receiveComplaintReturn"] == {"complaint": {
        "id": complaint["id"], "status": "REFUNDED",
        "refundedAmount": {"amount": 30000, "formatted": "Rp30.000"}}, "errors": []}  # fmt: skip
    reference = (await Order.get(id=decode_id(sale.order_id, "Order")).prefetch_related(
        "payment"))  # fmt: skip
    assert refunded == [(reference.payment.reference, 30000)]
    assert await stock_of(sale.product["id"]) == (10, 0)
    details = await order_details(gql, sale.order_id, sale.buyer["token"])
    assert details["status"] == "COMPLETED"
    assert details["payment"]["status"] == "REFUNDED"
    assert details["payment"]["refundedAmount"]["amount"] == 30000
    twice = await gql(receive, {"id": complaint["id"]}, token=sale.seller["token"])
    assert codes(twice["data"]["receiveComplaintReturn"]) == [("id", "INVALID_STATE")]
    assert len(refunded) == 1
    assert await stock_of(sale.product["id"]) == (10, 0)


async def test_rejected_escalated_and_decided_once_by_a_marketplace_admin(gql):
    sale = await shipped_sale(gql, method="COOPERATIVE_BALANCE", delivered=True)
    who = await onlookers(gql)
    complaint = (await open_complaint(gql, sale))["complaint"]
    escalate = op("EscalateComplaint")
    early = await gql(escalate, {"id": complaint["id"], "note": "Tidak dijawab"},
                      token=sale.buyer["token"])  # fmt: skip
    assert codes(early["data"]["escalateComplaint"]) == [("id", "INVALID_STATE")]
    rejected = await respond(gql, sale.seller["token"], complaint["id"], response="REJECT",
                             reason="Barang dikirim dalam keadaan baik.")  # fmt: skip
    assert rejected["complaint"]["status"] == "REJECTED"
    details = await order_details(gql, sale.order_id, sale.buyer["token"])
    due = datetime.fromisoformat(details["autoCompleteAt"])
    assert due >= datetime.now(UTC) + timedelta(days=2) - timedelta(minutes=1)

    for token, code in ((sale.seller["token"], "PERMISSION_DENIED"),
                        (who.other_buyer["token"], "NOT_FOUND"),
                        (sale.buyer["token"], "REQUIRED")):  # fmt: skip
        tried = await gql(escalate, {"id": complaint["id"], "note": ""}, token=token)
        assert codes(tried["data"]["escalateComplaint"])[0][1] == code
    escalated = await gql(escalate, {"id": complaint["id"], "note": "Isinya pecah, ada foto."},
                          token=sale.buyer["token"])  # fmt: skip
    assert escalated["data"]["escalateComplaint"]["complaint"]["status"] == "ESCALATED"
    assert (await order_details(gql, sale.order_id, sale.buyer["token"]))["autoCompleteAt"] is None

    moderation = op("MarketplaceModeration")
    for token in (sale.buyer["token"], sale.seller["token"], who.other_buyer["token"], None):
        seen = await gql(moderation, {}, token=token)
        assert seen["data"] == {"complaints": None, "reportedReviews": None}
        assert {e["extensions"]["code"] for e in seen["errors"]} == {"FORBIDDEN"}
    listed = await gql(moderation, {}, token=who.admin["token"])
    assert "errors" not in listed, listed
    node = next(e["node"] for e in listed["data"]["complaints"]["edges"]
                if e["node"]["id"] == complaint["id"])  # fmt: skip
    assert [h["status"] for h in node["history"]] == ["OPEN", "REJECTED", "ESCALATED"]
    assert node["responseReason"] == "Barang dikirim dalam keadaan baik."
    assert listed["data"]["reportedReviews"] == {"totalCount": 0, "edges": []}

    decide = op("DecideComplaint")
    decision = {"id": complaint["id"], "refundAmount": 30000, "note": "Foto membuktikan."}
    for token, code in ((sale.buyer["token"], "PERMISSION_DENIED"),
                        (sale.seller["token"], "PERMISSION_DENIED"),
                        (who.other_buyer["token"], "NOT_FOUND")):  # fmt: skip
        tried = await gql(decide, decision, token=token)
        assert codes(tried["data"]["decideComplaint"]) == [("id", code)]
    over = await gql(decide, {**decision, "refundAmount": 30001}, token=who.admin["token"])
    assert codes(over["data"]["decideComplaint"]) == [("refundAmount", "INVALID")]
    decided = await gql(decide, decision, token=who.admin["token"])
    assert decided["data"]["decideComplaint"] == {"complaint": {
        "id": complaint["id"], "status": "REFUNDED", "decisionNote": "Foto membuktikan.",
        "refundedAmount": {"amount": 30000, "formatted": "Rp30.000"},
        "order": {"id": sale.order_id, "status": "COMPLETED",
                  "payment": {"status": "REFUNDED", "refundedAmount": {"amount": 30000}}}},
        "errors": []}  # fmt: skip
    assert await sukarela(sale.membership_id) == 100000
    again = await gql(decide, {**decision, "refundAmount": 0}, token=who.admin["token"])
    assert codes(again["data"]["decideComplaint"]) == [("id", "INVALID_STATE")]


async def test_an_unanswered_complaint_escalates_and_a_decision_of_nothing_closes_it(gql):
    sale = await shipped_sale(gql)
    admin = await sign_up(gql, "Admin Marketplace")
    await User.filter(email=admin["user"]["email"]).update(is_marketplace_admin=True)
    complaint = (await open_complaint(gql, sale, reason="NOT_RECEIVED"))["complaint"]
    await _past_respond_by(complaint["id"])
    escalated = await gql(op("EscalateComplaint"), {"id": complaint["id"], "note": "Diam saja"},
                          token=sale.buyer["token"])  # fmt: skip
    assert escalated["data"]["escalateComplaint"]["complaint"]["status"] == "ESCALATED"
    late = await respond(gql, sale.seller["token"], complaint["id"], response="REJECT",
                         reason="Terlambat")  # fmt: skip
    assert codes(late) == [("id", "INVALID_STATE")]
    closed = await gql(op("DecideComplaint"),
                       {"id": complaint["id"], "refundAmount": 0, "note": "Resi valid."},
                       token=admin["token"])  # fmt: skip
    assert closed["data"]["decideComplaint"]["complaint"]["status"] == "CLOSED"
    assert closed["data"]["decideComplaint"]["complaint"]["order"]["status"] == "COMPLETED"
    roles = await gql("{ me { roles } }", token=admin["token"])
    assert roles["data"]["me"]["roles"] == ["BUYER", "MARKETPLACE_ADMIN"]


async def test_the_buyer_confirms_receipt_and_nobody_else(gql):
    sale = await shipped_sale(gql)
    who = await onlookers(gql)
    confirm = op("ConfirmReceipt")
    shipped = await gql(confirm, {"id": sale.order_id}, token=sale.buyer["token"])
    assert codes(shipped["data"]["confirmReceipt"]) == [("status", "INVALID_STATE")]
    await move(gql, sale.seller["token"], sale.order_id, "DELIVERED")
    for token, code in ((sale.seller["token"], "PERMISSION_DENIED"),
                        (who.other_buyer["token"], "NOT_FOUND"),
                        (who.admin["token"], "NOT_FOUND")):  # fmt: skip
        tried = await gql(confirm, {"id": sale.order_id}, token=token)
        assert codes(tried["data"]["confirmReceipt"]) == [("id", code)]
    details = await order_details(gql, sale.order_id, sale.buyer["token"])
    delivered = datetime.fromisoformat(details["deliveredAt"])
    assert datetime.fromisoformat(details["autoCompleteAt"]) - delivered == timedelta(days=3)
    assert (details["voucherCode"], details["shipping"]) == (None, None)
    assert (details["subtotal"], details["shippingFee"], details["discount"]) == (
        {"amount": 30000, "formatted": "Rp30.000"}, {"amount": 0, "formatted": "Rp0"},
        {"amount": 0, "formatted": "Rp0"},
    )  # fmt: skip
    (line,) = details["lines"]
    assert (line["sku"], line["variantName"], line["review"]) == (None, None, None)
    assert line["product"]["id"] == sale.product["id"]
    complaint = (await open_complaint(gql, sale))["complaint"]
    blocked = await gql(confirm, {"id": sale.order_id}, token=sale.buyer["token"])
    assert codes(blocked["data"]["confirmReceipt"]) == [("status", "INVALID_STATE")]
    early = await move(gql, sale.seller["token"], sale.order_id, "COMPLETED")
    assert codes(early) == [("status", "INVALID_STATE")]
    await respond(gql, sale.seller["token"], complaint["id"], response="REJECT",
                  reason="Sudah sesuai pesanan.")  # fmt: skip
    done = await gql(confirm, {"id": sale.order_id}, token=sale.buyer["token"])
    assert done["data"]["confirmReceipt"]["errors"] == []
    assert done["data"]["confirmReceipt"]["order"]["status"] == "COMPLETED"
    assert done["data"]["confirmReceipt"]["order"]["autoCompleteAt"] is None
    after = await order_details(gql, sale.order_id, sale.buyer["token"])
    assert after["complaint"]["status"] == "CLOSED"  # a rejected complaint closes with it


async def test_the_sweep_completes_due_orders_without_an_open_complaint(gql, live):
    from resolvers.orders import complete_due_orders

    services = live.server.config.app.state.services
    plain, complained = [await shipped_sale(gql, delivered=True) for _ in range(2)]
    await open_complaint(gql, complained)
    later = datetime.now(UTC) + timedelta(days=3, minutes=1)
    await complete_due_orders(services, datetime.now(UTC))
    assert (await order_details(gql, plain.order_id, plain.buyer["token"]))["status"] == (
        "DELIVERED"
    )
    assert await complete_due_orders(services, later) >= 1
    statuses = {
        sale.order_id: (await order_details(gql, sale.order_id, sale.buyer["token"]))["status"]
        for sale in (plain, complained)
    }
    assert statuses == {plain.order_id: "COMPLETED", complained.order_id: "DELIVERED"}
    history = (await order_details(gql, plain.order_id, plain.buyer["token"]))["statusHistory"]
    assert history[-1]["reason"] == "Selesai otomatis"


async def test_photos_are_the_buyers_at_most_five_and_seen_by_the_complaints_readers(gql, client):
    sale = await shipped_sale(gql)
    who = await onlookers(gql)
    complaint = (await open_complaint(gql, sale))["complaint"]
    document = op("UploadComplaintPhoto")
    variables = {"complaintId": complaint["id"]}
    for token, code in ((sale.seller["token"], "PERMISSION_DENIED"),
                        (who.other_buyer["token"], "NOT_FOUND")):  # fmt: skip
        done = await upload(client, token, document, variables, "a.png", picture("PNG"))
        assert codes(done["data"]["uploadComplaintPhoto"]) == [("complaintId", code)]
    photos = []
    for i in range(5):
        done = await upload(client, sale.buyer["token"], document, variables, "a.png",
                            picture("PNG", size=(400 + i, 300)))  # fmt: skip
        assert done["data"]["uploadComplaintPhoto"]["errors"] == [], done
        photos.append(done["data"]["uploadComplaintPhoto"]["image"]["id"])
    sixth = await upload(client, sale.buyer["token"], document, variables, "a.png",
                         picture("PNG"))  # fmt: skip
    assert codes(sixth["data"]["uploadComplaintPhoto"]) == [("file", "LIMIT_EXCEEDED")]
    query = "query($id: ID!) { node(id: $id) { id } }"
    for token, seen in ((sale.buyer["token"], True), (sale.seller["token"], True),
                        (who.admin["token"], True), (who.other_buyer["token"], False),
                        (who.other_seller["token"], False), (None, False)):  # fmt: skip
        found = await gql(query, {"id": photos[0]}, token=token)
        assert (found["data"]["node"] is not None) is seen, token
    listed = await gql(op("SellerComplaints"), {"shopId": sale.shop["id"]},
                       token=sale.seller["token"])  # fmt: skip
    (edge,) = listed["data"]["node"]["complaints"]["edges"]
    assert [p["id"] for p in edge["node"]["photos"]] == photos
    assert edge["node"]["order"]["lines"] == [
        {"productName": sale.product["name"], "variantName": None, "quantity": 2}
    ]
    for token in (sale.buyer["token"], who.other_seller["token"]):
        hidden = await gql(op("SellerComplaints"), {"shopId": sale.shop["id"]}, token=token)
        assert hidden["data"]["node"]["complaints"] is None


async def test_the_shop_owner_hears_of_every_step(gql, live):
    sale = await shipped_sale(gql, delivered=True)
    socket = await subscribe(live, sale.seller["token"], sale.shop["id"])
    try:
        await wait_for_subscriber(live.server.config.app.state.services.events, sale.shop["id"])
        complaint = (await open_complaint(gql, sale))["complaint"]
        await respond(gql, sale.seller["token"], complaint["id"], response="REJECT",
                      reason="Sudah sesuai.")  # fmt: skip
        seen = []
        for _ in range(2):
            message = json.loads(await asyncio.wait_for(socket.recv(), 2))
            seen.append(message["payload"]["data"]["orderEvents"]["type"])
        assert seen == ["COMPLAINT_CHANGED", "COMPLAINT_CHANGED"]
    finally:
        await socket.close()


async def _refunds_of(sale) -> int:
    return await JournalEntry.filter(
        order_id=decode_id(sale.order_id, "Order"), kind=EntryKind.REFUND
    ).count()


async def test_racing_answers_refund_at_most_once(gql):
    sale = await shipped_sale(gql, method="COOPERATIVE_BALANCE")
    complaint = (await open_complaint(gql, sale))["complaint"]
    answers = [
        respond(gql, sale.seller["token"], complaint["id"], response="REFUND",
                refundAmount=10000 + i)
        for i in range(8)
    ] + [
        respond(gql, sale.seller["token"], complaint["id"], response="REJECT", reason="Tidak")
        for _ in range(2)
    ]  # fmt: skip
    results = await asyncio.gather(*answers)
    won = [r for r in results if r["errors"] == []]
    assert len(won) == 1
    assert all(codes(r) == [("id", "INVALID_STATE")] for r in results if r["errors"])
    status = won[0]["complaint"]["status"]
    amount = won[0]["complaint"]["refundedAmount"]["amount"]
    assert (status == "REFUNDED") is (amount > 0)
    assert await sukarela(sale.membership_id) == 70000 + amount
    assert await _refunds_of(sale) == (1 if amount else 0)


async def test_racing_decisions_and_receipts_refund_at_most_once(gql):
    sale = await shipped_sale(gql, method="COOPERATIVE_BALANCE", delivered=True)
    admins = [(await onlookers(gql)).admin["token"] for _ in range(2)]
    complaint = (await open_complaint(gql, sale))["complaint"]
    await _past_respond_by(complaint["id"])
    await gql(op("EscalateComplaint"), {"id": complaint["id"], "note": "Tolong"},
              token=sale.buyer["token"])  # fmt: skip
    decide = op("DecideComplaint")
    results = await asyncio.gather(*(
        gql(decide, {"id": complaint["id"], "refundAmount": 20000 + i, "note": "Putusan"},
            token=admins[i % 2])
        for i in range(10)
    ))  # fmt: skip
    payloads = [r["data"]["decideComplaint"] for r in results]
    won = [p for p in payloads if p["errors"] == []]
    assert len(won) == 1
    amount = won[0]["complaint"]["refundedAmount"]["amount"]
    assert await sukarela(sale.membership_id) == 70000 + amount
    assert await _refunds_of(sale) == 1

    other = await shipped_sale(gql, method="COOPERATIVE_BALANCE", delivered=True)
    complaint = (await open_complaint(gql, other))["complaint"]
    await respond(gql, other.seller["token"], complaint["id"], response="RETURN",
                  refundAmount=30000)  # fmt: skip
    await gql(op("ShipComplaintReturn"), {"id": complaint["id"], "trackingNumber": "J-1"},
              token=other.buyer["token"])  # fmt: skip
    receive = op("ReceiveComplaintReturn")
    results = await asyncio.gather(*(
        gql(receive, {"id": complaint["id"]}, token=other.seller["token"]) for _ in range(10)
    ))  # fmt: skip
    assert sum(r["data"]["receiveComplaintReturn"]["errors"] == [] for r in results) == 1
    assert await stock_of(other.product["id"]) == (10, 0)
    assert await sukarela(other.membership_id) == 100000
    assert await _refunds_of(other) == 1


async def test_a_complaint_racing_the_completion_leaves_one_of_them(gql):
    for _ in range(3):
        sale = await shipped_sale(gql, delivered=True)
        complained, confirmed = await asyncio.gather(
            open_complaint(gql, sale),
            gql(op("ConfirmReceipt"), {"id": sale.order_id}, token=sale.buyer["token"]),
        )
        opened = complained["errors"] == []
        completed = confirmed["data"]["confirmReceipt"]["errors"] == []
        assert opened != completed
        details = await order_details(gql, sale.order_id, sale.buyer["token"])
        assert details["status"] == ("DELIVERED" if opened else "COMPLETED")
        assert (details["complaint"] is not None) is opened


async def test_create_admin_makes_a_marketplace_admin_who_is_not_the_dinas(gql):
    from demo.seed import create_admin

    email = f"m{uuid.uuid4().hex[:10]}@contoh.id"
    assert (
        await create_admin(email, "rahasia123", "Admin Pasar", "MARKETPLACE_ADMIN")
    ).errors == []
    login = await gql(contract("Login"), {"email": email, "password": "rahasia123"})
    token = login["data"]["login"]["token"]
    listed = await gql(op("MarketplaceModeration"), {}, token=token)
    assert "errors" not in listed, listed
    _, shop, _ = await seller_with_products(gql)
    verify = await gql(contract("VerifyShop"), {"id": shop["id"]}, token=token)
    assert codes(verify["data"]["verifyShop"])[0][1] == "PERMISSION_DENIED"


async def test_an_order_line_is_read_by_whoever_may_read_its_order(gql):
    sale = await shipped_sale(gql)
    who = await onlookers(gql)
    (line,) = (await order_details(gql, sale.order_id, sale.buyer["token"]))["lines"]
    document = op("OrderLineDetails")

    async def seen(token):
        result = await gql(document, {"id": line["id"]}, token=token)
        assert "errors" not in result, result
        return result["data"]["node"]

    expected = {
        "id": line["id"], "sku": None, "variantName": None, "productName": "Produk 0",
        "quantity": 2, "unitPrice": {"amount": 15000, "formatted": "Rp15.000"},
        "subtotal": {"amount": 30000, "formatted": "Rp30.000"},
        "product": {"id": sale.product["id"], "slug": sale.product["slug"], "name": "Produk 0"},
        "review": None, "order": {"id": sale.order_id, "number": sale.order["number"],
                                  "status": "SHIPPED"},
    }  # fmt: skip
    assert await seen(sale.buyer["token"]) == expected
    assert await seen(sale.seller["token"]) == expected
    for token in (who.admin["token"], who.other_buyer["token"], who.other_seller["token"], None):
        assert await seen(token) is None
    await open_complaint(gql, sale)
    assert await seen(who.admin["token"]) == expected  # a marketplace admin, once complained
    assert await seen(who.other_buyer["token"]) is None
