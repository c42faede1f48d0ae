"""Tagihan through the storefront with the live API behind it: paying at one door, the
receipt, outside bills, the pengurus issuing a month's bills, and from the wrong side."""

from __future__ import annotations

import html
import re

from resolvers.cooperatives.books import audit
from storefront.formatting import month
from tests.bills.helpers import customer_number, this_period
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi, sukarela
from tests.storefront.conftest import Visitor, visitor_of, word
from tests.storefront.helpers import member_with_bills

FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def form_fields(page: str, action: str) -> dict[str, list[str]]:
    """The hidden fields of the first form of `page` posting to `action`."""
    body = next(body for target, body in FORM.findall(page) if target == action)
    fields: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(body):
        fields.setdefault(name, []).append(html.unescape(value))
    return fields


async def issue_through_the_page(storefront, koperasi: Koperasi, period: str) -> str:
    slug = koperasi.cooperative["slug"]
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        page = f"/pengurus/{slug}"
        assert (
            'id="f-period" name="period" value="' + this_period() in (await pengurus.get(page)).text
        )
        issued = await pengurus.submit(page, f"/pengurus/{slug}/tagihan", {"period": period})
        assert issued.status_code == 303
        return (await pengurus.get(page)).text


async def pay_all(visitor: Visitor, slug: str) -> tuple[str, dict[str, list[str]]]:
    """The "Bayar semua" form of the member's bills page: its action and fields."""
    page = (await visitor.get(f"/anggota/{slug}/tagihan")).text
    action = f"/anggota/{slug}/tagihan/bayar"
    return action, form_fields(page, action)


async def test_pengurus_issues_a_month_once_and_the_member_pays_all_from_savings_once(
    visitor, gql, storefront
):
    koperasi, member, membership_id = await member_with_bills(gql, 150_000)
    slug = koperasi.cooperative["slug"]
    first = await issue_through_the_page(storefront, koperasi, this_period())
    assert f"1 tagihan baru diterbitkan untuk {month(this_period())}." in first
    again = await issue_through_the_page(storefront, koperasi, this_period())
    assert f"0 tagihan baru diterbitkan untuk {month(this_period())}." in again
    wrong = await issue_through_the_page(storefront, koperasi, "bulan ini")
    assert "Periode harus berbentuk YYYY-MM." in wrong

    await visitor.sign_in(member)
    page = (await visitor.get(f"/anggota/{slug}/tagihan")).text
    assert "Bayar semua dari simpanan sukarela (Rp120.000)" in page
    assert "Rp150.000" in page
    action, fields = await pay_all(visitor, slug)
    assert len(fields["bill_id"]) == 2
    # the same form sent twice (a double click): one payment, the same receipt
    paid = [await visitor.http.post(action, data=fields) for _ in range(2)]
    assert [r.status_code for r in paid] == [303, 303]
    assert paid[0].headers["location"] == paid[1].headers["location"]
    assert await sukarela(membership_id) == 30_000
    receipt = (await visitor.get(paid[0].headers["location"])).text
    assert "Dibayar" in receipt
    assert "Simpanan sukarela" in receipt
    assert receipt.count('class="receipt-line"') == 2
    assert '<td class="money" id="total-kuitansi">Rp120.000</td>' in receipt
    assert (
        "Tidak ada tagihan yang belum dibayar."
        in (await visitor.get(f"/anggota/{slug}/tagihan")).text
    )
    refused = await visitor.http.post(action, data={**fields, "csrf_token": ""})
    assert refused.status_code == 403
    stale = await visitor.http.post(action, data={**fields, "idempotencyKey": word()})
    assert stale.status_code == 400  # a new payment of the same bills: already paid
    assert "sudah dibayar atau diproses." in stale.text  # shown though no bill is left
    assert await audit() == []


