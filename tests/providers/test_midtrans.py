"""Midtrans's Core API against a local server that speaks it: charges for QRIS and virtual
accounts, notifications believed only when signed and confirmed by the status API, expiry,
refunds, and every way Midtrans can fail to answer."""

import hashlib
import json
import logging
from datetime import timedelta

import pytest

from fakes.midtrans import SERVER_KEY, FakeMidtransServer
from models.orders import PaymentMethod
from resolvers.platform import ErrorCode, UserError, now
from resolvers.providers import (
    InvalidNotification,
    MidtransPayments,
    Notification,
    PaymentRequest,
    PaymentUnavailable,
)
from resolvers.providers.midtrans import signature_key, whole_rupiah
from resolvers.providers.qris import crc16_ccitt
from tests.conftest import free_port


@pytest.fixture
async def fake():
    async with FakeMidtransServer() as server:
        yield server


def midtrans(fake, bank: str = "bca", key: str = SERVER_KEY, timeout: float = 5.0):
    return MidtransPayments(key, fake.url, bank, "gopay", timeout)


def request(reference: str, method=PaymentMethod.QRIS, amount: int = 25_000) -> PaymentRequest:
    return PaymentRequest(reference, method, amount, "Warung Bu Siti", now() + timedelta(hours=2))


async def paid(fake, reference: str, method=PaymentMethod.QRIS, amount: int = 25_000):
    provider = midtrans(fake)
    await provider.open(request(reference, method, amount))
    fake.settle(reference)
    return provider


def test_the_signature_key_is_sha512_of_the_documented_fields():
    # Midtrans's documented example: order 1111, status 200, gross amount 100000.00.
    key = "askvnoibnosifnboseofinbofinfgbiufglnbfg"
    expected = hashlib.sha512(f"1111200100000.00{key}".encode()).hexdigest()
    assert signature_key("1111", "200", "100000.00", key) == expected


@pytest.mark.parametrize("text", ["10000.00", "10000", "10000.0"])
def test_gross_amounts_are_whole_rupiah(text):
    assert whole_rupiah(text) == 10_000


@pytest.mark.parametrize("text", ["10000.50", "-5.00", "0.00", "NaN", "Infinity", "", 10000])
def test_other_gross_amounts_are_refused(text):
    with pytest.raises(ValueError, match="gross_amount"):
        whole_rupiah(text)


async def test_a_qris_charge_gives_midtrans_qr_string(fake):
    details = await midtrans(fake).open(request("SPPQRIS1", amount=27_500))
    charge = fake.requests[-1]
    assert (charge["method"], charge["path"]) == ("POST", "/v2/charge")
    body = charge["body"]
    assert body["payment_type"] == "qris"
    assert body["qris"] == {"acquirer": "gopay"}
    assert body["transaction_details"] == {"order_id": "SPPQRIS1", "gross_amount": 27_500}
    assert body["custom_expiry"]["unit"] == "minute"
    assert 119 <= body["custom_expiry"]["expiry_duration"] <= 120
    assert body["custom_expiry"]["order_time"].endswith("+0700")
    payload = details.qris_payload
    assert payload == fake.transactions["SPPQRIS1"]["qr_string"]
    assert payload[-4:] == f"{crc16_ccitt(payload[:-4].encode()):04X}"
    assert "Pindai kode QRIS" in details.instructions


@pytest.mark.parametrize(
    ("bank", "name"), [("bca", "BCA"), ("bni", "BNI"), ("bri", "BRI"), ("permata", "Permata")]
)
async def test_a_transfer_charge_gives_the_bank_virtual_account(fake, bank, name):
    details = await midtrans(fake, bank).open(request(f"SPPVA{bank}", PaymentMethod.BANK_TRANSFER))
    assert fake.requests[-1]["body"]["bank_transfer"] == {"bank": bank}
    transaction = fake.transactions[f"SPPVA{bank}"]
    number = transaction.get("permata_va_number") or transaction["va_numbers"][0]["va_number"]
    assert f"virtual account {name} {number}" in details.instructions
    assert "Rp25.000" in details.instructions
    assert details.qris_payload is None


@pytest.mark.parametrize("mode", ["down", "malformed", "wrong_shape"])
async def test_a_charge_midtrans_cannot_make_is_service_unavailable(fake, mode):
    fake.mode = mode
    with pytest.raises(UserError) as error:
        await midtrans(fake).open(request(f"SPP{mode}"))
    assert error.value.problems[0].code == ErrorCode.SERVICE_UNAVAILABLE


async def test_a_slow_midtrans_a_wrong_key_and_a_reused_order_id_are_unavailable(fake):
    fake.mode = "slow"
    with pytest.raises(UserError):
        await midtrans(fake, timeout=0.3).open(request("SPPSLOW"))
    fake.mode = "ok"
    with pytest.raises(UserError):
        await midtrans(fake, key="SB-Mid-server-wrong").open(request("SPPKEY"))
    await midtrans(fake).open(request("SPPTWICE"))
    with pytest.raises(UserError):  # Midtrans's 406: that order_id was charged already
        await midtrans(fake).open(request("SPPTWICE"))
    with pytest.raises(UserError):
        await MidtransPayments(SERVER_KEY, f"http://127.0.0.1:{free_port()}").open(
            request("SPPNOBODY")
        )


