"""CloseBookYear, ReopenBookYear and BookYears: the close moves the year's income and expenses
to SHU Belum Dibagi once, and the database refuses every writer dated in a closed year."""

import asyncio
from datetime import date, datetime

import pytest
from tortoise import connections

from models.cooperatives.books import EntryKind, JournalEntry
from models.loans import Loan
from resolvers.cooperatives.books import Journal, Line
from resolvers.platform import JAKARTA, UserError, today
from schema.platform.ids import decode_id
from tests.conftest import city_admin
from tests.cooperatives.books import (
    account_ids,
    book_years,
    books_op,
    cash,
    chart,
    close,
    journal_entry,
    reopen,
    reverse,
)
from tests.cooperatives.helpers import Koperasi, codes, journal_size
from tests.loans.helpers import active_loan

pytestmark = pytest.mark.usefixtures("books_balance")

LAST_YEAR = today().year - 1  # the business year in Jakarta, by the suite's real clock


async def a_year_of_books(koperasi):
    ids = await account_ids(koperasi)
    await cash(koperasi, ids["4-1900"], 1000000, f"{LAST_YEAR}-02-10")
    await cash(koperasi, ids["4-1400"], 250000, f"{LAST_YEAR}-05-10")
    await cash(koperasi, ids["5-1200"], 300000, f"{LAST_YEAR}-06-01", "PAYMENT")
    await cash(koperasi, ids["5-1100"], 400000, f"{LAST_YEAR}-12-31", "PAYMENT")
    await cash(koperasi, ids["4-1900"], 777000, f"{LAST_YEAR + 1}-01-01")  # the next year
    return ids


async def test_closing_moves_the_years_result_to_shu_belum_dibagi(gql):
    koperasi = await Koperasi.new(gql)
    ids = await a_year_of_books(koperasi)
    closed = await close(koperasi, LAST_YEAR)
    assert closed["errors"] == []
    assert closed["bookYear"] == {
        **closed["bookYear"], "year": LAST_YEAR, "state": "CLOSED",
        "closedBy": {"name": "Pengurus Koperasi"},
        "surplus": {"amount": 550000, "formatted": "Rp550.000"},
    }  # fmt: skip
    at_year_end = {a["code"]: a["balance"]["amount"]
                   for a in await chart(koperasi, asOf=f"{LAST_YEAR}-12-31")}  # fmt: skip
    assert [at_year_end[c] for c in ("4-1900", "4-1400", "5-1200", "5-1100")] == [0, 0, 0, 0]
    assert at_year_end["3-3100"] == 550000
    assert at_year_end["1-1100"] == 550000
    now = {a["code"]: a["balance"]["amount"] for a in await chart(koperasi)}
    assert now["4-1900"] == 777000
    entries = await gql(
        books_op("JournalEntries"),
        {"cooperativeId": koperasi.id, "kind": "CLOSING"},
        token=koperasi.pengurus["token"],
    )
    closing = entries["data"]["node"]["journalEntries"]["edges"]
    assert [(e["node"]["date"], e["node"]["totalDebit"]["amount"]) for e in closing] == [
        (f"{LAST_YEAR}-12-31", 1250000)
    ]
    years = await book_years(koperasi)
    assert [(y["year"], y["state"]) for y in years] == [
        (LAST_YEAR + 1, "OPEN"), (LAST_YEAR, "CLOSED")
    ]  # fmt: skip
    assert years[0]["surplus"] is None
    assert [e["action"] for e in years[1]["events"]] == ["CLOSED"]
    warga, _ = await koperasi.member()
    assert await book_years(koperasi, warga["token"]) is None
    admin = await city_admin(gql)
    assert len(await book_years(koperasi, admin["token"])) == 2
    assert ids


async def test_a_closed_year_refuses_every_writer(gql):
    koperasi = await Koperasi.new(gql)
    ids = await a_year_of_books(koperasi)
    old = await JournalEntry.filter(
        cooperative_id=decode_id(koperasi.id, "Cooperative"), date=date(LAST_YEAR, 2, 10)
    ).first()
    assert old is not None
    assert (await close(koperasi, LAST_YEAR))["errors"] == []
    before = await journal_size()
    day = f"{LAST_YEAR}-07-01"
    assert codes(await cash(koperasi, ids["4-1900"], 1000, day)) == [("date", "INVALID_STATE")]
    posted = await journal_entry(koperasi, day, [(ids["1-2100"], 10, 0), (ids["1-1100"], 0, 10)])
    assert codes(posted) == [("date", "INVALID_STATE")]
    from schema.platform.ids import encode_id

    old_id = encode_id("JournalEntry", old.id)
    assert codes(await reverse(koperasi, old_id, date=f"{LAST_YEAR}-12-31")) == [
        ("date", "INVALID_STATE")
    ]
    with pytest.raises(UserError) as refused:  # code posting directly
        await Journal().post(
            old.cooperative_id, EntryKind.GENERAL, "Langsung", [Line("1-2100", debit=5),
            Line("1-1100", credit=5)], day=date(LAST_YEAR, 3, 3),
        )  # fmt: skip
    assert refused.value.problems[0].code.value == "INVALID_STATE"
    client = connections.get("default")
    mark = "$" if client.capabilities.dialect == "postgres" else "?"
    with pytest.raises(Exception, match="closed book year"):  # SQL, as a migration would
        await client.execute_query(
            "INSERT INTO journal_entry (cooperative_id, kind, description, note, date, "
            f"created_at) VALUES ({mark}1, 'GENERAL', 'x', '', {mark}2, {mark}3)",
            [old.cooperative_id, date(LAST_YEAR, 8, 8), old.created_at],
        )
    assert await journal_size() == before
    # A reversal dated in the open year (today: never in the future) is taken.
    assert (await reverse(koperasi, old_id, date=today().isoformat()))["errors"] == []


