"""The demo's cooperatives: 94 incorporated by 2020, a Koperasi Kelurahan Merah Putih in each
of the 104 kelurahan since 2025, pengurus, members, a year of savings on balanced books, and
last year's SHU shared, and a tanggung renteng group with a member in arrears."""

import time
from datetime import date, datetime, timedelta

import pytest

from demo.cooperatives import DEMO_PENGURUS, seed_cooperatives
from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from models.bills import Bill, BillReceipt, StandingInstruction
from models.cooperatives.books import AccountKind, EntryKind, JournalEntry, JournalLine
from models.cooperatives.cooperative import Cooperative, Membership
from models.loans import LoanLossAllowance
from models.platform.accounts import User
from models.shu import ShuDistribution
from resolvers.cooperatives.book_year import months_without_allowance
from resolvers.platform import accounts
from resolvers.platform.clock import JAKARTA, today
from schema.platform.ids import decode_id, encode_id
from tests.conftest import contract
from tests.cooperatives.books import books_op, statements
from tests.cooperatives.helpers import BOOKS, Koperasi
from tests.shu.helpers import PREVIEW

pytestmark = pytest.mark.usefixtures("books_balance")

POST_ALLOWANCE = """mutation($id: ID!, $period: String!) {
  postLoanLossAllowance(cooperativeId: $id, period: $period) { errors { code } } }"""
DEMO_LOANS = """query($id: ID!) { node(id: $id) { ... on Cooperative { loans { edges { node {
  status method daysPastDue schedule { paidAt }
  shopSales { paidOrders revenue { amount } } } } } } } }"""


async def login(gql, email: str) -> str:
    result = await gql(
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        {"e": email, "p": DEMO_PASSWORD},
    )
    return result["data"]["login"]["token"]


async def demo_accounts() -> None:
    for name, email, phone, is_admin in DEMO_ACCOUNTS:
        if not await User.exists(email=email):
            await accounts.register(name=name, email=email, password=DEMO_PASSWORD,
                                    phone=phone, is_city_admin=is_admin)  # fmt: skip


