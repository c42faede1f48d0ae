"""Shipping in the storefront: the seller's settings page, the checkout's options per shop
with fees and totals (re-priced by the quote, with JavaScript and without), and the order
page's shipping and fee."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.async_api import expect

from tests.catalog.helpers import add_product
from tests.conftest import sign_up
from tests.orders.shipping_helpers import pickup, shop_courier
from tests.shops.helpers import open_shop
from tests.storefront.conftest import CHROMIUM, word
from tests.storefront.helpers import add, address
from tests.storefront.test_browser import sign_up as sign_up_in_browser

SETTINGS = "/penjual/toko/{}/pengiriman"


async def shipping_shop(gql, *, methods: bool = True) -> tuple[dict, dict, dict]:
    """A shop in kelurahan Sukarasa (kec. Tangerang) selling one Rp15.000 product; with
    `methods`, pickup and its own courier (Rp7.000 to Tangerang, Rp12.000 to Cipondoh)."""
    owner = await sign_up(gql, "Penjual Ongkir")
    shop = await open_shop(gql, owner["token"], name=f"Toko Ongkir {word().title()}")
    product = await add_product(
        gql, owner["token"], shop["id"], name=f"Kopi {word()} Robusta", price=15000
    )
    if methods:
        await pickup(gql, owner["token"], shop["id"])
        await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 7000, "36.71.05": 12000})
    return owner, shop, product


async def test_the_seller_sets_pickup_own_courier_and_couriers(storefront, visitor, gql):
    owner, shop, _ = await shipping_shop(gql, methods=False)
    await visitor.sign_in(owner)
    url = SETTINGS.format(shop["slug"])
    page = (await visitor.get(url)).text
    assert "Pengaturan pengiriman" in page
    assert 'name="fee-36.71.05"' in page
    assert 'value="jne"' in page  # the sandbox's couriers

    refused = await visitor.submit(
        url, url, {"kind": "PICKUP", "openingHours": "", "isActive": "1"}
    )
    assert refused.status_code == 400
    assert "Jam buka wajib diisi." in refused.text

    saved = await visitor.submit(
        url, url, {"kind": "PICKUP", "openingHours": "Setiap hari 09.00-16.00", "isActive": "1"}
    )
    assert saved.status_code == 303
    own = await visitor.submit(
        url,
        url,
        {"kind": "SHOP_COURIER", "fee-36.71.01": "5.000", "fee-36.71.05": "", "fee-36.71.07": "9000",
         "freeShippingMinimum": "100.000", "isActive": "1"},
    )  # fmt: skip
    assert own.status_code == 303
    bad_fee = await visitor.submit(url, url, {"kind": "SHOP_COURIER", "fee-36.71.01": "lima ribu"})
    assert bad_fee.status_code == 400
    form = (await visitor.get(url)).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    pairs = [
        ("csrf_token", csrf),
        ("kind", "COURIER"),
        ("couriers", "jne"),
        ("couriers", "sicepat"),
    ]
    couriers = await visitor.http.post(
        url,
        content=urlencode(pairs),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert couriers.status_code == 303

    page = (await visitor.get(url)).text
    assert 'value="Setiap hari 09.00-16.00"' in page
    assert 'name="fee-36.71.01" inputmode="numeric" value="5000"' in page
    assert 'name="fee-36.71.07" inputmode="numeric" value="9000"' in page
    assert 'name="fee-36.71.05" inputmode="numeric" value=""' in page
    assert 'value="100000"' in page
    assert 'value="jne" checked' in page
    assert 'value="sicepat" checked' in page
    assert "nonaktif" in page  # the couriers were saved without "Tawarkan kepada pembeli"


async def test_only_the_owner_opens_the_settings(visitor, gql):
    _, shop, _ = await shipping_shop(gql, methods=False)
    await visitor.sign_up_and_in(gql, "Bukan Pemilik")
    assert (await visitor.get(SETTINGS.format(shop["slug"]))).status_code == 404


async def test_checkout_offers_each_shops_options_and_charges_the_choice(visitor, gql):
    _, shop, product = await shipping_shop(gql)
    _, _plain_shop, plain_product = await shipping_shop(gql, methods=False)
    await visitor.sign_up_and_in(gql)
    await add(visitor, product, 2)
    await add(visitor, plain_product, 1)

    page = (await visitor.get("/checkout")).text
    assert "Pilih kelurahan tujuan" in page
    quoted = await visitor.submit(
        "/checkout", "/checkout", address(kelurahanCode="36.71.05.1001", hitung="1")
    )
    assert quoted.status_code == 200
    text = quoted.text
    assert f"Pengiriman dari {shop['name']}" in text
    assert "Ambil di toko: gratis" in text
    assert "Kurir toko: Rp12.000" in text
    assert "Toko ini tidak memungut ongkir." in text
    assert 'id="total-bayar">Rp45.000<' in text  # pickup by default: no fee
    courier = re.search(r'name="ship-([^"]+)" value="([^"]+)"> Kurir toko', text)
    assert courier is not None
    assert 'value="Ibu Ratna"' in text  # what was typed stays

    chosen = {f"ship-{courier.group(1)}": courier.group(2)}
    repriced = await visitor.get(
        "/checkout/ongkir", params={"kelurahanCode": "36.71.05.1001", **chosen}
    )
    assert 'id="total-bayar">Rp57.000<' in repriced.text
    assert f'value="{courier.group(2)}" checked' in repriced.text

    placed = await visitor.submit(
        "/checkout",
        "/checkout",
        address(kelurahanCode="36.71.05.1001", expectedTotal="57000", **chosen),
    )
    assert placed.status_code == 303, placed.text
    orders = (await visitor.get("/pesanan")).text
    assert "Pengiriman: Kurir toko · ongkir Rp12.000" in orders
    assert "Barang Rp30.000 + ongkir Rp12.000" in orders
    assert "Total <strong>Rp42.000</strong>" in orders


async def test_a_shop_that_needs_a_choice_is_named_beside_its_options(visitor, gql):
    owner, shop, product = await shipping_shop(gql, methods=False)
    await shop_courier(gql, owner["token"], shop["id"], {"36.71.01": 7000})
    await visitor.sign_up_and_in(gql)
    await add(visitor, product)
    refused = await visitor.submit("/checkout", "/checkout", address(kelurahanCode="36.71.01.1002"))
    assert refused.status_code == 400
    assert f"Pilih cara pengiriman untuk pesanan dari {shop['name']}." in refused.text
    assert "Kurir toko: Rp7.000" in refused.text


@pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
async def test_the_totals_follow_the_shipping_choice_in_a_browser(open_page, site, gql, javascript):
    _, _shop, product = await shipping_shop(gql)
    page, problems = await open_page(javascript)
    await sign_up_in_browser(page, site)
    await page.goto(f"{site}/produk/{product['slug']}")
    await page.get_by_role("button", name="Tambah ke keranjang").click()
    await page.goto(f"{site}/checkout")
    await page.get_by_label("Nama penerima").fill("Rina")
    await page.get_by_label("Nomor HP").fill("0812 7777 8888")
    await page.get_by_label("Alamat (jalan, nomor, RT/RW)").fill("Jl. Daan Mogot No. 12")
    await page.get_by_label("Kelurahan").select_option(label="Cipondoh")
    if not javascript:
        await page.get_by_role("button", name="Hitung ongkir").click()
    total = page.locator("#total-bayar")
    await expect(total).to_have_text("Rp15.000")
    await page.get_by_label(re.compile("Kurir toko")).check()
    if not javascript:
        await page.get_by_role("button", name="Hitung ongkir").click()
    await expect(total).to_have_text("Rp27.000")
    await expect(page.get_by_label(re.compile("Kurir toko"))).to_be_checked()
    await page.get_by_label("Bayar di tempat (COD)").check()
    await page.get_by_role("button", name="Buat pesanan").click()
    await expect(page).to_have_url(f"{site}/pesanan")
    await expect(page.locator("p.shipping")).to_have_text(
        "Pengiriman: Kurir toko · ongkir Rp12.000"
    )
    await expect(page.locator("article.order p.total")).to_contain_text("Rp27.000")
    assert problems == []
