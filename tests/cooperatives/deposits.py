"""Time deposits through the contract's operations, and an independent reckoning of their
figures (`fractions`, not the code under test)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import floor
from typing import Any

from tests.conftest import contract
from tests.cooperatives.helpers import Koperasi


def month_later(start: date, months: int) -> date:
    """The calendar: the same day `months` later, or that month's last day."""
    total = start.year * 12 + start.month - 1 + months
    year, month = total // 12, total % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, start.day if start.day <= last else last)


@dataclass(frozen=True)
class Month:
    gross: int
    tax: int

    @property
    def net(self) -> int:
        return self.gross - self.tax


def expected_month(principal: int, yearly_percent: Fraction) -> Month:
    """A month's interest, one twelfth of the yearly rate, rounded down; PP 15/2009: 10% of
    the gross once it exceeds Rp240.000 a month."""
    gross = floor(principal * yearly_percent / 100 / 12)
    return Month(gross, floor(Fraction(gross, 10)) if gross > 240_000 else 0)


async def create_product(
    koperasi: Koperasi, token: str | None = None, **terms: Any
) -> dict[str, Any]:
    body = {
        "cooperativeId": koperasi.id, "name": "Berjangka 3 Bulan", "termMonths": 3,
        "annualRateBps": 600, "minimum": 1_000_000, "earlyWithdrawalPenaltyBps": 100,
        "interestPayout": "MONTHLY", **terms,
    }  # fmt: skip
    result = await koperasi.gql(
        contract("CreateTimeDepositProduct"),
        {"input": body},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["createTimeDepositProduct"]


async def product_id(koperasi: Koperasi, **terms: Any) -> str:
    created = await create_product(koperasi, **terms)
    assert created["errors"] == [], created
    return created["timeDepositProduct"]["id"]


async def open_deposit(
    koperasi: Koperasi, membership_id: str, product: str, amount: int, token: str, **extra: Any
) -> dict[str, Any]:
    body = {"membershipId": membership_id, "productId": product, "amount": amount,
            "maturityInstruction": extra.pop("maturity", "PAY_OUT"), **extra}  # fmt: skip
    result = await koperasi.gql(contract("OpenTimeDeposit"), {"input": body}, token=token)
    assert "errors" not in result, result
    return result["data"]["openTimeDeposit"]


async def withdraw_early(koperasi: Koperasi, deposit_id: str, token: str) -> dict[str, Any]:
    result = await koperasi.gql(contract("WithdrawTimeDepositEarly"), {"id": deposit_id},
                                token=token)  # fmt: skip
    assert "errors" not in result, result
    return result["data"]["withdrawTimeDepositEarly"]


async def deposits_of(
    koperasi: Koperasi, membership_id: str, token: str, **extra: Any
) -> dict[str, Any] | None:
    result = await koperasi.gql(contract("TimeDeposits"), {"membershipId": membership_id,
                                                          **extra}, token=token)  # fmt: skip
    assert "errors" not in result, result
    node = result["data"]["node"]
    return None if node is None else node["timeDeposits"]
