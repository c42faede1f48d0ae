"""FinancialStatements against figures computed here, independently, from the movements the
test made: neraca, hasil usaha, perubahan ekuitas and arus kas, with the comparatives."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from resolvers.platform import today
from tests.conftest import city_admin
from tests.cooperatives.books import account_ids, cash, close, journal_entry, statements
from tests.cooperatives.helpers import Koperasi

pytestmark = pytest.mark.usefixtures("books_balance")

TODAY = today()  # in Jakarta
LY = TODAY.year - 1
DEBIT_NORMAL = ("1", "5")  # ASSET and EXPENSE codes
CASH = ("1-1100", "1-1200")


class Book:
    """The test's own double-entry record of what it posted."""

    def __init__(self) -> None:
        self.entries: list[tuple[date, list[tuple[str, int, int]]]] = []

    def post(self, day: date, lines: list[tuple[str, int, int]]) -> None:
        self.entries.append((day, lines))

    def balance(self, code: str, end: date, start: date = date.min) -> int:
        total = sum(d - c for day, lines in self.entries if start <= day <= end
                    for k, d, c in lines if k == code)  # fmt: skip
        return total if code[0] in DEBIT_NORMAL else -total

    def codes(self) -> set[str]:
        return {k for _, lines in self.entries for k, _, _ in lines}

    def close(self, year: int) -> int:
        end = date(year, 12, 31)
        results = {k: self.balance(k, end, date(year, 1, 1)) for k in self.codes() if k[0] in "45"}
        surplus = sum(b if k[0] == "4" else -b for k, b in results.items())
        lines = [(k, b, 0) if k[0] == "4" else (k, 0, b) for k, b in results.items() if b]
        self.post(end, [*lines, ("3-3100", 0, surplus)])
        return surplus


async def a_mixed_history(koperasi) -> Book:
    ids = await account_ids(koperasi)
    book = Book()

    async def receipt(code, amount, day, direction="RECEIPT"):
        got = await cash(koperasi, ids[code], amount, day.isoformat(), direction)
        assert got["errors"] == [], got
        sign = (amount, 0) if direction == "RECEIPT" else (0, amount)
        book.post(day, [("1-1100", *sign), (code, sign[1], sign[0])])

    async def general(day, lines):
        got = await journal_entry(koperasi, day.isoformat(),
                                  [(ids[k], d, c) for k, d, c in lines])  # fmt: skip
        assert got["errors"] == [], got
        book.post(day, lines)

    await receipt("4-1900", 1000000, date(LY, 2, 10))
    await general(date(LY, 3, 1), [("1-1200", 2000000, 0), ("2-2100", 0, 2000000)])
    await general(date(LY, 4, 1), [("1-1100", 500000, 0), ("3-1300", 0, 500000)])
    await receipt("4-1400", 250000, date(LY, 5, 10))
    await receipt("5-1200", 300000, date(LY, 6, 1), "PAYMENT")
    await general(date(LY, 7, 1), [("1-2100", 600000, 0), ("1-1200", 0, 600000)])
    await receipt("5-1100", 400000, date(LY, 12, 31), "PAYMENT")
    await receipt("4-1900", 777000, date(LY + 1, 1, 1))
    # Never after today (on 1 January the year has only today).
    await receipt("5-1300", 120000, min(date(LY + 1, 1, 15), TODAY), "PAYMENT")
    await general(min(date(LY + 1, 1, 31), TODAY), [("5-1500", 50000, 0), ("1-2200", 0, 50000)])
    _, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 100000, "POKOK")
    await koperasi.deposit(membership_id, 250000, "SUKARELA")
    book.post(TODAY, [("1-1100", 100000, 0), ("3-1100", 0, 100000)])
    book.post(TODAY, [("1-1100", 250000, 0), ("2-1100", 0, 250000)])
    assert (await close(koperasi, LY))["errors"] == []
    book.close(LY)
    return book


def lines(section) -> dict[str, int]:
    return {line["accountCode"]: line["amount"]["amount"] for line in section["lines"]}


def shown(section) -> dict[str, int]:
    return {k: v for k, v in lines(section).items() if v}


def previous(section) -> dict[str, int]:
    return {line["accountCode"]: line["previousAmount"]["amount"] for line in section["lines"]}


def expected(book: Book, digit: str, end: date, start: date = date.min) -> dict[str, int]:
    found = {k: book.balance(k, end, start) for k in book.codes() if k[0] == digit}
    return {k: b for k, b in found.items() if b}


