"""A buyer's journey in a real headless Chromium, with JavaScript on and off.

Debian's chromium (`apt-get install chromium`; `.ci/run` installs it) driven by Playwright.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.catalog.helpers import picture
from tests.storefront.conftest import CHROMIUM, Visitor
from tests.storefront.helpers import add, address, check_out

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")


async def sign_up(page: Page, site: str) -> None:
    await page.goto(f"{site}/daftar")
    await page.get_by_label("Nama lengkap").fill("Rina Pembeli")
    await page.get_by_label("Email").fill(f"rina{uuid.uuid4().hex[:8]}@contoh.id")
    await page.get_by_label("Nomor HP").fill("0812 7777 8888")
    await page.get_by_label("Kata sandi").fill("rahasia123")
    await page.get_by_role("button", name="Daftar").click()
    await expect(page.get_by_role("status")).to_contain_text("Selamat datang, Rina Pembeli!")


async def add_to_cart(page: Page, product_name: str) -> None:
    await page.get_by_role("link", name=product_name).first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(product_name)
    await page.get_by_role("button", name="Tambah ke keranjang").click()
    await expect(page.get_by_role("status")).to_have_text("Produk masuk ke keranjang.")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
async def test_buyer_searches_filters_buys_from_two_shops_by_qris_and_cod(
    open_page, site, catalogue, javascript
):
    page, problems = await open_page(javascript)
    chips, cloth = (product["name"] for product in catalogue["products"])

    await sign_up(page, site)
    search = page.get_by_label("Cari produk")
    await search.fill(catalogue["term"])
    if javascript:  # completions arrive while typing
        await expect(page.locator("#saran option").first).to_be_attached()
    await search.press("Enter")
    await expect(page.get_by_text("2 produk")).to_be_visible()

    await page.get_by_role("link", name="Keripik", exact=True).click()
    await expect(page.get_by_text("1 produk", exact=True)).to_be_visible()
    await expect(page.get_by_role("link", name=cloth)).to_have_count(0)
    await add_to_cart(page, chips)
    await page.goto(f"{site}/cari?q={catalogue['term']}")
    await add_to_cart(page, cloth)

    await expect(page.locator("section.group")).to_have_count(2)  # one group per shop
    await check_out(page, site, "QRIS")
    await expect(page.locator("img.qr")).to_have_count(2)
    await expect(page.locator("article.order")).to_have_count(2)

    await page.goto(f"{site}/cari?q={catalogue['term']}")
    await add_to_cart(page, chips)
    await check_out(page, site, "Bayar di tempat (COD)")

    orders = page.locator("article.order")
    await expect(orders).to_have_count(3)
    await expect(orders.filter(has_text="QRIS")).to_have_count(2)
    await expect(orders.filter(has_text="Bayar di tempat (COD)")).to_have_count(1)
    assert problems == []


async def test_seller_adds_a_product_with_a_photo_sees_an_order_arrive_live_and_ships_it(
    open_page, site, gql, tmp_path
):
    page, problems = await open_page()
    status = page.get_by_role("status")

    await sign_up(page, site)
    await page.get_by_role("link", name="Penjual").click()
    await page.get_by_role("link", name="Buka toko baru").click()
    shop_name = f"Dapur {uuid.uuid4().hex[:6]}"
    await page.get_by_label("Nama toko").fill(shop_name)
    await page.get_by_label("Kelurahan").select_option(label="Tanah Tinggi")
    await page.get_by_label("Nomor WhatsApp").fill("0813 2222 3333")
    await page.get_by_role("button", name="Buka toko").click()
    await expect(status).to_contain_text("Toko dibuka")

    await page.get_by_role("link", name="Tambah produk").click()
    await page.get_by_label("Nama produk").fill("Kue Lapis Legit")
    await page.get_by_label("Harga (rupiah)").fill("45.000")
    await page.get_by_label("Stok").fill("5")
    await page.get_by_label("Kategori").select_option(label="Kue & Roti")
    await page.get_by_role("button", name="Simpan").click()
    await expect(status).to_contain_text("Produk disimpan")
    photo = tmp_path / "kue.png"
    photo.write_bytes(picture("PNG"))
    await page.get_by_label("Foto produk").set_input_files(photo)
    await page.get_by_label("Keterangan foto").fill("Kue tampak atas")
    await page.get_by_role("button", name="Unggah foto").click()  # sent by XHR, with progress
    await expect(status).to_have_text("Foto ditambahkan.")
    await expect(page.get_by_alt_text("Kue tampak atas")).to_be_visible()
    product_path = urlsplit(page.url).path.removeprefix("/penjual")

    await page.get_by_role("link", name=shop_name).click()
    await expect(page.locator("#langsung-status")).to_contain_text("Terhubung")
    async with httpx.AsyncClient(base_url=site, timeout=10) as http:
        buyer = Visitor(http)
        await buyer.sign_up_and_in(gql)
        html = (await http.get(product_path)).text
        product_id = re.search(r'name="product_id" value="([^"]+)"', html).group(1)
        await add(buyer, {"slug": product_path.rsplit("/", 1)[-1], "id": product_id})
        await buyer.submit("/checkout", "/checkout", address(paymentMethod="COD"))

    arrived = page.locator("#langsung li").first
    await expect(arrived).to_contain_text("Pesanan baru: SP-")
    number = re.search(r"SP-\d{4}-\d{6}", await arrived.inner_text()).group(0)
    await page.locator("#langsung li").first.get_by_role("link", name="Lihat").click()
    await page.get_by_label("Nomor resi").fill("JNE000111")
    await page.get_by_role("button", name=re.compile(r"^Kirim SP-")).click()
    await expect(status).to_contain_text("Dikirim")
    await expect(page.locator(f"#o-{number} .status")).to_have_text("Dikirim")
    assert problems == []
