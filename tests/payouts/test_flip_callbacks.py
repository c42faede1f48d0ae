"""Bank payouts through Flip (PAYOUTS=flip) in a server of its own, against the local fake:
each movement (request, confirmation, failure and return) one balanced entry in the
transaction of its change, the ledgers balanced after each; Flip's callback racing the
recheck sweep pays once or returns once; a forged, replayed, changed-amount or other
transfer's callback moves nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from fakes.flip import SECRET_KEY, VALIDATION_TOKEN, FakeFlip, FakeFlipServer
from models.payouts import Payout, PlatformEntry, PlatformEntryKind, SellerMovement
from models.payouts import SellerMovementKind as Movement
from resolvers.payouts import recheck_pending_payouts
from resolvers.providers.payouts import FlipPayouts
from schema.platform.ids import decode_id
from tests.orders.complaint_helpers import Sale
from tests.payouts.helpers import (
    assert_ledgers_balance,
    available,
    bank_destination,
    completed_sale,
    request_payout,
)
from tests.payouts.sweep import services_of
from tests.providers.loopback import Api, api_with

RACERS = 10


@dataclass
class Flip:
    api: Api
    fake: FakeFlip

    async def callback(self, body: bytes) -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(
                f"{self.api.url}/payouts/webhook",
                content=body,
                headers={"content-type": "application/x-www-form-urlencoded"},
            )


@pytest.fixture
async def flip(live, tmp_path, monkeypatch) -> AsyncIterator[Flip]:
    async with FakeFlipServer() as fake:
        env = {"FLIP_SECRET_KEY": SECRET_KEY, "FLIP_VALIDATION_TOKEN": VALIDATION_TOKEN,
               "FLIP_BASE_URL": fake.url, "FLIP_TIMEOUT_SECONDS": "2"}  # fmt: skip
        async with api_with(live, tmp_path / "media", monkeypatch, env, PAYOUTS="flip") as api:
            assert isinstance(api.services.payouts, FlipPayouts)
            yield Flip(api, fake)


async def pending_payout(flip: Flip, sale: Sale) -> Payout:
    """Rp10.000 of the sale's Rp30.000 to an account whose transfer Flip leaves PENDING."""
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(flip.api.gql, token, shop_id, "7777888803")
    requested = await request_payout(flip.api.gql, token, shop_id, destination, 10000)
    assert requested["errors"] == [], requested
    assert requested["payout"]["status"] == "PENDING"
    return await Payout.get(id=decode_id(requested["payout"]["id"], "Payout"))


async def entries(payout: Payout, kind: PlatformEntryKind) -> int:
    return await PlatformEntry.filter(payout_id=payout.id, kind=kind).count()


@pytest.mark.parametrize(
    ("flip_status", "status", "kind", "left"),
    [
        ("DONE", "COMPLETED", PlatformEntryKind.PAYOUT_COMPLETED, 20000),
        ("CANCELLED", "FAILED", PlatformEntryKind.PAYOUT_RETURNED, 30000),
    ],
)
async def test_the_callback_racing_the_sweep_moves_the_payout_once(
    gql, client, live, flip, flip_status, status, kind, left
):
    sale = await completed_sale(gql, client, live)
    payout = await pending_payout(flip, sale)
    assert await entries(payout, PlatformEntryKind.PAYOUT_REQUESTED) == 1
    assert (await Payout.get(id=payout.id)).provider_reference == str(
        flip.fake.transfers[payout.reference]["id"]
    )
    await assert_ledgers_balance()

    flip.fake.settle(payout.reference, flip_status, "Rekening ditutup")
    body = flip.fake.callback(payout.reference)
    answers = await asyncio.gather(
        *(flip.callback(body) for _ in range(RACERS)),
        *(recheck_pending_payouts(flip.api.services) for _ in range(RACERS)),
    )
    calls, sweeps = answers[:RACERS], answers[RACERS:]
    outcomes = [call.json()["outcome"] for call in calls]  # type: ignore[union-attr]
    assert set(outcomes) <= {"SETTLED", "UNCHANGED"}
    assert outcomes.count("SETTLED") + sum(sweeps) == 1  # type: ignore[arg-type]
    assert (await Payout.get(id=payout.id)).status == status
    assert await entries(payout, kind) == 1
    returned = SellerMovement.filter(payout_id=payout.id, kind=Movement.PAYOUT_RETURNED)
    assert await returned.count() == (status == "FAILED")
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == left
    await assert_ledgers_balance()


async def test_forged_replayed_and_changed_callbacks_move_nothing(gql, client, live, flip):
    sale = await completed_sale(gql, client, live)
    payout = await pending_payout(flip, sale)
    flip.fake.settle(payout.reference)
    transfer_id = flip.fake.transfers[payout.reference]["id"]
    refused = {
        "forged": (flip.fake.callback(payout.reference, token="$2y$13$tebakan"), 401),
        "changed amount": (flip.fake.callback(payout.reference, amount=1_000_000), 422),
        "amount as text": (flip.fake.callback(payout.reference, amount="9000"), 422),
        "another transfer": (flip.fake.callback(payout.reference, id=transfer_id + 1), 422),
        "no such payout": (flip.fake.callback(payout.reference, idempotency_key="PO-LAIN"), 404),
    }
    for name, (body, code) in refused.items():
        answer = await flip.callback(body)
        assert answer.status_code == code, (name, answer.text)
    assert (await Payout.get(id=payout.id)).status == "PENDING"
    assert await entries(payout, PlatformEntryKind.PAYOUT_COMPLETED) == 0
    await assert_ledgers_balance()

    genuine = flip.fake.callback(payout.reference)
    assert (await flip.callback(genuine)).json() == {"outcome": "SETTLED"}
    for _ in range(3):  # replayed: Flip sends it again, or someone who saw it does
        assert (await flip.callback(genuine)).json() == {"outcome": "UNCHANGED"}
    assert await entries(payout, PlatformEntryKind.PAYOUT_COMPLETED) == 1
    assert await available(gql, sale.shop["id"], sale.seller["token"]) == 20000
    await assert_ledgers_balance()


async def test_a_failed_transfer_returns_the_money_once(gql, client, live, flip):
    sale = await completed_sale(gql, client, live)
    shop_id, token = sale.shop["id"], sale.seller["token"]
    destination = await bank_destination(flip.api.gql, token, shop_id, "7777888805")
    failed = await request_payout(flip.api.gql, token, shop_id, destination, 10000)
    assert failed["payout"]["status"] == "FAILED"
    assert failed["balance"]["available"]["amount"] == 30000
    payout = await Payout.get(id=decode_id(failed["payout"]["id"], "Payout"))
    again = await flip.callback(flip.fake.callback(payout.reference))
    assert again.json() == {"outcome": "UNCHANGED"}
    assert await entries(payout, PlatformEntryKind.PAYOUT_RETURNED) == 1
    assert await recheck_pending_payouts(flip.api.services) == 0
    await assert_ledgers_balance()


async def test_a_host_on_another_provider_leaves_the_payout_alone(gql, client, live, flip):
    sale = await completed_sale(gql, client, live)
    payout = await pending_payout(flip, sale)
    assert payout.provider == "flip"
    # A sandbox host's sweep on the same database would make its answer up (COMPLETED).
    assert await recheck_pending_payouts(services_of()) == 0
    after = await Payout.get(id=payout.id)
    assert (after.status, after.provider_reference) == ("PENDING", payout.provider_reference)
    await assert_ledgers_balance()