async def test_statements_match_the_books_computed_independently(gql):
    koperasi = await Koperasi.new(gql)
    book = await a_mixed_history(koperasi)
    start, end = date(LY + 1, 1, 1), TODAY
    p_start, p_end = date(LY, 1, 1), TODAY.replace(year=LY)
    found = await statements(koperasi, start.isoformat(), end.isoformat())
    assert (found["from"], found["to"], found["previousFrom"], found["previousTo"]) == (
        start.isoformat(), end.isoformat(), p_start.isoformat(), p_end.isoformat()
    )  # fmt: skip

    sheet = found["balanceSheet"]
    assert sheet["balanced"]
    assert {k: v for k, v in lines(sheet["assets"]).items() if v} == expected(book, "1", end)
    assert lines(sheet["assets"])["1-2200"] == -50000  # a contra account, negative
    assert {k: v for k, v in lines(sheet["liabilities"]).items() if v} == expected(book, "2", end)
    equity = lines(sheet["equity"])
    unclosed = sum(b if k[0] == "4" else -b for k, b in
                   {**expected(book, "4", end), **expected(book, "5", end)}.items())  # fmt: skip
    assert equity.pop(None) == unclosed == 777000 - 120000 - 50000
    assert {k: v for k, v in equity.items() if v} == expected(book, "3", end)
    total_assets = sum(expected(book, "1", end).values())
    assert sheet["totalAssets"]["amount"] == total_assets == 4007000
    assert sheet["totalLiabilitiesAndEquity"]["amount"] == total_assets
    assert sheet["previousTotalAssets"]["amount"] == sum(expected(book, "1", p_end).values())

    income = found["incomeStatement"]
    assert shown(income["income"]) == expected(book, "4", end, start)
    assert shown(income["expenses"]) == expected(book, "5", end, start)
    assert income["surplus"]["amount"] == 607000
    p_income = {k: v for k, v in previous(income["income"]).items() if v}
    assert p_income == expected(book, "4", p_end, p_start)
    p_surplus = sum(expected(book, "4", p_end, p_start).values()) - sum(
        expected(book, "5", p_end, p_start).values()
    )
    assert income["previousSurplus"]["amount"] == p_surplus

    changes = found["equityChanges"]
    equity_total = sheet["equity"]["total"]["amount"]
    assert changes["closing"]["amount"] == equity_total
    day_before = start - timedelta(days=1)
    opening = sum(expected(book, "3", day_before).values())  # last year closed: no SHU open
    assert changes["opening"]["amount"] == opening == 1050000
    assert opening + sum(line["amount"]["amount"] for line in changes["lines"]) == equity_total

    flow = found["cashFlow"]
    opening_cash = sum(book.balance(k, day_before) for k in CASH)
    closing_cash = sum(book.balance(k, end) for k in CASH)
    assert flow["openingCash"]["amount"] == opening_cash
    assert flow["closingCash"]["amount"] == closing_cash
    assert flow["netChange"]["amount"] == closing_cash - opening_cash == 1007000
    assert shown(flow["operating"]) == {"4-1900": 777000, "5-1300": -120000, "2-1100": 250000}
    assert shown(flow["financing"]) == {"3-1100": 100000}
    assert flow["investing"]["total"]["amount"] == 0
    for section in (flow["operating"], flow["financing"], sheet["assets"], income["income"]):
        assert section["total"]["amount"] == sum(lines(section).values())
    assert flow["previousClosingCash"]["amount"] == sum(book.balance(k, p_end) for k in CASH)


async def test_a_closed_year_still_shows_its_figures_and_every_period_balances(gql):
    koperasi = await Koperasi.new(gql)
    book = await a_mixed_history(koperasi)
    year = await statements(koperasi, f"{LY}-01-01", f"{LY}-12-31", compare=False)
    assert year["incomeStatement"]["surplus"]["amount"] == 550000
    assert year["previousFrom"] is None
    assert year["balanceSheet"]["previousTotalAssets"] is None
    equity = lines(year["balanceSheet"]["equity"])
    assert (equity["3-3100"], equity[None]) == (550000, 0)
    day = date(LY, 1, 1)
    while day <= TODAY:
        month = await statements(koperasi, day.isoformat(), day.isoformat(), compare=False)
        assert month["balanceSheet"]["balanced"], day
        total = month["balanceSheet"]["totalAssets"]["amount"]
        assert total == sum(expected(book, "1", day).values()), day
        day += timedelta(days=45)