async def test_a_year_closes_only_once_it_is_over_and_only_by_its_pengurus(gql):
    koperasi = await Koperasi.new(gql)
    await a_year_of_books(koperasi)
    assert codes(await close(koperasi, LAST_YEAR + 1)) == [("year", "INVALID_STATE")]
    warga, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    admin = await city_admin(gql)
    for token in (warga["token"], other.pengurus["token"], admin["token"]):
        assert codes(await close(koperasi, LAST_YEAR, token)) == [
            ("cooperativeId", "PERMISSION_DENIED")
        ]
    assert [y["state"] for y in await book_years(koperasi)] == ["OPEN", "OPEN"]


async def test_two_pengurus_closing_at_once_close_it_once(gql):
    koperasi = await Koperasi.new(gql)
    await a_year_of_books(koperasi)
    second = await koperasi.add_pengurus()
    answers = await asyncio.gather(
        *(close(koperasi, LAST_YEAR, t) for t in [koperasi.pengurus["token"], second["token"]] * 3)
    )
    assert sorted(codes(a) for a in answers) == [[]] + [[("year", "INVALID_STATE")]] * 5
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert await JournalEntry.filter(cooperative_id=cooperative_id, kind="CLOSING").count() == 1
    shu = {a["code"]: a["balance"]["amount"] for a in await chart(koperasi)}["3-3100"]
    assert shu == 550000


async def test_only_the_dinas_reopens_the_latest_closed_year_with_a_record(gql):
    koperasi = await Koperasi.new(gql)
    ids = await a_year_of_books(koperasi)
    admin = await city_admin(gql)
    assert codes(await reopen(koperasi, LAST_YEAR, admin["token"], "Koreksi")) == [
        ("year", "INVALID_STATE")
    ]
    await close(koperasi, LAST_YEAR)
    assert codes(await reopen(koperasi, LAST_YEAR, koperasi.pengurus["token"], "Koreksi")) == [
        ("cooperativeId", "PERMISSION_DENIED")
    ]
    assert codes(await reopen(koperasi, LAST_YEAR, admin["token"], " ")) == [("reason", "REQUIRED")]
    reopened = await reopen(koperasi, LAST_YEAR, admin["token"], "Beban listrik belum dicatat")
    assert reopened["errors"] == []
    assert reopened["bookYear"]["state"] == "OPEN"
    assert [
        (e["action"], e["by"]["name"], e["reason"]) for e in reopened["bookYear"]["events"]
    ] == [
        ("CLOSED", "Pengurus Koperasi", None),
        ("REOPENED", "Petugas Dinas", "Beban listrik belum dicatat"),
    ]
    at_year_end = {a["code"]: a["balance"]["amount"]
                   for a in await chart(koperasi, asOf=f"{LAST_YEAR}-12-31")}  # fmt: skip
    assert (at_year_end["3-3100"], at_year_end["4-1900"]) == (0, 1000000)
    late = await cash(koperasi, ids["5-1300"], 50000, f"{LAST_YEAR}-11-30", "PAYMENT")
    assert late["errors"] == []
    again = await close(koperasi, LAST_YEAR)
    assert again["bookYear"]["surplus"]["amount"] == 500000
    at_year_end = {a["code"]: a["balance"]["amount"]
                   for a in await chart(koperasi, asOf=f"{LAST_YEAR}-12-31")}  # fmt: skip
    assert (at_year_end["3-3100"], at_year_end["5-1300"], at_year_end["4-1900"]) == (500000, 0, 0)


async def test_a_year_closes_only_once_every_month_with_loans_has_its_allowance(gql):
    koperasi = await Koperasi.new(gql)
    await a_year_of_books(koperasi)
    _, _, loan_id = await active_loan(koperasi)
    since = datetime(LAST_YEAR, 10, 15, 9, tzinfo=JAKARTA)
    await Loan.filter(id=decode_id(loan_id, "Loan")).update(disbursed_at=since)

    async def allowance(period: str) -> None:
        result = await gql(
            books_op("PostLoanLossAllowance"),
            {"cooperativeId": koperasi.id, "period": period},
            token=koperasi.pengurus["token"],
        )
        assert result["data"]["postLoanLossAllowance"]["errors"] == [], result

    refused = await close(koperasi, LAST_YEAR)
    assert codes(refused) == [("year", "INVALID_STATE")]
    months = [f"{LAST_YEAR}-{m}" for m in ("10", "11", "12")]
    assert ", ".join(months) in refused["errors"][0]["message"]
    await allowance(months[0])
    await allowance(months[2])
    refused = await close(koperasi, LAST_YEAR)
    assert f"periode {months[1]}:" in refused["errors"][0]["message"]
    assert [y["state"] for y in await book_years(koperasi)] == ["OPEN", "OPEN"]
    await allowance(months[1])
    assert (await close(koperasi, LAST_YEAR))["errors"] == []
