"""No Rp0 installment or bill: tiny loans are refused, and loans whose older schedules had
Rp0 installments still close, are never billed Rp0 and never fail as INTERNAL."""

import importlib
from datetime import timedelta

import pytest
from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind, BillStatus
from models.cooperatives import Cooperative, Membership
from models.cooperatives.books import EntryKind, JournalEntry
from models.loans import Loan, LoanInstallment
from resolvers.bills.installments import issue_installment_bills
from resolvers.cooperatives.books import KAS, PIUTANG_PINJAMAN, Journal, Line
from resolvers.loans.schedule import add_months
from resolvers.platform.clock import now, today
from resolvers.platform.errors import UserError
from schema.platform.ids import decode_id
from tests.conftest import contract
from tests.cooperatives.helpers import Koperasi, codes
from tests.loans.helpers import PAY_OFF, REPAY, active_loan

pytestmark = pytest.mark.usefixtures("books_balance")

CLOSE_INSTALLMENTS = importlib.import_module(
    "models.migrations.0023_closed_rp0_installments"
).CLOSE_INSTALLMENTS
STANDING = """query($id: ID!) { node(id: $id) { ... on Loan { status daysPastDue
  kolektibilitas { level } } } }"""


@pytest.mark.parametrize(("principal", "tenor"), [(1, 60), (5, 7), (59, 60)])
async def test_a_loan_under_a_rupiah_a_month_is_refused_when_applying(gql, principal, tenor):
    koperasi = await Koperasi.new(gql)
    user, membership_id = await koperasi.member()
    body = {"membershipId": membership_id, "principal": principal, "tenorMonths": tenor,
            "purpose": "Modal warung"}  # fmt: skip
    refused = await gql(contract("ApplyLoan"), {"input": body}, token=user["token"])
    assert codes(refused["data"]["applyLoan"]) == [("input.principal", "INVALID")]
    assert "Rp0" in refused["data"]["applyLoan"]["errors"][0]["message"]
    body["principal"] = tenor  # Rp1 a month is the least
    applied = await gql(contract("ApplyLoan"), {"input": body}, token=user["token"])
    assert applied["data"]["applyLoan"]["errors"] == []


async def older_schedule(koperasi: Koperasi, months_ago: int) -> tuple[str, Loan]:
    """An ACTIVE Rp7 loan over 7 months at 0% whose installments are Rp0 but the last, as
    schedules made them before Rp0 installments were refused; disbursed `months_ago`."""
    _, _, loan_id = await active_loan(koperasi, "FLAT", 7, 7)
    loan = await Loan.get(id=decode_id(loan_id, "Loan"))
    started = today() - timedelta(days=31 * months_ago)
    await Loan.filter(id=loan.id).update(disbursed_at=now() - timedelta(days=31 * months_ago))
    rows = await LoanInstallment.filter(loan_id=loan.id).order_by("number")
    for row in rows:
        # No interest: FLAT's Rp0,105 a month rounded to Rp0 then (today the last month
        # takes the Rp1 of P x r x n).
        row.principal, row.interest = (7 if row.number == 7 else 0), 0
        row.due_date = add_months(started, row.number)
    await LoanInstallment.bulk_update(rows, fields=["principal", "interest", "due_date"])
    return loan_id, loan


async def test_repaying_the_only_rupiah_owed_closes_a_loan_with_rp0_installments(gql):
    koperasi = await Koperasi.new(gql)
    loan_id, loan = await older_schedule(koperasi, months_ago=8)
    token = koperasi.pengurus["token"]
    repaid = await gql(REPAY, {"id": loan_id, "amount": 7}, token=token)
    assert repaid["data"]["repayLoan"]["errors"] == []
    assert repaid["data"]["repayLoan"]["loan"]["status"] == "PAID_OFF"
    standing = (await gql(STANDING, {"id": loan_id}, token=token))["data"]["node"]
    assert standing == {"status": "PAID_OFF", "daysPastDue": 0, "kolektibilitas": {"level": 1}}
    assert not await LoanInstallment.exists(loan_id=loan.id, paid_at__isnull=True)


async def test_a_rp0_installment_is_never_billed(gql):
    koperasi = await Koperasi.new(gql)
    _, loan = await older_schedule(koperasi, months_ago=0)
    rows = await LoanInstallment.filter(loan_id=loan.id).order_by("number")
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    for row in rows:
        issued = await issue_installment_bills(cooperative_id, f"{row.due_date:%Y-%m}")
        assert issued == (1 if row.number == 7 else 0)
    assert await Bill.filter(membership_id=loan.membership_id, amount__lte=0).count() == 0


