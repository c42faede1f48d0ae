"""The RAT package of a closed year (BookYears.ratPackage): one xlsx and one PDF behind signed,
short-lived links, for the pengurus and the Dinas only, whose figures match the statements,
the RAT's SHU decision, the loan portfolio and the year's membership changes."""

import io
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from openpyxl import load_workbook

from models.cooperatives.cooperative import Membership, SavingsKind
from models.loans import Loan
from models.platform.accounts import User
from resolvers.cooperatives import downloads
from resolvers.cooperatives.books import Journal
from resolvers.cooperatives.savings import post_deposit
from resolvers.platform import JAKARTA, today
from schema.platform.ids import decode_id
from tests.conftest import city_admin
from tests.cooperatives.books import account_ids, books_op, cash, close, statements
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan

pytestmark = pytest.mark.usefixtures("books_balance")

TODAY = today()
LY = TODAY.year - 1
RAT = {"heldOn": TODAY.isoformat(), "membersPresent": 2, "shuToDistribute": 400000,
       "reservePercent": 25, "capitalServicePercent": 30, "memberServicePercent": 25}  # fmt: skip


async def years(koperasi, token=None):
    result = await koperasi.gql(
        books_op("BookYears"),
        {"cooperativeId": koperasi.id},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    found = result["data"]["node"]["bookYears"]
    return None if found is None else {y["year"]: y for y in found}


async def a_closed_year(gql) -> Koperasi:
    """Last year: two members who joined in it with pokok and wajib, income and an expense, a
    loan disbursed in October and its allowance; closed, and its RAT recorded."""
    koperasi = await Koperasi.new(gql)
    ids = await account_ids(koperasi)
    actor = (await User.get(email=koperasi.pengurus["user"]["email"])).id
    for month in (2, 3):
        _, membership_id = await koperasi.member()
        row = await Membership.get(id=decode_id(membership_id, "Membership"))
        await Membership.filter(id=row.id).update(
            joined_at=datetime(LY, month, 1, 9, tzinfo=JAKARTA)
        )
        at = datetime(LY, month, 2, 9, tzinfo=JAKARTA)
        await post_deposit(Journal(), row, SavingsKind.POKOK, 100000, actor_id=actor, at=at)
        await post_deposit(Journal(), row, SavingsKind.WAJIB, 20000, actor_id=actor, at=at)
    await cash(koperasi, ids["4-1900"], 900000, f"{LY}-03-01")
    await cash(koperasi, ids["5-2000"], 400000, f"{LY}-09-01", "PAYMENT")
    _, _, loan_id = await active_loan(koperasi, principal=1_200_000)
    since = datetime(LY, 10, 15, 9, tzinfo=JAKARTA)
    await Loan.filter(id=decode_id(loan_id, "Loan")).update(disbursed_at=since)
    for month in (10, 11, 12):
        posted = await gql(
            books_op("PostLoanLossAllowance"),
            {"cooperativeId": koperasi.id, "period": f"{LY}-{month}"},
            token=koperasi.pengurus["token"],
        )
        assert posted["data"]["postLoanLossAllowance"]["errors"] == [], posted
    assert (await close(koperasi, LY))["errors"] == []
    recorded = await gql(
        books_op("RecordRat"),
        {"cooperativeId": koperasi.id, "year": LY, "input": RAT},
        token=koperasi.pengurus["token"],
    )
    assert recorded["data"]["recordRat"]["errors"] == [], recorded
    return koperasi


async def test_the_package_holds_the_years_figures_for_the_pengurus_and_the_dinas(gql, client):
    koperasi = await a_closed_year(gql)
    found = await years(koperasi)
    assert found[LY + 1]["ratPackage"] is None  # OPEN
    package = found[LY]["ratPackage"]
    assert package["year"] == LY
    expires = datetime.fromisoformat(package["expiresAt"])
    assert 5 * 60 <= (expires - datetime.now(UTC)).total_seconds() <= 60 * 60
    admin = await city_admin(gql)
    assert (await years(koperasi, admin["token"]))[LY]["ratPackage"]["pdfUrl"].startswith("http")
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (warga["token"], other.pengurus["token"]):
        assert await years(koperasi, token) is None

    response = await client.get(package["xlsxUrl"])  # no header: the link is the key
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Ringkasan", "Neraca", "Hasil Usaha", "Perubahan Ekuitas", "Arus Kas", "SHU Anggota",
        "Portofolio Pinjaman", "Perubahan Anggota",
    ]  # fmt: skip
    summary = {r[0]: r[1] for r in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    typed = await statements(koperasi, f"{LY}-01-01", f"{LY}-12-31")
    assert summary["Jumlah aset"] == typed["balanceSheet"]["totalAssets"]["amount"]
    assert summary["Sisa hasil usaha"] == found[LY]["surplus"]["amount"]
    assert summary["SHU yang dibagi (keputusan RAT)"] == 400000
    assert summary["Kehadiran"] == "2 dari 3 anggota"  # the borrower joined this year
    neraca = {r[1]: r[2] for r in book["Neraca"].iter_rows(min_row=2, values_only=True)}
    assert neraca["Jumlah Aset"] == typed["balanceSheet"]["totalAssets"]["amount"]
    # SHU per member by the RAT's decision: jasa modal, 30% of Rp400.000, shared out exactly
    # (no member did business with the cooperative last year: no jasa anggota).
    shu = list(book["SHU Anggota"].iter_rows(min_row=2, values_only=True))
    assert len(shu) == 3  # the two members of the year and the total
    assert shu[-1][1:] == ("Jumlah", 120000, 0, 120000)
    assert sum(r[4] for r in shu[:-1]) == 120000
    portfolio = {r[0]: r[1:] for r in book["Portofolio Pinjaman"].iter_rows(min_row=2,
                 values_only=True)}  # fmt: skip
    loan = await Loan.get(id=(await Loan.filter(disbursed_at__isnull=False).order_by("-id")
                              .first().values_list("id", flat=True)))  # fmt: skip
    assert portfolio["Jumlah"] == (1, loan.outstanding)
    assert portfolio["NPL 0,00%"] == (None, None)
    changes = {r[0]: r[1] for r in book["Perubahan Anggota"].iter_rows(min_row=2,
               values_only=True)}  # fmt: skip
    assert changes == {
        "Anggota awal tahun": 0, "Anggota masuk": 2, "Anggota keluar": 0,
        "Anggota akhir tahun": 2, "Simpanan pokok diterima": 200000,
        "Simpanan pokok dikembalikan": 0, "Simpanan wajib diterima": 40000,
        "Simpanan wajib dikembalikan": 0,
    }  # fmt: skip

    pdf = await client.get(package["pdfUrl"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = pdf.content.decode("latin-1")
    for figure in ("Paket RAT", "SHU per Anggota", "Portofolio Pinjaman", "Perubahan Anggota",
                   "Rp400.000", "Rp120.000", "Neraca", "Arus Kas"):  # fmt: skip
        assert figure in text, figure

    # A changed link, another year's or cooperative's, or an expired one: 404.
    for url in (
        package["xlsxUrl"].replace(f"rat-{LY}", f"rat-{LY - 1}"),
        re.sub(r"/books/\d+/", "/books/999999/", package["pdfUrl"]),
        re.sub(r"expires=\d+", "expires=1000", package["pdfUrl"]),
        package["pdfUrl"].replace(".pdf?", ".csv?"),
    ):
        assert (await client.get(url)).status_code == 404, url


async def test_a_reopened_years_link_answers_404(gql, client):
    koperasi = await a_closed_year(gql)
    package = (await years(koperasi))[LY]["ratPackage"]
    admin = await city_admin(gql)
    reopened = await gql(
        books_op("ReopenBookYear"),
        {"cooperativeId": koperasi.id, "year": LY, "reason": "Koreksi"},
        token=admin["token"],
    )
    assert reopened["data"]["reopenBookYear"]["errors"] == []
    assert (await client.get(package["xlsxUrl"])).status_code == 404
    assert (await years(koperasi))[LY]["ratPackage"] is None


def test_a_rat_link_stops_working_when_it_expires():
    at = datetime(2026, 1, 2, tzinfo=UTC)
    link = downloads.RatLink.new("rahasia", 7, 2025, at)
    params = dict(parse_qsl(urlsplit(link.url("pdf")).query))
    assert downloads.rat_verified("rahasia", 7, 2025, "pdf", params, at + timedelta(minutes=29))
    refused = [
        ("rahasia", 7, 2025, "pdf", at + timedelta(minutes=31)),
        ("lain", 7, 2025, "pdf", at),
        ("rahasia", 8, 2025, "pdf", at),
        ("rahasia", 7, 2024, "pdf", at),
        ("rahasia", 7, 2025, "xlsx", at),
    ]
    for secret, cooperative, year, kind, when in refused:
        assert not downloads.rat_verified(secret, cooperative, year, kind, params, when)
    assert not downloads.rat_verified("rahasia", 7, 2025, "pdf", {"sig": "x"}, at)