async def test_a_settled_notification_is_confirmed_by_the_status_api(fake):
    provider = await paid(fake, "SPPPAID")
    before = len(fake.requests)
    notification = await provider.read_notification(fake.notification("SPPPAID"), {})
    transaction_id = fake.transactions["SPPPAID"]["transaction_id"]
    assert notification == Notification(f"midtrans:{transaction_id}", "SPPPAID", 25_000)
    assert [r["path"] for r in fake.requests[before:]] == ["/v2/SPPPAID/status"]
    # Asked again (a replay, the sweep): the same payment under the same id.
    assert await provider.read_notification(fake.notification("SPPPAID"), {}) == notification
    assert await provider.status("SPPPAID") == notification


@pytest.mark.parametrize("state", ["pending", "deny", "cancel", "expire", "refund"])
async def test_a_notification_of_no_payment_confirms_none(fake, state):
    provider = midtrans(fake)
    await provider.open(request(f"SPP{state}"))
    fake.settle(f"SPP{state}", state)
    assert await provider.read_notification(fake.notification(f"SPP{state}"), {}) is None
    assert await provider.status(f"SPP{state}") is None


async def test_a_capture_counts_only_when_midtrans_accepts_it(fake):
    provider = await paid(fake, "SPPCAP")
    fake.settle("SPPCAP", "capture")
    assert (await provider.status("SPPCAP")).amount == 25_000
    fake.transactions["SPPCAP"]["fraud_status"] = "challenge"
    assert await provider.status("SPPCAP") is None


async def test_forged_or_tampered_notifications_are_refused_without_asking(fake):
    provider = await paid(fake, "SPPFORGE")
    before = len(fake.requests)
    forged = fake.notification("SPPFORGE", key="tebakan")
    tampered = fake.notification("SPPFORGE").replace(b'"25000.00"', b'"2500.00"')
    unsigned = json.dumps({**json.loads(forged), "signature_key": None}).encode()
    for body in (forged, tampered, unsigned, b"bukan json", b"[]", b"\xff", b"{}"):
        with pytest.raises(InvalidNotification):
            await provider.read_notification(body, {})
    assert len(fake.requests) == before  # a forgery never reaches Midtrans


async def test_a_signed_notification_midtrans_cannot_confirm_now_is_unavailable(fake):
    provider = await paid(fake, "SPPDOWN")
    for mode in ("down", "malformed", "wrong_shape"):
        fake.mode = mode
        with pytest.raises(PaymentUnavailable):
            await provider.read_notification(fake.notification("SPPDOWN"), {})
    fake.mode = "slow"
    with pytest.raises(PaymentUnavailable, match="Timeout"):
        await midtrans(fake, timeout=0.3).status("SPPDOWN")


async def test_a_fractional_or_foreign_status_is_unavailable(fake):
    provider = await paid(fake, "SPPODD")
    fake.transactions["SPPODD"]["gross_amount"] = "25000.50"
    with pytest.raises(PaymentUnavailable):
        await provider.status("SPPODD")
    fake.transactions["SPPODD"] |= {"gross_amount": "25000.00", "order_id": "SPPOTHER"}
    with pytest.raises(PaymentUnavailable):
        await provider.status("SPPODD")
    assert await provider.status("SPPNEVER") is None  # Midtrans's 404: never charged


async def test_expire_closes_a_pending_charge(fake):
    provider = midtrans(fake)
    await provider.open(request("SPPEXP"))
    await provider.expire("SPPEXP")
    assert fake.transactions["SPPEXP"]["transaction_status"] == "expire"
    await provider.expire("SPPNEVER")  # nothing to close


async def test_a_qris_payment_is_refunded_through_midtrans(fake):
    provider = await paid(fake, "SPPREF", amount=30_000)
    await provider.refund("SPPREF", 10_000)
    await provider.refund("SPPREF", 20_000)
    refunds = fake.transactions["SPPREF"]["refunds"]
    assert refunds == [
        {"refund_key": "SPPREF-R1", "refund_amount": 10_000},
        {"refund_key": "SPPREF-R2", "refund_amount": 20_000},
    ]
    assert fake.transactions["SPPREF"]["transaction_status"] == "refund"


async def test_a_transfer_is_not_refundable_at_midtrans_and_is_logged(fake, caplog):
    provider = await paid(fake, "SPPVAREF", PaymentMethod.BANK_TRANSFER)
    with caplog.at_level(logging.WARNING, "satupintu.payments"):
        await provider.refund("SPPVAREF", 25_000)
    assert "cannot refund" in caplog.text
    assert not [r for r in fake.requests if r["path"].endswith("/refund")]


async def test_a_refund_midtrans_does_not_take_is_unavailable(fake):
    provider = await paid(fake, "SPPREFDOWN")
    fake.mode = "down"
    with pytest.raises(UserError) as error:
        await provider.refund("SPPREFDOWN", 25_000)
    assert error.value.problems[0].code == ErrorCode.SERVICE_UNAVAILABLE
    fake.mode = "ok"
    await provider.refund("SPPREFDOWN", 25_000)  # asked again: refunded once
    assert len(fake.transactions["SPPREFDOWN"]["refunds"]) == 1


def test_midtrans_is_configured_from_the_environment():
    chosen = MidtransPayments.from_env(
        {"MIDTRANS_SERVER_KEY": "k", "MIDTRANS_BANK": "BNI", "MIDTRANS_TIMEOUT_SECONDS": "3"}
    )
    assert (chosen.base_url, chosen.bank, chosen.timeout) == (
        "https://api.sandbox.midtrans.com",
        "bni",
        3.0,
    )
    with pytest.raises(ValueError, match="MIDTRANS_SERVER_KEY"):
        MidtransPayments.from_env({})
    with pytest.raises(ValueError, match="MIDTRANS_BANK"):
        MidtransPayments.from_env({"MIDTRANS_SERVER_KEY": "k", "MIDTRANS_BANK": "mandiri"})