async def test_too_little_savings_shows_the_error_and_moves_nothing(visitor, gql):
    koperasi, member, membership_id = await member_with_bills(gql, 30_000)
    slug = koperasi.cooperative["slug"]
    await visitor.sign_in(member)
    action, fields = await pay_all(visitor, slug)
    refused = await visitor.http.post(action, data=fields)
    assert refused.status_code == 400
    assert re.search(
        r'value="SUKARELA" checked aria-invalid="true" aria-describedby="e-membershipId"',
        refused.text,
    )
    assert '<p class="error" id="e-membershipId">Simpanan sukarela tidak mencukupi' in refused.text
    assert await sukarela(membership_id) == 30_000
    assert await audit() == []


async def test_no_one_else_opens_or_pays_a_member_s_bills(visitor, gql, storefront):
    koperasi, member, _ = await member_with_bills(gql, 200_000)
    slug = koperasi.cooperative["slug"]
    other, other_membership = await koperasi.member(await sign_up(gql, "Anggota Lain"))
    await koperasi.deposit(other_membership, 500_000)
    await visitor.sign_in(member)
    action, fields = await pay_all(visitor, slug)
    mine = fields["bill_id"]

    async with visitor_of(storefront) as stranger:
        await stranger.sign_up_and_in(gql, "Bukan Anggota")
        assert (await stranger.get(f"/anggota/{slug}/tagihan")).status_code == 404
        posted = await stranger.submit(
            "/", action, {"bill_id": mine, "source": "SUKARELA", "idempotencyKey": word()}
        )
        assert posted.status_code == 404

    paid = await visitor.http.post(action, data=fields)
    assert paid.status_code == 303
    async with visitor_of(storefront) as colleague:
        await colleague.sign_in(other)
        own = (await colleague.get(f"/anggota/{slug}/tagihan")).text
        assert "Rp100.000" in own
        assert mine[0] not in own
        taken = await colleague.submit(
            f"/anggota/{slug}/tagihan",
            action,
            {"bill_id": mine, "source": "SUKARELA", "idempotencyKey": word()},
        )
        assert taken.status_code == 400
        assert await sukarela(other_membership) == 500_000
        receipt = await colleague.get(paid.headers["location"])
        assert receipt.status_code in (403, 404)
        assert "total-kuitansi" not in receipt.text
    assert await audit() == []


async def test_an_outside_token_is_inquired_and_paid_and_its_token_shown(visitor, gql):
    koperasi, member, membership_id = await member_with_bills(gql, 200_000)
    slug = koperasi.cooperative["slug"]
    await visitor.sign_in(member)
    page = f"/anggota/{slug}/tagihan/luar"
    unknown = await visitor.submit(
        page, page, {"kind": "PDAM", "customerNumber": customer_number("00")}
    )
    assert unknown.status_code == 400
    assert 'id="f-customerNumber"' in unknown.text
    assert '<p class="error" id="e-customerNumber">' in unknown.text

    found = await visitor.submit(
        page,
        page,
        {"kind": "PLN_TOKEN", "customerNumber": customer_number("09"), "denomination": "50000"},
    )
    assert found.status_code == 200, found.text
    assert "Tagihan ditemukan" in found.text
    name = re.search(r'<td id="nama-pelanggan">([^<]+)</td>', found.text).group(1)
    assert name != "-"
    total = re.search(r'<td class="money" id="total-tagihan">Rp([0-9.]+)</td>', found.text)
    assert int(total.group(1).replace(".", "")) > 50_000  # the token and the admin fee
    action = f"/anggota/{slug}/tagihan/luar/bayar"
    paid = await visitor.http.post(
        action, data={**form_fields(found.text, action), "source": "SUKARELA"}
    )
    assert paid.status_code == 303
    receipt = (await visitor.get(paid.headers["location"])).text
    token = re.search(r'<strong class="token">([0-9 -]+)</strong> \(([0-9.]+) kWh\)', receipt)
    assert token
    assert len(re.sub(r"\D", "", token.group(1))) == 20
    assert "Referensi biller:" in receipt
    assert "Lunas" in receipt
    assert await sukarela(membership_id) == 200_000 - int(total.group(1).replace(".", ""))
    assert await audit() == []


