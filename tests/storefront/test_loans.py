"""Pinjaman and SHU through the storefront, with the live API behind it: a member applies,
the pengurus decides, disburses and collects; a year's SHU previewed and distributed once."""

from __future__ import annotations

import random
import re
from datetime import datetime

from demo.loans import shop_with_a_year_of_orders
from models.cooperatives.books import EntryKind
from models.cooperatives.cooperative import Membership, SavingsKind
from models.platform.accounts import User
from resolvers.cooperatives.books import KAS, PENDAPATAN_JASA, Journal, Line
from resolvers.cooperatives.savings import post_deposit
from resolvers.platform.clock import JAKARTA, today
from schema.platform.ids import decode_id
from storefront.pages.pengurus_loans import CHART_HEIGHT, sales_bars
from tests.conftest import assert_books_balance
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import new_koperasi

LOAN_ID = re.compile(r'name="loan_id" value="([^"]+)"')
NOTICE = "pengurus koperasi akan melihat penjualan toko Anda di SatuPintu selama 12 bulan"


async def member_with_shop(visitor, gql, koperasi: Koperasi) -> str:
    """The visitor signed in as an active member who sells in the marketplace; the slug."""
    account = await visitor.sign_up_and_in(gql, "Ibu Warung")
    await koperasi.member(account)
    owner = await User.get(email=account["user"]["email"])
    buyer = await User.filter(id__not=owner.id).first()
    assert buyer is not None
    await shop_with_a_year_of_orders(random.Random(3), owner, buyer.id)
    return koperasi.cooperative["slug"]


async def test_a_member_applies_sharing_sales_and_the_pengurus_approves_and_disburses(
    visitor, gql, storefront
):
    koperasi = await new_koperasi(gql)
    slug = await member_with_shop(visitor, gql, koperasi)
    page, action = f"/anggota/{slug}", f"/anggota/{slug}/pinjaman"
    before = (await visitor.get(page)).text
    assert NOTICE in before
    assert before.index(NOTICE) < before.index('name="shareShopSales"')
    assert "Tidak ada pinjaman." in before

    wrong = await visitor.submit(page, action, {"principal": "lima juta", "tenorMonths": "12"})
    assert wrong.status_code == 400
    assert re.search(r'id="f-principal"[^>]*aria-invalid="true"', wrong.text)
    too_long = await visitor.submit(
        page, action, {"principal": "2.000.000", "tenorMonths": "99", "purpose": "Modal"}
    )
    assert too_long.status_code == 400  # the API's error, beside its field
    assert re.search(
        r'id="f-tenorMonths"[^>]*aria-invalid="true" aria-describedby="e-tenorMonths"',
        too_long.text,
    )
    assert 'value="2.000.000"' in too_long.text
    applied = await visitor.submit(
        page,
        action,
        {
            "principal": "2.000.000",
            "tenorMonths": "6",
            "purpose": "Modal <warung>",
            "shareShopSales": "ya",
        },
    )
    assert applied.status_code == 303
    mine = (await visitor.get(page)).text
    assert "Rp2.000.000 · 6 bulan · Diajukan" in mine
    assert "Modal &lt;warung&gt;" in mine
    assert "Anda mengizinkan pengurus melihat penjualan toko Anda." in mine

    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        loans_page = f"/pengurus/{slug}/pinjaman"
        listed = (await pengurus.get(loans_page)).text
        assert "Pengajuan (1)" in listed
        assert "Penjualan toko pemohon, 12 bulan terakhir" in listed
        assert listed.count("<rect ") == 12
        assert len(re.findall(r'<table class="figures sales">.*?</table>', listed, re.S)) == 1
        loan_id = LOAN_ID.search(listed).group(1)
        bad_rate = await pengurus.submit(
            loans_page,
            f"{loans_page}/setujui",
            {"loan_id": loan_id, "rate": "dua belas", "method": "FLAT"},
        )
        assert bad_rate.status_code == 400
        assert f'id="e-annualRateBps-{loan_id}"' in bad_rate.text
        approved = await pengurus.submit(
            loans_page,
            f"{loans_page}/setujui",
            {"loan_id": loan_id, "rate": "12,5", "method": "FLAT"},
        )
        assert approved.status_code == 303
        after = (await pengurus.get(loans_page)).text
        assert "Pinjaman Ibu Warung disetujui." in after
        assert "Bunga 12,5% per tahun, Flat" in after
        disbursed = await pengurus.submit(loans_page, f"{loans_page}/cairkan", {"loan_id": loan_id})
        assert disbursed.status_code == 303
        active = (await pengurus.get(loans_page)).text
        assert "Pinjaman berjalan (1)" in active
        assert "kolektibilitas 1 (lancar)" in active
        assert "0 hari lewat jatuh tempo" in active
        # FLAT: 2.000.000 / 6 = 333.333 (the last 333.335) + 2.000.000 x 12,5% / 12 = 20.833
        repaid = await pengurus.submit(
            loans_page, f"{loans_page}/angsuran", {"loan_id": loan_id, "amount": "354.166"}
        )
        assert repaid.status_code == 303
        assert (
            "Angsuran pinjaman Ibu Warung tercatat; sisa pokok Rp1.666.667."
            in (await pengurus.get(loans_page)).text
        )
        too_much = await pengurus.submit(
            loans_page, f"{loans_page}/angsuran", {"loan_id": loan_id, "amount": "5.000.000"}
        )
        assert too_much.status_code == 400
        assert f'id="e-amount-{loan_id}"' in too_much.text

    schedule = (await visitor.get(page)).text
    assert "Berjalan" in schedule
    assert schedule.count("<tr><td>") >= 6
    assert "Lunas " in schedule  # the first installment
    assert "Sisa pokok <strong>Rp1.666.667</strong>" in schedule
    assert "angsuran berikutnya ke-2" in schedule
    assert "Pelunasan bila dibayar hari ini" in schedule
    assert "hari lewat jatuh tempo" not in schedule  # the pengurus's figures only
    await assert_books_balance()


