"""Members, pengurus and the Dinas in a real headless Chromium (Debian's, as test_browser)."""

from __future__ import annotations

import random
import re

import pytest
from playwright.async_api import Page, expect

from demo.loans import shop_with_a_year_of_orders
from models.platform.accounts import User
from tests.conftest import assert_books_balance, city_admin, sign_up
from tests.cooperatives.helpers import Koperasi
from tests.storefront.conftest import CHROMIUM, word
from tests.storefront.helpers import check_out

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")


async def sign_in(page: Page, site: str, account: dict) -> None:
    await page.goto(f"{site}/masuk")
    await page.get_by_label("Email").fill(account["user"]["email"])
    await page.get_by_label("Kata sandi").fill("rahasia123")
    await page.get_by_role("button", name="Masuk").click()
    await expect(page.get_by_role("button", name="Keluar")).to_be_visible()


async def new_koperasi(gql) -> Koperasi:
    return await Koperasi.new(gql, name=f"Koperasi {word().title()} Mandiri")


async def test_pengurus_approves_an_applicant(open_page, site, gql):
    koperasi = await new_koperasi(gql)
    applicant = await sign_up(gql, "Dewi Pemohon")
    assert (await koperasi.apply(applicant))["errors"] == []
    page, problems = await open_page()

    await sign_in(page, site, koperasi.pengurus)
    await page.get_by_role("link", name="Pengurus").click()
    await page.get_by_role("link", name=koperasi.cooperative["name"]).click()
    await expect(page.get_by_role("heading", name="Permohonan anggota (1)")).to_be_visible()
    await page.get_by_role("button", name="Terima Dewi Pemohon").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Dewi Pemohon diterima sebagai anggota no. 1."
    )
    await expect(page.get_by_role("heading", name="Anggota aktif (1)")).to_be_visible()
    assert problems == []


async def test_member_sees_savings_and_the_feed_move_when_the_pengurus_deposits(
    open_page, site, gql
):
    koperasi = await new_koperasi(gql)
    member, _ = await koperasi.member(await sign_up(gql, "Budi Anggota"))
    slug = koperasi.cooperative["slug"]
    page, problems = await open_page()
    teller, teller_problems = await open_page()

    await sign_in(page, site, member)
    await page.goto(f"{site}/anggota/{slug}")
    sukarela = page.locator('[data-account="SUKARELA"]')
    await expect(sukarela).to_have_text("Rp0")
    await expect(page.locator("#langsung-status")).to_contain_text("Terhubung")

    await sign_in(teller, site, koperasi.pengurus)
    await teller.goto(f"{site}/pengurus/{slug}")
    await teller.get_by_label("Anggota", exact=True).select_option(label="No. 1 · Budi Anggota")
    await teller.get_by_label("Simpanan", exact=True).select_option("SUKARELA")
    await teller.get_by_label("Jumlah (rupiah)").fill("75.000")
    await teller.get_by_role("button", name="Catat setoran").click()
    await expect(teller.get_by_role("status")).to_contain_text("Saldo kini Rp75.000")

    # Live, without reloading: the feed's new line, the balance and the total.
    await expect(page.locator("#langsung li").first).to_contain_text(
        "Anggota no. 1 · Setoran simpanan sukarela Rp75.000"
    )
    await expect(sukarela).to_have_text("Rp75.000")
    await expect(page.locator("#total-simpanan")).to_have_text("Rp75.000")
    assert problems == []
    assert teller_problems == []
    await assert_books_balance()


async def test_the_dinas_records_a_socialisation(open_page, site, gql):
    page, problems = await open_page()
    await sign_in(page, site, await city_admin(gql))
    await page.get_by_role("link", name="Kota").click()
    form = await page.content()
    code = re.search(r'<tr id="kel-([0-9.]+)">(?:(?!</tr>).)*Belum', form).group(1)
    await page.get_by_label("Kelurahan", exact=True).select_option(code)
    await page.get_by_label("Tanggal").fill("2026-11-20")
    await page.get_by_label("Catatan").fill("Sosialisasi di balai warga")
    await page.get_by_role("button", name="Catat sosialisasi").click()
    await expect(page.get_by_role("status")).to_have_text("Sosialisasi tercatat.")
    await expect(page.locator(f'[id="kel-{code}"]')).to_contain_text("20 November 2026")
    assert problems == []


async def test_a_member_checks_out_paying_from_savings(open_page, site, gql, catalogue):
    koperasi = await new_koperasi(gql)
    member, membership_id = await koperasi.member(await sign_up(gql, "Sari Anggota"))
    await koperasi.deposit(membership_id, 100000)
    chips = catalogue["products"][0]  # Rp15.000
    page, problems = await open_page()

    await sign_in(page, site, member)
    await page.goto(f"{site}/produk/{chips['slug']}")
    await page.get_by_role("button", name="Tambah ke keranjang").click()
    # the only membership is the one chosen: paid at once from its SUKARELA
    await check_out(page, site, "Simpanan sukarela koperasi")
    order = page.locator("article.order").first
    await expect(order).to_contain_text("Simpanan sukarela koperasi")
    await expect(order.locator(".status")).to_have_text("Diproses penjual")

    await page.goto(f"{site}/anggota/{koperasi.cooperative['slug']}")
    await expect(page.locator('[data-account="SUKARELA"]')).to_have_text("Rp85.000")
    assert problems == []
    await assert_books_balance()