async def test_demo_cooperatives_with_logins_for_a_pengurus_and_a_member(gql):
    await demo_accounts()
    started = time.perf_counter()
    await seed_cooperatives(DEMO_PASSWORD)
    assert time.perf_counter() - started < 60
    demo = Cooperative.filter(legal_number__endswith="-DEMO")
    merah_putih = demo.filter(name__startswith="Koperasi Kelurahan Merah Putih")
    assert await merah_putih.count() == 104
    assert len(set(await merah_putih.values_list("kelurahan_id", flat=True))) == 104
    assert all(
        d >= date(2025, 1, 1) for d in await merah_putih.values_list("legal_date", flat=True)
    )
    incorporated = demo.exclude(name__startswith="Koperasi Kelurahan Merah Putih")
    assert await incorporated.count() == 94
    assert max(await incorporated.values_list("legal_date", flat=True)) <= date(2020, 12, 31)
    assert await seed_cooperatives(DEMO_PASSWORD) is False  # once

    pengurus = await login(gql, DEMO_PENGURUS)
    me = await gql("{ me { administeredCooperatives { id name } } }", token=pengurus)
    (first,) = me["data"]["me"]["administeredCooperatives"]
    assert first["name"] == "Koperasi Simpan Pinjam Sejahtera Bersama"
    # A member too: their wajib bill of the month waits, told in the app.
    told = await gql(contract("Notifications"), {"unreadOnly": True}, token=pengurus)
    waiting = [e["node"]["kind"] for e in told["data"]["notifications"]["edges"]]
    assert told["data"]["notifications"]["unreadCount"] >= 1
    assert "BILL_ISSUED" in waiting
    members = await gql(contract("CooperativeMembers"), {"id": first["id"]}, token=pengurus)
    assert members["data"]["node"]["members"]["totalCount"] >= 8
    # The month just ended gets its allowance now, not from the server's sweep in the middle
    # of the comparisons below (posting it again posts only what changed).
    ended = f"{today().replace(day=1) - timedelta(days=1):%Y-%m}"
    await gql(POST_ALLOWANCE, {"id": first["id"], "period": ended}, token=pengurus)
    cooperative_pk = decode_id(first["id"], "Cooperative")
    assert await LoanLossAllowance.exists(cooperative_id=cooperative_pk, period=ended)
    books = (await gql(BOOKS, {"id": first["id"]}, token=pengurus))["data"]["node"]["books"]
    assert books["balanced"] is True
    assert books["assets"]["amount"] == (
        books["liabilities"]["amount"] + books["equity"]["amount"] + books["surplus"]["amount"]
    )

    siti = await login(gql, "siti@satupintu.id")
    me = await gql("{ me { memberships { id status cooperative { id } } } }", token=siti)
    (membership,) = me["data"]["me"]["memberships"]
    assert (membership["status"], membership["cooperative"]["id"]) == ("ACTIVE", first["id"])
    page = await gql(contract("MemberDashboard"), {"id": membership["id"]}, token=siti)
    node = page["data"]["node"]
    assert node["totalSavings"]["amount"] > 0
    assert node["transactions"]["totalCount"] >= 13  # pokok and twelve months of wajib
    loans = await gql(DEMO_LOANS, {"id": first["id"]}, token=pengurus)
    found = [e["node"] for e in loans["data"]["node"]["loans"]["edges"]]
    assert {loan["status"] for loan in found} == {
        "APPLIED", "APPROVED", "ACTIVE", "PAID_OFF", "REJECTED",
    }  # fmt: skip
    assert {loan["method"] for loan in found} >= {"FLAT", "EFEKTIF", "ANUITAS"}
    assert max(loan["daysPastDue"] for loan in found) > 0  # budi's third installment
    assert any(i["paidAt"] for loan in found for i in loan["schedule"])
    (applied,) = [loan for loan in found if loan["status"] == "APPLIED"]
    # One tanggung renteng group, blocked by budi's installment past its grace days.
    groups = await gql(
        contract("CooperativeLoanGroups"), {"cooperativeId": first["id"]}, token=pengurus
    )
    (group,) = [e["node"] for e in groups["data"]["node"]["loanGroups"]["edges"]]
    assert (group["name"], group["blocked"], len(group["members"])) == ("Kelompok Melati", True, 3)
    late = [m for m in group["members"] if m["arrears"]["amount"]]
    assert len(late) == 1
    assert late[0]["arrears"] == group["arrears"]
    budi = await login(gql, "budi@satupintu.id")
    (own,) = (await gql("{ me { memberships { id } } }", token=budi))["data"]["me"]["memberships"]
    mine = await gql(contract("MemberLoanGroup"), {"membershipId": own["id"]}, token=budi)
    assert mine["data"]["node"]["loanGroup"]["id"] == group["id"]
    assert sum(m["paidOrders"] for m in applied["shopSales"]) > 100
    assert all(m["revenue"]["amount"] > 0 for m in applied["shopSales"][:-1])
    row = await Membership.get(user__email="siti@satupintu.id")
    dates = await JournalEntry.filter(lines__membership_id=row.id).values_list(
        "created_at", flat=True
    )
    assert (max(dates) - min(dates)).days > 300  # a year of history

    # Last year closed and its SHU shared: the preview over HTTP gives what was distributed.
    shu = await ShuDistribution.get(cooperative_id=decode_id(first["id"], "Cooperative"))
    assert (shu.year, shu.surplus) == (today().year - 1, shu.books_surplus)
    shared = {"surplus": shu.surplus, "reservePercent": 40, "capitalServicePercent": 25,
              "memberServicePercent": 25}  # fmt: skip
    preview = await gql(PREVIEW, {"cooperativeId": first["id"], "year": shu.year,
                                  "input": shared}, token=pengurus)  # fmt: skip
    members = preview["data"]["shuPreview"]["members"]
    assert sum(m["total"]["amount"] for m in members) == shu.distributed > 0
    assert await JournalEntry.exists(lines__membership_id=row.id, kind=EntryKind.SHU)
    # Last year closed with expenses and the allowance, its RAT held: the statements and the
    # RAT package show its figures at once.
    years = await gql(books_op("BookYears"), {"cooperativeId": first["id"]}, token=pengurus)
    last = next(y for y in years["data"]["node"]["bookYears"] if y["year"] == shu.year)
    assert last["state"] == "CLOSED"
    assert last["rat"]["shuToDistribute"]["amount"] == shu.surplus == last["surplus"]["amount"]
    assert last["ratPackage"]["pdfUrl"].startswith("http")
    found = await statements(Koperasi(gql, first, {"token": pengurus}), f"{shu.year}-01-01",
                             f"{shu.year}-12-31")  # fmt: skip
    expenses = {line["accountCode"] for line in found["incomeStatement"]["expenses"]["lines"]}
    assert {"5-1100", "5-1200", "5-1300", "5-1400"} <= expenses
    assert found["incomeStatement"]["surplus"]["amount"] == shu.surplus > 0
    assert found["balanceSheet"]["balanced"] is True
    cooperative_id = decode_id(first["id"], "Cooperative")
    assert await months_without_allowance(cooperative_id, shu.year) == []
    assert await LoanLossAllowance.filter(cooperative_id=cooperative_id).exists()
    # Last year's income and expenses are closed into SHU (by an entry dated in it, not counted
    # here): what is left is this year's: the demo loans' interest and denda, the demo bills'
    # admin fees, and whatever allowance the server's sweep has posted for a month just ended.
    this_year = JournalLine.filter(
        account__cooperative_id=decode_id(first["id"], "Cooperative"),
        entry__created_at__gte=datetime(today().year, 1, 1, tzinfo=JAKARTA),
    ).exclude(entry__kind__in=[EntryKind.SHU, EntryKind.CLOSING])
    income = await this_year.filter(account__kind=AccountKind.INCOME).values_list("credit", "debit")
    expenses = await this_year.filter(account__kind=AccountKind.EXPENSE).values_list(
        "debit", "credit"
    )
    earned = sum(c - d for c, d in income)
    assert earned > 0
    assert books["surplus"]["amount"] == earned - sum(d - c for d, c in expenses)


