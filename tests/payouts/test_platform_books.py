"""The platform's books through every kind of order movement: a payment by QRIS or from
SUKARELA, a cancellation's and a complaint's refund, completion (with and without the
platform fee), COD; the invariants after each, and who may read them."""

import httpx
import pytest

from models.cooperatives import Membership
from schema.platform.ids import decode_id, encode_id
from tests.conftest import GraphQL, LiveServer, city_admin, contract, make_settings
from tests.orders.complaint_helpers import op, open_complaint, respond, shipped_sale
from tests.orders.helpers import add_to_cart, checkout, notify, payment_of, seller_with_products
from tests.payouts.helpers import (
    account_balances,
    assert_ledgers_balance,
    available,
    balance,
    completed_sale,
    money,
    platform_books,
    stranger,
)

DANA, SALDO, KAS = "Dana Titipan Pembeli", "Saldo Penjual", "Kas dan Bank"
PIUTANG, UTANG, KOMISI = "Piutang Koperasi", "Utang kepada Koperasi", "Pendapatan Komisi"


@pytest.fixture
async def admin(gql):
    return await city_admin(gql)


async def figures(gql, admin) -> dict[str, int]:
    return account_balances(await platform_books(gql, admin["token"]))


def delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in after if after[name] != before[name]}


async def test_the_chart_names_every_account_and_balances(gql, admin):
    books = await platform_books(gql, admin["token"])
    names = {a["name"]: a["kind"] for a in books["accounts"]}
    assert names == {KAS: "ASSET", PIUTANG: "ASSET", DANA: "LIABILITY", SALDO: "LIABILITY",
                     "Payout dalam Proses": "LIABILITY", UTANG: "LIABILITY", KOMISI: "INCOME"}  # fmt: skip
    assert books["balanced"] is True
    assert books["totalDebit"] == books["totalCredit"]


async def test_only_the_dinas_reads_the_platform_books(gql):
    for token in (None, (await stranger(gql))["token"]):
        result = await gql(money("PlatformBooks"), token=token)
        assert result["data"] is None or result["data"]["platformBooks"] is None
        assert result["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")


async def test_a_qris_sale_is_held_for_the_buyer_then_the_sellers(gql, client, live, admin):
    before = await figures(gql, admin)
    sale = await shipped_sale(gql, client, live, method="QRIS", delivered=True)
    assert delta(await figures(gql, admin), before) == {KAS: 30000, DANA: 30000}
    held = await balance(gql, sale.shop["id"], sale.seller["token"])
    assert held["held"]["amount"] == 30000
    assert held["available"]["amount"] == 0
    releases = held["releases"]["edges"]
    assert [(r["node"]["order"]["id"], r["node"]["amount"]["amount"]) for r in releases] == [
        (sale.order_id, 30000)
    ]
    await assert_ledgers_balance()
    confirmed = await gql(op("ConfirmReceipt"), {"id": sale.order_id}, token=sale.buyer["token"])
    assert confirmed["data"]["confirmReceipt"]["errors"] == []
    assert delta(await figures(gql, admin), before) == {KAS: 30000, SALDO: 30000}
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 30000
    await assert_ledgers_balance()


async def test_the_balance_is_the_owners_only(gql, client, live):
    sale = await completed_sale(gql, client, live)
    for token in (None, sale.buyer["token"], (await city_admin(gql))["token"]):
        assert await balance(gql, sale.shop["id"], token) is None


async def test_a_cancelled_paid_order_goes_back_through_the_books(gql, client, live, admin):
    _, _, (product,) = await seller_with_products(gql, price=20000, stock=5)
    buyer = await stranger(gql)
    assert (await add_to_cart(gql, buyer["token"], product["id"]))["errors"] == []
    before = await figures(gql, admin)
    order = (await checkout(gql, buyer["token"], method="QRIS"))["orders"][0]
    payment = await payment_of(order)
    body = {"id": f"n-{payment.reference}", "reference": payment.reference,
            "amount": payment.amount, "status": "PAID"}  # fmt: skip
    assert (await notify(client, live, body)).status_code == 200
    cancelled = await gql(contract("CancelOrder"), {"id": order["id"]}, token=buyer["token"])
    assert cancelled["data"]["cancelOrder"]["errors"] == [], cancelled
    assert delta(await figures(gql, admin), before) == {}
    await assert_ledgers_balance()