async def test_a_member_applies_sharing_sales_and_sees_the_schedule_once_disbursed(
    open_page, site, gql
):
    koperasi = await new_koperasi(gql)
    member, _ = await koperasi.member(await sign_up(gql, "Rina Peminjam"))
    owner = await User.get(email=member["user"]["email"])
    buyer = await User.filter(id__not=owner.id).first()
    assert buyer is not None
    await shop_with_a_year_of_orders(random.Random(5), owner, buyer.id)
    slug = koperasi.cooperative["slug"]
    page, problems = await open_page()
    pengurus, pengurus_problems = await open_page(javascript=False)

    await sign_in(page, site, member)
    await page.goto(f"{site}/anggota/{slug}")
    await expect(
        page.get_by_text("pengurus koperasi akan melihat penjualan toko Anda")
    ).to_be_visible()
    await page.get_by_label("Jumlah pinjaman (rupiah)").fill("3.000.000")
    await page.get_by_label("Jangka waktu (bulan)").fill("6")
    await page.get_by_label("Keperluan").fill("Etalase warung")
    await page.get_by_label("Bagikan penjualan toko saya kepada pengurus").check()
    await page.get_by_role("button", name="Ajukan pinjaman").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Pengajuan pinjaman terkirim. Pengurus akan memeriksanya."
    )
    await expect(
        page.get_by_role("heading", name="Rp3.000.000 · 6 bulan · Diajukan")
    ).to_be_visible()

    await sign_in(pengurus, site, koperasi.pengurus)
    await pengurus.goto(f"{site}/pengurus/{slug}/pinjaman")
    await expect(pengurus.get_by_role("heading", name="Pengajuan (1)")).to_be_visible()
    chart = pengurus.get_by_role("img", name="Omzet bulanan toko Rina Peminjam")
    await expect(chart).to_be_visible()
    await expect(chart.locator("rect")).to_have_count(12)
    await pengurus.get_by_label("Bunga (% per tahun)").fill("12")
    await pengurus.get_by_role("radio", name=re.compile("^Anuitas")).check()
    await pengurus.get_by_role("button", name="Setujui pinjaman Rina Peminjam").click()
    await expect(pengurus.get_by_role("status")).to_have_text("Pinjaman Rina Peminjam disetujui.")
    await pengurus.get_by_role("button", name="Cairkan Rp3.000.000 ke simpanan sukarela").click()
    await expect(pengurus.get_by_role("status")).to_have_text(
        "Pinjaman Rina Peminjam dicairkan ke simpanan sukarela."
    )
    await expect(pengurus.get_by_role("heading", name="Pinjaman berjalan (1)")).to_be_visible()

    await page.reload()
    await expect(
        page.get_by_role("heading", name="Rp3.000.000 · 6 bulan · Berjalan")
    ).to_be_visible()
    schedule = page.locator("table.schedule tbody tr")
    await expect(schedule).to_have_count(6)
    await expect(schedule.first).to_contain_text("Belum")
    await expect(page.get_by_text("angsuran berikutnya ke-1")).to_be_visible()
    await expect(page.locator('[data-account="SUKARELA"]')).to_have_text("Rp3.000.000")
    assert problems == []
    assert pengurus_problems == []
    await assert_books_balance()


async def test_member_pays_all_bills_from_savings_and_sees_the_feed_move(open_page, site, gql):
    koperasi = await new_koperasi(gql)
    member, membership_id = await koperasi.member(await sign_up(gql, "Wati Anggota"))
    await koperasi.deposit(membership_id, 150000)
    slug = koperasi.cooperative["slug"]
    feed, problems = await open_page()
    pengurus, pengurus_problems = await open_page()

    await sign_in(feed, site, member)
    await feed.goto(f"{site}/anggota/{slug}")
    await expect(feed.locator("#langsung-status")).to_contain_text("Terhubung")

    await sign_in(pengurus, site, koperasi.pengurus)
    await pengurus.goto(f"{site}/pengurus/{slug}")
    await pengurus.get_by_role("button", name="Terbitkan tagihan").click()
    await expect(pengurus.get_by_role("status")).to_contain_text("1 tagihan baru diterbitkan")

    paying = await feed.context.new_page()
    await paying.goto(f"{site}/anggota/{slug}")
    await paying.get_by_role("link", name="Bayar tagihan").click()
    await paying.get_by_role(
        "button", name="Bayar semua dari simpanan sukarela (Rp120.000)"
    ).click()
    await expect(paying.locator("#status-kuitansi")).to_have_text("Dibayar")
    await expect(paying.locator("#total-kuitansi")).to_have_text("Rp120.000")

    # Live, on the page opened before paying: each bill's two lines, and the new balance.
    paid = feed.locator("#langsung li").filter(has_text="Anggota no. 1 · Pembayaran tagihan")
    await expect(paid).to_have_count(4)
    for text in (
        "simpanan sukarela -Rp100.000",
        "simpanan pokok Rp100.000",
        "simpanan sukarela -Rp20.000",
        "simpanan wajib Rp20.000",
    ):
        await expect(paid.filter(has_text=text)).to_have_count(1)
    await expect(feed.locator('[data-account="SUKARELA"]')).to_have_text("Rp30.000")
    assert problems == []
    assert pengurus_problems == []
    await assert_books_balance()