async def left_open(koperasi: Koperasi, loan: Loan) -> None:
    """The state older code left: the last installment paid, the Rp0 ones open (one of them
    billed Rp0), the loan still ACTIVE."""
    async with in_transaction():
        await Journal().post(
            decode_id(koperasi.id, "Cooperative"),
            EntryKind.LOAN_REPAYMENT,
            "Angsuran pinjaman (tunai)",
            [Line(KAS, debit=7), Line(PIUTANG_PINJAMAN, credit=7)],
        )
        await LoanInstallment.filter(loan_id=loan.id, number=7).update(
            principal_paid=7, paid_at=now()
        )
        await Loan.filter(id=loan.id).update(outstanding=0)
        first = await LoanInstallment.get(loan_id=loan.id, number=1)
        membership = await Membership.get(id=loan.membership_id)
        await Bill.create(user_id=membership.user_id, membership_id=membership.id,
                          kind=BillKind.LOAN_INSTALLMENT, period=f"{first.due_date:%Y-%m}",
                          description="Angsuran pinjaman ke-1", amount=0,
                          due_date=first.due_date, installment_id=first.id)  # fmt: skip


async def test_paying_off_a_loan_that_owes_only_rp0_closes_it_without_an_entry(gql):
    koperasi = await Koperasi.new(gql)
    loan_id, loan = await older_schedule(koperasi, months_ago=8)
    await left_open(koperasi, loan)
    entries = await JournalEntry.all().count()
    done = await gql(PAY_OFF, {"id": loan_id, "fromSavings": False},
                     token=koperasi.pengurus["token"])  # fmt: skip
    assert "errors" not in done, done
    assert done["data"]["payOffLoan"]["errors"] == []
    assert done["data"]["payOffLoan"]["loan"]["status"] == "PAID_OFF"
    assert await JournalEntry.all().count() == entries


async def test_the_data_fix_closes_loans_that_owe_only_rp0_and_leaves_the_others(gql):
    koperasi = await Koperasi.new(gql)
    stuck_id, stuck = await older_schedule(koperasi, months_ago=8)
    await left_open(koperasi, stuck)
    owing_id, owing = await older_schedule(koperasi, months_ago=8)  # its Rp7 is not paid
    entries = await JournalEntry.all().count()
    async with in_transaction() as connection:
        for statement in CLOSE_INSTALLMENTS:
            await connection.execute_script(statement)
    token = koperasi.pengurus["token"]
    closed = (await gql(STANDING, {"id": stuck_id}, token=token))["data"]["node"]
    assert closed == {"status": "PAID_OFF", "daysPastDue": 0, "kolektibilitas": {"level": 1}}
    last = await LoanInstallment.get(loan_id=stuck.id, number=7)
    assert await LoanInstallment.filter(loan_id=stuck.id, paid_at=last.paid_at).count() == 7
    assert (await Loan.get(id=stuck.id)).paid_off_at == last.paid_at
    bill = await Bill.get(membership_id=stuck.membership_id, amount=0)
    assert (bill.status, bill.paid_at) == (BillStatus.PAID, last.paid_at)
    still = (await gql(STANDING, {"id": owing_id}, token=token))["data"]["node"]
    assert still["status"] == "ACTIVE"
    assert still["daysPastDue"] > 0
    assert await LoanInstallment.filter(loan_id=owing.id, paid_at__isnull=True).count() == 7
    assert await JournalEntry.all().count() == entries  # no money moved


@pytest.mark.parametrize("amount", [0, -1, 2.5])
async def test_a_zero_or_fractional_amount_in_the_books_is_a_coded_refusal(gql, amount):
    koperasi = await Koperasi.new(gql)
    entries = await JournalEntry.all().count()
    with pytest.raises(UserError) as refused:
        async with in_transaction():
            await Journal().post(
                decode_id(koperasi.id, "Cooperative"),
                EntryKind.LOAN_REPAYMENT,
                "Angsuran pinjaman (tunai)",
                [Line(KAS, debit=amount), Line(PIUTANG_PINJAMAN, credit=amount)],  # type: ignore[arg-type]
            )
    assert refused.value.problems[0].code.value == "INVALID"
    assert await JournalEntry.all().count() == entries


async def test_a_cooperative_without_simpanan_pokok_bills_no_rp0_pokok(gql):
    koperasi = await Koperasi.new(gql)
    # As a cooperative of the directory, made in the database, can be (the API asks for one).
    await Cooperative.filter(id=decode_id(koperasi.id, "Cooperative")).update(pokok_amount=0)
    _, membership_id = await koperasi.member()
    assert await Bill.filter(membership_id=decode_id(membership_id, "Membership")).count() == 0
