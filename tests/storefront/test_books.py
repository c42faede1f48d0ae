"""The cooperative's books through the storefront, with the live API behind it: cash receipts
and payments, the general journal, ledgers with running balances, reversals, the year-end
close, the RAT, the statements; the Dinas's RAT view; and every page from the wrong side."""

from __future__ import annotations

import re
from html import unescape

import pytest

from resolvers.platform import today
from tests.catalog.helpers import picture
from tests.conftest import city_admin, sign_up
from tests.cooperatives.books import cash, chart
from tests.storefront.conftest import visitor_of
from tests.storefront.helpers import new_koperasi

pytestmark = pytest.mark.usefixtures("books_balance")

TODAY = today()
LY = TODAY.year - 1


async def names(koperasi) -> dict[str, str]:
    return {account["name"]: account["id"] for account in await chart(koperasi)}


def running_balances(html: str) -> list[int]:
    return [int(amount) for amount in re.findall(r'data-balance="(-?\d+)"', html)]


async def test_pengurus_records_receipts_and_payments_and_reads_the_ledger(storefront, gql):
    koperasi = await new_koperasi(gql)
    slug, ids = koperasi.cooperative["slug"], await names(koperasi)
    form, action = f"/pengurus/{slug}/buku/kas", f"/pengurus/{slug}/buku/kas"
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        home = (await pengurus.get(f"/pengurus/{slug}/buku")).text
        assert "Bagan akun" in home
        assert "Beban Listrik dan Air" in home
        assert f"/pengurus/{slug}/buku/akun?id=" in home
        assert "Pembukuan" in (await pengurus.get(f"/pengurus/{slug}")).text

        receipt = {
            "direction": "RECEIPT",
            "accountId": ids["Pendapatan Lain-lain"],
            "cashAccountId": ids["Kas"],
            "amount": "1.000.000",
            "date": TODAY.isoformat(),
            "description": "Sewa aula <RT 05>",
        }
        typo = await pengurus.submit(form, action, {**receipt, "amount": "sejuta"})
        assert typo.status_code == 400
        assert re.search(r'id="f-amount"[^>]*aria-invalid="true"', typo.text)
        assert 'value="Sewa aula &lt;RT 05&gt;"' in typo.text
        no_day = await pengurus.submit(form, action, {**receipt, "date": "kemarin"})
        assert no_day.status_code == 400
        assert '<p class="error" id="e-date">Isi tanggal transaksi.</p>' in no_day.text
        future = await pengurus.submit(form, action, {**receipt, "date": "2999-01-01"})
        assert future.status_code == 400  # the API's error, beside its field
        assert re.search(r'<p class="error" id="e-date">[^<]+</p>', future.text)
        control = await pengurus.submit(
            form, action, {**receipt, "accountId": ids["Simpanan Sukarela"]}
        )
        assert control.status_code == 400
        assert re.search(r'<p class="error" id="e-accountId">[^<]+</p>', control.text)

        recorded = await pengurus.submit(form, action, receipt)
        assert recorded.status_code == 303
        entry = (await pengurus.get(recorded.headers["location"])).text
        assert "Entri tercatat." in entry
        assert "Penerimaan kas: Sewa aula &lt;RT 05&gt;" in entry
        assert "Balik entri" in entry
        payment = {
            **receipt,
            "direction": "PAYMENT",
            "accountId": ids["Beban Listrik dan Air"],
            "amount": "250.000",
            "description": "Listrik November",
        }
        assert (await pengurus.submit(form, action, payment)).status_code == 303

        kas = await pengurus.get(f"/pengurus/{slug}/buku/akun", params={"id": ids["Kas"]})
        assert kas.status_code == 200
        assert running_balances(kas.text) == [1_000_000, 750_000]
        assert "Listrik November" in kas.text
        journal = (await pengurus.get(f"/pengurus/{slug}/buku/jurnal")).text
        assert "Jurnal (2 entri)" in journal


