"""A buyer's journey in a real headless Chromium, with JavaScript on and off.

Debian's chromium (`apt-get install chromium`; `.ci/run` installs it) driven by Playwright.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from storefront.app import create_app
from tests.storefront.conftest import SECRET, served

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")


@pytest.fixture(scope="session")
async def browser() -> Browser:
    async with async_playwright() as playwright:
        found = await playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield found
        await found.close()


@pytest.fixture(scope="session")
async def site(live):
    app = create_app(live.url, SECRET)
    async with served(app) as url:
        yield url
    await app.state.api.close()


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


async def check_out(page: Page, site: str, method: str) -> None:
    await page.get_by_role("link", name="Lanjut ke pembayaran").click()
    await page.get_by_label("Nama penerima").fill("Rina")
    await page.get_by_label("Nomor HP").fill("0812 7777 8888")
    await page.get_by_label("Alamat (jalan, nomor, RT/RW)").fill("Jl. Daan Mogot No. 12")
    await page.get_by_label("Kelurahan").select_option(label="Sukaasih")
    await page.get_by_label(method).check()
    await page.get_by_role("button", name="Buat pesanan").click()
    await expect(page).to_have_url(f"{site}/pesanan")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
async def test_buyer_searches_filters_buys_from_two_shops_by_qris_and_cod(
    browser, site, catalogue, javascript
):
    context = await browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(request.url))
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
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
    await context.close()
