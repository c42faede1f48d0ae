"""Loan installments through the one door: IssueMonthlyBills issues them with the wajib bills,
and PayBills pays them from SUKARELA or by QRIS, posting the repayment on the loan's books."""

from __future__ import annotations

import asyncio

import pytest

from models.bills import Bill, BillKind
from models.cooperatives.books import EntryKind, JournalEntry
from models.loans import Loan, LoanInstallment
from schema.platform.ids import decode_id, encode_id
from tests.bills.helpers import confirm, issue, pay
from tests.cooperatives.helpers import Koperasi, accounts, sukarela
from tests.loans.helpers import active_loan

pytestmark = pytest.mark.usefixtures("books_balance")

PRINCIPAL = 1_200_000


async def billed_loan(gql) -> tuple[Koperasi, dict, str, Loan, LoanInstallment, Bill]:
    """A member's ANUITAS loan whose first installment's month has been issued."""
    koperasi = await Koperasi.new(gql)
    user, membership_id, loan_id = await active_loan(koperasi, "ANUITAS", PRINCIPAL, 12)
    loan = await Loan.get(id=decode_id(loan_id, "Loan"))
    first = await LoanInstallment.get(loan_id=loan.id, number=1)
    period = f"{first.due_date:%Y-%m}"
    # Two pengurus issuing the month at once issue its bills once.
    second = await koperasi.add_pengurus()
    issued = await asyncio.gather(
        issue(koperasi, period), issue(koperasi, period, token=second["token"])
    )
    assert all(i["errors"] == [] for i in issued)
    assert await Bill.filter(installment_id=first.id).count() == 1
    assert (await issue(koperasi, period))["issued"] == 0
    bill = await Bill.get(installment_id=first.id)
    assert (bill.kind, bill.amount, bill.user_id) == (
        BillKind.LOAN_INSTALLMENT, first.principal + first.interest, loan.applicant_id,
    )  # fmt: skip
    return koperasi, user, membership_id, loan, first, bill


async def assert_first_installment_paid(koperasi: Koperasi, loan: Loan, first: LoanInstallment):
    paid = await LoanInstallment.get(id=first.id)
    assert (paid.principal_paid, paid.interest_paid, paid.paid_at is not None) == (
        first.principal, first.interest, True,
    )  # fmt: skip
    assert (await Loan.get(id=loan.id)).outstanding == PRINCIPAL - first.principal
    entry = await JournalEntry.get(kind=EntryKind.LOAN_REPAYMENT, membership_id=loan.membership_id)
    assert entry.cooperative_id == decode_id(koperasi.id, "Cooperative")
    books = await accounts(koperasi)
    assert books["1-1300"] == PRINCIPAL - first.principal  # Piutang Pinjaman
    assert books["4-1100"] == first.interest  # Pendapatan Jasa Pinjaman


async def test_an_installment_bill_is_paid_from_savings_with_the_wajib(gql):
    koperasi, user, membership_id, loan, first, bill = await billed_loan(gql)
    asked = [encode_id("Bill", bill.id)]
    wajib = await Bill.get_or_none(membership_id=loan.membership_id, kind=BillKind.SIMPANAN_WAJIB)
    if wajib is not None:  # the member joined this month, so the first month's may be there
        asked.append(encode_id("Bill", wajib.id))
    paid = await pay(gql, user["token"], asked, membershipId=membership_id)
    assert paid["errors"] == [], paid
    assert {b["status"] for b in paid["bills"]} == {"PAID"}
    total = bill.amount + (wajib.amount if wajib else 0)
    assert paid["receipt"]["total"]["amount"] == total
    assert await sukarela(membership_id) == PRINCIPAL - total
    await assert_first_installment_paid(koperasi, loan, first)


async def test_an_installment_bill_is_paid_by_qris_once_the_webhook_confirms(gql, client, live):
    koperasi, user, membership_id, loan, first, bill = await billed_loan(gql)
    opened = await pay(
        gql, user["token"], [encode_id("Bill", bill.id)], source="QRIS", membershipId=membership_id
    )
    assert opened["errors"] == [], opened
    assert (await LoanInstallment.get(id=first.id)).paid_at is None
    done = await confirm(client, live, opened["receipt"])
    assert (done.status_code, done.json()) == (200, {"outcome": "CONFIRMED"})
    assert await sukarela(membership_id) == PRINCIPAL  # Kas dan Bank took it, not savings
    await assert_first_installment_paid(koperasi, loan, first)
