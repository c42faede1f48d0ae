"""Autodebet through the storefront, with the live API behind it: a member authorises it,
pauses, resumes and cancels it and is told the API's refusal; a pengurus runs it for a day
and reads what it paid; someone else's page is not theirs."""

from __future__ import annotations

import re

from models.bills import BillKind
from tests.bills.auto_debit import due_bill
from tests.conftest import assert_books_balance
from tests.cooperatives.helpers import sukarela
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import new_koperasi

INSTRUCTION_ID = re.compile(r'name="instructionId" value="([^"]+)"')


async def test_a_member_runs_their_auto_debit_and_the_pengurus_runs_it_for_a_day(
    visitor, gql, storefront
):
    koperasi = await new_koperasi(gql)
    account = await visitor.sign_up_and_in(gql, "Bapak Autodebet")
    _, membership_id = await koperasi.member(account)
    assert (await koperasi.deposit(membership_id, 30_000))["errors"] == []
    slug = koperasi.cooperative["slug"]
    page, action = f"/anggota/{slug}/autodebet", f"/anggota/{slug}/autodebet"
    assert f'href="{page}"' in (await visitor.get(f"/anggota/{slug}")).text
    before = (await visitor.get(page)).text
    assert "Belum ada autodebet." in before
    assert "Aktifkan autodebet" in before

    none = await visitor.submit(page, action, {})
    assert none.status_code == 303
    assert "Pilih tagihan simpanan wajib" in (await visitor.get(page)).text
    made = await visitor.submit(page, action, {"kinds": ["SIMPANAN_WAJIB", "LOAN_INSTALLMENT"]})
    assert made.status_code == 303
    mine = (await visitor.get(page)).text
    assert "Autodebet aktif." in mine
    assert "Aktif · Angsuran pinjaman, Simpanan wajib" in mine
    assert "Aktifkan autodebet</button>" not in mine
    again = await visitor.submit(page, action, {"kinds": ["SIMPANAN_WAJIB"]})
    assert again.status_code == 303
    assert "sudah punya instruksi autodebet" in (await visitor.get(page)).text

    (instruction,) = INSTRUCTION_ID.findall(mine)
    change = f"/anggota/{slug}/autodebet/ubah"
    await visitor.submit(page, change, {"instructionId": instruction, "action": "jeda"})
    paused = (await visitor.get(page)).text
    assert "Autodebet dijeda." in paused
    assert "Dijeda · Angsuran pinjaman, Simpanan wajib" in paused
    assert "Lanjutkan autodebet" in paused
    await visitor.submit(page, change, {"instructionId": instruction, "action": "jeda"})
    assert "tidak bisa diubah" in (await visitor.get(page)).text
    await visitor.submit(page, change, {"instructionId": instruction, "action": "lanjut"})
    assert "Autodebet aktif lagi" in (await visitor.get(page)).text

    # The pengurus runs it for today: the wajib due is paid from SUKARELA.
    await due_bill(membership_id, BillKind.SIMPANAN_WAJIB, 20_000, 1)
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        home = f"/pengurus/{slug}"
        assert f'action="/pengurus/{slug}/autodebet"' in (await pengurus.get(home)).text
        ran = await pengurus.submit(home, f"/pengurus/{slug}/autodebet", {})
        assert ran.status_code == 303
        told = (await pengurus.get(home)).text
        assert "1 tagihan dibayar (Rp20.000), 0 tagihan tidak tertutup saldo sukarela." in told
        later = await pengurus.submit(home, f"/pengurus/{slug}/autodebet", {"date": "2999-01-01"})
        assert later.status_code == 303
        assert "tanggal nanti" in (await pengurus.get(home)).text
        # The member's page is the member's: the pengurus has none there.
        assert (await pengurus.get(page)).status_code == 404
    assert await sukarela(membership_id) == 10_000

    await visitor.submit(page, change, {"instructionId": instruction, "action": "batal"})
    cancelled = (await visitor.get(page)).text
    assert "Autodebet dibatalkan." in cancelled
    assert "Dibatalkan · Angsuran pinjaman, Simpanan wajib" in cancelled
    assert "Aktifkan autodebet</button>" in cancelled
    await assert_books_balance()


async def test_another_members_instruction_cannot_be_changed_from_the_page(
    visitor, gql, storefront
):
    koperasi = await new_koperasi(gql)
    owner = await visitor.sign_up_and_in(gql, "Ibu Pemilik")
    await koperasi.member(owner)
    slug = koperasi.cooperative["slug"]
    page = f"/anggota/{slug}/autodebet"
    await visitor.submit(page, page, {"kinds": ["SIMPANAN_WAJIB"]})
    (instruction,) = INSTRUCTION_ID.findall((await visitor.get(page)).text)
    async with visitor_of(storefront) as neighbour:
        account = await neighbour.sign_up_and_in(gql, "Tetangga")
        await koperasi.member(account)
        change = f"/anggota/{slug}/autodebet/ubah"
        await neighbour.submit(page, change, {"instructionId": instruction, "action": "batal"})
        assert "Instruksi autodebet tidak ditemukan." in (await neighbour.get(page)).text
    assert "Aktif · Simpanan wajib" in (await visitor.get(page)).text
