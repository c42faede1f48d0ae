"""Outside bills through Digiflazz (BILLER=digiflazz) in a server of its own, against a local
server that speaks Digiflazz's protocol, paid from SUKARELA: paid at once, pending and then
settled by its signed callback or by the re-check, refused and refunded through the books
once, and never paid twice however often it calls back or is asked."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from fakes.digiflazz import (
    API_KEY,
    USERNAME,
    WEBHOOK_SECRET,
    FakeDigiflazz,
    FakeDigiflazzServer,
    bill_of,
    token_of,
)
from models.bills import Bill
from resolvers.bills import recheck_pending_bills
from resolvers.providers.billers import DigiflazzBiller
from schema.platform.ids import decode_id
from tests.bills.helpers import SAVINGS, customer_number, inquire, pay, refunded_entries, saver
from tests.cooperatives.helpers import sukarela
from tests.providers.loopback import Api, api_with

pytestmark = pytest.mark.usefixtures("books_balance")


@dataclass
class City:
    api: Api
    fake: FakeDigiflazz


@pytest.fixture
async def city(live, tmp_path, monkeypatch) -> AsyncIterator[City]:
    async with FakeDigiflazzServer() as fake:
        env = {
            "DIGIFLAZZ_USERNAME": USERNAME,
            "DIGIFLAZZ_API_KEY": API_KEY,
            "DIGIFLAZZ_BASE_URL": fake.url,
            "DIGIFLAZZ_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "DIGIFLAZZ_TIMEOUT_SECONDS": "1",
        }
        async with api_with(live, tmp_path / "media", monkeypatch, env, BILLER="digiflazz") as api:
            assert isinstance(api.services.biller, DigiflazzBiller)
            yield City(api, fake)


async def paying(city: City, behaviour: str, kind: str = "PDAM", denomination=None):
    """A member with savings, and the outside bill Digiflazz found for them, paid from them."""
    _, warga, membership_id = await saver(city.api.gql)
    number = customer_number(behaviour)
    found = await inquire(city.api.gql, warga["token"], kind, number, denomination)
    assert found["errors"] == [], found
    bill = found["bill"]
    paid = await pay(city.api.gql, warga["token"], [bill["id"]], membershipId=membership_id)
    assert paid["errors"] == [], paid
    row = await Bill.get(id=decode_id(bill["id"], "Bill"))
    return membership_id, bill, paid, row


async def recheck(city: City) -> int:
    return await recheck_pending_bills(city.api.services, timedelta(0))


async def test_a_bill_is_paid_at_once_from_sukarela(city):
    membership_id, bill, paid, row = await paying(city, "09")
    assert bill["customerName"] == "BUDI SANTOSO"
    assert bill["amount"]["amount"] == bill_of(row.customer_number)
    (line,) = paid["receipt"]["lines"]
    assert line["state"] == "PAID"
    assert line["billerReference"].startswith("REF")
    assert city.fake.charged == [row.inquiry_id]
    assert await sukarela(membership_id) == SAVINGS - bill["total"]["amount"]


async def test_pending_then_paid_by_the_signed_callback_once(city):
    membership_id, _, paid, row = await paying(city, "03", "PLN_TOKEN", 50_000)
    assert paid["receipt"]["lines"][0]["state"] == "PENDING"
    city.fake.complete(row.inquiry_id)
    answer = await city.fake.call_back(f"{city.api.url}/bills/biller-callback", row.inquiry_id)
    assert (answer.status_code, answer.json()) == (200, {"outcome": "SETTLED"})
    row = await Bill.get(id=row.id)
    assert (row.status, row.token) == ("PAID", token_of(row.inquiry_id))
    replayed = await city.fake.call_back(f"{city.api.url}/bills/biller-callback", row.inquiry_id)
    assert (replayed.status_code, replayed.json()) == (200, {"outcome": "NOT_PENDING"})
    assert await recheck(city) == 0
    assert city.fake.charged == [row.inquiry_id]
    assert await sukarela(membership_id) == SAVINGS - 52_500
    assert await refunded_entries(membership_id) == 0


async def test_pending_then_paid_by_the_recheck_with_the_same_ref_id(city):
    _, _, _, row = await paying(city, "03", "PLN_POSTPAID")
    assert await recheck(city) == 0  # still Pending at Digiflazz
    city.fake.complete(row.inquiry_id)
    assert await recheck(city) >= 1
    row = await Bill.get(id=row.id)
    assert row.status == "PAID"
    asked = [r["body"] for r in city.fake.requests if r["body"].get("ref_id") == row.inquiry_id]
    assert [b.get("commands") for b in asked] == [
        "inq-pasca",
        "pay-pasca",
        "status-pasca",
        "status-pasca",
    ]


async def test_a_refused_payment_returns_the_money_once(city):
    membership_id, _, paid, _ = await paying(city, "05", "BPJS")
    (line,) = paid["receipt"]["lines"]
    assert line["state"] == "REFUNDED"
    assert line["message"] == "Pembayaran ditolak biller: Transaksi Gagal."
    assert await sukarela(membership_id) == SAVINGS
    assert await refunded_entries(membership_id) == 1


async def test_pending_then_failed_by_callback_is_refunded_once(city):
    membership_id, _, _, row = await paying(city, "03", "PDAM")
    city.fake.complete(row.inquiry_id, "Gagal")
    for _ in range(3):  # Digiflazz may deliver it again
        await city.fake.call_back(f"{city.api.url}/bills/biller-callback", row.inquiry_id)
    await recheck(city)
    assert (await Bill.get(id=row.id)).status == "REFUNDED"
    assert await sukarela(membership_id) == SAVINGS
    assert await refunded_entries(membership_id) == 1


async def test_a_forged_callback_changes_nothing(city):
    membership_id, bill, _, row = await paying(city, "03", "PDAM")
    city.fake.complete(row.inquiry_id, "Gagal")
    forged = await city.fake.call_back(
        f"{city.api.url}/bills/biller-callback", row.inquiry_id, secret="tebakan"
    )
    assert (forged.status_code, forged.json()) == (401, {"outcome": "INVALID_SIGNATURE"})
    assert (await Bill.get(id=row.id)).status == "PENDING"
    assert await sukarela(membership_id) == SAVINGS - bill["total"]["amount"]


async def test_a_digiflazz_that_does_not_answer_leaves_the_bill_pending(city):
    _, warga, membership_id = await saver(city.api.gql)
    found = await inquire(city.api.gql, warga["token"], "PLN_TOKEN", customer_number("09"))
    bill = found["bill"]
    city.fake.mode = "slow"
    paid = await pay(city.api.gql, warga["token"], [bill["id"]], membershipId=membership_id)
    assert paid["receipt"]["lines"][0]["state"] == "PENDING"
    assert "belum menjawab" in paid["receipt"]["lines"][0]["message"]
    city.fake.mode = "down"
    await recheck(city)
    row = await Bill.get(id=decode_id(bill["id"], "Bill"))
    assert row.status == "PENDING"
    city.fake.mode = "ok"
    assert await recheck(city) >= 1
    row = await Bill.get(id=row.id)
    assert (row.status, row.token) == ("PAID", token_of(row.inquiry_id))
    assert city.fake.charged == [row.inquiry_id]
    assert await refunded_entries(membership_id) == 0


async def test_an_inquiry_digiflazz_does_not_answer_is_service_unavailable(city):
    _, warga, _ = await saver(city.api.gql)
    city.fake.mode = "malformed"
    found = await inquire(city.api.gql, warga["token"], "PDAM", customer_number("09"))
    assert [(e["field"], e["code"]) for e in found["errors"]] == [
        ("customerNumber", "SERVICE_UNAVAILABLE")
    ]


async def test_racing_callbacks_and_rechecks_refund_once(city):
    membership_id, _, _, row = await paying(city, "03", "PDAM")
    city.fake.complete(row.inquiry_id, "Gagal")
    target = f"{city.api.url}/bills/biller-callback"
    await asyncio.gather(
        *(city.fake.call_back(target, row.inquiry_id) for _ in range(6)),
        *(recheck(city) for _ in range(2)),
    )
    assert (await Bill.get(id=row.id)).status == "REFUNDED"
    assert await sukarela(membership_id) == SAVINGS
    assert await refunded_entries(membership_id) == 1