async def test_statements_are_for_the_pengurus_and_the_dinas_only(gql):
    koperasi = await Koperasi.new(gql)
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    span = (f"{LY}-01-01", f"{LY}-12-31")
    assert await statements(koperasi, *span, token=warga["token"]) is None
    assert await statements(koperasi, *span, token=other.pengurus["token"]) is None
    admin = await city_admin(gql)
    assert (await statements(koperasi, *span, token=admin["token"]))["balanceSheet"]["balanced"]
    backwards = await gql(
        "query($id: ID!) { node(id: $id) { ... on Cooperative { "
        'financialStatements(from: "2026-02-01", to: "2026-01-01") { from } } } }',
        {"id": koperasi.id},
        token=koperasi.pengurus["token"],
    )
    assert backwards["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_the_files_hold_the_same_figures_behind_a_signed_short_lived_link(gql, client):
    import io
    import re
    from datetime import UTC, datetime

    from openpyxl import load_workbook

    koperasi = await Koperasi.new(gql)
    await a_mixed_history(koperasi)
    found = await statements(koperasi, f"{LY + 1}-01-01", TODAY.isoformat())
    expires = datetime.fromisoformat(found["expiresAt"])
    assert 5 * 60 <= (expires - datetime.now(UTC)).total_seconds() <= 60 * 60
    assert found["xlsxUrl"].startswith("http")
    response = await client.get(found["xlsxUrl"])  # no header: the link is the key
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Neraca", "Hasil Usaha", "Perubahan Ekuitas", "Arus Kas"]
    neraca = book["Neraca"]
    assert [c.value for c in neraca[1]] == ["Kode Akun", "Uraian", "Periode Ini", "Periode Lalu"]
    rows = {
        row[1]: (row[0], row[2], row[3]) for row in neraca.iter_rows(min_row=2, values_only=True)
    }
    sheet = found["balanceSheet"]
    for line in sheet["assets"]["lines"] + sheet["equity"]["lines"]:
        assert rows[line["label"]][1] == line["amount"]["amount"]
        assert rows[line["label"]][2] == line["previousAmount"]["amount"]
    assert rows["Jumlah Aset"][1] == sheet["totalAssets"]["amount"]
    assert neraca["C2"].number_format == '"Rp"#,##0;("Rp"#,##0)'
    hasil = {r[1]: r[2] for r in book["Hasil Usaha"].iter_rows(min_row=2, values_only=True)}
    assert hasil["Sisa Hasil Usaha"] == found["incomeStatement"]["surplus"]["amount"]
    kas = {r[1]: r[2] for r in book["Arus Kas"].iter_rows(min_row=2, values_only=True)}
    assert kas["Kas Akhir Periode"] == found["cashFlow"]["closingCash"]["amount"]

    pdf = await client.get(found["pdfUrl"])
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = pdf.content.decode("latin-1")
    for figure in ("Rp4.007.000", "(Rp50.000)", "Rp607.000", "Neraca", "Arus Kas"):
        assert figure in text, figure
    # A changed link, or another cooperative's, is a 404.
    tampered = found["xlsxUrl"].replace(f"to={TODAY.isoformat()}", "to=2099-01-01")
    assert (await client.get(tampered)).status_code == 404
    other = re.sub(r"/books/\d+/", "/books/999999/", found["pdfUrl"])
    assert (await client.get(other)).status_code == 404
    expired = re.sub(r"expires=\d+", "expires=1000", found["pdfUrl"])
    assert (await client.get(expired)).status_code == 404
    warga, _ = await koperasi.member()
    assert await statements(koperasi, f"{LY}-01-01", f"{LY}-12-31", token=warga["token"]) is None


def test_a_signed_link_stops_working_when_it_expires():
    from datetime import UTC, datetime, timedelta
    from urllib.parse import parse_qsl, urlsplit

    from resolvers.cooperatives import downloads

    at = datetime(2026, 1, 2, tzinfo=UTC)
    link = downloads.Link.new("rahasia", 7, date(2025, 1, 1), date(2025, 12, 31), True, at)
    params = dict(parse_qsl(urlsplit(link.url("pdf")).query))
    asked = downloads.verified("rahasia", 7, "pdf", params, at + timedelta(minutes=29))
    assert asked == downloads.Asked(7, date(2025, 1, 1), date(2025, 12, 31), True)
    assert downloads.verified("rahasia", 7, "pdf", params, at + timedelta(minutes=31)) is None
    assert downloads.verified("lain", 7, "pdf", params, at) is None
    assert downloads.verified("rahasia", 8, "pdf", params, at) is None
    assert downloads.verified("rahasia", 7, "xlsx", params, at) is None
