"""Tanggung renteng through the storefront, with the live API behind it: the pengurus forms a
group and sees its standing; a member agrees to a fellow member's loan and pays toward the
group's arrears from SUKARELA, seeing what the borrower owes them."""

from __future__ import annotations

import re

from tests.conftest import assert_books_balance
from tests.cooperatives.helpers import sukarela
from tests.loans.helpers import apply, approve, disburse, late_by
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import new_koperasi

LOAN_ID = re.compile(r'name="loanId" value="([^"]+)"')


async def test_a_group_formed_agrees_to_a_loan_and_pays_its_arrears(visitor, gql, storefront):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    payer = await visitor.sign_up_and_in(gql, "Ibu Penolong")
    _, payer_membership = await koperasi.member(payer)
    borrower, borrower_membership = await koperasi.member()
    _, third = await koperasi.member()
    groups, form = f"/pengurus/{slug}/kelompok", f"/pengurus/{slug}/kelompok/bentuk"
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        assert "Belum ada kelompok." in (await pengurus.get(groups)).text
        few = await pengurus.submit(
            groups, form, {"name": "Mawar", "graceDays": "5", "membershipIds": [third]}
        )
        assert few.status_code == 303
        assert "3 sampai 10 anggota" in (await pengurus.get(groups)).text
        ids = [payer_membership, borrower_membership, third]
        formed = await pengurus.submit(
            groups, form, {"name": "Mawar", "graceDays": "5", "membershipIds": ids}
        )
        assert formed.status_code == 303
        page = (await pengurus.get(groups)).text
        assert "Kelompok Mawar dibentuk." in page
        assert "Mawar · Lancar" in page
    # The borrower applies; the payer agrees on the group's page.
    mine = f"/anggota/{slug}/kelompok"
    loan_id = (await apply(koperasi, borrower_membership, borrower["token"]))["loan"]["id"]
    before = (await visitor.get(mine)).text
    assert "disetujui 0 dari 1 anggota" in before
    assert LOAN_ID.findall(before) == [loan_id]
    agreed = await visitor.submit(mine, f"{mine}/setujui", {"loanId": loan_id})
    assert agreed.status_code == 303
    assert "Persetujuan Anda tercatat." in (await visitor.get(mine)).text
    again = await visitor.submit(mine, f"{mine}/setujui", {"loanId": loan_id})
    assert again.status_code == 303
    assert "sudah menyetujui" in (await visitor.get(mine)).text
    assert (await approve(koperasi, loan_id))["errors"] == []
    assert (await disburse(koperasi, loan_id))["errors"] == []
    await late_by(loan_id, 3)
    # The payer pays part of the arrears from SUKARELA.
    await koperasi.deposit(payer_membership, 100_000)
    late = (await visitor.get(mine)).text
    assert "Tunggakan kelompok" in late
    assert "Rp118.000" in late
    paid = await visitor.submit(
        mine, f"{mine}/bayar", {"groupId": _group_id(late), "amount": "40.000"}
    )
    assert paid.status_code == 303
    after = (await visitor.get(mine)).text
    assert "Pembayaran tunggakan kelompok Rp40.000 dari simpanan sukarela tercatat." in after
    assert "Rp78.000" in after
    assert "berutang kepada Anda Rp40.000" in after
    assert await sukarela(payer_membership) == 60_000
    too_much = await visitor.submit(
        mine, f"{mine}/bayar", {"groupId": _group_id(after), "amount": "90.000"}
    )
    assert too_much.status_code == 303
    assert "melebihi tunggakan kelompok" in (await visitor.get(mine)).text
    await assert_books_balance()


def _group_id(page: str) -> str:
    found = re.search(r'name="groupId" value="([^"]+)"', page)
    assert found
    return found.group(1)
