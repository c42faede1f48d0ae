"""Issue 26's storefront in Chromium: the buyer picks a variant and sees it in the cart, checks
out with a shop voucher beside a shipping choice (totals re-priced before placing), reviews a
completed order, and the seller replies; no page has inline code or an unlabelled field."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.catalog.review_helpers import completed_sale
from tests.catalog.variant_helpers import batik_shirt
from tests.orders.voucher_helpers import create_voucher
from tests.storefront.conftest import CHROMIUM
from tests.storefront.test_browser import sign_up as sign_up_in_browser
from tests.storefront.test_browser_cooperatives import sign_in
from tests.storefront.test_shipping import shipping_shop

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")

# Fields without a <label> (or aria-label), and code or styles written into the page: CSP
# refuses inline ones, so they would silently not work.
UNLABELLED = """() => Array.from(document.querySelectorAll(
  'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))
  .filter(el => el.labels.length === 0 && !el.getAttribute('aria-label'))
  .map(el => el.outerHTML)"""
INLINE = """() => Array.from(document.querySelectorAll('script:not([src]), style, [style]'))
  .map(el => el.outerHTML.slice(0, 80))"""


async def assert_clean(page: Page) -> None:
    assert await page.evaluate(UNLABELLED) == [], page.url
    assert await page.evaluate(INLINE) == [], page.url


async def test_the_buyer_picks_a_variant_and_the_cart_line_names_it(open_page, site, gql):
    _, _, product, _ = await batik_shirt(gql)
    page, problems = await open_page()
    await sign_up_in_browser(page, site)
    await page.goto(f"{site}/produk/{product['slug']}")
    await expect(page.locator("p.price")).to_have_text("Rp35.000 – Rp45.000")
    await assert_clean(page)
    picker = page.get_by_label("Ukuran / Warna")
    await picker.select_option(label="L / Biru · Rp45.000 · stok 5")
    await page.get_by_label("Jumlah").fill("2")
    await page.get_by_role("button", name="Tambah ke keranjang").click()
    await expect(page).to_have_url(f"{site}/keranjang")
    line = page.locator("li", has=page.get_by_role("link", name=product["name"]))
    await expect(line).to_contain_text("(L / Biru)")
    await expect(line).to_contain_text("Rp45.000 / barang")
    await expect(page.get_by_label(re.compile("Jumlah"))).to_have_value("2")
    await assert_clean(page)
    assert problems == []


async def test_a_voucher_beside_a_shipping_choice_reprices_before_placing(open_page, site, gql):
    owner, shop, product = await shipping_shop(gql)
    made = await create_voucher(gql, owner["token"], shop["id"], code="hemat5", amount=5000)
    assert made["errors"] == [], made
    page, problems = await open_page()
    await sign_up_in_browser(page, site)
    await page.goto(f"{site}/produk/{product['slug']}")
    await page.get_by_role("button", name="Tambah ke keranjang").click()
    await page.goto(f"{site}/checkout")
    await page.get_by_label("Nama penerima").fill("Rina")
    await page.get_by_label("Nomor HP").fill("0812 7777 8888")
    await page.get_by_label("Alamat (jalan, nomor, RT/RW)").fill("Jl. Daan Mogot No. 12")
    await page.get_by_label("Kelurahan").select_option(label="Cipondoh")
    total = page.locator("#total-bayar")
    await expect(total).to_have_text("Rp15.000")
    # The code first, then the courier: the discount stays through the re-pricing.
    code = page.get_by_label(f"Kode voucher {shop['name']}")
    await code.fill("SALAH99")
    await code.press("Tab")
    await expect(page.get_by_role("alert")).to_have_text("Voucher SALAH99 tidak ditemukan.")
    await expect(total).to_have_text("Rp15.000")
    await code.fill("hemat5")
    await code.press("Tab")
    await expect(total).to_have_text("Rp10.000")
    await expect(page.locator("fieldset.shipping .saving")).to_have_text("−Rp5.000")
    await page.get_by_label(re.compile("Kurir toko")).check()
    await expect(total).to_have_text("Rp22.000")
    await expect(page.get_by_label(f"Kode voucher {shop['name']}")).to_have_value("hemat5")
    await expect(page.locator("fieldset.shipping .saving")).to_have_text("−Rp5.000")
    await expect(page.get_by_label(re.compile("Kurir toko"))).to_be_checked()
    await assert_clean(page)
    await page.get_by_label("Bayar di tempat (COD)").check()
    await page.get_by_role("button", name="Buat pesanan").click()
    await expect(page).to_have_url(f"{site}/pesanan")
    order = page.locator("article.order")
    await expect(order).to_contain_text("Voucher HEMAT5")
    await expect(order).to_contain_text("−Rp5.000")
    await expect(order.locator("p.total")).to_contain_text("Rp22.000")
    await assert_clean(page)
    assert problems == []  # a CSP violation is a console error


async def test_the_buyer_reviews_a_completed_order_and_the_seller_replies(open_page, site, gql):
    done = await completed_sale(gql)
    product, shop = done.sale.product, done.sale.shop
    page, problems = await open_page()
    await sign_in(page, site, done.sale.buyer)
    await page.goto(f"{site}/pesanan")
    await page.get_by_text(f"Beri ulasan {product['name']}").click()
    await assert_clean(page)
    form = page.locator("form[action='/pesanan/ulasan']")
    await form.get_by_label("Nilai").select_option(label="4 bintang")
    await form.get_by_label(re.compile("Ulasan")).fill("Renyah dan gurih")
    await page.get_by_role("button", name=f"Kirim ulasan {product['name']}").click()
    await expect(page.get_by_role("status")).to_contain_text("Terima kasih atas ulasannya!")
    await expect(page.locator("p.review")).to_contain_text("“Renyah dan gurih”")
    await expect(page.get_by_label("4 dari 5 bintang").first).to_be_visible()

    await page.goto(f"{site}/produk/{product['slug']}")
    await expect(page.get_by_label("Rating 4,0 dari 5, 1 ulasan").first).to_be_visible()
    review = page.locator("article.review")
    await expect(review).to_contain_text("Renyah dan gurih")
    await expect(review.get_by_label("4 dari 5 bintang")).to_be_visible()
    await assert_clean(page)

    seller, seller_problems = await open_page()
    await sign_in(seller, site, done.sale.seller)
    await seller.goto(f"{site}/penjual/toko/{shop['slug']}")
    await expect(
        seller.get_by_role("heading", name=re.compile("Ulasan belum dibalas"))
    ).to_have_text(re.compile(r"Ulasan belum dibalas \(1\)"))
    await assert_clean(seller)
    await seller.get_by_label(re.compile("Balasan")).fill("Terima kasih, ditunggu lagi")
    await seller.get_by_role("button", name=re.compile("Balas ulasan")).click()
    await expect(seller.get_by_role("status")).to_contain_text("Balasan terkirim.")
    await expect(seller.get_by_text("Semua ulasan sudah dibalas.")).to_be_visible()

    await page.reload()
    await expect(page.locator("article.review p.reply")).to_have_text(
        "Balasan penjual: Terima kasih, ditunggu lagi"
    )
    assert problems == []
    assert seller_problems == []
