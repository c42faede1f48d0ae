"""The books in Chromium: a pengurus records a payment and sees it in the ledger's running
balance."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from resolvers.platform import today
from tests.cooperatives.books import cash, chart
from tests.storefront.conftest import CHROMIUM
from tests.storefront.helpers import new_koperasi
from tests.storefront.test_browser_cooperatives import sign_in

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium")


async def test_pengurus_records_a_payment_and_sees_the_running_balance(open_page, site, gql):
    koperasi = await new_koperasi(gql)
    ids = {account["name"]: account["id"] for account in await chart(koperasi)}
    await cash(koperasi, ids["Pendapatan Lain-lain"], 1_000_000, today().isoformat())
    page, problems = await open_page()

    await sign_in(page, site, koperasi.pengurus)
    await page.get_by_role("link", name="Pengurus").click()
    await page.get_by_role("link", name="Pembukuan").click()
    await page.get_by_role("link", name="Catat penerimaan atau pengeluaran kas").click()
    await page.get_by_label("Pengeluaran (uang keluar)").check()
    await page.get_by_label("Akun lawan (pendapatan, beban, aset, ...)").select_option(
        ids["Beban Listrik dan Air"]
    )
    await page.get_by_label("Jumlah (rupiah)").fill("250.000")
    await page.get_by_label("Keterangan").fill("Listrik November")
    await page.get_by_role("button", name="Catat kas").click()
    await expect(page.get_by_role("status")).to_have_text("Entri tercatat.")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pengeluaran kas: Listrik November"
    )

    await page.get_by_role("link", name="1-1100 Kas").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Buku besar")
    rows = page.get_by_role("row")
    await expect(rows.filter(has_text="Listrik November")).to_contain_text("Rp750.000")
    await expect(rows.filter(has_text="Saldo akhir")).to_contain_text("Rp750.000")
    assert problems == []
