"""The Dinas's cooperative health: exact per-cooperative figures, sorting, and who may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from models.loans import LoanInstallment
from resolvers.platform.clock import today
from schema.platform.ids import decode_id
from tests.conftest import StatementCounter, city_admin, sign_up
from tests.cooperatives.helpers import Koperasi
from tests.loans.helpers import active_loan, apply

pytestmark = pytest.mark.usefixtures("books_balance")

HEALTH = """query($sortBy: CooperativeHealthSort, $descending: Boolean) {
  cooperativeHealth(sortBy: $sortBy, descending: $descending) {
    cooperativeId slug name activeMembers totalSavings { amount } loansOutstanding { amount }
    nplRatioBps lastTransactionAt } }"""


async def health(gql, token: str, **variables) -> list[dict]:
    result = await gql(HEALTH, variables, token=token)
    assert "errors" not in result, result
    return result["data"]["cooperativeHealth"]


async def test_each_cooperatives_figures_are_exact_and_sortable(gql):
    admin = await city_admin(gql)
    busy = await Koperasi.new(gql, admin, name="Koperasi Ramai")
    quiet = await Koperasi.new(gql, admin, name="Koperasi Sepi")
    idle = await Koperasi.new(gql, admin, name="Koperasi Diam")
    _, first = await busy.member()
    _, second = await busy.member()
    leaving_user, leaving = await busy.member()
    await busy.deposit(first, 150000)
    await busy.deposit(second, 70000, account="WAJIB")
    await busy.deposit(leaving, 5000)
    ended = await gql(
        """mutation($id: ID!) { endMembership(id: $id) { errors { code } } }""",
        {"id": leaving},
        token=leaving_user["token"],
    )
    assert ended["data"]["endMembership"]["errors"] == []
    lone_user, lone = await quiet.member()
    await quiet.deposit(lone, 30000)
    await active_loan(quiet, principal=600000, tenor=6)  # its borrower's SUKARELA gets 600000
    assert (await apply(quiet, lone, lone_user["token"], 500000))["errors"] == []  # not lent

    ours = {busy.id, quiet.id, idle.id}
    rows = [r for r in await health(gql, admin["token"]) if r["cooperativeId"] in ours]
    by_id = {r["cooperativeId"]: r for r in rows}
    figures = {
        k: (r["activeMembers"], r["totalSavings"]["amount"], r["loansOutstanding"]["amount"])
        for k, r in by_id.items()
    }
    assert {r["nplRatioBps"] for r in rows} == {0}
    assert figures == {busy.id: (2, 220000, 0), quiet.id: (2, 630000, 600000), idle.id: (0, 0, 0)}
    assert by_id[idle.id]["lastTransactionAt"] is None
    assert by_id[busy.id]["lastTransactionAt"] < by_id[quiet.id]["lastTransactionAt"]
    # Most recent first by default; a cooperative that never moved comes last.
    assert [r["cooperativeId"] for r in rows] == [quiet.id, busy.id, idle.id]

    async def order(sort_by: str, descending: bool) -> list[str]:
        found = await health(gql, admin["token"], sortBy=sort_by, descending=descending)
        return [r["cooperativeId"] for r in found if r["cooperativeId"] in ours]

    assert await order("ACTIVE_MEMBERS", True) == [busy.id, quiet.id, idle.id]  # ties by name
    assert await order("TOTAL_SAVINGS", False) == [idle.id, busy.id, quiet.id]
    assert await order("LOANS_OUTSTANDING", True) == [quiet.id, idle.id, busy.id]  # ties by name
    assert await order("NAME", False) == [idle.id, busy.id, quiet.id]
    assert await order("LAST_TRANSACTION_AT", False) == [idle.id, busy.id, quiet.id]


async def test_the_npl_ratio_counts_loans_over_90_days_past_due(gql):
    admin = await city_admin(gql)
    koperasi = await Koperasi.new(gql, admin)
    _, _, late = await active_loan(koperasi, principal=300000, tenor=3)
    _, _, lagging = await active_loan(koperasi, principal=100000, tenor=3)
    await active_loan(koperasi, principal=600000, tenor=3)
    for loan_id, days in ((late, 91), (lagging, 90)):  # kolektibilitas 3, and still 2
        first = await LoanInstallment.get(loan_id=decode_id(loan_id, "Loan"), number=1)
        await LoanInstallment.filter(id=first.id).update(due_date=today() - timedelta(days=days))
    (row,) = [r for r in await health(gql, admin["token"]) if r["cooperativeId"] == koperasi.id]
    assert (row["loansOutstanding"], row["nplRatioBps"]) == ({"amount": 1000000}, 3000)
    worst = await health(gql, admin["token"], sortBy="NPL_RATIO")
    assert worst[0]["nplRatioBps"] >= 3000


async def test_only_the_dinas_sees_cooperative_health(gql):
    koperasi = await Koperasi.new(gql)
    warga = await sign_up(gql, "Warga Biasa")
    for token, code in (
        (None, "UNAUTHENTICATED"),
        (warga["token"], "FORBIDDEN"),
        (koperasi.pengurus["token"], "FORBIDDEN"),
    ):
        result = await gql(HEALTH, {}, token=token)
        assert result["data"] is None
        assert [e["extensions"]["code"] for e in result["errors"]] == [code]


async def test_health_costs_the_same_statements_however_many_cooperatives(gql):
    admin = await city_admin(gql)

    async def statements() -> int:
        with StatementCounter() as counter:
            await health(gql, admin["token"])
        return len(counter.statements)

    await statements()  # the token's user is cached after its first use
    before = await statements()
    for _ in range(3):
        koperasi = await Koperasi.new(gql, admin)
        _, membership_id = await koperasi.member()
        await koperasi.deposit(membership_id, 1000)
    assert await statements() == before
