"""The seller's money from the storefront: the Saldo page with its statement and files, payout
destinations (a checked bank account or the owner's SUKARELA) and payouts, and the Dinas' view
of the platform's books; every page refused to anyone else as a page, never a crash."""

from __future__ import annotations

import html
import re

from tests.conftest import city_admin, sign_up
from tests.cooperatives.helpers import Koperasi
from tests.orders.complaint_helpers import shipped_sale
from tests.payouts.helpers import available, bank_destination, completed_sale
from tests.storefront.conftest import visitor_of

KEY = re.compile(r'name="idempotencyKey" value="([^"]+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CHECK = re.compile(r'name="bankAccountCheckId" value="([^"]+)"')
DESTINATION = re.compile(r'<option value="([^"]+)">([^<]+)</option>')


def destinations(page: str) -> list[str]:
    """The destinations a payout may go to, as the payout form offers them."""
    select = page.split('id="f-destinationId"')[1].split("</select>")[0]
    return [value for value, _ in DESTINATION.findall(select)]


async def test_the_owner_sees_the_balance_statement_and_files_and_nobody_else(
    storefront, visitor, gql, client, live
):
    sale = await completed_sale(gql, client, live)
    page = f"/penjual/toko/{sale.shop['slug']}/saldo"
    await visitor.sign_in(sale.seller)
    dashboard = (await visitor.get(f"/penjual/toko/{sale.shop['slug']}")).text
    assert f'href="{page}"' in dashboard
    answer = await visitor.get(page)
    assert answer.status_code == 200
    assert '<dd id="tersedia">Rp30.000</dd>' in answer.text
    assert '<dd id="ditahan">Rp0</dd>' in answer.text
    assert "Penjualan" in answer.text
    assert sale.order["number"] in answer.text
    links = re.findall(r'<a href="(http[^"]+)">(CSV|Excel \(xlsx\)|PDF)</a>', answer.text)
    assert [label for _, label in links] == ["CSV", "Excel (xlsx)", "PDF"]
    csv = await client.get(html.unescape(links[0][0]))
    assert csv.status_code == 200
    assert "Tanggal;Jenis" in csv.text
    old = await visitor.get(page + "?bulan=2020-01")
    assert old.status_code == 200
    assert "Belum ada mutasi bulan ini." in old.text
    assert (await visitor.get(page + "?bulan=bukan")).status_code == 200  # the running month
    broken = await visitor.get(page + "?setelah=rusak")  # a forged cursor: the API's refusal
    assert broken.status_code == 400
    assert "Permintaan tidak dapat diproses" in broken.text

    async with visitor_of(storefront) as other_owner:
        await other_owner.sign_up_and_in(gql, "Penjual Lain")
        assert (await other_owner.get(page)).status_code == 403
        assert (await other_owner.get("/penjual/toko/tidak-ada/saldo")).status_code == 404
    async with visitor_of(storefront) as anonymous:
        answer = await anonymous.get(page)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/masuk")


async def test_a_checked_bank_account_then_a_payout_and_its_refusals(
    storefront, visitor, gql, client, live
):
    sale = await completed_sale(gql, client, live)
    page = f"/penjual/toko/{sale.shop['slug']}/tarik"
    await visitor.sign_in(sale.seller)
    assert "Tambahkan tujuan penarikan dulu." in (await visitor.get(page)).text

    unknown = await visitor.submit(
        page, page + "/cek", {"bankCode": "bca", "accountNumber": "1234567800"}
    )
    assert unknown.status_code == 400
    assert 'id="e-accountNumber"' in unknown.text
    short = await visitor.submit(page, page + "/cek", {"bankCode": "bca", "accountNumber": "12"})
    assert short.status_code == 400
    assert 'id="e-accountNumber"' in short.text
    no_bank = await visitor.submit(
        page, page + "/cek", {"bankCode": "xx", "accountNumber": "1234567801"}
    )
    assert no_bank.status_code == 400
    assert 'id="e-bankCode"' in no_bank.text

    checked = await visitor.submit(
        page, page + "/cek", {"bankCode": "bca", "accountNumber": "1234567801"}
    )
    assert checked.status_code == 200
    assert 'id="pemilik"' in checked.text
    check_id = CHECK.search(checked.text).group(1)
    async with visitor_of(storefront) as other_owner:  # another user's check: refused
        await other_owner.sign_up_and_in(gql, "Penjual Lain")
        assert (await other_owner.get(page)).status_code == 403
        posted = await other_owner.submit("/", page + "/tujuan", {"bankAccountCheckId": check_id})
        assert posted.status_code == 403
    added = await visitor.submit(page, page + "/tujuan", {"bankAccountCheckId": check_id})
    assert added.status_code == 303
    text = (await visitor.get(page)).text
    [destination_id] = destinations(text)
    assert "1234567801" in text
    again = await visitor.submit(page, page + "/tujuan", {"bankAccountCheckId": check_id})
    assert again.status_code == 400
    assert 'role="alert"' in again.text

    low = await visitor.submit(page, page, {"amount": "5.000", "destinationId": destination_id})
    assert low.status_code == 400
    assert 'id="e-amount"' in low.text
    too_much = await visitor.submit(
        page, page, {"amount": "40000", "destinationId": destination_id}
    )
    assert too_much.status_code == 400
    assert 'id="e-amount"' in too_much.text
    words = await visitor.submit(page, page, {"amount": "banyak", "destinationId": destination_id})
    assert words.status_code == 400
    assert "Isi jumlah penarikan dalam rupiah." in words.text

    form = (await visitor.get(page)).text
    fields = {"csrf_token": CSRF.search(form).group(1), "idempotencyKey": KEY.search(form).group(1),
              "amount": "Rp20.000", "destinationId": destination_id}  # fmt: skip
    for _ in range(2):  # a double click moves the money once
        assert (await visitor.http.post(page, data=fields)).status_code == 303
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 10000
    text = (await visitor.get(page)).text
    assert "Riwayat penarikan (1)" in text
    assert "Berhasil" in text
    assert '<strong id="tersedia">Rp10.000</strong>' in text

    dropped = await visitor.submit(page, page + "/hapus", {"destination_id": destination_id})
    assert dropped.status_code == 303
    assert "Tambahkan tujuan penarikan dulu." in (await visitor.get(page)).text
    gone = await visitor.submit(page, page + "/hapus", {"destination_id": destination_id})
    assert gone.status_code == 303  # the API's NOT_FOUND, said on the page
    assert "Riwayat penarikan (1)" in (await visitor.get(page)).text