async def test_a_complaint_refund_leaves_the_rest_to_the_seller(gql, client, live, admin):
    before = await figures(gql, admin)
    sale = await shipped_sale(gql, client, live, method="QRIS", delivered=True)
    complaint = await open_complaint(gql, sale)
    answered = await respond(gql, sale.seller["token"], complaint["complaint"]["id"],
                             response="REFUND", refundAmount=12000)  # fmt: skip
    assert answered["errors"] == [], answered
    assert delta(await figures(gql, admin), before) == {KAS: 18000, SALDO: 18000}
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 18000
    await assert_ledgers_balance()


async def test_cod_never_reaches_the_books(gql, client, live, admin):
    before = await figures(gql, admin)
    sale = await completed_sale(gql, client, live, method="COD")
    assert delta(await figures(gql, admin), before) == {}
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 0
    await assert_ledgers_balance()


async def test_savings_purchase_and_refund_mirror_in_both_books(gql, client, live, admin):
    before = await figures(gql, admin)
    sale = await shipped_sale(gql, client, live, method="COOPERATIVE_BALANCE", delivered=True)
    assert delta(await figures(gql, admin), before) == {PIUTANG: 30000, DANA: 30000}
    complaint = await open_complaint(gql, sale)
    answered = await respond(gql, sale.seller["token"], complaint["complaint"]["id"],
                             response="REFUND", refundAmount=30000)  # fmt: skip
    assert answered["errors"] == [], answered
    assert delta(await figures(gql, admin), before) == {}
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 0
    await assert_ledgers_balance()


async def test_the_platform_fee_is_income(gql, live, tmp_path):
    settings = make_settings(live.settings.database_url, tmp_path / "media", PLATFORM_FEE_BPS="250")
    async with (
        LiveServer(settings, lifespan="off") as fee_server,
        httpx.AsyncClient(base_url=fee_server.url, timeout=30) as http,
    ):
        fgql = GraphQL(http)
        admin = await city_admin(fgql)
        before = await figures(fgql, admin)
        sale = await completed_sale(fgql, http, fee_server)
        # 2.5% of Rp30.000 is Rp750.
        assert delta(await figures(fgql, admin), before) == {
                KAS: 30000, SALDO: 29250, KOMISI: 750,
            }  # fmt: skip
        statement = await fgql(
            money("SellerStatement"), {"shopId": sale.shop["id"]}, token=sale.seller["token"]
        )
        rows = [e["node"] for e in statement["data"]["node"]["balanceStatement"]["edges"]]
        assert [(r["kind"], r["amount"]["amount"], r["balanceAfter"]["amount"]) for r in rows] == [
                ("PLATFORM_FEE", -750, 29250), ("SALE", 30000, 30000),
            ]  # fmt: skip
    await assert_ledgers_balance()


async def test_cooperative_books_show_the_clearing_accounts(gql, client, live):
    sale = await shipped_sale(gql, client, live, method="COOPERATIVE_BALANCE")
    membership = await Membership.get(id=decode_id(sale.membership_id, "Membership"))
    coop_id = encode_id("Cooperative", membership.cooperative_id)
    admin = await city_admin(gql)
    books = await gql(money("CooperativeBooks"), {"id": coop_id}, token=admin["token"])
    assert "errors" not in books, books
    accounts = {
        a["name"]: a["balance"]["amount"] for a in books["data"]["node"]["books"]["accounts"]
    }
    assert accounts["Utang kepada Platform"] == 30000
    assert accounts["Piutang dari Platform"] == 0
