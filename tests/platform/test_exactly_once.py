"""Exactly once for every money movement: the same request sent 10 times at once under one
idempotency key moves the money once and answers all 10 alike; the key with other arguments
is DUPLICATE; another caller's key is their own."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from models.cooperatives.books import EntryKind, JournalEntry
from models.platform.requests import IdempotentRequest
from schema.platform.ids import decode_id
from tests.cooperatives.helpers import Koperasi, codes, sukarela
from tests.loans.helpers import LOAN, apply, approve
from tests.shu.test_shu_http import INPUT, YEAR, a_year

pytestmark = pytest.mark.usefixtures("books_balance")

ERRORS = "errors { field code message }"
TRANSACTION = f"transaction {{ id kind amount {{ amount }} balanceAfter {{ amount }} }} {ERRORS}"
LOAN_FIELDS = f"loan {{ id status outstanding {{ amount }} }} {ERRORS}"
DEPOSIT = f"""mutation($m: ID!, $amount: Rupiah!, $key: String) {{
  recordDeposit(membershipId: $m, account: SUKARELA, amount: $amount, idempotencyKey: $key) {{
  {TRANSACTION} }} }}"""
WITHDRAW = f"""mutation($m: ID!, $amount: Rupiah!, $key: String) {{
  withdraw(membershipId: $m, amount: $amount, idempotencyKey: $key) {{ {TRANSACTION} }} }}"""
DISBURSE = f"""mutation($id: ID!, $key: String) {{
  disburseLoan(id: $id, idempotencyKey: $key) {{ {LOAN_FIELDS} }} }}"""
REPAY = f"""mutation($id: ID!, $amount: Rupiah!, $key: String) {{
  repayLoan(id: $id, amount: $amount, idempotencyKey: $key) {{ {LOAN_FIELDS} }} }}"""
PAY_OFF = f"""mutation($id: ID!, $key: String) {{
  payOffLoan(id: $id, fromSavings: true, idempotencyKey: $key) {{ {LOAN_FIELDS} }} }}"""
END = f"""mutation($id: ID!, $key: String) {{ endMembership(id: $id, idempotencyKey: $key) {{
  membership {{ id status }} payout {{ amount }} {ERRORS} }} }}"""
DISTRIBUTE = f"""mutation($c: ID!, $year: Int!, $input: ShuInput!, $key: String) {{
  distributeShu(cooperativeId: $c, year: $year, input: $input, idempotencyKey: $key) {{
  distributed {{ amount }} {ERRORS} }} }}"""


async def entries(kind: EntryKind) -> int:
    return await JournalEntry.filter(kind=kind).count()


async def ten_at_once(gql, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    """The request 10 times at once; the one answer all 10 gave."""
    results = await asyncio.gather(*(gql(query, variables, token=token) for _ in range(10)))
    answers = [next(iter(r["data"].values())) for r in results]
    assert all(answer == answers[0] for answer in answers), answers
    assert answers[0]["errors"] == [], answers[0]
    return answers[0]


async def once_more(gql, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    result = await gql(query, variables, token=token)
    return next(iter(result["data"].values()))


async def test_a_deposit_and_a_withdrawal_sent_ten_times_move_once(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    teller = koperasi.pengurus["token"]
    before = await entries(EntryKind.DEPOSIT)
    deposit = {"m": membership_id, "amount": 100000, "key": str(uuid.uuid4())}
    answer = await ten_at_once(gql, DEPOSIT, deposit, teller)
    assert answer["transaction"]["balanceAfter"] == {"amount": 100000}
    assert await entries(EntryKind.DEPOSIT) - before == 1
    assert await once_more(gql, DEPOSIT, deposit, teller) == answer  # a later retry too

    withdrawal = {"m": membership_id, "amount": 30000, "key": str(uuid.uuid4())}
    answer = await ten_at_once(gql, WITHDRAW, withdrawal, warga["token"])
    assert answer["transaction"]["balanceAfter"] == {"amount": 70000}
    assert await sukarela(membership_id) == 70000

    # The same caller's key for another amount or another operation.
    for query, variables, token in (
        (WITHDRAW, {**withdrawal, "amount": 30001}, warga["token"]),
        (DEPOSIT, {**deposit, "amount": 1}, teller),
        (WITHDRAW, deposit, teller),
    ):
        refused = await once_more(gql, query, variables, token)
        assert codes(refused) == [("idempotencyKey", "DUPLICATE")], refused
    assert await sukarela(membership_id) == 70000
    # Another caller's identical key is theirs: the pengurus's withdrawal moves.
    by_pengurus = await once_more(gql, WITHDRAW, withdrawal, teller)
    assert by_pengurus["transaction"]["balanceAfter"] == {"amount": 40000}


async def test_hostile_keys_are_coded_refusals_that_move_nothing(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 50000)
    for key, code in (("   ", "REQUIRED"), ("k" * 101, "INVALID")):
        refused = await once_more(
            gql, WITHDRAW, {"m": membership_id, "amount": 1000, "key": key}, warga["token"]
        )
        assert codes(refused) == [("idempotencyKey", code)], refused
    assert await sukarela(membership_id) == 50000
    assert not await IdempotentRequest.filter(key__in=["", "k" * 100]).exists()


async def test_a_loan_disbursed_repaid_and_paid_off_ten_times_moves_once(gql):
    koperasi = await Koperasi.new(gql)
    teller = koperasi.pengurus["token"]
    user, membership_id = await koperasi.member()
    applied = await apply(koperasi, membership_id, user["token"], 1_200_000)
    loan_id = applied["loan"]["id"]
    assert (await approve(koperasi, loan_id))["errors"] == []
    before = await entries(EntryKind.LOAN_DISBURSEMENT)
    answer = await ten_at_once(gql, DISBURSE, {"id": loan_id, "key": "cair-1"}, teller)
    assert answer["loan"]["status"] == "ACTIVE"
    assert await entries(EntryKind.LOAN_DISBURSEMENT) - before == 1
    assert await sukarela(membership_id) == 1_200_000

    loan = (await gql(LOAN, {"id": loan_id}, token=teller))["data"]["node"]
    due = loan["nextInstallment"]["total"]["amount"]
    before = await entries(EntryKind.LOAN_REPAYMENT)
    repaid = await ten_at_once(gql, REPAY, {"id": loan_id, "amount": due, "key": "a-1"}, teller)
    assert repaid["loan"]["outstanding"]["amount"] == 1_100_000
    assert await entries(EntryKind.LOAN_REPAYMENT) - before == 1
    refused = await once_more(gql, REPAY, {"id": loan_id, "amount": due - 1, "key": "a-1"}, teller)
    assert codes(refused) == [("idempotencyKey", "DUPLICATE")]

    paid_off = await ten_at_once(gql, PAY_OFF, {"id": loan_id, "key": "lunas"}, user["token"])
    assert paid_off["loan"]["status"] == "PAID_OFF"
    assert await entries(EntryKind.LOAN_REPAYMENT) - before == 2


async def test_a_membership_ended_ten_times_pays_out_once(gql):
    koperasi = await Koperasi.new(gql)
    warga, membership_id = await koperasi.member()
    await koperasi.deposit(membership_id, 80000)
    before = await entries(EntryKind.PAYOUT)
    answer = await ten_at_once(gql, END, {"id": membership_id, "key": "keluar"}, warga["token"])
    assert (answer["membership"]["status"], answer["payout"]) == ("ENDED", {"amount": 80000})
    assert await entries(EntryKind.PAYOUT) - before == 1


async def test_shu_distributed_ten_times_posts_once(gql):
    year = await a_year(gql)
    koperasi = year.koperasi
    coop = decode_id(koperasi.id, "Cooperative")
    variables = {"c": koperasi.id, "year": YEAR, "input": INPUT, "key": "rat-2025"}
    answer = await ten_at_once(gql, DISTRIBUTE, variables, koperasi.pengurus["token"])
    assert answer["distributed"]["amount"] > 0
    assert await JournalEntry.filter(cooperative_id=coop, kind=EntryKind.SHU).count() == 2
    other = {**variables, "input": {**INPUT, "surplus": 40000}}
    refused = await once_more(gql, DISTRIBUTE, other, koperasi.pengurus["token"])
    assert codes(refused) == [("idempotencyKey", "DUPLICATE")]