async def test_a_loan_not_shared_shows_no_sales_and_a_rejection_shows_its_reason(
    visitor, gql, storefront
):
    koperasi = await new_koperasi(gql)
    slug = await member_with_shop(visitor, gql, koperasi)
    page = f"/anggota/{slug}"
    fields = {"principal": "500.000", "tenorMonths": "3", "purpose": "Gerobak"}
    assert (await visitor.submit(page, f"{page}/pinjaman", fields)).status_code == 303
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        listed = (await pengurus.get(f"/pengurus/{slug}/pinjaman")).text
        assert "Pemohon tidak membagikan penjualan tokonya." in listed
        assert "<rect " not in listed
        loan_id = LOAN_ID.search(listed).group(1)
        rejected = await pengurus.submit(
            f"/pengurus/{slug}/pinjaman",
            f"/pengurus/{slug}/pinjaman/tolak",
            {"loan_id": loan_id, "reason": "Simpanan belum cukup"},
        )
        assert rejected.status_code == 303
    mine = (await visitor.get(page)).text
    assert "Ditolak" in mine
    assert "Alasan penolakan: Simpanan belum cukup" in mine


async def test_a_member_cannot_reach_the_pengurus_loan_and_shu_pages(visitor, gql):
    koperasi = await new_koperasi(gql)
    slug = await member_with_shop(visitor, gql, koperasi)
    for path in (f"/pengurus/{slug}/pinjaman", f"/pengurus/{slug}/shu"):
        assert (await visitor.get(path)).status_code == 404
    _, _, loan_id = await active_loan(koperasi)
    for action in ("setujui", "cairkan", "angsuran", "tolak"):
        refused = await visitor.submit(
            f"/anggota/{slug}", f"/pengurus/{slug}/pinjaman/{action}", {"loan_id": loan_id}
        )
        assert refused.status_code == 404, action


async def test_another_cooperative_s_pengurus_gets_the_api_s_refusal(visitor, gql, storefront):
    here, there = await new_koperasi(gql), await new_koperasi(gql)
    _, _, loan_id = await active_loan(here)
    slug = there.cooperative["slug"]
    async with visitor_of(storefront) as outsider:
        await outsider.sign_in(there.pengurus)
        page = f"/pengurus/{slug}/pinjaman"
        for action, fields in (
            ("angsuran", {"amount": "100.000"}),
            ("cairkan", {}),
            ("setujui", {"rate": "12", "method": "FLAT"}),
            ("tolak", {"reason": "Bukan di sini"}),
        ):
            refused = await outsider.submit(
                page, f"{page}/{action}", {"loan_id": loan_id, **fields}
            )
            assert refused.status_code == 400, (action, refused.status_code)
            alert = re.search(r'<div class="error" role="alert">(.*?)</div>', refused.text, re.S)
            assert alert, action
            assert alert.group(1).strip(), action
        shu = await outsider.get(
            f"/pengurus/{here.cooperative['slug']}/shu", params={"tahun": "2025"}
        )
        assert shu.status_code == 404
    loan = await here.gql(
        "query($id: ID!) { node(id: $id) { ... on Loan { outstanding { amount } } } }",
        {"id": loan_id},
        token=here.pengurus["token"],
    )
    assert loan["data"]["node"]["outstanding"]["amount"] == 1_200_000
    await assert_books_balance()


