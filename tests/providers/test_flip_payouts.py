"""The Flip payout adapter against a local server speaking Flip's protocol: every documented
outcome, a forged or unreadable callback, a reused key, a reply that is not Flip's, a Flip
that is down or too slow; a transfer is never taken for another and never made twice."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest

from fakes.flip import SECRET_KEY, VALIDATION_TOKEN, FakeFlip, FakeFlipServer
from resolvers.platform.errors import ErrorCode, UserError
from resolvers.providers.payouts import (
    DisbursementRequest,
    DisbursementStatus,
    FlipPayouts,
    InvalidPayoutNotification,
    PayoutsUnavailable,
    payout_provider_named,
)
from resolvers.providers.payouts.flip import SANDBOX_URL


@pytest.fixture
async def flip() -> AsyncIterator[FakeFlip]:
    async with FakeFlipServer() as fake:
        yield fake


def adapter(fake: FakeFlip, timeout: float = 2.0, inquiry_attempts: int = 3) -> FlipPayouts:
    return FlipPayouts(
        SECRET_KEY, VALIDATION_TOKEN, fake.url, timeout, inquiry_attempts, inquiry_pause=0.0
    )


def request(number: str = "1234567801", reference: str = "PO-1", amount: int = 50_000):
    return DisbursementRequest(reference, "bca", number, "SITI AMINAH", amount, "Pencairan saldo")


def transfers_of(fake: FakeFlip) -> list[dict]:
    return [r for r in fake.requests if r["path"] == "/v3/disbursement"]


async def test_banks_come_from_flip_once(flip):
    provider = adapter(flip)
    banks = await provider.banks()
    assert {(b.code, b.name) for b in banks} >= {("bca", "BCA"), ("mandiri", "Mandiri")}
    flip.mode = "down"
    assert await provider.banks() == banks  # kept: the list barely changes


async def test_the_inquiry_names_the_holder_or_refuses_the_account(flip):
    provider = adapter(flip)
    holder = await provider.inquire("bca", "1234-5678 01")
    assert (holder.account_number, holder.holder_name) == ("1234567801", "SITI AMINAH")
    assert flip.requests[-1]["form"]["account_number"] == "1234567801"
    for number in ("1234567800", "1234567807"):  # INVALID_ACCOUNT_NUMBER, CLOSED
        with pytest.raises(UserError) as error:
            await provider.inquire("bca", number)
        assert error.value.problems[0].code == ErrorCode.NOT_FOUND
    with pytest.raises(UserError) as error:
        await provider.inquire("bca", "12ab")
    assert error.value.problems[0].code == ErrorCode.INVALID


async def test_an_inquiry_pending_at_flip_is_asked_again(flip):
    assert (await adapter(flip).inquire("bca", "5550000108")).holder_name == "SITI AMINAH"
    asked = [r for r in flip.requests if r["path"].endswith("bank-account-inquiry")]
    assert len(asked) == 2  # PENDING, then cached: SUCCESS
    with pytest.raises(PayoutsUnavailable):  # still PENDING after its only try
        await adapter(flip, inquiry_attempts=1).inquire("bca", "5550000208")
    with pytest.raises(PayoutsUnavailable):  # FAILED: Flip asks for a retry
        await adapter(flip).inquire("bca", "5550000109")


async def test_a_transfer_done_at_once(flip):
    done = await adapter(flip).disburse(request())
    assert done.status == DisbursementStatus.COMPLETED
    assert done.reference == "PO-1"
    assert done.provider_reference == str(flip.transfers["PO-1"]["id"])
    (sent,) = transfers_of(flip)
    assert sent["key"] == "PO-1"
    assert sent["form"] == {"account_number": "1234567801", "bank_code": "bca",
                            "amount": "50000", "remark": "Pencairan saldo"}  # fmt: skip


async def test_pending_then_completed_by_callback(flip):
    provider = adapter(flip)
    pending = await provider.disburse(request("1234567803"))
    assert pending.status == DisbursementStatus.PENDING
    flip.settle("PO-1")
    notified = provider.read_notification(flip.callback("PO-1"), {})
    assert (notified.reference, notified.status) == ("PO-1", DisbursementStatus.COMPLETED)
    assert notified.provider_reference == pending.provider_reference


async def test_pending_then_completed_when_asked_again(flip):
    provider = adapter(flip)
    assert (await provider.disburse(request("1234567803"))).status == DisbursementStatus.PENDING
    assert (await provider.status(request("1234567803"))).status == DisbursementStatus.PENDING
    flip.settle("PO-1")
    assert (await provider.status(request("1234567803"))).status == DisbursementStatus.COMPLETED
    assert len(transfers_of(flip)) == 1


async def test_a_cancelled_transfer_fails_with_its_reason(flip):
    provider = adapter(flip)
    failed = await provider.disburse(request("1234567805"))
    assert failed.status == DisbursementStatus.FAILED
    assert failed.failure_reason == "Transfer dibatalkan oleh Flip (Rekening tujuan menolak)."
    assert (await provider.disburse(request("1234567803", "PO-2"))).status == "PENDING"
    flip.settle("PO-2", "CANCELLED")
    notified = provider.read_notification(flip.callback("PO-2"), {})
    assert notified.status == DisbursementStatus.FAILED
    assert notified.failure_reason == "Transfer dibatalkan oleh Flip."


async def test_a_refused_request_fails_and_nothing_was_sent(flip):
    flip.mode = "refused"
    failed = await adapter(flip).disburse(request())
    assert failed.status == DisbursementStatus.FAILED
    assert failed.failure_reason == "Transfer ditolak Flip (Invalid account)."
    assert flip.transfers == {}
    with pytest.raises(UserError) as error:
        await adapter(flip).inquire("bca", "1234567801")
    assert error.value.problems[0].code == ErrorCode.INVALID


async def test_the_same_key_never_pays_twice_however_many_race(flip):
    provider = adapter(flip)
    answers = await asyncio.gather(*(provider.disburse(request()) for _ in range(20)))
    assert {a.provider_reference for a in answers} == {answers[0].provider_reference}
    assert list(flip.transfers) == ["PO-1"]
    # The key of another transfer (another amount or account) is never taken for this one.
    for other in (request(amount=75_000), request("9876543201")):
        with pytest.raises(PayoutsUnavailable):
            await provider.disburse(other)
        with pytest.raises(PayoutsUnavailable):
            await provider.status(other)
    assert list(flip.transfers) == ["PO-1"]


async def test_a_forged_or_unreadable_callback_is_refused(flip):
    provider = adapter(flip)
    await provider.disburse(request("1234567803"))
    flip.settle("PO-1")
    data = flip.callback("PO-1").decode()
    for body in (
        flip.callback("PO-1", token="$2y$13$forged"),
        flip.callback("PO-1", token=""),
        data.split("&token=")[0].encode(),  # no token
        urlencode({"data": "{not json", "token": VALIDATION_TOKEN}).encode(),
        flip.callback("PO-1", status="SETTLED"),
        flip.callback("PO-1", idempotency_key=None),
        flip.callback("PO-1", idempotency_key=""),
        b"\xff\xfe",
        b"",
    ):
        with pytest.raises(InvalidPayoutNotification):
            provider.read_notification(body, {})


async def test_a_reply_that_is_not_flips_leaves_the_payout_pending(flip):
    provider = adapter(flip)
    for mode in ("malformed", "wrong_shape", "down"):
        flip.mode = mode
        with pytest.raises(PayoutsUnavailable):
            await provider.disburse(request("1234567801", f"PO-{mode}"))
        with pytest.raises(PayoutsUnavailable):
            await provider.inquire("bca", "1234567801")
    with pytest.raises(PayoutsUnavailable):
        await adapter(flip).banks()
    wrong_key = FlipPayouts("not-our-key", VALIDATION_TOKEN, flip.url, inquiry_pause=0.0)
    flip.mode = "ok"
    with pytest.raises(PayoutsUnavailable):
        await wrong_key.disburse(request())


async def test_a_transfer_flip_never_received_is_sent_again_with_its_key(flip):
    provider = adapter(flip)
    flip.mode = "down"
    with pytest.raises(PayoutsUnavailable):
        await provider.disburse(request())
    flip.mode = "ok"
    again = await provider.status(request())  # 404 at Flip: requested again, once
    assert again.status == DisbursementStatus.COMPLETED
    assert list(flip.transfers) == ["PO-1"]


async def test_a_slow_flip_times_out_and_the_transfer_it_made_is_found(flip):
    provider = adapter(flip, timeout=0.3)
    flip.mode = "slow"
    with pytest.raises(PayoutsUnavailable):
        await provider.disburse(request())
    flip.mode = "ok"
    flip.released.set()  # Flip finishes what it was asked
    for _ in range(250):
        if flip.transfers:
            break
        await asyncio.sleep(0.02)
    found = await provider.status(request())
    assert found.status == DisbursementStatus.COMPLETED
    assert len(flip.transfers) == 1


async def test_a_provider_nobody_can_reach_is_unavailable():
    provider = FlipPayouts(SECRET_KEY, VALIDATION_TOKEN, "http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(PayoutsUnavailable):
        await provider.disburse(request())
    with pytest.raises(PayoutsUnavailable):
        await provider.status(request())


def test_flip_is_chosen_by_name_and_needs_its_keys():
    env = {"FLIP_SECRET_KEY": SECRET_KEY, "FLIP_VALIDATION_TOKEN": VALIDATION_TOKEN}
    provider = payout_provider_named("flip", env)
    assert isinstance(provider, FlipPayouts)
    assert provider.base_url == SANDBOX_URL
    production = payout_provider_named("flip", {**env, "FLIP_BASE_URL": "https://bigflip.id/api/"})
    assert isinstance(production, FlipPayouts)
    assert production.base_url == "https://bigflip.id/api"
    for missing in ("FLIP_SECRET_KEY", "FLIP_VALIDATION_TOKEN"):
        with pytest.raises(ValueError, match="FLIP_"):
            payout_provider_named("flip", {k: v for k, v in env.items() if k != missing})
