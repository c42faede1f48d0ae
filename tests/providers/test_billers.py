"""The sandbox biller, behaviour by behaviour, and the choice of biller by name."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from models.bills import BillKind
from resolvers.platform.errors import ErrorCode, UserError
from resolvers.providers.billers import biller_named
from resolvers.providers.billers.biller import BillerStatus, BillerUnavailable, customer_number
from resolvers.providers.billers.sandbox import ADMIN_FEE, SandboxBiller

K = BillKind
# 23:30 on 1 December 2026 in Jakarta; midnight there is 17:00 UTC.
NOW = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)
MIDNIGHT = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def biller(clock: Clock) -> SandboxBiller:
    return SandboxBiller(clock)


def refused(error: pytest.ExceptionInfo[UserError]) -> tuple[ErrorCode, str | None]:
    return error.value.problems[0].code, error.value.problems[0].field


@pytest.mark.parametrize("kind", [K.PLN_POSTPAID, K.PDAM, K.BPJS])
async def test_a_bill_is_inquired_and_paid_at_once(biller, kind):
    inquiry = await biller.inquire(kind, "5123 4567 8912")
    assert inquiry.customer_number == "512345678912"
    assert inquiry.customer_name.isupper()
    assert inquiry.period == "2026-12"  # the Jakarta month
    assert 25_000 <= inquiry.amount <= 512_500
    assert inquiry.amount % 500 == 0
    assert (inquiry.admin_fee, inquiry.total) == (ADMIN_FEE, inquiry.amount + ADMIN_FEE)
    assert inquiry.expires_at == MIDNIGHT  # payable the same Jakarta day only
    assert inquiry == await SandboxBiller(lambda: NOW).inquire(kind, "512345678912")
    paid = await biller.pay("SPB-1", inquiry)
    assert (paid.reference, paid.status, paid.token) == ("SPB-1", BillerStatus.PAID, None)
    assert re.fullmatch(r"SBX-\d{16}", paid.biller_reference)
    # The same reference again is the same payment, and so is its re-check.
    assert await biller.pay("SPB-1", inquiry) == paid
    assert await biller.status("SPB-1", inquiry) == paid
    assert (await biller.pay("SPB-2", inquiry)).biller_reference != paid.biller_reference


async def test_bills_of_other_numbers_and_months_differ(biller, clock):
    first = await biller.inquire(K.PLN_POSTPAID, "512345678912")
    others = [await biller.inquire(K.PLN_POSTPAID, f"5123456789{n}") for n in range(10, 40)]
    assert len({inquiry.amount for inquiry in others}) > 10
    clock.moment = MIDNIGHT  # 00:00 on 2 December in Jakarta: still December
    assert (await biller.inquire(K.PLN_POSTPAID, "512345678912")).amount == first.amount
    clock.moment = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)  # 1 January 2027 in Jakarta
    january = await biller.inquire(K.PLN_POSTPAID, "512345678912")
    assert january.period == "2027-01"
    assert january.expires_at == datetime(2027, 1, 1, 17, 0, tzinfo=UTC)


async def test_a_token_names_the_meter_owner_and_gives_token_and_kwh(biller):
    inquiry = await biller.inquire(K.PLN_TOKEN, "14123456789", denomination=50_000)
    assert (inquiry.amount, inquiry.period, inquiry.total) == (50_000, None, 52_500)
    assert inquiry.customer_name
    paid = await biller.pay("SPB-T", inquiry)
    assert paid.status == BillerStatus.PAID
    assert re.fullmatch(r"\d{4}(-\d{4}){4}", paid.token)
    assert paid.kwh == Decimal("34.60")  # 50.000 / 1.444,70 = 34,609 -> 34,60
    assert (await biller.pay("SPB-U", inquiry)).token != paid.token
    assert (await biller.inquire(K.PLN_TOKEN, "14123456789")).amount == 20_000


async def test_a_token_denomination_must_be_on_offer(biller):
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PLN_TOKEN, "14123456789", denomination=30_000)
    assert refused(error) == (ErrorCode.INVALID, "denomination")
    assert "1.000.000" in str(error.value)
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PDAM, "14123456789", denomination=50_000)
    assert refused(error) == (ErrorCode.INVALID, "denomination")


@pytest.mark.parametrize("text", ["12ab5678", "12345", "1" * 21, "١٢٣٤٥٦٧٨", ""])
async def test_malformed_numbers_are_refused(biller, text):
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PLN_POSTPAID, text)
    assert refused(error) == (ErrorCode.INVALID, "customerNumber")


def test_customer_numbers_lose_spaces_and_dashes():
    assert customer_number(" 5123-4567 8912 ") == "512345678912"


async def test_unknown_numbers_are_not_found(biller):
    with pytest.raises(UserError) as error:
        await biller.inquire(K.BPJS, "8888801234500")
    assert refused(error) == (ErrorCode.NOT_FOUND, "customerNumber")


async def test_a_bill_already_paid_is_refused(biller):
    with pytest.raises(UserError) as error:
        await biller.inquire(K.PDAM, "1234567801")
    assert refused(error) == (ErrorCode.INVALID_STATE, "customerNumber")
    # A token is a purchase: there is no bill to have been paid.
    assert (await biller.inquire(K.PLN_TOKEN, "1234567801")).amount == 20_000


async def test_an_expired_inquiry_cannot_be_paid(biller):
    inquiry = await biller.inquire(K.PLN_POSTPAID, "1234567802")
    assert inquiry.expires_at == NOW
    paid = await biller.pay("SPB-E", inquiry)
    assert (paid.status, paid.token, paid.biller_reference) == (BillerStatus.FAILED, None, None)
    assert "kedaluwarsa" in paid.message
    assert (await biller.status("SPB-E", inquiry)).status == BillerStatus.FAILED


async def test_an_inquiry_paid_after_midnight_has_expired(biller, clock):
    inquiry = await biller.inquire(K.PLN_POSTPAID, "512345678912")
    clock.moment = MIDNIGHT - timedelta(microseconds=1)
    assert (await biller.pay("SPB-A", inquiry)).status == BillerStatus.PAID
    clock.moment = MIDNIGHT
    assert (await biller.pay("SPB-B", inquiry)).status == BillerStatus.FAILED


async def test_pending_then_paid(biller):
    inquiry = await biller.inquire(K.PLN_TOKEN, "1234567803", denomination=100_000)
    pending = await biller.pay("SPB-P", inquiry)
    assert (pending.status, pending.token) == (BillerStatus.PENDING, None)
    settled = await biller.status("SPB-P", inquiry)
    assert settled.status == BillerStatus.PAID
    assert settled.token
    assert settled.kwh == Decimal("69.21")  # 100.000 / 1.444,70 = 69,218
    assert await biller.status("SPB-P", inquiry) == settled


async def test_pending_then_failed(biller):
    inquiry = await biller.inquire(K.BPJS, "1234567804")
    assert (await biller.pay("SPB-F", inquiry)).status == BillerStatus.PENDING
    failed = await biller.status("SPB-F", inquiry)
    assert (failed.status, failed.message) == (BillerStatus.FAILED, "Pembayaran ditolak biller.")


async def test_a_refused_payment_fails(biller):
    inquiry = await biller.inquire(K.PDAM, "1234567805")
    for answer in (await biller.pay("SPB-X", inquiry), await biller.status("SPB-X", inquiry)):
        assert (answer.status, answer.biller_reference) == (BillerStatus.FAILED, None)


async def test_a_payment_timeout_is_pending_and_the_recheck_finds_it_paid(biller):
    inquiry = await biller.inquire(K.PLN_POSTPAID, "1234567806")
    timed_out = await biller.pay("SPB-O", inquiry)
    assert timed_out.status == BillerStatus.PENDING
    assert "belum menjawab" in timed_out.message
    assert (await biller.status("SPB-O", inquiry)).status == BillerStatus.PAID


async def test_an_inquiry_timeout_is_unavailable(biller):
    with pytest.raises(BillerUnavailable):
        await biller.inquire(K.PLN_POSTPAID, "1234567807")


def test_the_biller_is_chosen_by_name():
    assert isinstance(biller_named("sandbox", {}), SandboxBiller)
    with pytest.raises(ValueError, match="unknown biller 'ppob-x': one of digiflazz, sandbox"):
        biller_named("ppob-x", {})
