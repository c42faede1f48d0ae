"""Repaying loans: installment bills (issued once, settled by resolvers.bills.installments), denda after
the grace days, cash at the teller, early payoff, PAID_OFF; the books after each."""

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from models.bills import Bill, BillKind, BillStatus
from models.cooperatives.books import JournalEntry, JournalLine
from models.loans import Loan, LoanInstallment
from resolvers.bills.installments import issue_installment_bills
from resolvers.bills.settlement import settlement_of
from resolvers.cooperatives.books import (
    PENDAPATAN_DENDA,
    PENDAPATAN_JASA,
    PIUTANG_PINJAMAN,
    SIMPANAN_SUKARELA,
    Journal,
    Line,
    audit,
)
from resolvers.loans.schedule import add_months
from resolvers.platform.clock import now, today
from schema.platform.ids import decode_id
from tests.cooperatives.helpers import Koperasi, codes, sukarela
from tests.loans.helpers import LOAN, PAY_OFF, REPAY, active_loan

pytestmark = pytest.mark.usefixtures("books_balance")


async def credits_of(entry_id: int) -> dict[str, int]:
    lines = await JournalLine.filter(entry_id=entry_id, credit__gt=0).select_related("account")
    return {line.account.code: line.credit for line in lines}


async def pay_from_sukarela(bill: Bill, on: date) -> int:
    """As PayBills pays a bill from SUKARELA: one entry, the settler's credits; its id."""
    journal = Journal()
    async with in_transaction():
        settlement = await settlement_of(bill, on)
        await Bill.filter(id=bill.id).update(status=BillStatus.PAID, paid_at=now())
        membership = await bill.membership
        entry = await journal.post(
            membership.cooperative_id,
            settlement.kind,
            settlement.description,
            [Line(SIMPANAN_SUKARELA, debit=bill.amount, membership_id=bill.membership_id),
             *settlement.credits],
        )  # fmt: skip
    return entry.id


