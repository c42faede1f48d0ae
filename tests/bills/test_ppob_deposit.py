"""The cooperative's Deposit PPOB through HTTP: funded by recorded top-ups (Dr Deposit PPOB, Cr
Kas dan Bank), never taken below 0 by an outside bill (refused, nothing written, also when two
payments race for its last rupiah), refunded bills put back; from the right and wrong side."""

import asyncio
import importlib
import uuid

import pytest
from tortoise import connections

from models.bills import Bill, BillStatus
from models.cooperatives import Cooperative
from models.cooperatives.books import EntryKind, JournalEntry
from schema.platform.ids import decode_id
from tests.bills.helpers import outside_bill, pay, saver, top_up
from tests.cooperatives.helpers import Koperasi, accounts, codes, journal_size, sukarela

pytestmark = pytest.mark.usefixtures("books_balance")

DEPOSIT_FROM_BOOKS = importlib.import_module(
    "models.migrations.0031_opening_balances"
).DEPOSIT_FROM_BOOKS


async def test_an_outside_bill_the_deposit_cannot_cover_is_refused_and_writes_nothing(gql):
    koperasi, warga, membership_id = await saver(gql, deposit=0)
    pdam = await outside_bill(gql, warga)
    before = (await journal_size(), await sukarela(membership_id))
    refused = await pay(gql, warga["token"], [pdam["id"]], membershipId=membership_id)
    assert codes(refused) == [("billIds", "INSUFFICIENT_BALANCE")]
    assert "Deposit PPOB" in refused["errors"][0]["message"]
    assert (await journal_size(), await sukarela(membership_id)) == before
    assert (await Bill.get(id=decode_id(pdam["id"], "Bill"))).status == BillStatus.UNPAID
    assert (await accounts(koperasi))["1-1400"] == 0
    # A top-up of exactly the bill's amount pays it; the deposit is then empty again.
    amount = pdam["amount"]["amount"]
    topped = await top_up(koperasi, amount)
    assert topped == {"deposit": {"amount": amount}, "errors": []}
    books = await accounts(koperasi)
    assert (books["1-1400"], books["1-1100"]) == (amount, 2_000_000 - amount)
    paid = await pay(gql, warga["token"], [pdam["id"]], membershipId=membership_id)
    assert paid["errors"] == []
    assert (await accounts(koperasi))["1-1400"] == 0
    assert (await Cooperative.get(id=decode_id(koperasi.id, "Cooperative"))).ppob_deposit == 0
    another = await outside_bill(gql, warga, kind="PLN_TOKEN")
    again = await pay(gql, warga["token"], [another["id"]], membershipId=membership_id)
    assert codes(again) == [("billIds", "INSUFFICIENT_BALANCE")]


async def test_only_its_pengurus_tops_up_once_per_key_and_above_zero(gql):
    koperasi, warga, _ = await saver(gql, deposit=0)
    other = await Koperasi.new(gql)
    for token in (warga["token"], other.pengurus["token"]):
        assert codes(await top_up(koperasi, 1000, token)) == [
            ("cooperativeId", "PERMISSION_DENIED")
        ]
    for amount in (0, -5):
        assert codes(await top_up(koperasi, amount)) == [("amount", "INVALID")]
    key = uuid.uuid4().hex
    first, second = await asyncio.gather(
        top_up(koperasi, 50_000, key=key), top_up(koperasi, 50_000, key=key)
    )
    assert first == second == {"deposit": {"amount": 50_000}, "errors": []}
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    assert (
        await JournalEntry.filter(
            cooperative_id=cooperative_id, kind=EntryKind.CASH_PAYMENT
        ).count()
        == 1
    )
    assert (await accounts(koperasi))["1-1400"] == 50_000


async def test_two_payments_racing_for_the_last_of_the_deposit_pay_one(gql):
    koperasi, warga, membership_id = await saver(gql, deposit=0)
    other, other_membership = await koperasi.member()
    await koperasi.deposit(other_membership, 2_000_000)
    bills = [await outside_bill(gql, warga), await outside_bill(gql, other)]
    amounts = [b["amount"]["amount"] for b in bills]
    # Enough for either bill, never for both.
    assert (await top_up(koperasi, max(amounts)))["errors"] == []
    answers = await asyncio.gather(
        pay(gql, warga["token"], [bills[0]["id"]], membershipId=membership_id),
        pay(gql, other["token"], [bills[1]["id"]], membershipId=other_membership),
    )
    paid = [i for i, answer in enumerate(answers) if answer["errors"] == []]
    assert len(paid) == 1
    (loser,) = {0, 1} - set(paid)
    assert codes(answers[loser]) == [("billIds", "INSUFFICIENT_BALANCE")]
    assert (await accounts(koperasi))["1-1400"] == max(amounts) - amounts[paid[0]] >= 0


async def test_the_migration_starts_the_deposit_at_its_books_balance(gql):
    koperasi, warga, membership_id = await saver(gql, deposit=600_000)
    pdam = await outside_bill(gql, warga)
    assert (await pay(gql, warga["token"], [pdam["id"]], membershipId=membership_id))[
        "errors"
    ] == []
    cooperative_id = decode_id(koperasi.id, "Cooperative")
    kept = (await Cooperative.get(id=cooperative_id)).ppob_deposit
    assert kept == 600_000 - pdam["amount"]["amount"]
    await Cooperative.filter(id=cooperative_id).update(ppob_deposit=0)
    await connections.get("default").execute_script(DEPOSIT_FROM_BOOKS)
    assert (await Cooperative.get(id=cooperative_id)).ppob_deposit == kept
