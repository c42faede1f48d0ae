"""Variants in the storefront: the seller sets options and variants on their page, the buyer
picks one on the product page and sees it in the cart."""

from __future__ import annotations

import html
import re

from tests.storefront.conftest import visitor_of
from tests.storefront.test_selling import new_product, open_shop

VARIANT = re.compile(r'<option value="([^"]+)"( disabled)?>([^<]+)</option>')


async def test_seller_sets_variants_and_a_buyer_picks_one(storefront, visitor, gql):
    await visitor.sign_up_and_in(gql, "Sari")
    product = await new_product(visitor, await open_shop(visitor), name="Kemeja Batik Sari")
    page = f"/penjual/produk/{product}/varian"
    assert "Varian utama" in (await visitor.get(page)).text  # sold as its default variant

    options = {"option_0": "Ukuran", "values_0": "M, L", "option_1": "Warna",
               "values_1": "Merah, Merah"}  # fmt: skip
    refused = await visitor.submit(page, f"/penjual/produk/{product}/pilihan", options)
    assert refused.status_code == 400
    assert "Nilai Merah disebut dua kali." in html.unescape(refused.text)
    options["values_1"] = "Merah, Biru"
    saved = await visitor.submit(page, f"/penjual/produk/{product}/pilihan", options)
    assert (saved.status_code, saved.headers["location"]) == (303, page)
    shown = (await visitor.get(page)).text
    assert "Belum ada varian." in shown

    for sku, size, colour, price, stock in (("KB-M", "M", "Merah", "35.000", "3"),
                                            ("KB-L", "L", "Biru", "45000", "0")):  # fmt: skip
        body = {"sku": sku, "value_0": size, "value_1": colour, "price": price, "stock": stock}
        added = await visitor.submit(page, page, body)
        assert added.status_code == 303, added.text
    again = await visitor.submit(
        page, page, {"sku": "KB-M", "value_0": "L", "value_1": "Merah", "price": "1", "stock": "1"}
    )
    assert again.status_code == 400
    assert "SKU ini sudah dipakai" in html.unescape(again.text)
    shown = (await visitor.get(page)).text
    assert "M / Merah" in shown
    assert "L / Biru" in shown

    async with visitor_of(storefront) as buyer:
        await buyer.sign_up_and_in(gql, "Pembeli")
        product_page = (await buyer.get(f"/produk/{product}")).text
        assert "Rp35.000 – Rp45.000" in product_page
        choices = VARIANT.findall(product_page)
        assert [(text.split(" · ")[0], bool(off)) for _, off, text in choices] == [
            ("M / Merah", False), ("L / Biru", True),  # sold out: not to be picked
        ]  # fmt: skip
        m_id = choices[0][0]
        fields = {"variant_id": m_id, "slug": product, "quantity": "4"}
        too_many = await buyer.submit(f"/produk/{product}", "/keranjang/tambah", fields)
        assert too_many.status_code == 400
        assert "tinggal 3" in html.unescape(too_many.text)
        fields["quantity"] = "2"
        added = await buyer.submit(f"/produk/{product}", "/keranjang/tambah", fields)
        assert added.headers["location"] == "/keranjang"
        cart = (await buyer.get("/keranjang")).text
        assert "(M / Merah)" in cart
        assert "Rp70.000" in cart

    # The seller stops selling M / Merah: the buyer's page no longer offers it.
    variant_id = re.search(r'name="variant_id" value="([^"]+)"', shown).group(1)
    body = {"variant_id": variant_id, "sku": "KB-M", "price": "35000", "stock": "3"}
    stopped = await visitor.submit(page, f"{page}/ubah", body)  # isActive left unticked
    assert stopped.status_code == 303
    assert "Tidak dijual" in (await visitor.get(page)).text
    assert "M / Merah" not in (await visitor.get(f"/produk/{product}")).text


async def test_anothers_variant_page_is_not_found(storefront, visitor, gql):
    await visitor.sign_up_and_in(gql, "Sari")
    product = await new_product(visitor, await open_shop(visitor))
    async with visitor_of(storefront) as stranger:
        await stranger.sign_up_and_in(gql, "Orang Lain")
        assert (await stranger.get(f"/penjual/produk/{product}/varian")).status_code == 404
