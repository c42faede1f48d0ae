"""Tanggung renteng through the contract: forming groups, the group's agreement to a member's
loan, blocking while a member is in arrears past the grace days, and contributions to the
group's arrears with their debts between members (Piutang Antar Anggota)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from models.cooperatives.books import JournalLine
from models.loans import GroupDebt, GroupLoanApproval, LoanInstallment
from resolvers.cooperatives.books import PIUTANG_ANTAR_ANGGOTA, PIUTANG_PINJAMAN
from resolvers.loans.groups import approvals_needed
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from tests.conftest import GraphQL, city_admin, contract, sign_up
from tests.cooperatives.helpers import Koperasi, accounts, codes, sukarela
from tests.loans.helpers import apply, approve, disburse, late_by

pytestmark = pytest.mark.usefixtures("books_balance")

INSTALLMENT = 118_000  # FLAT 1.200.000 over 12 months at 18%: 100.000 + 18.000


@dataclass
class Group:
    koperasi: Koperasi
    id: str
    members: list[tuple[dict, str]]  # (user, membership id), by member number

    def token(self, i: int) -> str:
        return self.members[i][0]["token"]

    def membership(self, i: int) -> str:
        return self.members[i][1]


async def create(koperasi: Koperasi, ids: list[str], token: str | None = None, **extra: Any):
    body = {"cooperativeId": koperasi.id, "name": "Kelompok Melati", "graceDays": 5}
    result = await koperasi.gql(
        contract("CreateLoanGroup"),
        {"input": {**body, "membershipIds": ids, **extra}},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["createLoanGroup"]


async def group_of(gql, size: int = 3, koperasi: Koperasi | None = None) -> Group:
    koperasi = koperasi or await Koperasi.new(gql)
    members = [await koperasi.member() for _ in range(size)]
    created = await create(koperasi, [m for _, m in members])
    assert created["errors"] == [], created
    return Group(koperasi, created["loanGroup"]["id"], members)


async def agree(group: Group, loan_id: str, i: int) -> dict:
    result = await group.koperasi.gql(
        contract("ApproveGroupLoan"), {"loanId": loan_id}, token=group.token(i)
    )
    assert "errors" not in result, result
    return result["data"]["approveGroupLoan"]


async def group_loan(group: Group, i: int = 0) -> str:
    """Member i's loan, agreed by the group, approved and disbursed."""
    loan_id = (await apply(group.koperasi, group.membership(i), group.token(i)))["loan"]["id"]
    others = [j for j in range(len(group.members)) if j != i]
    for j in others[: approvals_needed(len(group.members))]:
        assert (await agree(group, loan_id, j))["errors"] == []
    assert (await approve(group.koperasi, loan_id))["errors"] == []
    assert (await disburse(group.koperasi, loan_id))["errors"] == []
    return loan_id


async def standing(group: Group, token: str, gql=None) -> dict | None:
    result = await (gql or group.koperasi.gql)(contract("LoanGroup"), {"id": group.id}, token=token)
    assert "errors" not in result, result
    return result["data"]["node"]


async def contribute(group: Group, i: int, amount: int, **extra: Any) -> dict:
    token = extra.pop("token", group.token(i))
    body = {"groupId": group.id, "membershipId": group.membership(i), "amount": amount, **extra}
    result = await group.koperasi.gql(
        contract("ContributeToGroupArrears"), {"input": body}, token=token
    )
    assert "errors" not in result, result
    return result["data"]["contributeToGroupArrears"]


async def debts(group: Group, i: int, token: str | None = None) -> dict | None:
    result = await group.koperasi.gql(
        contract("MemberLoanGroup"),
        {"membershipId": group.membership(i)},
        token=token or group.token(i),
    )
    assert "errors" not in result, result
    return result["data"]["node"]


def test_a_majority_of_the_other_members_agrees():
    assert [approvals_needed(size) for size in (3, 4, 5, 10)] == [1, 2, 2, 5]