async def test_a_general_entry_must_balance_and_is_undone_by_a_reversal(storefront, gql):
    koperasi = await new_koperasi(gql)
    slug, ids = koperasi.cooperative["slug"], await names(koperasi)
    page = action = f"/pengurus/{slug}/buku/jurnal"
    entry = {
        "date": TODAY.isoformat(),
        "description": "Pembelian inventaris",
        "account0": ids["Inventaris"],
        "debit0": "3.000.000",
        "account1": ids["Bank"],
        "credit1": "2.999.999",
    }
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        unbalanced = await pengurus.submit(page, action, entry)
        assert unbalanced.status_code == 400
        assert "Debit dan kredit tidak seimbang: selisih Rp1" in unbalanced.text
        assert 'id="e-lines"' in unbalanced.text
        typo = await pengurus.submit(page, action, {**entry, "debit0": "tiga juta"})
        assert typo.status_code == 400
        assert re.search(r'id="f-debit0"[^>]*aria-invalid="true"', typo.text)

        posted = await pengurus.submit(page, action, {**entry, "credit1": "3.000.000"})
        assert posted.status_code == 303
        entry_page = posted.headers["location"]
        entry_id = unescape(entry_page.split("id=", 1)[1])
        fields = {"id": entry_id}
        no_reason = await pengurus.submit(entry_page, f"/pengurus/{slug}/buku/balik", fields)
        assert no_reason.status_code == 400
        assert '<p class="error" id="e-reason">Tulis alasan pembalikan.</p>' in no_reason.text
        fields["reason"] = "Salah akun"
        reversed_ = await pengurus.submit(entry_page, f"/pengurus/{slug}/buku/balik", fields)
        assert reversed_.status_code == 303
        reversal = (await pengurus.get(reversed_.headers["location"])).text
        assert "Pembalikan:" in reversal
        assert "Membalik" in reversal
        original = (await pengurus.get(entry_page)).text
        assert "sudah dibalik" in original
        assert "Balik entri" not in original
        again = await pengurus.submit(entry_page, f"/pengurus/{slug}/buku/balik", fields)
        assert again.status_code == 400  # the API's INVALID_STATE, above the form
        assert re.search(r'<div class="error" role="alert"><p>[^<]+</p>', again.text)
        bank = await pengurus.get(f"/pengurus/{slug}/buku/akun", params={"id": ids["Bank"]})
        assert running_balances(bank.text) == [-3_000_000, 0]


async def test_pengurus_closes_last_year_records_its_rat_and_reads_the_statements(storefront, gql):
    koperasi = await new_koperasi(gql)
    slug, ids = koperasi.cooperative["slug"], await names(koperasi)
    await cash(koperasi, ids["Pendapatan Lain-lain"], 900_000, f"{LY}-03-01")
    await cash(koperasi, ids["Beban Sewa"], 400_000, f"{LY}-09-01", "PAYMENT")
    years = f"/pengurus/{slug}/tahun-buku"
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        listing = (await pengurus.get(years)).text
        assert f"Tutup buku {LY}" in listing
        assert f"Tutup buku {TODAY.year}" not in listing
        running = await pengurus.submit(years, f"{years}/tutup", {"year": str(TODAY.year)})
        assert running.status_code == 400  # the API's refusal, shown at the year
        assert re.search(r'<p class="error" role="alert" id="e-tutup-\d+">[^<]+</p>', running.text)
        closed = await pengurus.submit(years, f"{years}/tutup", {"year": str(LY)})
        assert closed.status_code == 303
        after = (await pengurus.get(years)).text
        assert f"Buku tahun {LY} ditutup. SHU tahun itu Rp500.000." in after
        assert f"Catat RAT tahun buku {LY}" in after
        package = re.search(rf'Paket RAT {LY}: <a href="(http[^"]+)">Excel \(xlsx\)</a>', after)
        assert package
        assert re.search(r'<a href="http[^"]+">PDF</a>', after)

        rat_page = f"{years}/{LY}/rat"
        decision = {
            "heldOn": TODAY.isoformat(),
            "membersPresent": "0",
            "shuToDistribute": "400.000",
            "reservePercent": "25",
            "capitalServicePercent": "30",
            "memberServicePercent": "25",
        }
        typo = await pengurus.submit(rat_page, rat_page, {**decision, "reservePercent": "x"})
        assert typo.status_code == 400
        assert re.search(r'id="f-reservePercent"[^>]*aria-invalid="true"', typo.text)
        greedy = {**decision, "shuToDistribute": "500.001"}  # above the year's surplus
        too_much = await pengurus.submit(rat_page, rat_page, greedy)
        assert too_much.status_code == 400
        assert re.search(r'<p class="error" id="e-shuToDistribute">[^<]+</p>', too_much.text)
        crowd = await pengurus.submit(rat_page, rat_page, {**decision, "membersPresent": "999"})
        assert crowd.status_code == 400
        assert re.search(r'<p class="error" id="e-membersPresent">[^<]+</p>', crowd.text)
        held = await pengurus.submit(rat_page, rat_page, decision)
        assert held.status_code == 303
        after = (await pengurus.get(years)).text
        assert f"RAT tahun buku {LY} tercatat." in after
        assert "SHU dibagi Rp400.000: cadangan 25%, jasa modal 30%, jasa anggota 25%" in after
        assert "sudah tercatat" in (await pengurus.get(rat_page)).text

        report = await pengurus.get(
            f"/pengurus/{slug}/laporan", params={"dari": f"{LY}-01-01", "sampai": f"{LY}-12-31"}
        )
        assert report.status_code == 200
        assert "Neraca per 31 Desember" in report.text
        assert "Seimbang:" in report.text
        assert "Laporan arus kas" in report.text
        assert re.search(r'<a href="http[^"]+">Excel \(xlsx\)</a>', report.text)
        assert re.search(r'<a href="http[^"]+">PDF</a>', report.text)
        backwards = await pengurus.get(
            f"/pengurus/{slug}/laporan", params={"dari": f"{LY}-12-31", "sampai": f"{LY}-01-01"}
        )
        assert backwards.status_code == 400
        assert (
            '<p class="error" id="e-sampai">Tanggal akhir tidak boleh sebelum tanggal awal.</p>'
            in backwards.text
        )


