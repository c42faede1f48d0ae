"""Phone-width screenshots of the storefront's main pages, for the README.

Run against `satupintu demo` (it signs in as a demo buyer and fills a cart):
    .venv/bin/python docs/screenshots/take.py http://127.0.0.1:8001
"""

import asyncio
import re
import sys
from pathlib import Path

from playwright.async_api import async_playwright

HERE = Path(__file__).parent
PHONE = {"width": 390, "height": 844}
TALLEST = 1700


async def shoot(page, base: str, name: str, path: str) -> None:
    await page.goto(base + path, wait_until="networkidle")
    height = await page.evaluate("document.documentElement.scrollHeight")
    clip = {"x": 0, "y": 0, "width": PHONE["width"], "height": min(height, TALLEST)}
    await page.screenshot(path=HERE / f"{name}.png", full_page=True, clip=clip)


async def main(base: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = await browser.new_page(viewport=PHONE)
        await shoot(page, base, "beranda", "/")
        await shoot(page, base, "cari", "/cari?q=kripik")
        first = await page.locator(".card a").first.get_attribute("href")
        await shoot(page, base, "produk", first)
        shop = await page.locator("a[href^='/toko/']").first.get_attribute("href")
        await shoot(page, base, "toko", shop)

        await page.goto(base + "/masuk")
        await page.get_by_label("Email").fill("budi@satupintu.id")
        await page.get_by_label("Kata sandi").fill("satupintu123")
        await page.get_by_role("button", name="Masuk").click()
        for query in ("keripik", "batik"):
            await page.goto(f"{base}/cari?q={query}")
            await page.locator(".card a").first.click()
            await page.get_by_role("button", name="Tambah ke keranjang").click()
        await shoot(page, base, "keranjang", "/keranjang")
        await shoot(page, base, "checkout", "/checkout")
        await page.get_by_label("Nama penerima").fill("Budi Santoso")
        await page.get_by_label("Nomor HP").fill("0812 3456 7890")
        await page.get_by_label("Alamat (jalan, nomor, RT/RW)").fill("Jl. Daan Mogot No. 12")
        await page.get_by_label("Kelurahan").select_option(label="Sukaasih")
        await page.get_by_label("QRIS").check()
        await page.get_by_role("button", name="Buat pesanan").click()
        await page.wait_for_url(re.compile(r".*/pesanan$"))
        await shoot(page, base, "pesanan", "/pesanan")
        await browser.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8001"))
