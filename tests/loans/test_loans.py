"""ApplyLoan, ApproveLoan, DisburseLoan, rejectLoan and setLoanPolicy through HTTP, from both
sides, with the books after each."""

import asyncio
from datetime import date

import pytest

from models.cooperatives.books import JournalEntry, JournalLine
from models.loans import LoanInstallment
from resolvers.cooperatives.books import PIUTANG_PINJAMAN, SIMPANAN_SUKARELA, audit
from resolvers.loans.schedule import schedule
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from tests.conftest import sign_up
from tests.cooperatives.helpers import Koperasi, codes, sukarela
from tests.loans.helpers import LOAN, REJECT, apply, approve, disburse

pytestmark = pytest.mark.usefixtures("books_balance")

POLICY = """mutation($id: ID!, $input: LoanPolicyInput!) { setLoanPolicy(cooperativeId: $id,
  input: $input) { policy { maxPrincipal { amount } dendaBpsPerDay graceDays }
  errors { field code message } } }"""


@pytest.mark.parametrize("method", ["FLAT", "EFEKTIF", "ANUITAS"])
async def test_apply_approve_disburse_fixes_the_schedule_and_credits_sukarela(gql, method):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    applied = await apply(koperasi, membership_id, warga["token"], 1_000_000, tenorMonths=7)
    assert applied["errors"] == []
    loan = applied["loan"]
    assert (loan["status"], loan["principal"], loan["tenorMonths"]) == (
        "APPLIED", {"amount": 1_000_000}, 7,
    )  # fmt: skip
    approved = await approve(koperasi, loan["id"], method, 2400)
    assert approved["errors"] == []
    found = approved["loan"]
    assert (found["status"], found["method"], found["annualRateBps"]) == ("APPROVED", method, 2400)
    expected = schedule(1_000_000, 2400, 7, method, today())
    assert [(i["number"], i["dueDate"], i["principal"]["amount"], i["interest"]["amount"],
             i["paidAt"]) for i in found["schedule"]] == [
        (e.number, e.due_date.isoformat(), e.principal, e.interest, None) for e in expected
    ]  # fmt: skip
    assert sum(i["principal"]["amount"] for i in found["schedule"]) == 1_000_000
    assert await sukarela(membership_id) == 0

    disbursed = await disburse(koperasi, loan["id"])
    assert disbursed["errors"] == []
    assert disbursed["loan"]["status"] == "ACTIVE"
    assert disbursed["loan"]["outstanding"] == {"amount": 1_000_000}
    assert await sukarela(membership_id) == 1_000_000
    entry = await JournalEntry.get(kind="LOAN_DISBURSEMENT", membership_id=decode_id(
        membership_id, "Membership"))  # fmt: skip
    lines = await JournalLine.filter(entry_id=entry.id).select_related("account")
    assert sorted((line.account.code, line.debit, line.credit) for line in lines) == [
        (PIUTANG_PINJAMAN, 1_000_000, 0), (SIMPANAN_SUKARELA, 0, 1_000_000),
    ]  # fmt: skip
    page = (await koperasi.dashboard(membership_id, warga["token"]))["data"]["node"]
    (listed,) = page["loans"]
    assert listed["nextInstallment"]["number"] == 1
    assert listed["nextInstallment"]["total"]["amount"] == expected[0].total
    assert page["transactions"]["edges"][0]["node"]["kind"] == "LOAN_DISBURSEMENT"
    assert await audit() == []