async def test_a_pengurus_forms_a_group_of_three_to_ten_active_members(gql):
    koperasi = await Koperasi.new(gql)
    members = [await koperasi.member() for _ in range(4)]
    ids = [m for _, m in members]
    other = await Koperasi.new(gql)
    _, outsider = await other.member()
    assert codes(await create(koperasi, ids[:3], token=members[0][0]["token"])) == [
        ("cooperativeId", "PERMISSION_DENIED")
    ]
    assert codes(await create(koperasi, ids[:3], token=other.pengurus["token"])) == [
        ("cooperativeId", "PERMISSION_DENIED")
    ]
    assert codes(await create(koperasi, ids[:2])) == [("membershipIds", "INVALID")]
    assert codes(await create(koperasi, [*ids[:2], ids[0]])) == [("membershipIds", "INVALID")]
    assert codes(await create(koperasi, [*ids[:2], outsider])) == [("membershipIds", "INVALID")]
    assert codes(await create(koperasi, ids[:3], name="  ", graceDays=91)) == [
        ("name", "REQUIRED"),
        ("graceDays", "INVALID"),
    ]
    # Two groups racing for one member: one is formed, the other is DUPLICATE.
    raced = await asyncio.gather(create(koperasi, ids[:3]), create(koperasi, ids[1:]))
    assert sorted(tuple(codes(r)) for r in raced) == [
        (), (("membershipIds", "DUPLICATE"),)
    ]  # fmt: skip
    formed = next(r for r in raced if not r["errors"])["loanGroup"]
    assert (formed["name"], formed["graceDays"], len(formed["members"])) == (
        "Kelompok Melati", 5, 3,
    )  # fmt: skip
    assert codes(await create(koperasi, ids)) == [("membershipIds", "DUPLICATE")]


async def test_a_group_members_loan_waits_for_the_groups_agreement(gql):
    group = await group_of(gql, 4)  # 3 others: 2 must agree
    koperasi = group.koperasi
    loan_id = (await apply(koperasi, group.membership(0), group.token(0)))["loan"]["id"]
    assert codes(await approve(koperasi, loan_id)) == [("id", "INVALID_STATE")]
    # The group's other members are told of the request, the applicant is not.
    for i, expected in ((0, []), (1, [group.id]), (2, [group.id]), (3, [group.id])):
        told = await koperasi.gql(contract("Notifications"), token=group.token(i))
        assert [
            e["node"]["subject"]["id"]
            for e in told["data"]["notifications"]["edges"]
            if e["node"]["kind"] == "GROUP_LOAN_APPROVAL_REQUESTED"
        ] == expected
    first = await agree(group, loan_id, 1)
    assert first["errors"] == []
    request = first["loanGroupRequest"]
    assert (request["loanId"], request["approvalsNeeded"], request["agreed"]) == (
        loan_id, 2, False,
    )  # fmt: skip
    assert codes(await agree(group, loan_id, 1)) == [("loanId", "DUPLICATE")]
    assert codes(await agree(group, loan_id, 0)) == [("loanId", "PERMISSION_DENIED")]
    pengurus = await koperasi.gql(
        contract("ApproveGroupLoan"), {"loanId": loan_id}, token=koperasi.pengurus["token"]
    )
    assert codes(pengurus["data"]["approveGroupLoan"]) == [("loanId", "PERMISSION_DENIED")]
    outsider, _ = await koperasi.member()
    stranger = await sign_up(gql, "Orang Lain")
    for token in (outsider["token"], stranger["token"]):
        refused = await koperasi.gql(contract("ApproveGroupLoan"), {"loanId": loan_id}, token=token)
        assert codes(refused["data"]["approveGroupLoan"]) == [("loanId", "NOT_FOUND")]
    # The members see the request with who agreed; the same member racing counts once.
    seen = await standing(group, group.token(3))
    assert seen is not None
    (asked,) = seen["loanRequests"]
    assert (asked["loanId"], asked["agreed"], len(asked["approvals"])) == (loan_id, False, 1)
    raced = await asyncio.gather(*(agree(group, loan_id, 2) for _ in range(4)))
    assert sorted(len(r["errors"]) for r in raced) == [0, 1, 1, 1]
    assert await GroupLoanApproval.filter(loan_id=decode_id(loan_id, "Loan")).count() == 2
    done = next(r for r in raced if not r["errors"])["loanGroupRequest"]
    assert done["agreed"] is True
    assert [a["number"] for a in done["approvals"]] == sorted(
        a["number"] for a in done["approvals"]
    )
    assert (await approve(koperasi, loan_id))["errors"] == []
    assert codes(await agree(group, loan_id, 3)) == [("loanId", "INVALID_STATE")]
    assert (await standing(group, group.token(3)))["loanRequests"] == []


