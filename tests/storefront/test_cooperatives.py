"""Koperasi, anggota and pengurus pages through the storefront, with the live API behind it."""

import re

from models.cooperatives.cooperative import Membership
from storefront.pages.city import BAR_WIDTH, ROW_HEIGHT, rollout_bars
from tests.conftest import assert_books_balance, city_admin
from tests.cooperatives.helpers import nik
from tests.storefront.conftest import visitor_of, word
from tests.storefront.helpers import add, address, new_koperasi


async def test_directory_searches_and_filters_by_kecamatan(visitor, gql):
    koperasi = await new_koperasi(gql)
    name = koperasi.cooperative["name"]
    link = f'<a href="/koperasi/{koperasi.cooperative["slug"]}">{name}</a>'
    found = (await visitor.get("/koperasi", params={"q": name.split()[1]})).text
    assert link in found
    assert "1 koperasi" in found
    elsewhere = await visitor.get("/koperasi", params={"q": name, "kecamatan": "36.71.05"})
    assert link not in elsewhere.text  # registered in Tangerang (36.71.01)
    here = await visitor.get("/koperasi", params={"q": name, "kecamatan": "36.71.01"})
    assert link in here.text


async def test_a_signed_out_visitor_sees_the_page_and_is_asked_to_sign_in(visitor, gql):
    koperasi = await new_koperasi(gql)
    page = await visitor.get(f"/koperasi/{koperasi.cooperative['slug']}")
    assert page.status_code == 200
    assert "Rp100.000 sekali" in page.text
    assert "Rp20.000 per bulan" in page.text
    assert "/masuk?next=" in page.text
    assert 'name="nik"' not in page.text
    assert (await visitor.get("/koperasi/tidak-ada-koperasi-ini")).status_code == 404


async def test_applying_shows_errors_by_their_field_then_waits_for_the_pengurus(
    visitor, gql, storefront
):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    await visitor.sign_up_and_in(gql, "Siti Pemohon")
    page, action = f"/koperasi/{slug}", f"/koperasi/{slug}/gabung"

    wrong = await visitor.submit(page, action, {"nik": "123", "address": "Jl. Melati 3"})
    assert wrong.status_code == 400
    assert re.search(r'id="f-nik"[^>]*aria-invalid="true" aria-describedby="e-nik"', wrong.text)
    assert '<p class="error" id="e-nik">' in wrong.text
    assert (await visitor.http.post(action, data={"nik": nik(), "address": "x"})).status_code == 403

    applied = await visitor.submit(page, action, {"nik": nik(), "address": "Jl. Melati 3"})
    assert applied.status_code == 303
    assert applied.headers["location"] == "/anggota"
    mine = (await visitor.get("/anggota")).text
    assert "Menunggu persetujuan pengurus" in mine
    assert "Menunggu persetujuan pengurus" in (await visitor.get(page)).text
    waiting = (await visitor.get(f"/anggota/{slug}")).text
    assert "setelah pengurus menyetujui" in waiting
    assert "data-feed" not in waiting

    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        members = (await pengurus.get(f"/pengurus/{slug}")).text
        assert "Siti Pemohon" in members
        assert "Permohonan anggota (1)" in members
        membership_id = re.search(r'name="membership_id" value="([^"]+)"', members).group(1)
        decided = await pengurus.submit(
            f"/pengurus/{slug}",
            f"/pengurus/{slug}/keputusan",
            {"membership_id": membership_id, "decision": "terima"},
        )
        assert decided.status_code == 303
        after = (await pengurus.get(f"/pengurus/{slug}")).text
        assert "Siti Pemohon diterima sebagai anggota no. 1." in after
        assert "Permohonan anggota (0)" in after
        assert "Anggota aktif (1)" in after

        bad = await pengurus.submit(
            f"/pengurus/{slug}",
            f"/pengurus/{slug}/setoran",
            {"membershipId": membership_id, "account": "SUKARELA", "amount": "lima puluh"},
        )
        assert bad.status_code == 400
        assert '<p class="error" id="e-amount">' in bad.text
        deposited = await pengurus.submit(
            f"/pengurus/{slug}",
            f"/pengurus/{slug}/setoran",
            {"membershipId": membership_id, "account": "SUKARELA", "amount": "50.000"},
        )
        assert deposited.status_code == 303
        notice = (await pengurus.get(f"/pengurus/{slug}")).text
        assert "Setoran Rp50.000 ke simpanan sukarela tercatat. Saldo kini Rp50.000." in notice
        books = (await pengurus.get(f"/pengurus/{slug}/buku")).text
        assert "Seimbang:" in books
        assert "Rp50.000" in books

    dashboard = (await visitor.get(f"/anggota/{slug}")).text
    assert 'data-account="SUKARELA" data-amount="50000">Rp50.000<' in dashboard
    assert f'data-feed="/anggota/{slug}/langsung"' in dashboard
    assert "Setoran simpanan sukarela" in dashboard
    await assert_books_balance()