async def test_the_books_refuse_members_and_other_pengurus_as_pages(storefront, gql):
    koperasi, other = await new_koperasi(gql), await new_koperasi(gql)
    slug, ids = koperasi.cooperative["slug"], await names(koperasi)
    member, _ = await koperasi.member(await sign_up(gql, "Rina Anggota"))
    entry = await cash(koperasi, ids["Pendapatan Lain-lain"], 5_000, TODAY.isoformat())
    entry_id = entry["journalEntry"]["id"]
    pages = [
        "/buku",
        "/buku/kas",
        "/buku/jurnal",
        "/tahun-buku",
        "/laporan",
        f"/tahun-buku/{LY}/rat",
    ]
    for account in (member, other.pengurus):
        async with visitor_of(storefront) as visitor:
            await visitor.sign_in(account)
            for tail in [*pages, "/laporan?dari=kemarin"]:
                assert (await visitor.get(f"/pengurus/{slug}{tail}")).status_code == 403, tail
            ledger = await visitor.get(f"/pengurus/{slug}/buku/akun", params={"id": ids["Kas"]})
            assert ledger.status_code == 403
            seen = await visitor.get(f"/pengurus/{slug}/buku/entri", params={"id": entry_id})
            assert seen.status_code == 403
            own = "/pengurus" if account is other.pengurus else "/"
            payment = {
                "direction": "PAYMENT",
                "accountId": ids["Beban Sewa"],
                "amount": "1000",
                "date": TODAY.isoformat(),
                "description": "Bukan urusan saya",
            }
            refused = await visitor.submit(own, f"/pengurus/{slug}/buku/kas", payment)
            assert refused.status_code == 403
            assert "Akses ditolak" in refused.text
            shut = await visitor.submit(own, f"/pengurus/{slug}/tahun-buku/tutup", {"year": LY})
            assert shut.status_code == 403
            rat = {"heldOn": TODAY.isoformat(), "membersPresent": "0", "shuToDistribute": "0"}
            rat |= {
                "reservePercent": "0",
                "capitalServicePercent": "0",
                "memberServicePercent": "0",
            }
            held = await visitor.submit(own, f"/pengurus/{slug}/tahun-buku/{LY}/rat", rat)
            assert held.status_code == 403
            lines = {"account0": ids["Beban Sewa"], "debit0": "1", "account1": ids["Kas"]}
            general = {"date": TODAY.isoformat(), "description": "Iseng", "credit1": "1", **lines}
            posted = await visitor.submit(own, f"/pengurus/{slug}/buku/jurnal", general)
            assert posted.status_code == 403
            undo = {"id": entry_id, "reason": "iseng"}
            undone = await visitor.submit(own, f"/pengurus/{slug}/buku/balik", undo)
            assert undone.status_code in (403, 404)
            assert (await visitor.get("/kota/rat")).status_code == 403
    kas = next(a for a in await chart(koperasi) if a["name"] == "Kas")
    assert kas["balance"]["amount"] == 5_000  # nothing the refused posts asked for was written


