"""The cooperative's full books through the operations of the contract
`cooperative-books.graphql`."""

from __future__ import annotations

from typing import Any

from schema.execution import CONTRACT_DIR
from tests.conftest import contract as books_op
from tests.cooperatives.helpers import Koperasi

CONTRACT = CONTRACT_DIR / "cooperative-books.graphql"
# The operations this branch answers.
OPERATIONS = (
    "ChartOfAccounts",
    "CreateLedgerAccount",
    "DeleteLedgerAccount",
    "RecordCashMovement",
    "PostJournalEntry",
    "ReverseJournalEntry",
    "JournalEntries",
    "AccountLedger",
    "CloseBookYear",
    "ReopenBookYear",
    "FinancialStatements",
    "RecordRat",
    "CooperativeRatStatus",
    "OpeningBalanceTemplate",
    "ImportOpeningBalances",
    "MemberRegister",
    "RequestMembershipClaimCode",
    "ClaimMembership",
    "BookYears",
    "PostLoanLossAllowance",
    "WriteOffLoan",
)


async def chart(koperasi: Koperasi, token: str | None = None, **extra: Any) -> Any:
    result = await koperasi.gql(
        books_op("ChartOfAccounts"),
        {"cooperativeId": koperasi.id, **extra},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["node"]["chartOfAccounts"]


async def account_ids(koperasi: Koperasi) -> dict[str, str]:
    return {a["code"]: a["id"] for a in await chart(koperasi)}


async def cash(
    koperasi: Koperasi,
    account_id: str,
    amount: int,
    day: str,
    direction: str = "RECEIPT",
    token: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "cooperativeId": koperasi.id,
        "direction": direction,
        "accountId": account_id,
        "amount": amount,
        "date": day,
        "description": extra.pop("description", "Transaksi kas"),
        **extra,
    }
    result = await koperasi.gql(
        books_op("RecordCashMovement"), {"input": body}, token=token or koperasi.pengurus["token"]
    )
    assert "errors" not in result, result
    return result["data"]["recordCashMovement"]


async def journal_entry(
    koperasi: Koperasi,
    day: str,
    lines: list[tuple[str, int, int]],
    token: str | None = None,
    description: str = "Jurnal umum",
) -> dict[str, Any]:
    body = {
        "cooperativeId": koperasi.id,
        "date": day,
        "description": description,
        "lines": [{"accountId": a, "debit": d, "credit": c} for a, d, c in lines],
    }
    result = await koperasi.gql(
        books_op("PostJournalEntry"), {"input": body}, token=token or koperasi.pengurus["token"]
    )
    assert "errors" not in result, result
    return result["data"]["postJournalEntry"]


async def reverse(
    koperasi: Koperasi, entry_id: str, token: str | None = None, **extra: Any
) -> dict[str, Any]:
    result = await koperasi.gql(
        books_op("ReverseJournalEntry"),
        {"id": entry_id, "reason": extra.pop("reason", "Salah catat"), **extra},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["reverseJournalEntry"]


async def ledger(
    koperasi: Koperasi, account_id: str, token: str | None = None, **extra: Any
) -> Any:
    result = await koperasi.gql(
        books_op("AccountLedger"),
        {"accountId": account_id, **extra},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    node = result["data"]["node"]
    return node["ledger"] if node else None


async def close(koperasi: Koperasi, year: int, token: str | None = None) -> dict[str, Any]:
    result = await koperasi.gql(
        books_op("CloseBookYear"),
        {"cooperativeId": koperasi.id, "year": year},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["closeBookYear"]


async def reopen(koperasi: Koperasi, year: int, token: str, reason: str) -> dict[str, Any]:
    result = await koperasi.gql(
        books_op("ReopenBookYear"),
        {"cooperativeId": koperasi.id, "year": year, "reason": reason},
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["reopenBookYear"]


async def book_years(koperasi: Koperasi, token: str | None = None) -> Any:
    result = await koperasi.gql(
        books_op("BookYears"),
        {"cooperativeId": koperasi.id},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["node"]["bookYears"]


async def statements(
    koperasi: Koperasi, start: str, end: str, token: str | None = None, compare: bool = True
) -> Any:
    result = await koperasi.gql(
        books_op("FinancialStatements"),
        {"cooperativeId": koperasi.id, "from": start, "to": end, "compare": compare},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["node"]["financialStatements"]
