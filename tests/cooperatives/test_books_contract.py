"""Every operation of the contract `cooperative-books.graphql` runs, exactly as written, on one
cooperative's year: no GraphQL error and no payload error. The opening import and the
membership claims (OpeningBalanceTemplate, ImportOpeningBalances, MemberRegister,
RequestMembershipClaimCode, ClaimMembership) run on a cooperative moving in, in
test_opening_import.py and test_membership_claims.py."""

from datetime import timedelta
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from models.loans import LoanInstallment
from resolvers.platform import today
from schema.platform.ids import decode_id
from tests.conftest import city_admin
from tests.cooperatives.books import CONTRACT, OPERATIONS, books_op
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan

pytestmark = pytest.mark.usefixtures("books_balance")

ELSEWHERE = {
    "OpeningBalanceTemplate",
    "ImportOpeningBalances",
    "MemberRegister",
    "RequestMembershipClaimCode",
    "ClaimMembership",
}
TODAY = today()
LY = TODAY.year - 1


def test_every_operation_is_tested():
    names = {
        d.name.value
        for d in parse(CONTRACT.read_text()).definitions
        if isinstance(d, OperationDefinitionNode) and d.name is not None
    }
    assert names == set(OPERATIONS)


async def test_every_operation_runs_as_written(gql):
    koperasi = await Koperasi.new(gql)
    admin = await city_admin(gql)
    ran: list[str] = []

    async def run(name: str, token: str | None = None, **variables: Any) -> Any:
        result = await gql(books_op(name), variables, token=token or koperasi.pengurus["token"])
        assert "errors" not in result, (name, result)
        for payload in result["data"].values():
            if isinstance(payload, dict) and "errors" in payload:
                assert payload["errors"] == [], (name, payload)
        ran.append(name)
        return result["data"]

    coop = {"cooperativeId": koperasi.id}
    accounts = (await run("ChartOfAccounts", **coop, asOf=None))["node"]["chartOfAccounts"]
    ids = {a["code"]: a["id"] for a in accounts}
    made = await run("CreateLedgerAccount", **coop,
                     input={"kind": "EXPENSE", "name": "Beban Kebersihan"})  # fmt: skip
    await run("DeleteLedgerAccount", id=made["createLedgerAccount"]["ledgerAccount"]["id"])
    await run("RecordCashMovement", input={
        **coop, "direction": "RECEIPT", "accountId": ids["4-1900"], "amount": 900000,
        "date": f"{LY}-03-01", "description": "Pendapatan sewa aula",
    })  # fmt: skip
    posted = await run("PostJournalEntry", input={
        **coop, "date": f"{LY}-06-01", "description": "Beban listrik",
        "lines": [{"accountId": ids["5-1300"], "debit": 150000},
                  {"accountId": ids["1-1100"], "credit": 150000}],
    })  # fmt: skip
    entry_id = posted["postJournalEntry"]["journalEntry"]["id"]
    await run("ReverseJournalEntry", id=entry_id, date=f"{LY}-06-02", reason="Salah akun")
    listed = await run("JournalEntries", **coop, **{"from": f"{LY}-01-01", "to": None},
                       kind=None)  # fmt: skip
    assert listed["node"]["journalEntries"]["totalCount"] == 3
    ledger = await run("AccountLedger", accountId=ids["1-1100"], **{"from": None, "to": None})
    assert ledger["node"]["ledger"]["closingBalance"]["amount"] == 900000

    _, _, loan_id = await active_loan(koperasi)
    first = await LoanInstallment.get(loan_id=decode_id(loan_id, "Loan"), number=1)
    await LoanInstallment.filter(id=first.id).update(due_date=TODAY - timedelta(days=200))
    await run("PostLoanLossAllowance", **coop, period=f"{TODAY:%Y-%m}")
    written = await run("WriteOffLoan", id=loan_id, reason="Anggota tidak dapat dihubungi")
    assert written["writeOffLoan"]["loan"]["writtenOffAt"] is not None

    closed = await run("CloseBookYear", **coop, year=LY)
    assert closed["closeBookYear"]["bookYear"]["surplus"]["amount"] == 900000
    await run("RecordRat", **coop, year=LY, input={
        "heldOn": TODAY.isoformat(), "membersPresent": 1, "shuToDistribute": 500000,
        "reservePercent": 25, "capitalServicePercent": 30, "memberServicePercent": 25,
    })  # fmt: skip
    years = (await run("BookYears", **coop))["node"]["bookYears"]
    last = next(y for y in years if y["year"] == LY)
    assert last["ratPackage"]["xlsxUrl"].startswith("http")
    assert last["rat"]["shuToDistribute"]["amount"] == 500000
    found = await run("FinancialStatements", **coop, **{"from": f"{LY}-01-01",
                      "to": f"{LY}-12-31"})  # fmt: skip
    assert found["node"]["financialStatements"]["balanceSheet"]["balanced"] is True
    status = await run("CooperativeRatStatus", admin["token"])
    row = next(r for r in status["cooperativeHealth"] if r["cooperativeId"] == koperasi.id)
    assert row["previousYearRatHeld"] is True
    reopened = await run("ReopenBookYear", admin["token"], **coop, year=LY, reason="Koreksi")
    assert reopened["reopenBookYear"]["bookYear"]["state"] == "OPEN"
    assert sorted(ran) == sorted(set(OPERATIONS) - ELSEWHERE)
