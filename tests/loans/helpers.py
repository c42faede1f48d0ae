"""Loans through the contract's operations: apply, approve, disburse, and the extra mutations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models.loans import LoanInstallment
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from tests.conftest import contract
from tests.cooperatives.helpers import Koperasi

LOAN = """query($id: ID!) { node(id: $id) { ... on Loan {
  id status principal { amount } outstanding { amount } payoffAmount { amount }
  schedule { number dueDate paidAt principal { amount } interest { amount } total { amount }
             paid { amount } dendaPaid { amount } }
  nextInstallment { number dueDate total { amount } } } } }"""
REPAY = """mutation($id: ID!, $amount: Rupiah!) { repayLoan(id: $id, amount: $amount) {
  loan { id status outstanding { amount } } errors { field code message } } }"""
PAY_OFF = """mutation($id: ID!, $fromSavings: Boolean) {
  payOffLoan(id: $id, fromSavings: $fromSavings) {
  loan { id status outstanding { amount } } errors { field code message } } }"""
REJECT = """mutation($id: ID!, $reason: String!) { rejectLoan(id: $id, reason: $reason) {
  loan { id status rejectionReason } errors { field code message } } }"""


async def apply(
    koperasi: Koperasi, membership_id: str, token: str, principal: int = 1_200_000, **extra: Any
) -> dict[str, Any]:
    body = {
        "membershipId": membership_id,
        "principal": principal,
        "tenorMonths": extra.pop("tenorMonths", 12),
        "purpose": extra.pop("purpose", "Modal usaha warung"),
        **extra,
    }
    result = await koperasi.gql(contract("ApplyLoan"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["applyLoan"]


async def approve(
    koperasi: Koperasi, loan_id: str, method: str = "FLAT", rate: int = 1800, **extra: Any
) -> dict[str, Any]:
    token = extra.pop("token", koperasi.pengurus["token"])
    result = await koperasi.gql(
        contract("ApproveLoan"),
        {"id": loan_id, "annualRateBps": rate, "method": method},
        token=token,
    )
    assert "errors" not in result, result
    return result["data"]["approveLoan"]


async def disburse(koperasi: Koperasi, loan_id: str, token: str | None = None) -> dict[str, Any]:
    result = await koperasi.gql(
        contract("DisburseLoan"), {"id": loan_id}, token=token or koperasi.pengurus["token"]
    )
    assert "errors" not in result, result
    return result["data"]["disburseLoan"]


async def active_loan(
    koperasi: Koperasi, method: str = "FLAT", principal: int = 1_200_000, tenor: int = 12
) -> tuple[dict, str, str]:
    """A member with a disbursed loan: (the user, the membership id, the loan id)."""
    user, membership_id = await koperasi.member()
    applied = await apply(koperasi, membership_id, user["token"], principal, tenorMonths=tenor)
    loan_id = applied["loan"]["id"]
    assert (await approve(koperasi, loan_id, method))["errors"] == []
    assert (await disburse(koperasi, loan_id))["errors"] == []
    return user, membership_id, loan_id


async def late_by(loan_id: str, days: int) -> None:
    """The loan's first installment fell due `days` days ago."""
    first = await LoanInstallment.get(loan_id=decode_id(loan_id, "Loan"), number=1)
    await LoanInstallment.filter(id=first.id).update(due_date=today() - timedelta(days=days))
