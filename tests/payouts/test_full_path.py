"""The whole path in one test: a buyer pays by (sandbox) QRIS, the seller ships, the buyer
confirms, the seller withdraws to a bank account and to SUKARELA, downloads the month's
statement, and every ledger balances; and the same path with the real adapters
(PAYMENT_PROVIDER=midtrans, PAYOUTS=flip) against the local fakes of Midtrans and Flip."""

import io
from urllib.parse import urlsplit

import httpx
from openpyxl import load_workbook

from fakes import flip as fake_flip
from fakes import midtrans as fake_midtrans
from models.payouts import Payout
from resolvers.platform import today
from resolvers.providers import MidtransPayments
from resolvers.providers.payouts import FlipPayouts
from schema.platform.ids import decode_id
from tests.conftest import city_admin, sign_up
from tests.cooperatives.helpers import sukarela
from tests.orders.complaint_helpers import op
from tests.orders.helpers import add_to_cart, checkout, move, payment_of, seller_with_products
from tests.payouts.helpers import (
    assert_ledgers_balance,
    available,
    bank_destination,
    completed_sale,
    money,
    platform_books,
    request_payout,
    savings_destination,
)
from tests.providers.loopback import api_with


async def test_paid_shipped_confirmed_and_paid_out(gql, client, live):
    sale = await completed_sale(gql, client, live, method="QRIS")
    shop_id, token = sale.shop["id"], sale.seller["token"]
    bank = await bank_destination(gql, token, shop_id)
    _, membership_id, savings = await savings_destination(gql, sale.seller, shop_id)
    to_bank = await request_payout(gql, token, shop_id, bank, 12000)
    to_savings = await request_payout(gql, token, shop_id, savings, 18000)
    assert to_bank["payout"]["status"] == to_savings["payout"]["status"] == "COMPLETED"
    assert to_savings["balance"]["available"]["amount"] == 0
    assert await sukarela(membership_id) == 18000
    books = await platform_books(gql, (await city_admin(gql))["token"])
    assert books["balanced"] is True
    await assert_ledgers_balance()

    period = f"{today():%Y-%m}"
    found = await gql(
        money("SellerStatementFile"), {"shopId": shop_id, "period": period}, token=token
    )
    files = found["data"]["node"]["statementFile"]
    assert (files["opening"]["amount"], files["closing"]["amount"]) == (0, 0)
    async with httpx.AsyncClient(timeout=30) as plain:
        csv = await plain.get(files["csvUrl"])
        assert csv.status_code == 200
        lines = csv.content.decode("utf-8-sig").splitlines()
        assert lines[0] == "Tanggal;Jenis;Keterangan;Nomor Pesanan;Jumlah;Saldo"
        assert lines[1].split(";")[1:2] + lines[1].split(";")[4:] == [
            "Penjualan",
            "30.000",
            "30.000",
        ]
        assert lines[-1].split(";")[4:] == ["-18.000", "0"]
        xlsx = await plain.get(files["xlsxUrl"])
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert [c.value for c in sheet[1]] == lines[0].split(";")
        assert sheet.cell(row=2, column=5).value == 30000
        pdf = await plain.get(files["pdfUrl"])
        assert pdf.content.startswith(b"%PDF")
        parts = urlsplit(files["csvUrl"])
        tampered = files["csvUrl"].replace(parts.path, parts.path.replace(period, "2001-01"))
        assert (await plain.get(tampered)).status_code == 404
    other = await gql(money("SellerStatementFile"), {"shopId": shop_id, "period": period},
                      token=sale.buyer["token"])  # fmt: skip
    assert other["data"]["node"]["statementFile"] is None
    later = await gql(
        money("SellerStatementFile"), {"shopId": shop_id, "period": "2999-01"}, token=token
    )
    assert later["errors"]


async def test_paid_by_midtrans_qris_and_paid_out_through_flip(live, tmp_path, monkeypatch):
    async with fake_midtrans.FakeMidtransServer() as midtrans, fake_flip.FakeFlipServer() as flip:
        env = {"MIDTRANS_SERVER_KEY": fake_midtrans.SERVER_KEY, "MIDTRANS_BASE_URL": midtrans.url,
               "FLIP_SECRET_KEY": fake_flip.SECRET_KEY, "FLIP_BASE_URL": flip.url,
               "FLIP_VALIDATION_TOKEN": fake_flip.VALIDATION_TOKEN}  # fmt: skip
        async with api_with(live, tmp_path / "media", monkeypatch, env,
                            PAYMENT_PROVIDER="midtrans", PAYOUTS="flip") as api:  # fmt: skip
            assert isinstance(api.services.payments, MidtransPayments)
            assert isinstance(api.services.payouts, FlipPayouts)
            gql = api.gql
            seller, shop, (product,) = await seller_with_products(gql, price=15000, stock=10)
            shop_id, token = shop["id"], seller["token"]
            buyer = await sign_up(gql, "Pembeli")
            assert (await add_to_cart(gql, buyer["token"], product["id"], 2))["errors"] == []
            placed = await checkout(gql, buyer["token"], method="QRIS")
            order = placed["orders"][0]
            reference = (await payment_of(order)).reference
            assert order["payment"]["qrisPayload"] == midtrans.transactions[reference]["qr_string"]
            midtrans.settle(reference)
            paid = await midtrans.notify(f"{api.url}/payments/webhook", reference)
            assert paid.json() == {"outcome": "CONFIRMED"}
            await assert_ledgers_balance()

            for status in ("SHIPPED", "DELIVERED"):
                assert (await move(gql, token, order["id"], status, "JNE-1"))["errors"] == []
            confirmed = await gql(op("ConfirmReceipt"), {"id": order["id"]}, token=buyer["token"])
            assert confirmed["data"]["confirmReceipt"]["errors"] == [], confirmed
            assert await available(gql, shop_id, token) == 30000
            await assert_ledgers_balance()

            bank = await bank_destination(gql, token, shop_id, "1234567803")  # Flip: PENDING
            to_bank = await request_payout(gql, token, shop_id, bank, 12000)
            assert to_bank["payout"]["status"] == "PENDING"
            await assert_ledgers_balance()
            payout = await Payout.get(id=decode_id(to_bank["payout"]["id"], "Payout"))
            assert flip.transfers[payout.reference]["amount"] == 12000
            flip.settle(payout.reference)
            async with httpx.AsyncClient(timeout=30) as plain:
                callback = await plain.post(
                    f"{api.url}/payouts/webhook",
                    content=flip.callback(payout.reference),
                    headers={"content-type": "application/x-www-form-urlencoded"},
                )
            assert callback.json() == {"outcome": "SETTLED"}
            await assert_ledgers_balance()

            _, membership_id, savings = await savings_destination(gql, seller, shop_id)
            to_savings = await request_payout(gql, token, shop_id, savings, 18000)
            assert to_savings["payout"]["status"] == "COMPLETED"
            assert to_savings["balance"]["available"]["amount"] == 0
            assert await sukarela(membership_id) == 18000
            found = await gql(money("Payout"), {"id": to_bank["payout"]["id"]}, token=token)
            assert found["data"]["node"]["status"] == "COMPLETED"
            books = await platform_books(gql, (await city_admin(gql))["token"])
            assert books["balanced"] is True
            await assert_ledgers_balance()