async def test_a_member_in_arrears_past_the_grace_days_blocks_the_groups_loans(gql):
    group = await group_of(gql)
    koperasi = group.koperasi
    loan_id = await group_loan(group, 0)
    await late_by(loan_id, 5)  # within the group's 5 grace days
    seen = await standing(group, koperasi.pengurus["token"])
    assert seen["blocked"] is False
    assert seen["arrears"]["amount"] == INSTALLMENT
    await late_by(loan_id, 6)
    seen = await standing(group, koperasi.pengurus["token"])
    assert seen["blocked"] is True
    applied = await apply(koperasi, group.membership(1), group.token(1))
    assert codes(applied) == [("input.membershipId", "INVALID_STATE")]
    # Outside the group a member still applies.
    outsider, membership = await koperasi.member()
    assert (await apply(koperasi, membership, outsider["token"]))["errors"] == []
    # The pengurus's list shows the standing.
    listed = await koperasi.gql(
        contract("CooperativeLoanGroups"), {"cooperativeId": koperasi.id},
        token=koperasi.pengurus["token"],
    )  # fmt: skip
    groups = listed["data"]["node"]["loanGroups"]
    assert groups["totalCount"] == 1
    assert groups["edges"][0]["node"]["blocked"] is True
    for token in (group.token(0), outsider["token"]):
        other = await koperasi.gql(
            contract("CooperativeLoanGroups"), {"cooperativeId": koperasi.id}, token=token
        )
        assert other["data"]["node"]["loanGroups"] is None


async def test_members_see_the_groups_arrears_but_not_each_others(gql):
    group = await group_of(gql)
    koperasi = group.koperasi
    loan_id = await group_loan(group, 0)
    await late_by(loan_id, 3)
    owed = (await standing(group, group.token(1)))["members"]
    mine = (await standing(group, group.token(0)))["members"]
    pengurus = (await standing(group, koperasi.pengurus["token"]))["members"]
    borrower_number = mine[0]["number"]
    row = {m["number"]: m for m in owed}
    borrower = row[borrower_number]
    assert (borrower["arrears"], borrower["membership"], borrower["owesViewer"]) == (
        None, None, {"amount": 0, "formatted": "Rp0"},
    )  # fmt: skip
    own = next(m for m in mine if m["number"] == borrower_number)
    assert own["arrears"]["amount"] == INSTALLMENT
    assert own["owesViewer"] is None
    assert own["membership"]["id"] == group.membership(0)
    assert all(m["arrears"] is not None and m["owesViewer"] is None for m in pengurus)
    outsider, _ = await koperasi.member()
    other = await Koperasi.new(gql)
    for token in (outsider["token"], other.pengurus["token"]):
        assert await standing(group, token) is None
    member_view = await debts(group, 1)
    assert member_view["loanGroup"]["id"] == group.id
    assert member_view["loanGroup"]["arrears"]["amount"] == INSTALLMENT
    assert member_view["groupDebts"] == {
        "owes": {"amount": 0, "formatted": "Rp0"},
        "owed": {"amount": 0, "formatted": "Rp0"},
        "lines": [],
    }
    assert await debts(group, 1, token=group.token(0)) is None  # another member's membership


