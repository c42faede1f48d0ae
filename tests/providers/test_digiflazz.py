"""Digiflazz's buyer API against a local server that speaks it: postpaid inquiries and
payments, PLN tokens, the re-check by the same ref_id, signed callbacks, and every way
Digiflazz can fail to answer (a payment it does not answer is PENDING, never FAILED)."""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fakes.digiflazz import (
    ADMIN,
    API_KEY,
    USERNAME,
    WEBHOOK_SECRET,
    FakeDigiflazzServer,
    bill_of,
    token_of,
)
from models.bills import BillKind
from resolvers.platform import ErrorCode, UserError
from resolvers.providers.billers import (
    BillerStatus,
    BillerUnavailable,
    DigiflazzBiller,
    InvalidCallback,
    biller_named,
)
from resolvers.providers.billers.digiflazz import sign
from tests.conftest import free_port

K = BillKind
# 23:30 on 1 December 2026 in Jakarta; midnight there is 17:00 UTC.
NOW = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
MIDNIGHT = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
async def fake():
    async with FakeDigiflazzServer() as server:
        yield server


def digiflazz(fake, key: str = API_KEY, timeout: float = 5.0, moment=NOW) -> DigiflazzBiller:
    return DigiflazzBiller(
        USERNAME,
        key,
        fake.url,
        webhook_secret=WEBHOOK_SECRET,
        timeout=timeout,
        clock=lambda: moment,
    )


def sent(fake, index: int = -1) -> dict:
    return fake.requests[index]["body"]


def test_sign_is_md5_of_username_key_and_ref_id():
    # Digiflazz's documented formula, md5(username + apiKey + ref_id).
    expected = hashlib.md5(b"usernamekeysome1d").hexdigest()
    assert sign("username", "key", "some1d") == expected


@pytest.mark.parametrize(
    ("kind", "sku"), [(K.PLN_POSTPAID, "pln"), (K.PDAM, "pdam"), (K.BPJS, "bpjs")]
)
async def test_a_postpaid_bill_is_inquired_and_paid(fake, kind, sku):
    biller = digiflazz(fake)
    inquiry = await biller.inquire(kind, "5300 0000 0009")
    asked = sent(fake)
    assert asked["commands"] == "inq-pasca"
    assert (asked["buyer_sku_code"], asked["customer_no"]) == (sku, "530000000009")
    assert asked["ref_id"] == inquiry.inquiry_id
    assert inquiry.inquiry_id.startswith("SPI")
    assert asked["sign"] == sign(USERNAME, API_KEY, inquiry.inquiry_id)
    assert "testing" not in asked
    assert (inquiry.amount, inquiry.admin_fee) == (bill_of("530000000009"), ADMIN)
    assert (inquiry.customer_name, inquiry.period) == ("BUDI SANTOSO", "2026-11")
    assert inquiry.expires_at == MIDNIGHT  # payable the day it was inquired only

    paid = await biller.pay("SPB-1-1", inquiry)
    assert sent(fake)["commands"] == "pay-pasca"
    assert sent(fake)["ref_id"] == inquiry.inquiry_id  # the inquiry's, as Digiflazz asks
    assert (paid.reference, paid.status, paid.token) == ("SPB-1-1", BillerStatus.PAID, None)
    assert paid.biller_reference.startswith("REF")
    # Paid again, or asked about: the same transaction, and the money taken once.
    assert await biller.pay("SPB-1-1", inquiry) == paid
    assert await biller.status("SPB-1-1", inquiry) == paid
    assert sent(fake)["commands"] == "status-pasca"
    assert fake.charged == [inquiry.inquiry_id]


async def test_a_pln_token_names_the_meter_owner_and_gives_token_and_kwh(fake):
    biller = digiflazz(fake)
    inquiry = await biller.inquire(K.PLN_TOKEN, "14123456789", denomination=50_000)
    assert sent(fake) == {
        "username": USERNAME,
        "customer_no": "14123456789",
        "sign": sign(USERNAME, API_KEY, "14123456789"),
    }
    assert (inquiry.customer_name, inquiry.amount, inquiry.admin_fee) == (
        "SITI AMINAH",
        50_000,
        2_500,
    )
    assert inquiry.period is None
    paid = await biller.pay("SPB-2-1", inquiry)
    topped = sent(fake)
    assert "commands" not in topped
    assert (topped["buyer_sku_code"], topped["ref_id"]) == ("pln50", inquiry.inquiry_id)
    assert paid.status == BillerStatus.PAID
    assert paid.token == token_of(inquiry.inquiry_id)
    assert paid.kwh == Decimal("34.60")


async def test_token_denominations_and_unknown_meters_are_refused(fake):
    biller = digiflazz(fake)
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PLN_TOKEN, "14123456789", denomination=30_000)
    assert error.value.problems[0].code == ErrorCode.INVALID
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PLN_TOKEN, "14123456700")
    assert error.value.problems[0].code == ErrorCode.NOT_FOUND
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PDAM, "14123456789", denomination=50_000)
    assert error.value.problems[0].field == "denomination"


async def test_unknown_numbers_and_bills_not_due_are_refused(fake):
    biller = digiflazz(fake)
    with pytest.raises(UserError) as error:
        await biller.inquire(K.BPJS, "8888801234500")
    assert error.value.problems[0].code == ErrorCode.NOT_FOUND
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PDAM, "1234567801")
    assert error.value.problems[0].code == ErrorCode.INVALID_STATE


@pytest.mark.parametrize("mode", ["down", "malformed", "wrong_shape"])
async def test_an_inquiry_digiflazz_does_not_answer_is_unavailable(fake, mode):
    fake.mode = mode
    for kind in (K.PLN_POSTPAID, K.PLN_TOKEN):
        with pytest.raises(BillerUnavailable):
            await digiflazz(fake).inquire(kind, "530000000009")