async def test_the_dinas_reads_the_books_and_sees_who_held_the_rat(storefront, gql):
    koperasi = await new_koperasi(gql)
    slug = koperasi.cooperative["slug"]
    admin = await city_admin(gql)
    async with visitor_of(storefront) as dinas:
        await dinas.sign_in(admin)
        assert (await dinas.get(f"/pengurus/{slug}/buku")).status_code == 200
        ids = await names(koperasi)
        payment = {
            "direction": "PAYMENT",
            "accountId": ids["Beban Sewa"],
            "amount": "1000",
            "date": TODAY.isoformat(),
            "description": "Dinas hanya membaca",
        }
        page = f"/pengurus/{slug}/buku/kas"
        refused = await dinas.submit(page, page, payment)
        assert refused.status_code == 403  # the Dinas reads the books and writes none
        assert "Akses ditolak" in refused.text
        assert 'href="/kota/rat"' in (await dinas.get("/kota")).text
        status = await dinas.get("/kota/rat")
        assert status.status_code == 200
        row = re.search(rf'href="/koperasi/{slug}">.*?</tr>', status.text, re.S)
        assert row
        assert "Belum" in row.group(0)
    async with visitor_of(storefront) as anonymous:
        assert (await anonymous.get("/kota/rat")).status_code == 303


async def test_a_payment_keeps_the_photo_of_its_nota(storefront, gql):
    koperasi = await new_koperasi(gql)
    slug, ids = koperasi.cooperative["slug"], await names(koperasi)
    page = f"/pengurus/{slug}/buku/kas"
    payment = {
        "direction": "PAYMENT",
        "accountId": ids["Beban ATK"],
        "cashAccountId": ids["Kas"],
        "amount": "45.000",
        "date": TODAY.isoformat(),
        "description": "Kertas dan tinta",
    }
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        token = csrf_of((await pengurus.get(page)).text)
        fields = {"csrf_token": token, **payment}
        not_a_photo = await pengurus.http.post(
            page, data=fields, files={"receiptPhoto": ("nota.png", b"bukan gambar", "image/png")}
        )
        assert not_a_photo.status_code == 400  # the image pipeline's error, beside the field
        assert re.search(r'<p class="error" id="e-receiptPhoto">[^<]+</p>', not_a_photo.text)
        nota = ("nota.png", picture("PNG", (600, 800)), "image/png")
        kept = await pengurus.http.post(page, data=fields, files={"receiptPhoto": nota})
        assert kept.status_code == 303
        entry = (await pengurus.get(kept.headers["location"])).text
        assert "Lihat foto nota" in entry


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


async def test_the_ledger_pages_carry_the_running_balance_on(storefront, gql):
    koperasi = await new_koperasi(gql)
    slug, ids = koperasi.cooperative["slug"], await names(koperasi)
    for n in range(51):
        await cash(koperasi, ids["Pendapatan Lain-lain"], 1_000 + n, TODAY.isoformat())
    async with visitor_of(storefront) as pengurus:
        await pengurus.sign_in(koperasi.pengurus)
        ledger = f"/pengurus/{slug}/buku/akun"
        first = await pengurus.get(ledger, params={"id": ids["Kas"]})
        balances = running_balances(first.text)
        assert len(balances) == 50
        assert balances[-1] == sum(1_000 + n for n in range(50))
        following = re.search(r'href="([^"]+)">Halaman berikutnya</a>', first.text)
        assert following
        second = await pengurus.get(unescape(following.group(1)))
        assert running_balances(second.text) == [sum(1_000 + n for n in range(51))]
        assert "Halaman pertama" in second.text
        assert "Halaman berikutnya" not in second.text
        for hostile in ({"dari": "kemarin"}, {"setelah": "bukan-kursor"}, {"id": "x"}):
            odd = await pengurus.get(ledger, params={"id": ids["Kas"], **hostile})
            assert odd.status_code in (400, 403), hostile
        for odd_page in ("/buku/entri?id=x", "/buku/jurnal?setelah=x", "/tahun-buku/1/rat"):
            odd = await pengurus.get(f"/pengurus/{slug}{odd_page}")
            assert odd.status_code in (200, 400, 403), odd_page