async def test_limits_are_refused_with_coded_errors(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    token = warga["token"]
    policy = await gql(
        POLICY,
        {"id": koperasi.id, "input": {"maxPrincipal": 5_000_000, "dendaBpsPerDay": 20,
                                      "graceDays": 3}},
        token=koperasi.pengurus["token"],
    )  # fmt: skip
    assert policy["data"]["setLoanPolicy"]["errors"] == []
    assert codes(await apply(koperasi, membership_id, token, 5_000_001)) == [
        ("input.principal", "LIMIT_EXCEEDED")
    ]
    assert codes(await apply(koperasi, membership_id, token, 0)) == [("input.principal", "INVALID")]
    assert codes(await apply(koperasi, membership_id, token, tenorMonths=61)) == [
        ("input.tenorMonths", "LIMIT_EXCEEDED")
    ]
    assert codes(await apply(koperasi, membership_id, token, tenorMonths=0)) == [
        ("input.tenorMonths", "INVALID")
    ]
    assert codes(await apply(koperasi, membership_id, token, purpose="  ")) == [
        ("input.purpose", "REQUIRED")
    ]
    ok = await apply(koperasi, membership_id, token, 5_000_000, tenorMonths=60)
    assert ok["errors"] == []
    assert codes(await apply(koperasi, membership_id, token)) == [
        ("input.membershipId", "INVALID_STATE")
    ]
    assert codes(await approve(koperasi, ok["loan"]["id"], rate=10_001)) == [
        ("annualRateBps", "INVALID")
    ]
    pending = await sign_up(gql, "Calon Anggota")
    applied = await koperasi.apply(pending)
    assert codes(await apply(koperasi, applied["membership"]["id"], pending["token"])) == [
        ("input.membershipId", "INVALID_STATE")
    ]
    stranger = await sign_up(gql, "Orang Lain")
    assert codes(await apply(koperasi, membership_id, stranger["token"])) == [
        ("input.membershipId", "NOT_FOUND")
    ]
    bad = await gql(
        POLICY,
        {"id": koperasi.id, "input": {"maxPrincipal": 0, "dendaBpsPerDay": 101, "graceDays": -1}},
        token=koperasi.pengurus["token"],
    )
    assert {c for _, c in codes(bad["data"]["setLoanPolicy"])} == {"INVALID"}
    assert len(bad["data"]["setLoanPolicy"]["errors"]) == 3
    by_member = await gql(
        POLICY,
        {"id": koperasi.id, "input": {"maxPrincipal": 9, "dendaBpsPerDay": 1, "graceDays": 1}},
        token=token,
    )
    assert codes(by_member["data"]["setLoanPolicy"]) == [("cooperativeId", "PERMISSION_DENIED")]


async def test_the_wrong_side_cannot_decide_disburse_or_read(gql):
    koperasi = await Koperasi.new(gql)
    other = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    _, other_member = await koperasi.member()
    loan_id = (await apply(koperasi, membership_id, warga["token"]))["loan"]["id"]
    assert codes(await approve(koperasi, loan_id, token=warga["token"])) == [
        ("id", "PERMISSION_DENIED")
    ]
    assert codes(await approve(koperasi, loan_id, token=other.pengurus["token"])) == [
        ("id", "NOT_FOUND")
    ]
    assert codes(await disburse(koperasi, loan_id, other.pengurus["token"])) == [
        ("id", "NOT_FOUND")
    ]
    # A pengurus who is also a member applies: another pengurus decides.
    second = await koperasi.add_pengurus()
    _, own_membership = await koperasi.member(second)
    own = (await apply(koperasi, own_membership, second["token"]))["loan"]["id"]
    refused = await approve(koperasi, own, token=second["token"])
    assert codes(refused) == [("id", "PERMISSION_DENIED")]
    assert (
        "tidak boleh memutuskan atau mencairkan pinjamannya sendiri"
        in (refused["errors"][0]["message"])
    )
    assert (await approve(koperasi, own))["errors"] == []
    assert codes(await disburse(koperasi, own, second["token"])) == [("id", "PERMISSION_DENIED")]
    # Not yet approved: nothing to disburse.
    assert codes(await disburse(koperasi, loan_id)) == [("id", "INVALID_STATE")]
    # Reading: the member and the pengurus; a stranger and another member see nothing.
    assert (await gql(LOAN, {"id": loan_id}, token=warga["token"]))["data"]["node"]["id"]
    assert (await gql(LOAN, {"id": loan_id}, token=koperasi.pengurus["token"]))["data"]["node"]
    stranger = await sign_up(gql, "Orang Asing")
    for token in (stranger["token"], other.pengurus["token"], None):
        assert (await gql(LOAN, {"id": loan_id}, token=token))["data"]["node"] is None
    page = await koperasi.dashboard(other_member, warga["token"])
    assert page["data"]["node"] is None


async def test_a_rejected_loan_lets_the_member_apply_again(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    loan_id = (await apply(koperasi, membership_id, warga["token"]))["loan"]["id"]
    missing = await gql(REJECT, {"id": loan_id, "reason": " "}, token=koperasi.pengurus["token"])
    assert codes(missing["data"]["rejectLoan"]) == [("reason", "REQUIRED")]
    by_member = await gql(REJECT, {"id": loan_id, "reason": "x"}, token=warga["token"])
    assert codes(by_member["data"]["rejectLoan"]) == [("id", "PERMISSION_DENIED")]
    rejected = await gql(
        REJECT, {"id": loan_id, "reason": "Usaha belum berjalan"}, token=koperasi.pengurus["token"]
    )
    assert rejected["data"]["rejectLoan"]["loan"] == {
        "id": loan_id, "status": "REJECTED", "rejectionReason": "Usaha belum berjalan",
    }  # fmt: skip
    assert codes(await approve(koperasi, loan_id)) == [("id", "INVALID_STATE")]
    again = await apply(koperasi, membership_id, warga["token"])
    assert again["errors"] == []


async def test_two_disbursements_of_one_loan_disburse_once(gql):
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    warga, membership_id = await koperasi.member()
    loan_id = (await apply(koperasi, membership_id, warga["token"], 800_000))["loan"]["id"]
    assert (await approve(koperasi, loan_id, "ANUITAS"))["errors"] == []
    results = await asyncio.gather(
        *(disburse(koperasi, loan_id, token) for token in
          [koperasi.pengurus["token"], second["token"]] * 3)
    )  # fmt: skip
    assert sum(1 for r in results if r["errors"] == []) == 1
    assert all(codes(r) == [("id", "INVALID_STATE")] for r in results if r["errors"])
    assert await sukarela(membership_id) == 800_000
    assert await JournalEntry.filter(kind="LOAN_DISBURSEMENT").filter(
        membership_id=decode_id(membership_id, "Membership")).count() == 1  # fmt: skip
    rows = await LoanInstallment.filter(loan_id=decode_id(loan_id, "Loan")).order_by("number")
    assert [r.due_date for r in rows] == [
        i.due_date for i in schedule(800_000, 1800, 12, "ANUITAS", today())
    ]
    assert all(isinstance(r.due_date, date) for r in rows)
    assert await audit() == []


async def test_two_applications_at_once_make_one_loan(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    results = await asyncio.gather(
        *(apply(koperasi, membership_id, warga["token"]) for _ in range(6))
    )
    assert sum(1 for r in results if r["errors"] == []) == 1
    assert all(codes(r) == [("input.membershipId", "INVALID_STATE")] for r in results
               if r["errors"])  # fmt: skip
