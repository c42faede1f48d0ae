"""The sandbox payout provider, behaviour by behaviour, and the choice of provider by name."""

import json
import time

import pytest

from resolvers.platform.errors import ErrorCode, UserError
from resolvers.providers.payouts import (
    DisbursementRequest,
    DisbursementStatus,
    InvalidPayoutNotification,
    SandboxPayouts,
    account_number,
    payout_provider_named,
)
from resolvers.providers.payouts.sandbox import SIGNATURE_HEADER, TIMESTAMP_HEADER
from resolvers.providers.signature import sign


def request(number: str, reference: str = "PO-1") -> DisbursementRequest:
    return DisbursementRequest(reference, "bca", number, "SITI AMINAH", 50_000, "Pencairan")


async def test_banks_have_codes_and_names() -> None:
    banks = await SandboxPayouts().banks()
    assert {"bca", "bri", "mandiri"} <= {bank.code for bank in banks}
    assert all(bank.name for bank in banks)


async def test_inquiry_names_the_holder_except_numbers_ending_in_00() -> None:
    provider = SandboxPayouts()
    holder = await provider.inquire("bca", "1234-5678 01")
    assert holder.account_number == "1234567801"
    assert holder.holder_name
    assert (await provider.inquire("bca", "1234567801")).holder_name == holder.holder_name
    with pytest.raises(UserError) as error:
        await provider.inquire("bca", "1234567800")
    assert error.value.problems[0].code == ErrorCode.NOT_FOUND


@pytest.mark.parametrize("text", ["12345", "1" * 21, "12345a78", "١٢٣٤٥٦٧"])
def test_account_numbers_are_6_to_20_ascii_digits(text: str) -> None:
    with pytest.raises(UserError) as error:
        account_number(text)
    assert (error.value.problems[0].code, error.value.problems[0].field) == (
        ErrorCode.INVALID,
        "accountNumber",
    )


async def test_disbursement_outcomes_by_the_last_two_digits() -> None:
    provider = SandboxPayouts()
    done = await provider.disburse(request("1234567801"))
    assert done.status == DisbursementStatus.COMPLETED
    assert done.provider_reference
    pending = await provider.disburse(request("1234567803"))
    assert pending.status == DisbursementStatus.PENDING
    assert (await provider.status(request("1234567803"))).status == DisbursementStatus.COMPLETED
    failed = await provider.disburse(request("1234567805"))
    assert failed.status == DisbursementStatus.FAILED
    assert failed.failure_reason
    again = await provider.disburse(request("1234567801"))
    assert again == done


def test_notifications_are_signed_and_fresh() -> None:
    provider = SandboxPayouts("rahasia")
    body = json.dumps({"reference": "PO-1", "status": "COMPLETED"}).encode()
    stamp = int(time.time())
    headers = {TIMESTAMP_HEADER: str(stamp), SIGNATURE_HEADER: sign("rahasia", stamp, body)}
    assert provider.read_notification(body, headers).status == DisbursementStatus.COMPLETED
    forged = {TIMESTAMP_HEADER: str(stamp), SIGNATURE_HEADER: sign("salah", stamp, body)}
    stale = {
        TIMESTAMP_HEADER: str(stamp - 3600),
        SIGNATURE_HEADER: sign("rahasia", stamp - 3600, body),
    }
    for bad in (forged, stale):
        with pytest.raises(InvalidPayoutNotification):
            provider.read_notification(body, bad)
    junk = b'{"reference": "PO-1", "status": "PAID"}'
    with pytest.raises(InvalidPayoutNotification):
        provider.read_notification(
            junk, {TIMESTAMP_HEADER: str(stamp), SIGNATURE_HEADER: sign("rahasia", stamp, junk)}
        )


def test_providers_are_chosen_by_name() -> None:
    assert isinstance(payout_provider_named("sandbox", {}), SandboxPayouts)
    with pytest.raises(ValueError, match="unknown payout provider"):
        payout_provider_named("iris", {})