async def test_picked_bills_by_qris_show_the_qr_and_by_transfer_the_instructions(
    visitor, gql, storefront
):
    koperasi, member, membership_id = await member_with_bills(gql, 0)
    await issue_through_the_page(storefront, koperasi, this_period())
    slug = koperasi.cooperative["slug"]
    await visitor.sign_in(member)
    page = f"/anggota/{slug}/tagihan"
    action = f"{page}/bayar"
    nothing = await visitor.submit(page, action, {"source": "QRIS", "idempotencyKey": word()})
    assert nothing.status_code == 400
    assert '<p class="error" id="e-billIds">Pilih tagihan.</p>' in nothing.text
    pokok, wajib = form_fields((await visitor.get(page)).text, action)["bill_id"]

    by_qris = await visitor.submit(
        page, action, {"bill_id": pokok, "source": "QRIS", "idempotencyKey": word()}
    )
    assert by_qris.status_code == 303
    receipt = (await visitor.get(by_qris.headers["location"])).text
    assert "Menunggu pembayaran" in receipt
    assert "Bayar sebelum" in receipt
    image = re.search(r'<img class="qr" src="([^"]+)"', receipt).group(1)
    qr = await visitor.get(image)
    assert qr.status_code == 200
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.startswith("<svg")

    async with visitor_of(storefront) as other:  # another member: no QR
        await other.sign_in((await koperasi.member(await sign_up(gql, "Anggota Lain")))[0])
        assert (await other.get(image)).status_code in (403, 404)

    by_transfer = await visitor.submit(
        page, action, {"bill_id": wajib, "source": "BANK_TRANSFER", "idempotencyKey": word()}
    )
    assert by_transfer.status_code == 303
    transfer = (await visitor.get(by_transfer.headers["location"])).text
    assert '<p class="instructions">' in transfer
    assert '<img class="qr"' not in transfer
    assert await sukarela(membership_id) == 0
    assert await audit() == []


async def outside_bill_pages(visitor, gql, savings: int) -> tuple[str, str, str]:
    """A signed-in member with `savings`: (their membership id, the outside bills page, and
    where it pays)."""
    koperasi, member, membership_id = await member_with_bills(gql, savings)
    slug = koperasi.cooperative["slug"]
    await visitor.sign_in(member)
    return membership_id, f"/anggota/{slug}/tagihan/luar", f"/anggota/{slug}/tagihan/luar/bayar"


async def test_an_outside_bill_without_enough_savings_is_shown_again_with_the_error(visitor, gql):
    membership_id, page, action = await outside_bill_pages(visitor, gql, 1_000)
    found = await visitor.submit(
        page, page, {"kind": "PDAM", "customerNumber": customer_number("09")}
    )
    refused = await visitor.http.post(
        action, data={**form_fields(found.text, action), "source": "SUKARELA"}
    )
    assert refused.status_code == 400
    assert "Tagihan ditemukan" in refused.text
    assert '<p class="error" id="e-membershipId">Simpanan sukarela tidak mencukupi' in refused.text
    assert await sukarela(membership_id) == 1_000
    assert await audit() == []


async def test_pending_and_refunded_bills_are_said_plainly_on_the_receipt(visitor, gql):
    membership_id, page, action = await outside_bill_pages(visitor, gql, 2_000_000)
    said = {}
    for behaviour in ("03", "05"):  # the sandbox biller: pending, then paid; refused
        found = await visitor.submit(
            page, page, {"kind": "BPJS", "customerNumber": customer_number(behaviour)}
        )
        paid = await visitor.http.post(
            action, data={**form_fields(found.text, action), "source": "SUKARELA"}
        )
        assert paid.status_code == 303
        said[behaviour] = (await visitor.get(paid.headers["location"])).text
    assert "Diproses biller: kami tanyakan lagi sampai lunas" in said["03"]
    assert "Dibatalkan biller: uang sudah dikembalikan" in said["05"]
    assert "Pembayaran ditolak biller." in said["05"]
    assert await sukarela(membership_id) < 2_000_000  # the pending one is taken, not refunded
    assert await audit() == []