async def test_a_contribution_pays_the_arrears_and_records_the_debt(gql):
    group = await group_of(gql)
    koperasi = group.koperasi
    loan_id = await group_loan(group, 0)
    await late_by(loan_id, 3)  # within the cooperative's denda grace: no denda
    assert codes(await contribute(group, 1, 50_000)) == [("amount", "INSUFFICIENT_BALANCE")]
    await koperasi.deposit(group.membership(1), 200_000)
    await koperasi.deposit(group.membership(2), 200_000)
    assert codes(await contribute(group, 1, INSTALLMENT + 1)) == [("amount", "INVALID")]
    assert codes(await contribute(group, 1, 0)) == [("amount", "INVALID")]
    paid = await contribute(group, 1, 50_000, idempotencyKey="iuran-1")
    assert paid["errors"] == [], paid
    assert paid["loanGroup"]["arrears"]["amount"] == INSTALLMENT - 50_000
    moved = paid["savingsTransaction"]
    assert (moved["kind"], moved["amount"], moved["balanceAfter"]) == (
        "LOAN_REPAYMENT", {"amount": -50_000}, {"amount": 150_000},
    )  # fmt: skip
    again = await contribute(group, 1, 50_000, idempotencyKey="iuran-1")
    assert again["savingsTransaction"]["id"] == moved["id"]
    assert await sukarela(group.membership(1)) == 150_000
    # What the borrower owes the payer, and nobody else.
    borrower, payer = await debts(group, 0), await debts(group, 1)
    assert borrower["groupDebts"]["owes"]["amount"] == 50_000
    assert borrower["groupDebts"]["owed"]["amount"] == 0
    (line,) = borrower["groupDebts"]["lines"]
    assert (line["owes"]["amount"], line["owed"]["amount"]) == (50_000, 0)
    assert payer["groupDebts"]["owed"]["amount"] == 50_000
    rows = {m["number"]: m for m in (await standing(group, group.token(1)))["members"]}
    assert rows[line["member"]["number"]]["owesViewer"] is None  # the payer's own row
    owes = [m["owesViewer"] for m in rows.values() if m["owesViewer"] is not None]
    assert {o["amount"] for o in owes} == {0, 50_000}
    # The rest from another member pays the installment off.
    assert (await contribute(group, 2, INSTALLMENT - 50_000))["errors"] == []
    first = await LoanInstallment.get(loan_id=decode_id(loan_id, "Loan"), number=1)
    assert first.paid_at is not None
    assert codes(await contribute(group, 2, 1_000)) == [("groupId", "INVALID_STATE")]
    assert (await debts(group, 0))["groupDebts"]["owes"]["amount"] == INSTALLMENT
    # The books: the installment paid off Piutang Pinjaman; the debts between members net out
    # on Piutang Antar Anggota, their sub-ledger per debtor and creditor.
    books = await accounts(koperasi)
    assert books[PIUTANG_PINJAMAN] == 1_200_000 - 100_000
    assert books[PIUTANG_ANTAR_ANGGOTA] == 0
    debtor = decode_id(group.membership(0), "Membership")
    assert sorted(await GroupDebt.filter(debtor_id=debtor).values_list("amount", flat=True)) == [
        50_000,
        INSTALLMENT - 50_000,
    ]
    lines = await JournalLine.filter(
        account__code=PIUTANG_ANTAR_ANGGOTA,
        account__cooperative_id=decode_id(koperasi.id, "Cooperative"),
    )
    assert sum(x.debit for x in lines) == sum(x.credit for x in lines) == INSTALLMENT


async def test_who_may_contribute(gql):
    group = await group_of(gql)
    koperasi = group.koperasi
    loan_id = await group_loan(group, 0)
    await late_by(loan_id, 3)
    await koperasi.deposit(group.membership(1), 200_000)
    pengurus_user, pengurus_membership = await koperasi.member(await koperasi.add_pengurus())
    refused = await contribute(
        group, 1, 10_000, token=pengurus_user["token"], membershipId=pengurus_membership
    )
    assert codes(refused) == [("membershipId", "PERMISSION_DENIED")]
    outsider, outside_membership = await koperasi.member()
    refused = await contribute(
        group, 1, 10_000, token=outsider["token"], membershipId=outside_membership
    )
    assert codes(refused) == [("groupId", "NOT_FOUND")]
    # A member paying from another member's membership.
    assert codes(await contribute(group, 1, 10_000, token=group.token(2))) == [
        ("membershipId", "NOT_FOUND")
    ]
    assert await sukarela(group.membership(1)) == 200_000


async def test_racing_contributions_never_overpay_nor_overdraw(gql):
    group = await group_of(gql)
    koperasi = group.koperasi
    loan_id = await group_loan(group, 0)
    await late_by(loan_id, 3)
    await koperasi.deposit(group.membership(1), 60_000)
    await koperasi.deposit(group.membership(2), 200_000)
    tries = [contribute(group, 1, 20_000) for _ in range(5)]
    tries += [contribute(group, 2, 30_000) for _ in range(5)]
    results = await asyncio.gather(*tries)
    payer_ok = sum(1 for r in results[:5] if not r["errors"])
    other_ok = sum(1 for r in results[5:] if not r["errors"])
    paid = payer_ok * 20_000 + other_ok * 30_000
    assert payer_ok <= 3
    assert paid <= INSTALLMENT
    assert await sukarela(group.membership(1)) == 60_000 - payer_ok * 20_000
    assert await sukarela(group.membership(2)) == 200_000 - other_ok * 30_000
    refusals = {c for r in results for c in codes(r)}
    assert refusals <= {("amount", "INVALID"), ("amount", "INSUFFICIENT_BALANCE")}
    seen = await standing(group, koperasi.pengurus["token"])
    assert seen["arrears"]["amount"] == INSTALLMENT - paid
    assert (
        await GroupDebt.filter(debtor_id=decode_id(group.membership(0), "Membership")).count()
        == payer_ok + other_ok
    )
    # One key racing moves once.
    assert paid < INSTALLMENT  # at most 3 x 20.000 + 30.000 or 110.000
    await koperasi.deposit(group.membership(2), 1_000)
    before = await sukarela(group.membership(2))
    same = await asyncio.gather(*(contribute(group, 2, 1, idempotencyKey="k") for _ in range(4)))
    assert all(r["errors"] == [] for r in same)
    assert len({r["savingsTransaction"]["id"] for r in same}) == 1
    assert await sukarela(group.membership(2)) == before - 1