async def test_installment_bills_are_issued_once_and_settle_their_installment(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id, loan_id = await active_loan(koperasi, "EFEKTIF", 1_200_000, 6)
    loan = await Loan.get(id=decode_id(loan_id, "Loan")).select_related("membership")
    first = await LoanInstallment.get(loan_id=loan.id, number=1)
    period = first.due_date.strftime("%Y-%m")
    cooperative_id = loan.membership.cooperative_id

    async def issue_in_a_transaction() -> int:
        # As IssueMonthlyBills calls it: inside its own transaction (a race is a savepoint's).
        async with in_transaction():
            return await issue_installment_bills(cooperative_id, period)

    counts = await asyncio.gather(*(issue_in_a_transaction() for _ in range(4)))
    assert sum(counts) == 1
    assert await issue_installment_bills(cooperative_id, period) == 0
    assert await issue_installment_bills(cooperative_id, "2020-01") == 0
    bill = await Bill.get(membership_id=loan.membership_id, kind=BillKind.LOAN_INSTALLMENT)
    assert (bill.installment_id, bill.period, bill.amount, bill.due_date) == (
        first.id, period, first.principal + first.interest, first.due_date,
    )  # fmt: skip
    # Paid on time: interest and principal of the first installment, no denda.
    entry_id = await pay_from_sukarela(bill, first.due_date)
    entry = await JournalEntry.get(id=entry_id)
    assert (entry.kind, entry.membership_id) == ("LOAN_REPAYMENT", loan.membership_id)
    assert await credits_of(entry_id) == {
        PENDAPATAN_JASA: first.interest, PIUTANG_PINJAMAN: first.principal,
    }  # fmt: skip
    first = await LoanInstallment.get(id=first.id)
    assert first.paid_at is not None
    assert (await Loan.get(id=loan.id)).outstanding == 1_200_000 - first.principal
    assert await sukarela(membership_id) == 1_200_000 - bill.amount
    found = await gql(LOAN, {"id": loan_id}, token=koperasi.pengurus["token"])
    assert found["data"]["node"]["nextInstallment"]["number"] == 2
    assert found["data"]["node"]["schedule"][0]["paidAt"] is not None
    assert await audit() == []


async def test_a_late_bill_pays_denda_first_after_the_grace_days(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id, loan_id = await active_loan(koperasi, "FLAT", 1_000_000, 4)
    loan = await Loan.get(id=decode_id(loan_id, "Loan")).select_related("membership")
    cooperative = await loan.membership.cooperative
    rows = await LoanInstallment.filter(loan_id=loan.id).order_by("number")
    for number in (1, 2):
        bill_count = await issue_installment_bills(
            cooperative.id, rows[number - 1].due_date.strftime("%Y-%m")
        )
        assert bill_count == 1
    bills = await Bill.filter(membership_id=loan.membership_id).filter(
        kind=BillKind.LOAN_INSTALLMENT).order_by("due_date")  # fmt: skip
    # The second bill paid 5 days after the first's grace ended: the first is past due, so
    # the money goes to its denda, interest and principal first.
    late = rows[0].due_date + timedelta(days=cooperative.denda_grace_days + 5)
    assert late < rows[1].due_date  # a month later
    owed = rows[0].principal + rows[0].interest
    assert bills[1].amount == owed  # FLAT: equal installments
    denda = owed * cooperative.denda_bps_per_day * 5 // 10_000
    assert denda > 0
    entry_id = await pay_from_sukarela(bills[1], late)
    assert await credits_of(entry_id) == {
        PENDAPATAN_DENDA: denda,
        PENDAPATAN_JASA: rows[0].interest,
        PIUTANG_PINJAMAN: rows[0].principal - denda,
    }
    first, second = await LoanInstallment.filter(loan_id=loan.id).order_by("number").limit(2)
    assert (first.denda_paid, first.principal - first.principal_paid) == (denda, denda)
    assert first.paid_at is None
    assert (second.principal_paid, second.interest_paid) == (0, 0)
    # The first bill, within the grace days: no denda; the Rp`denda` still owed on the first
    # installment, and the rest, which no payable installment takes, back to SUKARELA.
    in_grace = rows[0].due_date + timedelta(days=cooperative.denda_grace_days)
    before = await sukarela(membership_id)
    entry_id = await pay_from_sukarela(bills[0], in_grace)
    assert await credits_of(entry_id) == {
        PIUTANG_PINJAMAN: denda, SIMPANAN_SUKARELA: bills[0].amount - denda,
    }  # fmt: skip
    assert await sukarela(membership_id) == before - denda
    assert (await LoanInstallment.get(id=first.id)).paid_at is not None
    assert await audit() == []


async def owed_beyond_unpaid_bills(loan_id: int) -> int:
    """What the loan's billed, open installments still owe less its bills not yet paid."""
    bills = await Bill.filter(installment__loan_id=loan_id)
    billed = {bill.installment_id for bill in bills}
    rows = await LoanInstallment.filter(loan_id=loan_id, paid_at__isnull=True, id__in=billed)
    owed = sum(r.principal - r.principal_paid + r.interest - r.interest_paid for r in rows)
    return owed - sum(bill.amount for bill in bills if bill.status == BillStatus.UNPAID)


async def a_late_first_bill(gql, tenor: int) -> tuple[Loan, Any, LoanInstallment, Bill, date]:
    """A FLAT loan whose first installment's bill is paid 5 days after the grace days ended:
    (the loan, its cooperative, the first installment, the bill, the day it is paid)."""
    koperasi = await Koperasi.new(gql)
    _, membership_id, loan_id = await active_loan(koperasi, "FLAT", 1_000_000, tenor)
    await koperasi.deposit(membership_id, 200_000)  # the loan went into SUKARELA; and interest
    loan = await Loan.get(id=decode_id(loan_id, "Loan")).select_related("membership")
    cooperative = await loan.membership.cooperative
    first = await LoanInstallment.get(loan_id=loan.id, number=1)
    await issue_installment_bills(cooperative.id, first.due_date.strftime("%Y-%m"))
    bill = await Bill.get(membership_id=loan.membership_id, kind=BillKind.LOAN_INSTALLMENT)
    return (
        loan,
        cooperative,
        first,
        bill,
        first.due_date + timedelta(days=cooperative.denda_grace_days + 5),
    )


async def test_what_denda_took_from_a_late_bill_stays_billed(gql):
    loan, cooperative, first, bill, late = await a_late_first_bill(gql, 4)
    denda = bill.amount * cooperative.denda_bps_per_day * 5 // 10_000
    assert denda > 0
    entry_id = await pay_from_sukarela(bill, late)
    assert (await credits_of(entry_id))[PENDAPATAN_DENDA] == denda
    # The installment is Rp`denda` short: the second installment's bill, issued at once,
    # holds it with its own, so nothing goes unbilled.
    assert await owed_beyond_unpaid_bills(loan.id) == 0
    second = await LoanInstallment.get(loan_id=loan.id, number=2)
    rest = await Bill.get(installment__loan_id=loan.id, status=BillStatus.UNPAID)
    assert (rest.kind, rest.installment_id, rest.period) == (
        "LOAN_INSTALLMENT", second.id, second.due_date.strftime("%Y-%m"),
    )  # fmt: skip
    assert rest.amount == denda + second.principal + second.interest
    assert await issue_installment_bills(cooperative.id, rest.period) == 0  # billed already
    # Paying it closes the first installment and pays the second.
    entry_id = await pay_from_sukarela(rest, late)
    assert await credits_of(entry_id) == {
        PIUTANG_PINJAMAN: denda + second.principal, PENDAPATAN_JASA: second.interest,
    }  # fmt: skip
    assert (await LoanInstallment.get(id=first.id)).paid_at is not None
    assert (await LoanInstallment.get(id=second.id)).paid_at is not None
    assert not await Bill.exists(installment__loan_id=loan.id, status=BillStatus.UNPAID)
    assert await owed_beyond_unpaid_bills(loan.id) == 0


async def test_the_last_installments_rest_gets_a_bill_of_its_own(gql):
    loan, _, only, bill, late = await a_late_first_bill(gql, 1)
    await pay_from_sukarela(bill, late)
    rest = await Bill.get(installment__loan_id=loan.id, status=BillStatus.UNPAID)
    assert rest.installment_id == only.id
    assert rest.period > bill.period  # a month of its own
    assert rest.period >= late.strftime("%Y-%m")
    assert rest.amount > 0
    assert await owed_beyond_unpaid_bills(loan.id) == 0
    await pay_from_sukarela(rest, late)
    assert (await Loan.get(id=loan.id)).status == "PAID_OFF"
    assert await audit() == []


async def test_cash_at_the_teller_pays_off_a_loan_installment_by_installment(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id, loan_id = await active_loan(koperasi, "ANUITAS", 600_000, 2)
    rows = await LoanInstallment.filter(loan_id=decode_id(loan_id, "Loan")).order_by("number")
    token = koperasi.pengurus["token"]
    by_member = await gql(REPAY, {"id": loan_id, "amount": 1000}, token=warga["token"])
    assert codes(by_member["data"]["repayLoan"]) == [("id", "PERMISSION_DENIED")]
    too_much = await gql(REPAY, {"id": loan_id, "amount": 10_000_000}, token=token)
    assert codes(too_much["data"]["repayLoan"]) == [("amount", "INVALID")]
    for row in rows:
        paid = await gql(REPAY, {"id": loan_id, "amount": row.principal + row.interest},
                         token=token)  # fmt: skip
        assert paid["data"]["repayLoan"]["errors"] == []
    assert paid["data"]["repayLoan"]["loan"] == {
        "id": loan_id, "status": "PAID_OFF", "outstanding": {"amount": 0},
    }  # fmt: skip
    again = await gql(REPAY, {"id": loan_id, "amount": 1}, token=token)
    assert codes(again["data"]["repayLoan"]) == [("id", "INVALID_STATE")]
    assert await sukarela(membership_id) == 600_000  # cash, not savings
    interest = sum(r.interest for r in rows)
    entries = await JournalEntry.filter(kind="LOAN_REPAYMENT").filter(
        membership_id=decode_id(membership_id, "Membership")).values_list("id", flat=True)  # fmt: skip
    totals = [await credits_of(e) for e in entries]
    assert sum(t.get(PENDAPATAN_JASA, 0) for t in totals) == interest
    assert sum(t.get(PIUTANG_PINJAMAN, 0) for t in totals) == 600_000
    assert await audit() == []


async def test_early_payoff_from_savings_pays_the_quote_and_waives_later_interest(gql):
    koperasi = await Koperasi.new(gql)
    other = await Koperasi.new(gql)
    warga, membership_id, loan_id = await active_loan(koperasi, "FLAT", 1_200_000, 12)
    await koperasi.deposit(membership_id, 50_000)
    quote = (await gql(LOAN, {"id": loan_id}, token=warga["token"]))["data"]["node"]
    # Disbursed today: no month has run, so no interest yet; only the principal.
    assert quote["payoffAmount"] == {"amount": 1_200_000}
    refused = await gql(PAY_OFF, {"id": loan_id, "fromSavings": True},
                        token=other.pengurus["token"])  # fmt: skip
    assert codes(refused["data"]["payOffLoan"]) == [("id", "NOT_FOUND")]
    done = await gql(PAY_OFF, {"id": loan_id, "fromSavings": True}, token=warga["token"])
    assert done["data"]["payOffLoan"]["loan"] == {
        "id": loan_id, "status": "PAID_OFF", "outstanding": {"amount": 0},
    }  # fmt: skip
    assert await sukarela(membership_id) == 50_000
    after = (await gql(LOAN, {"id": loan_id}, token=warga["token"]))["data"]["node"]
    assert after["payoffAmount"] is None
    assert after["nextInstallment"] is None
    assert all(i["paidAt"] for i in after["schedule"])
    twice = await gql(PAY_OFF, {"id": loan_id, "fromSavings": True}, token=warga["token"])
    assert codes(twice["data"]["payOffLoan"]) == [("id", "INVALID_STATE")]
    assert await audit() == []


async def test_early_payoff_in_cash_after_some_months_pays_interest_to_date(gql):
    koperasi = await Koperasi.new(gql)
    _, membership_id, loan_id = await active_loan(koperasi, "FLAT", 1_200_000, 12)
    loan = await Loan.get(id=decode_id(loan_id, "Loan")).select_related("membership")
    cooperative = await loan.membership.cooperative
    # Two months ago: the first installment is past due (beyond grace), the second runs.
    started = today() - timedelta(days=45)
    await Loan.filter(id=loan.id).update(disbursed_at=now() - timedelta(days=45))
    rows = await LoanInstallment.filter(loan_id=loan.id).order_by("number")
    for row in rows:
        row.due_date = add_months(started, row.number)
    await LoanInstallment.bulk_update(rows, fields=["due_date"])
    issued = await issue_installment_bills(cooperative.id, rows[0].due_date.strftime("%Y-%m"))
    assert issued == 1
    interest = rows[0].interest  # FLAT: Rp1,200,000 x 1.5% = Rp18,000 a month
    running_days = (today() - rows[0].due_date).days
    month_days = (rows[1].due_date - rows[0].due_date).days
    running = rows[1].interest * running_days // month_days
    days_late = (today() - rows[0].due_date).days - cooperative.denda_grace_days
    denda = max(0, (rows[0].principal + interest) * cooperative.denda_bps_per_day
                * days_late // 10_000)  # fmt: skip
    quote = (await gql(LOAN, {"id": loan_id}, token=koperasi.pengurus["token"]))["data"]["node"]
    assert quote["payoffAmount"] == {"amount": 1_200_000 + interest + running + denda}
    paid = await gql(PAY_OFF, {"id": loan_id}, token=koperasi.pengurus["token"])
    assert paid["data"]["payOffLoan"]["loan"]["status"] == "PAID_OFF"
    entry = await JournalEntry.filter(kind="LOAN_REPAYMENT", membership_id=loan.membership_id
                                      ).first()  # fmt: skip
    assert entry is not None
    expected = {PENDAPATAN_JASA: interest + running, PIUTANG_PINJAMAN: 1_200_000}
    if denda:
        expected[PENDAPATAN_DENDA] = denda
    assert await credits_of(entry.id) == expected
    bill = await Bill.get(membership_id=loan.membership_id, kind=BillKind.LOAN_INSTALLMENT)
    assert bill.status == "PAID"  # nobody pays it again
    assert await sukarela(membership_id) == 1_200_000
    assert await audit() == []


async def test_racing_repayments_and_payoffs_move_the_loan_once_each(gql):
    koperasi = await Koperasi.new(gql)
    second = await koperasi.add_pengurus()
    _, _, loan_id = await active_loan(koperasi, "FLAT", 600_000, 2)
    total = 300_000 + 9_000  # FLAT at 18%: Rp9.000 interest a month
    tokens = [koperasi.pengurus["token"], second["token"]] * 2
    results = await asyncio.gather(
        *(gql(REPAY, {"id": loan_id, "amount": total}, token=t) for t in tokens)
    )
    payloads = [r["data"]["repayLoan"] for r in results]
    assert sum(1 for p in payloads if p["errors"] == []) == 2  # one per installment
    assert sorted(codes(p) for p in payloads if p["errors"]) == [[("id", "INVALID_STATE")]] * 2
    assert (await Loan.get(id=decode_id(loan_id, "Loan"))).status == "PAID_OFF"

    _, other_membership, other_loan = await active_loan(koperasi, "EFEKTIF", 500_000, 5)
    results = await asyncio.gather(*(gql(PAY_OFF, {"id": other_loan}, token=t) for t in tokens))
    payloads = [r["data"]["payOffLoan"] for r in results]
    assert sum(1 for p in payloads if p["errors"] == []) == 1
    entries = JournalEntry.filter(kind="LOAN_REPAYMENT").filter(
        membership_id=decode_id(other_membership, "Membership"))  # fmt: skip
    assert await entries.count() == 1
    assert await audit() == []