async def test_a_slow_digiflazz_a_wrong_key_and_nobody_listening_are_unavailable(fake):
    with pytest.raises(BillerUnavailable):
        await digiflazz(fake, key="salah").inquire(K.PLN_POSTPAID, "530000000009")
    fake.mode = "slow"
    with pytest.raises(BillerUnavailable, match="Timeout"):
        await digiflazz(fake, timeout=0.3).inquire(K.PLN_POSTPAID, "530000000009")
    nobody = DigiflazzBiller(USERNAME, API_KEY, f"http://127.0.0.1:{free_port()}")
    with pytest.raises(BillerUnavailable):
        await nobody.inquire(K.PLN_POSTPAID, "530000000009")


async def test_pending_then_paid_by_the_recheck(fake):
    biller = digiflazz(fake)
    inquiry = await biller.inquire(K.PLN_TOKEN, "14123456703", denomination=100_000)
    pending = await biller.pay("SPB-3-1", inquiry)
    assert (pending.status, pending.token) == (BillerStatus.PENDING, None)
    assert (await biller.status("SPB-3-1", inquiry)).status == BillerStatus.PENDING
    fake.complete(inquiry.inquiry_id)
    settled = await biller.status("SPB-3-1", inquiry)
    assert sent(fake)["ref_id"] == inquiry.inquiry_id  # the same request, the same ref_id
    assert (settled.status, settled.token) == (BillerStatus.PAID, token_of(inquiry.inquiry_id))
    assert fake.charged == [inquiry.inquiry_id]


async def test_a_refused_payment_fails_with_digiflazz_reason(fake):
    biller = digiflazz(fake)
    inquiry = await biller.inquire(K.PDAM, "1234567805")
    failed = await biller.pay("SPB-4-1", inquiry)
    assert (failed.status, failed.biller_reference) == (BillerStatus.FAILED, None)
    assert failed.message == "Pembayaran ditolak biller: Transaksi Gagal."


@pytest.mark.parametrize("mode", ["down", "slow", "malformed", "wrong_shape"])
async def test_a_payment_digiflazz_does_not_answer_is_pending_never_failed(fake, mode):
    biller = digiflazz(fake, timeout=0.3)
    inquiry = await biller.inquire(K.PLN_POSTPAID, "530000000009")
    fake.mode = mode
    answer = await biller.pay("SPB-5-1", inquiry)
    assert answer.status == BillerStatus.PENDING
    assert "belum menjawab" in answer.message
    assert (await biller.status("SPB-5-1", inquiry)).status == BillerStatus.PENDING


async def test_an_expired_inquiry_is_not_sent(fake):
    inquiry = await digiflazz(fake).inquire(K.PLN_POSTPAID, "530000000009")
    asked = len(fake.requests)
    late = await digiflazz(fake, moment=MIDNIGHT).pay("SPB-6-1", inquiry)
    assert (late.status, len(fake.requests)) == (BillerStatus.FAILED, asked)


async def test_a_signed_callback_reports_the_payment(fake):
    biller = digiflazz(fake)
    inquiry = await biller.inquire(K.PLN_TOKEN, "14123456703")
    await biller.pay("SPB-7-1", inquiry)
    fake.complete(inquiry.inquiry_id)
    callback = biller.read_callback(*fake.callback(inquiry.inquiry_id))
    assert callback.inquiry_id == inquiry.inquiry_id
    assert (callback.payment.status, callback.payment.token) == (
        BillerStatus.PAID,
        token_of(inquiry.inquiry_id),
    )
    fake.complete(inquiry.inquiry_id, "Gagal")
    assert biller.read_callback(*fake.callback(inquiry.inquiry_id)).payment.status == "FAILED"


async def test_forged_or_unreadable_callbacks_are_refused(fake):
    biller = digiflazz(fake)
    inquiry = await biller.inquire(K.PDAM, "1234567803")
    await biller.pay("SPB-8-1", inquiry)
    body, headers = fake.callback(inquiry.inquiry_id)
    forged = fake.callback(inquiry.inquiry_id, secret="tebakan")
    tampered = body.replace(b'"Pending"', b'"Sukses"')
    for call in (forged, (tampered, headers), (body, {})):
        with pytest.raises(InvalidCallback, match="X-Hub-Signature"):
            biller.read_callback(*call)
    for junk in (b"bukan json", b"[]", json.dumps({"data": {"ref_id": 5}}).encode()):
        with pytest.raises(InvalidCallback, match="unreadable"):
            biller.read_callback(*signed(junk))
    unkeyed = DigiflazzBiller(USERNAME, API_KEY, fake.url)  # no secret: no callback believed
    with pytest.raises(InvalidCallback):
        unkeyed.read_callback(body, headers)


def signed(body: bytes) -> tuple[bytes, dict[str, str]]:
    digest = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha1).hexdigest()
    return body, {"x-hub-signature": f"sha1={digest}"}


def test_digiflazz_is_chosen_by_name_and_configured_from_the_environment():
    chosen = biller_named(
        "digiflazz",
        {
            "DIGIFLAZZ_USERNAME": "u",
            "DIGIFLAZZ_API_KEY": "k",
            "DIGIFLAZZ_SKU_PDAM": "pdamtangkot",
            "DIGIFLAZZ_TESTING": "on",
        },
    )
    assert isinstance(chosen, DigiflazzBiller)
    assert (chosen.base_url, chosen.skus[K.PDAM], chosen.testing) == (
        "https://api.digiflazz.com",
        "pdamtangkot",
        True,
    )
    with pytest.raises(ValueError, match="DIGIFLAZZ_USERNAME"):
        biller_named("digiflazz", {"DIGIFLAZZ_API_KEY": "k"})
