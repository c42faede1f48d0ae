"""Phone-width screenshots of the storefront's main pages, for the README.

Run against `satupintu demo`: the demo seller Siti opens a shop (once), the demo buyer Budi
fills a cart with it and another shop's product, checks out, and Siti sees the order. Then
the cooperatives' pages: the directory and the first demo cooperative, Budi's membership of
it, its pengurus Rina's members, loans and SHU pages (last year's SHU previewed at the books'
surplus), and /kota as the Dinas sees it.
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


async def sign_in(page, base: str, email: str) -> None:
    await page.goto(base + "/masuk")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Kata sandi").fill("satupintu123")
    await page.get_by_role("button", name="Masuk").click()


async def seller_shop(page, base: str) -> str:
    """Siti's shop, opened with one product the first time."""
    await sign_in(page, base, "siti@satupintu.id")
    await page.goto(base + "/penjual")
    mine = page.locator("main a[href^='/penjual/toko/']")
    if not await mine.count():
        await page.goto(base + "/penjual/toko-baru")
        await page.get_by_label("Nama toko").fill("Dapur Bu Siti")
        await page.get_by_label("Kelurahan").select_option(label="Sukaasih")
        await page.get_by_label("Nomor WhatsApp").fill("0812 0000 0002")
        await page.get_by_role("button", name="Buka toko").click()
        await page.get_by_role("link", name="Tambah produk").click()
        await page.get_by_label("Nama produk").fill("Kue Lapis Legit Bu Siti")
        await page.get_by_label("Harga (rupiah)").fill("45.000")
        await page.get_by_label("Stok").fill("50")
        await page.get_by_label("Kategori").select_option(label="Kue & Roti")
        await page.get_by_role("button", name="Simpan").click()
        await page.goto(base + "/penjual")
    return await mine.first.get_attribute("href")


async def main(base: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium")
        seller = await (await browser.new_context(viewport=PHONE)).new_page()
        dashboard = await seller_shop(seller, base)

        page = await (await browser.new_context(viewport=PHONE)).new_page()
        await shoot(page, base, "beranda", "/")
        await shoot(page, base, "cari", "/cari?q=kripik")
        first = await page.locator(".card a").first.get_attribute("href")
        await shoot(page, base, "produk", first)
        shop = await page.locator("a[href^='/toko/']").first.get_attribute("href")
        await shoot(page, base, "toko", shop)

        await sign_in(page, base, "budi@satupintu.id")
        for query in ("keripik", "lapis legit bu siti"):
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

        await shoot(seller, base, "penjual", dashboard)
        await cooperative_pages(browser, base, page)
        await browser.close()


async def cooperative_pages(browser, base: str, member) -> None:
    """Koperasi, anggota (as Budi, signed in on `member`), pengurus and kota."""
    await shoot(member, base, "koperasi", "/koperasi")
    await member.goto(base + "/anggota")
    membership = await member.locator("main a[href^='/anggota/']").first.get_attribute("href")
    slug = membership.rsplit("/", 1)[-1]
    await shoot(member, base, "koperasi-halaman", f"/koperasi/{slug}")
    await shoot(member, base, "anggota", membership)

    pengurus = await (await browser.new_context(viewport=PHONE)).new_page()
    await sign_in(pengurus, base, "pengurus@satupintu.id")
    await shoot(pengurus, base, "pengurus", f"/pengurus/{slug}")
    await shoot(pengurus, base, "pinjaman", f"/pengurus/{slug}/pinjaman")
    await shu_preview(pengurus, base, slug)

    dinas = await (await browser.new_context(viewport=PHONE)).new_page()
    await sign_in(dinas, base, "dinas@satupintu.id")
    await shoot(dinas, base, "kota", "/kota")


async def shu_preview(page, base: str, slug: str) -> None:
    """Last year's SHU previewed at the books' surplus (read off a first, tiny preview)."""
    await page.goto(f"{base}/pengurus/{slug}/shu")
    year = await page.get_by_label("Tahun buku (sudah ditutup)").input_value()
    shares = "cadangan=40&jasa_modal=25&jasa_anggota=25"
    await page.goto(f"{base}/pengurus/{slug}/shu?tahun={year}&shu=1&{shares}")
    books = page.locator("tr", has_text="Surplus menurut pembukuan").locator("td")
    surplus = re.sub(r"\D", "", await books.inner_text())
    await shoot(page, base, "shu", f"/pengurus/{slug}/shu?tahun={year}&shu={surplus}&{shares}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8001"))