async def test_only_its_pengurus_open_a_cooperative_s_pengurus_pages(visitor, gql):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    await visitor.sign_up_and_in(gql, "Bukan Pengurus")
    assert (await visitor.get(f"/pengurus/{slug}")).status_code == 404
    assert (await visitor.get(f"/pengurus/{slug}/buku")).status_code == 403  # the API refuses
    assert (await visitor.get(f"/anggota/{slug}")).status_code == 404
    assert (await visitor.get(f"/anggota/{slug}/langsung")).status_code == 404
    refused = await visitor.submit("/", f"/pengurus/{slug}/setoran", {"amount": "1000"})
    assert refused.status_code == 404


async def test_kota_shows_figures_and_only_the_dinas_records_a_socialisation(
    visitor, gql, storefront
):
    page = (await visitor.get("/kota")).text
    assert '<svg class="chart"' in page
    assert "Kelurahan yang sudah disosialisasikan" in page
    assert page.count('<tr id="kel-') == 104
    assert 'action="/kota/sosialisasi"' not in page
    one = (await visitor.get("/kota", params={"kecamatan": "36.71.01"})).text
    assert 0 < one.count('<tr id="kel-') < 104

    await visitor.sign_up_and_in(gql, "Warga Biasa")
    assert 'action="/kota/sosialisasi"' not in (await visitor.get("/kota")).text
    refused = await visitor.submit(
        "/kota", "/kota/sosialisasi", {"kelurahanCode": "36.71.01.1001", "date": "2026-11-02"}
    )
    assert refused.status_code in (400, 403)
    assert "Sosialisasi tercatat" not in refused.text

    async with visitor_of(storefront) as dinas:
        await dinas.sign_in(await city_admin(gql))
        form = (await dinas.get("/kota")).text
        assert 'action="/kota/sosialisasi"' in form
        code = re.search(r'<tr id="kel-([0-9.]+)">(?:(?!</tr>).)*Belum', form).group(1)
        chosen = {"kelurahanCode": code}
        future = await dinas.submit("/kota", "/kota/sosialisasi", {**chosen, "date": "2099-01-01"})
        assert future.status_code == 400
        assert 'id="e-date"' in future.text
        recorded = await dinas.submit(
            "/kota", "/kota/sosialisasi", {**chosen, "date": "2026-11-02"}
        )
        assert recorded.status_code == 303
        after = (await dinas.get("/kota")).text
        assert "Sosialisasi tercatat." in after
        row = re.search(rf'<tr id="kel-{re.escape(code)}">.*?</tr>', after).group(0)
        assert "2 November 2026" in row


async def test_a_member_pays_at_checkout_from_savings_and_others_cannot(visitor, gql, catalogue):
    chips = catalogue["products"][0]  # Rp15.000
    koperasi = await new_koperasi(gql)
    buyer = await visitor.sign_up_and_in(gql, "Anggota Belanja")
    page = (await visitor.get("/checkout")).text
    assert 'value="COOPERATIVE_BALANCE"' not in page  # not a member yet

    _, membership_id = await koperasi.member(buyer)
    await koperasi.deposit(membership_id, 10000)
    await add(visitor, chips)
    page = (await visitor.get("/checkout")).text
    assert 'value="COOPERATIVE_BALANCE"' in page
    assert f"{koperasi.cooperative['name']} (saldo Rp10.000)" in page
    short = await visitor.submit(
        "/checkout",
        "/checkout",
        address(paymentMethod="COOPERATIVE_BALANCE", membershipId=membership_id),
    )
    assert short.status_code == 400
    assert '<p class="error" id="e-membershipId">Simpanan sukarela tidak mencukupi' in short.text

    await koperasi.deposit(membership_id, 40000)
    paid = await visitor.submit(
        "/checkout",
        "/checkout",
        address(paymentMethod="COOPERATIVE_BALANCE", membershipId=membership_id),
    )
    assert paid.status_code == 303
    orders = (await visitor.get("/pesanan")).text
    assert "Simpanan sukarela koperasi" in orders
    assert "Diproses penjual" in orders
    slug = koperasi.cooperative["slug"]
    dashboard = (await visitor.get(f"/anggota/{slug}")).text
    assert 'data-account="SUKARELA" data-amount="35000">Rp35.000<' in dashboard
    assert "Belanja di pasar SatuPintu dibayar dari simpanan sukarela" in dashboard
    await assert_books_balance()


