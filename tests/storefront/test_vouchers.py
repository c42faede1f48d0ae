"""Vouchers in the storefront, browser-free: the seller creates and switches them on the shop's
voucher page (with the session's CSRF token), the shop page lists the active ones, the buyer
types a code per shop at checkout (beside its shipping options) and the order page shows the discount."""

from __future__ import annotations

import re

from tests.orders.helpers import seller_with_products
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import add, address


def voucher_form(**extra: str) -> dict[str, str]:
    return {"code": "hemat5", "kind": "FIXED", "amount": "5.000", "percent": "",
            "maxDiscount": "", "minSpend": "0", "startsAt": "2026-01-01",
            "endsAt": "2099-12-31", "quota": "3", **extra}  # fmt: skip


async def test_the_seller_creates_and_switches_vouchers_and_the_shop_page_lists_them(
    storefront, gql
):
    seller, shop, (product,) = await seller_with_products(gql)
    page_url = f"/penjual/toko/{shop['slug']}/voucher"
    async with visitor_of(storefront) as owner, visitor_of(storefront) as other:
        await owner.sign_in(seller)
        await other.sign_up_and_in(gql)
        assert (await other.get(page_url)).status_code == 403  # the owner's page only
        forged = await owner.http.post(page_url, data=voucher_form())
        assert forged.status_code == 403

        refused = await owner.submit(page_url, page_url, voucher_form(code="AB", amount=""))
        assert refused.status_code == 400
        assert "Isi potongan dalam rupiah." in refused.text
        refused = await owner.submit(page_url, page_url, voucher_form(code="AB"))
        assert "Kode voucher 4-20 huruf atau angka." in refused.text

        made = await owner.submit(page_url, page_url, voucher_form(productIds=product["id"]))
        assert made.status_code == 303
        page = (await owner.get(page_url)).text
        assert "Voucher HEMAT5 dibuat." in page
        assert "potongan Rp5.000" in page
        assert 'terpakai <span class="used">0</span> dari 3' in page
        percent = voucher_form(code="DISKON10", kind="PERCENT", amount="", percent="10",
                               maxDiscount="20.000")  # fmt: skip
        assert (await owner.submit(page_url, page_url, percent)).status_code == 303

        public = (await other.get(f"/toko/{shop['slug']}")).text
        assert "Voucher toko" in public
        assert "HEMAT5" in public
        assert "DISKON10" in public
        assert "diskon 10% (maks. Rp20.000)" in public

        page = (await owner.get(page_url)).text
        ids = dict(re.findall(r'name="voucher_id" value="([^"]+)">\s*<input type="hidden" '
                              r'name="isActive" value="\d">\s*<button class="secondary">'
                              r"\w+ (\w+)</button>", page)[::-1])  # fmt: skip
        assert set(ids.values()) == {"HEMAT5", "DISKON10"}
        voucher_id = next(i for i, code in ids.items() if code == "HEMAT5")
        off = {"shop": shop["slug"], "voucher_id": voucher_id, "isActive": "0"}
        await owner.submit(page_url, "/penjual/voucher", off)
        page = (await owner.get(page_url)).text
        assert "Voucher HEMAT5 sekarang nonaktif." in page
        assert "Aktifkan HEMAT5" in page
        public = (await other.get(f"/toko/{shop['slug']}")).text
        assert "HEMAT5" not in public
        assert "DISKON10" in public
        # Someone else cannot switch it back on: the API refuses, nothing changes.
        await other.submit(f"/toko/{shop['slug']}", "/penjual/voucher", {**off, "isActive": "1"})
        assert "Aktifkan HEMAT5" in (await owner.get(page_url)).text


async def test_the_buyer_applies_a_voucher_at_checkout_and_sees_the_discount(storefront, gql):
    seller, shop, (product,) = await seller_with_products(gql, price=20000)
    async with visitor_of(storefront) as owner, visitor_of(storefront) as buyer:
        await owner.sign_in(seller)
        page_url = f"/penjual/toko/{shop['slug']}/voucher"
        await owner.submit(page_url, page_url, voucher_form(minSpend="30.000"))
        await buyer.sign_up_and_in(gql)
        await add(buyer, product, 1)
        # The voucher fields come with the shipping options, once a kelurahan is chosen.
        priced = await buyer.submit("/checkout", "/checkout", address(hitung="1"))
        checkout = priced.text
        field = f"voucher-{shop['id']}"
        assert f'name="{field}"' in checkout
        assert f"Kode voucher {shop['name']}" in checkout

        refused = await buyer.submit("/checkout", "/checkout", address(**{field: "hemat5"}))
        assert refused.status_code == 400
        assert "belanja minimal Rp30.000" in refused.text
        assert 'value="hemat5"' in refused.text  # the code stays in its field
        unknown = await buyer.submit("/checkout", "/checkout", address(**{field: "SALAH99"}))
        assert "Voucher SALAH99 tidak ditemukan." in unknown.text

        await add(buyer, product, 1)
        placed = await buyer.submit("/checkout", "/checkout", address(**{field: "hemat5"}))
        assert placed.status_code == 303
        orders = (await buyer.get("/pesanan")).text
        assert "Subtotal Rp40.000 · Voucher HEMAT5" in orders
        assert "−Rp5.000" in orders
        assert "Total <strong>Rp35.000</strong>" in orders
        assert 'terpakai <span class="used">1</span> dari 3' in (await owner.get(page_url)).text
