"""Complaints in the storefront, browser-free: the buyer opens one from the order page, the
seller answers it from the shop's dashboard, each form with the session's CSRF token; the
buyer confirms receipt of another order."""

import re

from tests.orders.complaint_helpers import shipped_sale
from tests.storefront.conftest import visitor_of


async def test_the_buyer_complains_and_the_seller_refunds_through_the_pages(storefront, gql):
    sale = await shipped_sale(gql, delivered=True)  # COD: paid when delivered
    async with visitor_of(storefront) as buyer, visitor_of(storefront) as seller:
        await buyer.sign_in(sale.buyer)
        await seller.sign_in(sale.seller)
        page = (await buyer.get("/pesanan")).text
        assert "Ajukan komplain" in page
        assert f"Pesanan {sale.order['number']} sudah diterima" in page

        forged = await buyer.http.post(
            "/pesanan/komplain", data={"order_id": sale.order_id, "reason": "DAMAGED",
                                       "text": "Tanpa token formulir."})  # fmt: skip
        assert forged.status_code == 403
        short = {"order_id": sale.order_id, "reason": "DAMAGED", "text": "Rusak"}
        await buyer.submit("/pesanan", "/pesanan/komplain", short)
        page = (await buyer.get("/pesanan")).text
        assert "Panjangnya 10 sampai 2000 karakter." in page

        body = {**short, "text": "Toples pecah saat sampai."}
        sent = await buyer.submit("/pesanan", "/pesanan/komplain", body)
        assert sent.status_code == 303
        page = (await buyer.get("/pesanan")).text
        assert "Komplain terkirim." in page
        assert "Menunggu jawaban penjual" in page
        assert "sudah diterima" not in page  # no receipt while the complaint is open

        dashboard = f"/penjual/toko/{sale.shop['slug']}"
        page = (await seller.get(dashboard)).text
        assert "Toples pecah saat sampai." in page
        complaint_id = re.search(r'name="complaint_id" value="([^"]+)"', page).group(1)
        answer = {"complaint_id": complaint_id, "shop": sale.shop["slug"],
                  "response": "REJECT", "refundAmount": "", "reason": ""}  # fmt: skip
        await seller.submit(dashboard, "/penjual/komplain", answer)
        page = (await seller.get(dashboard)).text
        assert "Wajib diisi." in page
        # The buyer cannot answer for the seller: the API refuses, nothing changes.
        await buyer.submit("/pesanan", "/penjual/komplain",
                           {**answer, "response": "REFUND", "refundAmount": "30000"})  # fmt: skip
        await seller.submit(dashboard, "/penjual/komplain",
                            {**answer, "response": "REFUND", "refundAmount": "12.000"})  # fmt: skip
        page = (await seller.get(dashboard)).text
        assert f"Komplain {sale.order['number']}: Dana dikembalikan." in page
        assert "Rp12.000" in page
        page = (await buyer.get("/pesanan")).text
        assert "Dana dikembalikan: <strong>Rp12.000</strong>" in page
        assert '<strong class="status">Selesai</strong>' in page


async def test_the_buyer_confirms_receipt_from_the_order_page(storefront, gql):
    sale = await shipped_sale(gql, delivered=True)
    async with visitor_of(storefront) as buyer:
        await buyer.sign_in(sale.buyer)
        await buyer.submit("/pesanan", "/pesanan/diterima", {"order_id": sale.order_id})
        page = (await buyer.get("/pesanan")).text
        assert "Pesanan diterima. Terima kasih!" in page
        assert '<strong class="status">Selesai</strong>' in page
        assert "Ajukan komplain" not in page
