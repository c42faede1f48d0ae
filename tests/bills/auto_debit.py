"""Standing instructions through the contract's operations, and bills made due for a run."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from models.bills import Bill, BillKind
from models.cooperatives import Membership
from resolvers.platform.clock import today
from schema.platform.ids import decode_id, encode_id
from tests.conftest import contract
from tests.cooperatives.helpers import Koperasi


async def create(koperasi: Koperasi, membership_id: str, token: str, kinds=None) -> dict:
    variables = {
        "membershipId": membership_id,
        "kinds": ["SIMPANAN_WAJIB", "LOAN_INSTALLMENT"] if kinds is None else kinds,
    }
    result = await koperasi.gql(contract("CreateStandingInstruction"), variables, token=token)
    assert "errors" not in result, result
    return result["data"]["createStandingInstruction"]


async def instruction_id(koperasi: Koperasi, membership_id: str, token: str, **extra) -> str:
    made = await create(koperasi, membership_id, token, **extra)
    assert made["errors"] == [], made
    return made["standingInstruction"]["id"]


async def act(koperasi: Koperasi, verb: str, instruction: str, token: str) -> dict[str, Any]:
    """Pause, Resume or Cancel."""
    result = await koperasi.gql(
        contract(f"{verb}StandingInstruction"), {"id": instruction}, token=token
    )
    assert "errors" not in result, result
    return result["data"][f"{verb.lower()}StandingInstruction"]


async def listed(koperasi: Koperasi, membership_id: str, token: str) -> list[dict] | None:
    result = await koperasi.gql(
        contract("StandingInstructions"), {"membershipId": membership_id}, token=token
    )
    assert "errors" not in result, result
    node = result["data"]["node"]
    return None if node is None else node["standingInstructions"]


async def run(
    koperasi: Koperasi, token: str | None = None, day: date | None = None, gql=None
) -> dict[str, Any]:
    result = await (gql or koperasi.gql)(
        contract("RunAutoDebit"),
        {"cooperativeId": koperasi.id, "date": (day or today()).isoformat()},
        token=token or koperasi.pengurus["token"],
    )
    assert "errors" not in result, result
    return result["data"]["runAutoDebit"]


async def due_bill(
    membership_id: str, kind: BillKind, amount: int, days_ago: int, period: str | None = None
) -> str:
    """A bill of the membership due `days_ago` days before today (a wajib of a past month)."""
    owner = decode_id(membership_id, "Membership")
    membership = await Membership.get(id=owner)
    due = today() - timedelta(days=days_ago)
    bill = await Bill.create(
        user_id=membership.user_id,
        membership_id=owner,
        kind=kind,
        period=period or f"{due:%Y-%m}",
        description=f"Tagihan {kind.value} {due:%Y-%m}",
        amount=amount,
        due_date=due,
    )
    return encode_id("Bill", bill.id)
