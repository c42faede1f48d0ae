"""The seller's money in Chromium without JavaScript: the owner reads the Saldo page, adds a
bank account after seeing its holder's name, and takes money out; the Dinas reads the
platform's books; no page has inline code or an unlabelled field."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.conftest import city_admin
from tests.payouts.helpers import completed_sale
from tests.storefront.conftest import CHROMIUM
from tests.storefront.test_browser_cooperatives import sign_in
from tests.storefront.test_browser_marketplace import assert_clean

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")


async def test_the_owner_adds_a_bank_account_and_takes_money_out(
    open_page, site, gql, client, live
):
    sale = await completed_sale(gql, client, live)
    page, problems = await open_page(javascript=False)
    await sign_in(page, site, sale.seller)
    await page.goto(f"{site}/penjual/toko/{sale.shop['slug']}")
    await page.get_by_role("link", name="Saldo", exact=True).click()
    await expect(page.locator("#tersedia")).to_have_text("Rp30.000")
    await expect(page.get_by_role("link", name="PDF")).to_be_visible()
    await assert_clean(page)

    await page.get_by_role("link", name="Tarik saldo").click()
    await assert_clean(page)
    await page.get_by_label("Bank").select_option("bca")
    await page.get_by_label("Nomor rekening").fill("1234567801")
    await page.get_by_role("button", name="Cek rekening").click()
    await expect(page.locator("#pemilik")).not_to_be_empty()
    await page.get_by_role("button", name="Benar, tambahkan rekening ini").click()
    await expect(page.locator(".destinations")).to_contain_text("1234567801")
    await assert_clean(page)

    await page.get_by_label("Jumlah (rupiah)").fill("25.000")
    await page.get_by_role("button", name="Tarik saldo").click()
    await expect(page.locator("#tersedia")).to_have_text("Rp5.000")
    await expect(page.locator(".payouts")).to_contain_text("Berhasil")
    await assert_clean(page)
    assert problems == []


async def test_the_dinas_reads_the_platform_books(open_page, site, gql):
    page, problems = await open_page(javascript=False)
    await sign_in(page, site, await city_admin(gql))
    await page.goto(f"{site}/kota")
    await page.get_by_role("link", name="Pembukuan platform").click()
    await expect(page.get_by_role("rowheader", name="Saldo Penjual")).to_be_visible()
    await assert_clean(page)
    assert problems == []
