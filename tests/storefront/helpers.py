"""The storefront as its tests drive it: the cart and checkout forms, through httpx and in
Chromium, and the cooperatives behind its pages."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.bills.helpers import DEPOSIT, top_up
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi
from tests.storefront.conftest import word


def address(**extra):
    return {
        "recipient": "Ibu Ratna",
        "phone": "0812 1111 2222",
        "street": "Jl. Perintis Kemerdekaan No. 5",
        "kelurahanCode": "36.71.01.1002",
        "paymentMethod": "COD",
        **extra,
    }


async def add(visitor, product, quantity=1):
    return await visitor.submit(
        f"/produk/{product['slug']}",
        "/keranjang/tambah",
        {"product_id": product["id"], "slug": product["slug"], "quantity": str(quantity)},
    )


async def check_out(page: Page, site: str, method: str) -> None:
    await page.get_by_role("link", name="Lanjut ke pembayaran").click()
    await page.get_by_label("Nama penerima").fill("Rina")
    await page.get_by_label("Nomor HP").fill("0812 7777 8888")
    await page.get_by_label("Alamat (jalan, nomor, RT/RW)").fill("Jl. Daan Mogot No. 12")
    await page.get_by_label("Kelurahan").select_option(label="Sukaasih")
    await page.get_by_label(method).check()
    await page.get_by_role("button", name="Buat pesanan").click()
    await expect(page).to_have_url(f"{site}/pesanan")


async def member_with_bills(gql, savings: int) -> tuple[Koperasi, dict, str]:
    """A member owing their simpanan pokok (Rp100.000), with `savings` in SUKARELA, of a
    cooperative whose Deposit PPOB pays outside bills."""
    koperasi = await Koperasi.new(gql, name=f"Koperasi {word().title()} Tagihan")
    assert (await top_up(koperasi, DEPOSIT))["errors"] == []
    member, membership_id = await koperasi.member(await sign_up(gql, "Rina Anggota"))
    if savings:
        await koperasi.deposit(membership_id, savings)
    return koperasi, member, membership_id


async def new_koperasi(gql, name: str | None = None) -> Koperasi:
    return await Koperasi.new(gql, name=name or f"Koperasi {word().title()} Sejahtera")