async def test_another_cooperative_s_pengurus_cannot_decide_or_deposit_here(
    visitor, gql, storefront
):
    here, there = await new_koperasi(gql), await new_koperasi(gql)
    applicant = await visitor.sign_up_and_in(gql, "Pemohon Sini")
    pending = (await here.apply(applicant))["membership"]["id"]
    _, member = await here.member()
    slug = there.cooperative["slug"]
    async with visitor_of(storefront) as outsider:
        await outsider.sign_in(there.pengurus)
        decided = await outsider.submit(
            f"/pengurus/{slug}",
            f"/pengurus/{slug}/keputusan",
            {"membership_id": pending, "decision": "terima"},
        )
        assert decided.status_code == 303
        notice = (await outsider.get(f"/pengurus/{slug}")).text
        assert "diterima sebagai anggota" not in notice
        assert '<p class="flash" role="status">' in notice
        deposited = await outsider.submit(
            f"/pengurus/{slug}",
            f"/pengurus/{slug}/setoran",
            {"membershipId": member, "account": "SUKARELA", "amount": "50.000"},
        )
        assert deposited.status_code == 400
        assert "tercatat" not in deposited.text
    dashboard = await here.dashboard(member, here.pengurus["token"])
    assert dashboard["data"]["node"]["totalSavings"]["amount"] == 0
    assert (await visitor.get("/anggota")).text.count("Menunggu persetujuan pengurus") == 1
    await assert_books_balance()


async def test_two_cooperatives_of_one_name_each_have_their_page(visitor, gql):
    name = f"Koperasi {word().title()} Jaya"
    first, second = await new_koperasi(gql, name), await new_koperasi(gql, name)
    assert first.cooperative["slug"] != second.cooperative["slug"]  # a suffix tells them apart
    for koperasi in (first, second):
        page = await visitor.get(f"/koperasi/{koperasi.cooperative['slug']}")
        assert page.status_code == 200
        assert koperasi.cooperative["legalNumber"] in page.text


async def test_a_rejected_applicant_sees_so(visitor, gql, storefront):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    applicant = await visitor.sign_up_and_in(gql, "Joko Ditolak")
    applied = (await koperasi.apply(applicant))["membership"]["id"]
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        rejected = await pengurus.submit(
            f"/pengurus/{slug}",
            f"/pengurus/{slug}/keputusan",
            {"membership_id": applied, "decision": "tolak", "reason": "Berdomisili di luar kota"},
        )
        assert rejected.status_code == 303
        after = (await pengurus.get(f"/pengurus/{slug}")).text
        assert "Permohonan Joko Ditolak ditolak." in after
        assert "Anggota aktif (0)" in after
    assert "Permohonan ditolak" in (await visitor.get("/anggota")).text
    page = (await visitor.get(f"/koperasi/{slug}")).text
    assert "Permohonan ditolak" in page
    assert 'name="nik"' not in page  # one application per person per cooperative


def test_the_rollout_chart_draws_each_kecamatan_s_share():
    stats = [
        {"kecamatan": {"name": "Tangerang"}, "kelurahanSocialized": 2, "kelurahanTotal": 8},
        {"kecamatan": {"name": "Benda"}, "kelurahanSocialized": 0, "kelurahanTotal": 5},
        {"kecamatan": {"name": "Baru"}, "kelurahanSocialized": 0, "kelurahanTotal": 0},
    ]
    bars = rollout_bars(stats)
    assert [(b.name, b.y, b.done_width) for b in bars] == [
        ("Tangerang", 0, BAR_WIDTH / 4),
        ("Benda", ROW_HEIGHT, 0.0),
        ("Baru", 2 * ROW_HEIGHT, 0.0),
    ]


async def test_the_pengurus_page_flags_an_application_whose_nik_is_another_accounts(
    visitor, gql, storefront
):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    owner, _ = await koperasi.member()
    owners_nik = await Membership.get(user__email=owner["user"]["email"]).values_list(
        "nik", flat=True
    )
    await visitor.sign_up_and_in(gql, "Penyerobot NIK")
    applied = await visitor.submit(
        f"/koperasi/{slug}", f"/koperasi/{slug}/gabung",
        {"nik": owners_nik, "address": "Jl. Melati 3"},
    )  # fmt: skip
    assert applied.status_code == 303  # the applicant is told nothing of the NIK
    assert "terverifikasi" not in (await visitor.get("/anggota")).text
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        members = (await pengurus.get(f"/pengurus/{slug}")).text
        assert "Periksa NIK: NIK ini sudah terverifikasi untuk akun lain" in members
