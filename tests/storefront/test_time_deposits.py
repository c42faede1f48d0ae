"""Simpanan berjangka through the storefront, with the live API behind it: a member opens a
deposit from SUKARELA, sees it, is told the API's refusal, and withdraws it early."""

from __future__ import annotations

import re

from tests.conftest import assert_books_balance
from tests.cooperatives.deposits import product_id
from tests.cooperatives.helpers import sukarela
from tests.storefront.helpers import new_koperasi

DEPOSIT_ID = re.compile(r'name="depositId" value="([^"]+)"')


async def test_a_member_opens_and_withdraws_a_time_deposit(visitor, gql, storefront):
    koperasi = await new_koperasi(gql)
    account = await visitor.sign_up_and_in(gql, "Ibu Penabung")
    _, membership_id = await koperasi.member(account)
    assert (await koperasi.deposit(membership_id, 3_000_000))["errors"] == []
    product = await product_id(koperasi, name="Berjangka 6 Bulan", termMonths=6, minimum=1_000_000)
    slug = koperasi.cooperative["slug"]
    page, action = f"/anggota/{slug}", f"/anggota/{slug}/berjangka"
    before = (await visitor.get(page)).text
    assert "Tidak ada simpanan berjangka." in before
    assert "Berjangka 6 Bulan · 6 bulan" in before

    low = await visitor.submit(page, action, {"productId": product, "amount": "500.000",
                                              "maturityInstruction": "PAY_OUT"})  # fmt: skip
    assert low.status_code == 303
    assert "setoran minimum" in (await visitor.get(page)).text
    opened = await visitor.submit(page, action, {"productId": product, "amount": "2.000.000",
                                                 "maturityInstruction": "ROLL_OVER"})  # fmt: skip
    assert opened.status_code == 303
    mine = (await visitor.get(page)).text
    assert "Simpanan berjangka Rp2.000.000 dibuka." in mine
    assert "Rp2.000.000 · Berjangka 6 Bulan · Berjalan" in mine
    assert "diperpanjang otomatis (ARO)" in mine
    assert await sukarela(membership_id) == 1_000_000

    (deposit,) = DEPOSIT_ID.findall(mine)
    cash_out = f"/anggota/{slug}/berjangka/cairkan"
    withdrawn = await visitor.submit(page, cash_out, {"depositId": deposit})
    assert withdrawn.status_code == 303
    after = (await visitor.get(page)).text
    assert "Simpanan berjangka dicairkan: Rp1.980.000 ke sukarela." in after  # 1% penalty
    assert "Dicairkan sebelum jatuh tempo" in after
    again = await visitor.submit(page, cash_out, {"depositId": deposit})
    assert again.status_code == 303
    assert "sudah ditutup" in (await visitor.get(page)).text
    assert await sukarela(membership_id) == 2_980_000
    await assert_books_balance()