async def test_the_test_clock_blocks_a_group_once_the_grace_days_pass(gql, sandbox):
    group = await group_of(gql)
    loan_id = await group_loan(group, 1)
    first = await LoanInstallment.get(loan_id=decode_id(loan_id, "Loan"), number=1)
    admin = await city_admin(gql)
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=120) as http:
        clocked = GraphQL(http)
        days = (first.due_date - today()).days + 5  # past due by the 5 grace days: not yet
        moved = await clocked(
            contract("AdvanceTestClock"), {"input": {"days": days}}, token=admin["token"]
        )
        assert moved["data"]["advanceTestClock"]["errors"] == [], moved
        seen = await standing(group, group.token(0), clocked)
        assert seen["blocked"] is False
        assert seen["arrears"]["amount"] > 0
        moved = await clocked(
            contract("AdvanceTestClock"), {"input": {"days": 1}}, token=admin["token"]
        )
        assert moved["data"]["advanceTestClock"]["errors"] == [], moved
        assert (await standing(group, group.token(0), clocked))["blocked"] is True
        body = {
            "membershipId": group.membership(2),
            "principal": 500_000,
            "tenorMonths": 6,
            "purpose": "Modal",
        }
        applied = await clocked(contract("ApplyLoan"), {"input": body}, token=group.token(2))
        assert codes(applied["data"]["applyLoan"]) == [("input.membershipId", "INVALID_STATE")]
    # The real clock: nothing is past due yet.
    assert (await standing(group, group.token(0)))["blocked"] is False


async def test_a_member_in_arrears_pays_the_oldest_first_their_own_without_a_debt(gql):
    group = await group_of(gql)
    other_loan = await group_loan(group, 0)
    own_loan = await group_loan(group, 1)
    await late_by(other_loan, 10)  # 3 days past the cooperative's 7 denda grace days
    await late_by(own_loan, 2)
    denda = INSTALLMENT * 10 * 3 // 10_000  # 10 basis points a day
    seen = await standing(group, group.koperasi.pengurus["token"])
    assert seen["arrears"]["amount"] == 2 * INSTALLMENT + denda
    assert codes(await contribute(group, 1, -5)) == [("amount", "INVALID")]
    await group.koperasi.deposit(group.membership(1), 500_000)
    before = await sukarela(group.membership(1))
    first = INSTALLMENT + denda + 18_000  # the other's installment, then own interest
    assert (await contribute(group, 1, first))["errors"] == []
    own = await LoanInstallment.get(loan_id=decode_id(own_loan, "Loan"), number=1)
    other = await LoanInstallment.get(loan_id=decode_id(other_loan, "Loan"), number=1)
    assert (other.paid_at is not None, other.denda_paid) == (True, denda)
    assert (own.interest_paid, own.principal_paid, own.paid_at) == (18_000, 0, None)
    assert await sukarela(group.membership(1)) == before - first
    # Only what paid the other member's installment is owed to the payer.
    (debt,) = await GroupDebt.filter(creditor_id=decode_id(group.membership(1), "Membership"))
    assert (debt.debtor_id, debt.amount) == (
        decode_id(group.membership(0), "Membership"), INSTALLMENT + denda,
    )  # fmt: skip
    assert (await debts(group, 1))["groupDebts"]["owes"]["amount"] == 0
    seen = await standing(group, group.koperasi.pengurus["token"])
    assert seen["arrears"]["amount"] == INSTALLMENT - 18_000
    assert seen["blocked"] is False