async def test_a_payout_to_the_owners_sukarela(storefront, visitor, gql, client, live):
    sale = await completed_sale(gql, client, live)
    page = f"/penjual/toko/{sale.shop['slug']}/tarik"
    await visitor.sign_in(sale.seller)
    assert "Anda belum menjadi anggota aktif koperasi." in (await visitor.get(page)).text
    koperasi = await Koperasi.new(gql)
    _, membership_id = await koperasi.member(sale.seller)
    stranger = await sign_up(gql, "Orang Lain")
    _, foreign = await koperasi.member(stranger)
    refused = await visitor.submit(page, page + "/tujuan", {"membershipId": foreign})
    assert refused.status_code == 400
    assert 'id="e-membershipId"' in refused.text
    added = await visitor.submit(page, page + "/tujuan", {"membershipId": membership_id})
    assert added.status_code == 303
    text = (await visitor.get(page)).text
    [destination_id] = destinations(text)
    paid = await visitor.submit(page, page, {"amount": "30000", "destinationId": destination_id})
    assert paid.status_code == 303
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 0
    assert "Berhasil" in (await visitor.get(page)).text


async def test_the_dinas_sees_the_platform_books_and_nobody_else(storefront, visitor, gql):
    await visitor.sign_in(await city_admin(gql))
    assert 'href="/kota/pembukuan-platform"' in (await visitor.get("/kota")).text
    answer = await visitor.get("/kota/pembukuan-platform")
    assert answer.status_code == 200
    for account in ("Kas dan Bank", "Saldo Penjual", "Payout dalam Proses", "Pendapatan Komisi"):
        assert account in answer.text
    assert "Seimbang" in answer.text
    async with visitor_of(storefront) as member:
        await member.sign_up_and_in(gql)
        assert 'href="/kota/pembukuan-platform"' not in (await member.get("/kota")).text
        assert (await member.get("/kota/pembukuan-platform")).status_code == 403
    async with visitor_of(storefront) as anonymous:
        answer = await anonymous.get("/kota/pembukuan-platform")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/masuk")


async def test_held_money_shows_its_order_until_it_completes(visitor, gql, client, live):
    sale = await shipped_sale(gql, client, live, method="QRIS", delivered=True)
    await visitor.sign_in(sale.seller)
    text = (await visitor.get(f"/penjual/toko/{sale.shop['slug']}/saldo")).text
    assert '<dd id="tersedia">Rp0</dd>' in text
    assert '<dd id="ditahan">Rp30.000</dd>' in text
    releases = text.split('class="list releases"')[1].split("</ul>")[0]
    assert sale.order["number"] in releases
    assert "Rp30.000" in releases


async def test_pending_and_failed_bank_payouts_and_other_owners_posts(
    storefront, visitor, gql, client, live
):
    sale = await completed_sale(gql, client, live)
    token, shop_id = sale.seller["token"], sale.shop["id"]
    pending = await bank_destination(gql, token, shop_id, number="1234567803")
    failing = await bank_destination(gql, token, shop_id, number="1234567805")
    page = f"/penjual/toko/{sale.shop['slug']}/tarik"
    await visitor.sign_in(sale.seller)
    failed = await visitor.submit(page, page, {"amount": "10000", "destinationId": failing})
    assert failed.status_code == 303
    assert await available(gql, shop_id, token) == 30000  # returned
    waiting = await visitor.submit(page, page, {"amount": "10000", "destinationId": pending})
    assert waiting.status_code == 303
    text = (await visitor.get(page)).text
    assert "Gagal" in text
    assert "Diproses" in text
    saldo = (await visitor.get(f"/penjual/toko/{sale.shop['slug']}/saldo")).text
    assert '<dd id="diproses">Rp10.000</dd>' in saldo
    assert "Penarikan dikembalikan" in saldo

    async with visitor_of(storefront) as other_owner:
        await other_owner.sign_up_and_in(gql, "Penjual Lain")
        fields = {"amount": "10000", "destinationId": pending}
        assert (await other_owner.submit("/", page, fields)).status_code == 403
        dropped = await other_owner.submit("/", page + "/hapus", {"destination_id": pending})
        assert dropped.status_code == 403
    assert await available(gql, shop_id, token) == 20000
    assert len(destinations((await visitor.get(page)).text)) == 2
