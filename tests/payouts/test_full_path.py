"""The whole path in one test: a buyer pays by (sandbox) QRIS, the seller ships, the buyer
confirms, the seller withdraws to a bank account and to SUKARELA, downloads the month's
statement, and every ledger balances."""

import io
from urllib.parse import urlsplit

import httpx
from openpyxl import load_workbook

from resolvers.platform import today
from tests.conftest import city_admin
from tests.cooperatives.helpers import sukarela
from tests.payouts.helpers import (
    assert_ledgers_balance,
    bank_destination,
    completed_sale,
    money,
    platform_books,
    request_payout,
    savings_destination,
)


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