async def a_closed_year(koperasi: Koperasi) -> int:
    """A member's pokok and 40.000 of income in the last closed year; the year."""
    year = today().year - 1
    _, membership_id = await koperasi.member()
    row = await Membership.get(id=decode_id(membership_id, "Membership"))
    at = datetime(year, 3, 10, 10, tzinfo=JAKARTA)
    await Membership.filter(id=row.id).update(joined_at=datetime(year, 1, 2, tzinfo=JAKARTA))
    actor = (await User.get(email=koperasi.pengurus["user"]["email"])).id
    await post_deposit(Journal(), row, SavingsKind.POKOK, 100000, actor_id=actor, at=at)
    await Journal().post(
        row.cooperative_id,
        EntryKind.LOAN_REPAYMENT,
        "Angsuran pinjaman",
        [Line(KAS, debit=40000), Line(PENDAPATAN_JASA, credit=40000)],
        membership_id=row.id,
        at=at,
    )
    return year


async def test_shu_is_previewed_then_distributed_once(gql, storefront):
    koperasi = await new_koperasi(gql)
    year = await a_closed_year(koperasi)
    slug = koperasi.cooperative["slug"]
    figures = {
        "tahun": str(year),
        "shu": "40.000",
        "cadangan": "25",
        "jasa_modal": "40",
        "jasa_anggota": "20",
    }
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        page = f"/pengurus/{slug}/shu"
        assert f'value="{year}"' in (await pengurus.get(page)).text
        open_year = await pengurus.get(page, params={**figures, "tahun": str(year + 1)})
        assert open_year.status_code == 400
        assert '<p class="error" id="e-tahun">SHU hanya untuk tahun buku' in open_year.text
        above = await pengurus.get(page, params={**figures, "shu": "90.000"})
        assert above.status_code == 400
        assert '<p class="error" id="e-shu">Surplus melebihi' in above.text
        typo = await pengurus.get(page, params={**figures, "cadangan": "banyak"})
        assert typo.status_code == 400
        assert 'id="e-cadangan"' in typo.text
        preview = await pengurus.get(page, params=figures)
        assert preview.status_code == 200
        text = preview.text
        assert f"Pratinjau SHU {year}" in text
        for row in ("Cadangan", "Jasa modal", "Jasa anggota", "Dana alokasi SHU"):
            assert f'<th scope="row">{row}</th>' in text
        assert "Rp10.000" in text  # 25% of 40.000 to Cadangan
        assert "Rp16.000" in text  # jasa modal: the only member's whole pool
        assert "Rp24.000" in text  # with jasa anggota (20%: the interest is their business)
        unconfirmed = await pengurus.submit(f"{page}?tahun={year}", f"{page}/bagikan", figures)
        assert unconfirmed.status_code == 400
        assert 'id="e-confirm"' in unconfirmed.text
        confirmed = {**figures, "confirm": "ya"}
        done = await pengurus.submit(f"{page}?tahun={year}", f"{page}/bagikan", confirmed)
        assert done.status_code == 303
        assert (
            f"SHU tahun {year} dibagikan: Rp24.000 ke anggota." in (await pengurus.get(page)).text
        )
        again = await pengurus.submit(f"{page}?tahun={year}", f"{page}/bagikan", confirmed)
        assert again.status_code == 400
        assert '<p class="error" id="e-tahun">SHU tahun ini sudah dibagikan.</p>' in again.text
    await assert_books_balance()


def test_the_sales_chart_scales_to_the_best_month():
    months = [
        {"month": f"2026-{m:02d}", "revenue": {"amount": r}} for m, r in ((1, 0), (2, 50), (3, 200))
    ]
    bars = sales_bars(months)
    assert [(b.label, b.height) for b in bars] == [
        ("Jan 2026", 0),
        ("Feb 2026", CHART_HEIGHT // 4),
        ("Mar 2026", CHART_HEIGHT),
    ]
    assert [b.x for b in bars] == [0, 34, 68]
    assert [b.height for b in sales_bars([{"month": "2026-01", "revenue": {"amount": 0}}])] == [0]