async def test_demo_bills_unpaid_and_paid_with_a_receipt(gql):
    await demo_accounts()
    await seed_cooperatives(DEMO_PASSWORD)
    siti = await login(gql, "siti@satupintu.id")
    receipts = await BillReceipt.filter(user__email="siti@satupintu.id", status="PAID")
    assert len(receipts) == 1
    query = """query($id: ID!) { node(id: $id) { ... on BillReceipt {
      total { amount } lines { kind state billerReference } } } }"""
    seen = await gql(query, {"id": encode_id("BillReceipt", receipts[0].id)}, token=siti)
    receipt = seen["data"]["node"]
    assert [(x["kind"], x["state"]) for x in receipt["lines"]] == [
        ("SIMPANAN_WAJIB", "PAID"), ("PLN_POSTPAID", "PAID"),
    ]  # fmt: skip
    assert receipt["lines"][1]["billerReference"].startswith("SBX-")
    budi = await login(gql, "budi@satupintu.id")
    me = await gql("{ me { memberships { id } } }", token=budi)
    membership_id = me["data"]["me"]["memberships"][0]["id"]
    page = await gql(contract("MemberDashboard"), {"id": membership_id}, token=budi)
    assert "SIMPANAN_WAJIB" in {b["kind"] for b in page["data"]["node"]["bills"]}
    assert await Bill.filter(user__email="budi@satupintu.id", kind="PDAM", status="UNPAID").exists()


async def test_demo_members_have_active_standing_instructions(gql):
    await demo_accounts()
    await seed_cooperatives(DEMO_PASSWORD)
    budi = await login(gql, "budi@satupintu.id")
    me = await gql("{ me { memberships { id } } }", token=budi)
    membership_id = me["data"]["me"]["memberships"][0]["id"]
    for token in (budi, await login(gql, DEMO_PENGURUS)):
        seen = await gql(contract("StandingInstructions"), {"membershipId": membership_id},
                         token=token)  # fmt: skip
        listed = seen["data"]["node"]["standingInstructions"]
        assert [(i["status"], i["kinds"]) for i in listed] == [
            ("ACTIVE", ["LOAN_INSTALLMENT", "SIMPANAN_WAJIB"])
        ]
    first = await Membership.get(id=decode_id(membership_id, "Membership"))
    active = await StandingInstruction.filter(
        status="ACTIVE", membership__cooperative_id=first.cooperative_id
    ).count()
    members = await Membership.filter(cooperative_id=first.cooperative_id, status="ACTIVE").count()
    assert 2 <= active < members
