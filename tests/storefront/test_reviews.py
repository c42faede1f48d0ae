"""Reviews in the storefront, browser-free: the buyer reviews a completed order's line from the
order page and edits it once, the stars show on the product page, its card and the shop page,
the seller replies from the shop's dashboard, and a marketplace admin hides a reported review;
every form with the session's CSRF token."""

import html
import re

from tests.catalog.review_helpers import completed_sale
from tests.conftest import city_admin, sign_up
from tests.orders.complaint_helpers import op
from tests.storefront.conftest import visitor_of


async def test_the_buyer_reviews_and_edits_once_and_the_stars_show_everywhere(storefront, gql):
    done = await completed_sale(gql)
    product, shop = done.sale.product, done.sale.shop
    async with visitor_of(storefront) as buyer, visitor_of(storefront) as anyone:
        await buyer.sign_in(done.sale.buyer)
        page = (await buyer.get("/pesanan")).text
        assert f"Beri ulasan {product['name']}" in page
        forged = await buyer.http.post("/pesanan/ulasan", data={"line_id": done.line_id,
                                                                "rating": "5"})  # fmt: skip
        assert forged.status_code == 403
        await buyer.submit("/pesanan", "/pesanan/ulasan",
                           {"line_id": done.line_id, "rating": "9", "text": ""})  # fmt: skip
        page = (await buyer.get("/pesanan")).text
        assert "Nilai ulasan 1 sampai 5 bintang." in page
        sent = await buyer.submit("/pesanan", "/pesanan/ulasan",
                                  {"line_id": done.line_id, "rating": "2",
                                   "text": "Agak keras"})  # fmt: skip
        assert sent.status_code == 303
        page = html.unescape((await buyer.get("/pesanan")).text)
        assert "Terima kasih atas ulasannya!" in page
        assert "“Agak keras”" in page
        assert "Ubah ulasan (sekali saja)" in page
        review_id = re.search(r'name="review_id" value="([^"]+)"', page).group(1)
        await buyer.submit("/pesanan", "/pesanan/ulasan/ubah",
                           {"review_id": review_id, "rating": "4",
                            "text": "Ternyata renyah"})  # fmt: skip
        page = html.unescape((await buyer.get("/pesanan")).text)
        assert "Ulasan diubah." in page
        assert "“Ternyata renyah”" in page
        assert "(diubah)" in page
        assert "Ubah ulasan (sekali saja)" not in page

        page = html.unescape((await anyone.get(f"/produk/{product['slug']}")).text)
        assert 'aria-label="Rating 4,0 dari 5, 1 ulasan"' in page
        assert "Ulasan (1)" in page
        assert "Ternyata renyah" in page
        assert "4 bintang: 1" in page
        page = (await anyone.get(f"/toko/{shop['slug']}")).text
        assert page.count('aria-label="Rating 4,0 dari 5, 1 ulasan"') == 2  # the shop, the card


async def test_the_seller_replies_and_an_admin_hides_a_reported_review(storefront, gql):
    done = await completed_sale(gql)
    product, shop = done.sale.product, done.sale.shop
    written = await gql(op("ReviewOrderLine"), {"orderLineId": done.line_id,
                                                 "input": {"rating": 1, "text": "Hubungi 0812"}},
                        token=done.buyer)  # fmt: skip
    review_id = written["data"]["reviewOrderLine"]["review"]["id"]
    admin = await city_admin(gql)
    reporter = await sign_up(gql, "Pelapor")
    reported = await gql(op("ReportReview"), {"id": review_id, "reason": "PERSONAL_DATA"},
                         token=reporter["token"])  # fmt: skip
    assert reported["data"]["reportReview"]["ok"] is True
    dashboard = f"/penjual/toko/{shop['slug']}"
    async with (
        visitor_of(storefront) as seller,
        visitor_of(storefront) as moderator,
        visitor_of(storefront) as stranger,
        visitor_of(storefront) as buyer,
    ):
        await seller.sign_in(done.sale.seller)
        page = (await seller.get(dashboard)).text
        assert "Ulasan belum dibalas (1)" in page
        assert "Hubungi 0812" in page
        await seller.submit(dashboard, "/penjual/ulasan",
                            {"review_id": review_id, "shop": shop["slug"], "text": " "})  # fmt: skip
        assert "Balasan 1 sampai 1000 karakter." in (await seller.get(dashboard)).text
        await seller.submit(dashboard, "/penjual/ulasan", {"review_id": review_id,
                            "shop": shop["slug"], "text": "Mohon maaf, kami perbaiki"})  # fmt: skip
        page = (await seller.get(dashboard)).text
        assert "Balasan terkirim." in page
        assert "Semua ulasan sudah dibalas." in page
        assert (
            "Balasan penjual: Mohon maaf, kami perbaiki"
            in (await seller.get(f"/produk/{product['slug']}")).text
        )

        await stranger.sign_in(reporter)
        assert (await stranger.get("/admin/ulasan")).status_code == 403
        await moderator.sign_in(admin)
        page = (await moderator.get("/admin/ulasan")).text
        assert "Hubungi 0812" in page
        forged = await moderator.http.post("/admin/ulasan/sembunyikan",
                                           data={"review_id": review_id, "reason": "x"})  # fmt: skip
        assert forged.status_code == 403
        await moderator.submit("/admin/ulasan", "/admin/ulasan/sembunyikan",
                               {"review_id": review_id, "reason": "Data pribadi"})  # fmt: skip
        page = (await moderator.get("/admin/ulasan")).text
        assert "Ulasan disembunyikan." in page
        assert "Hubungi 0812" not in page
        page = (await stranger.get(f"/produk/{product['slug']}")).text
        assert "Hubungi 0812" not in page
        assert "Belum ada ulasan." in page
        await buyer.sign_in(done.sale.buyer)
        assert "Disembunyikan admin" in (await buyer.get("/pesanan")).text
