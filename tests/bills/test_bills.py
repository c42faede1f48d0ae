"""IssueMonthlyBills and InquireBill through the running server, from both sides."""

from __future__ import annotations

import asyncio
import calendar

import pytest

from models.bills import Bill, BillKind
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from tests.bills.helpers import INQUIRE, customer_number, inquire, issue, this_period
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi, codes

pytestmark = pytest.mark.usefixtures("books_balance")

BILL = """query($id: ID!) { node(id: $id) { ... on Bill { id kind status state } } }"""


async def wajib_bills(membership_id: str) -> list[Bill]:
    return await Bill.filter(
        membership_id=decode_id(membership_id, "Membership"), kind=BillKind.SIMPANAN_WAJIB
    )


async def test_issue_monthly_bills_issues_each_active_members_wajib_once(gql):
    koperasi = await Koperasi.new(gql)
    siti, siti_membership = await koperasi.member()
    _, budi_membership = await koperasi.member()
    applicant = await sign_up(gql, "Masih Mendaftar")
    assert (await koperasi.apply(applicant))["errors"] == []

    assert await issue(koperasi, this_period()) == {"issued": 2, "errors": []}
    assert await issue(koperasi, this_period()) == {"issued": 0, "errors": []}
    dashboard = (await koperasi.dashboard(siti_membership, siti["token"]))["data"]["node"]
    wajib = [b for b in dashboard["bills"] if b["kind"] == "SIMPANAN_WAJIB"]
    year, month = map(int, this_period().split("-"))
    last = calendar.monthrange(year, month)[1]
    assert len(wajib) == 1
    assert wajib[0]["amount"] == {"amount": 20000, "formatted": "Rp20.000"}
    assert wajib[0]["dueDate"] == f"{this_period()}-{last:02d}"  # the month's last day
    assert len(await wajib_bills(budi_membership)) == 1


async def test_members_who_joined_later_get_no_bill_for_an_earlier_month(gql):
    koperasi = await Koperasi.new(gql)
    await koperasi.member()
    assert await issue(koperasi, "2020-01") == {"issued": 0, "errors": []}


async def test_issue_monthly_bills_is_for_the_cooperatives_pengurus_with_a_real_period(gql):
    koperasi = await Koperasi.new(gql)
    other = await Koperasi.new(gql)
    member, _ = await koperasi.member()
    for bad in ["2026-13", "2026-1", "Desember", "1999-12"]:
        refused = await issue(koperasi, bad)
        assert codes(refused) == [("period", "INVALID")], bad
    for token in (member["token"], other.pengurus["token"]):
        refused = await issue(koperasi, this_period(), token=token)
        assert codes(refused) == [("cooperativeId", "PERMISSION_DENIED")]
    assert (
        await Bill.filter(kind=BillKind.SIMPANAN_WAJIB, user__email=member["user"]["email"]).count()
        == 0
    )


async def test_two_pengurus_issuing_at_once_issue_each_bill_once(gql):
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    memberships = [(await koperasi.member())[1] for _ in range(4)]
    results = await asyncio.gather(
        issue(koperasi, this_period()),
        issue(koperasi, this_period(), token=second["token"]),
    )
    assert all(r["errors"] == [] for r in results)
    assert sorted(r["issued"] for r in results) == [0, 4]
    for membership_id in memberships:
        assert len(await wajib_bills(membership_id)) == 1


async def test_an_inquired_bill_is_the_users_unpaid_bill_until_midnight(gql):
    warga = await sign_up(gql)
    number = customer_number()
    found = await inquire(gql, warga["token"], "PDAM", number)
    assert found["errors"] == []
    bill = found["bill"]
    assert bill["kind"] == "PDAM"
    assert (bill["status"], bill["state"]) == ("UNPAID", "UNPAID")
    assert bill["customerNumber"] == number
    assert bill["customerName"]
    assert bill["period"] == this_period()
    assert bill["adminFee"] == {"amount": 2500}
    assert bill["total"]["amount"] == bill["amount"]["amount"] + 2500
    assert bill["dueDate"] == f"{today():%Y-%m-%d}"
    assert number in bill["description"]
    again = await inquire(gql, warga["token"], "PDAM", number)
    assert again["bill"]["id"] == bill["id"]  # the same inquiry, still unpaid: the same bill
    seen = await gql(BILL, {"id": bill["id"]}, token=warga["token"])
    assert seen["data"]["node"]["id"] == bill["id"]
    stranger = await sign_up(gql, "Orang Lain")
    assert (await gql(BILL, {"id": bill["id"]}, token=stranger["token"]))["data"]["node"] is None


async def test_a_pln_token_inquiry_takes_its_denomination(gql):
    warga = await sign_up(gql)
    found = await inquire(gql, warga["token"], "PLN_TOKEN", customer_number(), 50000)
    assert found["errors"] == []
    assert found["bill"]["amount"] == {"amount": 50000}
    assert found["bill"]["period"] is None
    refused = await inquire(gql, warga["token"], "PLN_TOKEN", customer_number(), 30000)
    assert codes(refused) == [("denomination", "INVALID")]
    refused = await inquire(gql, warga["token"], "PDAM", customer_number(), 50000)
    assert codes(refused) == [("denomination", "INVALID")]


async def test_the_sandbox_refusals_are_coded_errors_and_write_no_bill(gql):
    warga = await sign_up(gql)
    before = await Bill.all().count()
    cases = [
        ("PLN_POSTPAID", customer_number("00"), ("customerNumber", "NOT_FOUND")),
        ("BPJS", customer_number("01"), ("customerNumber", "INVALID_STATE")),
        ("PDAM", customer_number("07"), ("customerNumber", "SERVICE_UNAVAILABLE")),
        ("PDAM", "12-ab", ("customerNumber", "INVALID")),
        ("SIMPANAN_WAJIB", customer_number(), ("kind", "INVALID")),
        ("LOAN_INSTALLMENT", customer_number(), ("kind", "INVALID")),
    ]
    for kind, number, expected in cases:
        refused = await inquire(gql, warga["token"], kind, number)
        assert refused["bill"] is None
        assert codes(refused) == [expected], (kind, number)
    assert await Bill.all().count() == before


async def test_an_expired_inquiry_is_a_bill_already_expired(gql):
    warga = await sign_up(gql)
    found = await inquire(gql, warga["token"], "PLN_POSTPAID", customer_number("02"))
    assert found["errors"] == []
    assert (found["bill"]["status"], found["bill"]["state"]) == ("UNPAID", "EXPIRED")


async def test_inquiring_needs_a_signed_in_user(gql):
    result = await gql(INQUIRE, {"kind": "PDAM", "number": customer_number()})
    payload = result["data"]["inquireBill"]
    assert payload["bill"] is None
    assert [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]
