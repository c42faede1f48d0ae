"""The Twilio SMS adapter against a local server that speaks its protocol, and a claim code
going by SMS once when WhatsApp refuses it for good (and not when WhatsApp is only down)."""

from __future__ import annotations

import pytest

from fakes import whatsapp as fake_whatsapp
from fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, SENDER, FakeTwilioServer
from fakes.whatsapp import FakeWhatsAppServer
from models.platform import NotificationKind
from resolvers.platform import Message, Undeliverable, notify
from resolvers.providers import (
    SmsUnavailable,
    TwilioSmsNotifier,
    WhatsAppCloudNotifier,
    WhatsAppElseSms,
    WhatsAppUnavailable,
)
from server.periodic import send_outbox
from tests.conftest import free_port, sign_up
from tests.platform.notification_helpers import SET_CHANNELS, drain, outbox_of, user_pk
from tests.providers.loopback import api_with

CODE = Message(
    to="081311112222",
    subject="Kode klaim keanggotaan koperasi",
    body="Kode klaim keanggotaan koperasi Anda di SatuPintu: 123456",
    kind="MEMBERSHIP_CLAIM_CODE",
    parameters=("123456",),
)


@pytest.fixture
async def twilio():
    async with FakeTwilioServer() as server:
        yield server


@pytest.fixture
async def meta():
    async with FakeWhatsAppServer() as server:
        yield server


def sms(url: str, token: str = AUTH_TOKEN, timeout: float = 1) -> TwilioSmsNotifier:
    return TwilioSmsNotifier(
        ACCOUNT_SID, token, sender={"From": SENDER}, base_url=url, timeout=timeout
    )


def whatsapp(url: str) -> WhatsAppCloudNotifier:
    return WhatsAppCloudNotifier(fake_whatsapp.TOKEN, fake_whatsapp.PHONE_NUMBER_ID, base_url=url)


async def test_a_message_is_a_form_to_the_e164_number(twilio):
    await sms(twilio.url).send(CODE)
    (sent,) = twilio.requests
    assert sent["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    assert sent["form"] == {"To": "+6281311112222", "From": SENDER, "Body": CODE.body}


# What each of Twilio's answers makes of the message: given up, or tried again later.
OUTCOMES = [
    ("invalid_number", Undeliverable),
    ("not_mobile", Undeliverable),
    ("unsubscribed", Undeliverable),
    ("rate_limited", SmsUnavailable),
    ("unavailable", SmsUnavailable),
    ("malformed", SmsUnavailable),
]


@pytest.mark.parametrize(("mode", "outcome"), OUTCOMES)
async def test_each_error_is_given_up_or_tried_again(twilio, mode, outcome):
    twilio.mode = mode
    with pytest.raises(outcome, match="Twilio answered HTTP"):
        await sms(twilio.url).send(CODE)
    assert len(twilio.requests) == 1


async def test_refused_credentials_are_tried_again_after_the_operator_fixes_them(twilio):
    with pytest.raises(SmsUnavailable, match="error code 20003"):
        await sms(twilio.url, token="wrong").send(CODE)
    await sms(twilio.url).send(CODE)


async def test_a_slow_twilio_times_out(twilio):
    twilio.mode = "slow"
    with pytest.raises(SmsUnavailable, match="not reached"):
        await sms(twilio.url, timeout=0.2).send(CODE)


async def test_nobody_listening_is_unavailable():
    with pytest.raises(SmsUnavailable, match="not reached"):
        await sms(f"http://127.0.0.1:{free_port()}").send(CODE)


def test_twilio_needs_its_credentials_and_a_sender():
    with pytest.raises(ValueError, match="TWILIO_FROM"):
        TwilioSmsNotifier.from_env({"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "x"})
    service = TwilioSmsNotifier.from_env(
        {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "x",
         "TWILIO_MESSAGING_SERVICE_SID": "MG0123"}
    )  # fmt: skip
    assert service.sender == {"MessagingServiceSid": "MG0123"}
    number = TwilioSmsNotifier.from_env(
        {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": "x", "TWILIO_FROM": SENDER,
         "TWILIO_BASE_URL": "http://127.0.0.1:9", "SMS_TIMEOUT_SECONDS": "2.5"}
    )  # fmt: skip
    assert (number.sender, number.timeout) == ({"From": SENDER}, 2.5)
    assert number.url == f"http://127.0.0.1:9/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


async def test_whatsapp_delivered_sends_no_sms(meta, twilio):
    await WhatsAppElseSms(whatsapp(meta.url), sms(twilio.url)).send(CODE)
    assert (len(meta.requests), twilio.requests) == (1, [])


async def test_whatsapp_refusing_for_good_sends_one_sms(meta, twilio):
    meta.mode = "re_engagement"
    both = WhatsAppElseSms(whatsapp(meta.url), sms(twilio.url))
    await both.send(CODE)
    (sent,) = twilio.requests
    assert sent["form"]["Body"] == CODE.body
    twilio.mode = "not_mobile"  # and SMS cannot either: given up, nothing more
    with pytest.raises(Undeliverable):
        await both.send(CODE)
    assert len(twilio.requests) == len(meta.requests) == 2


async def test_whatsapp_down_sends_no_sms_but_is_tried_again(meta, twilio):
    meta.mode = "unavailable"
    with pytest.raises(WhatsAppUnavailable):
        await WhatsAppElseSms(whatsapp(meta.url), sms(twilio.url)).send(CODE)
    assert twilio.requests == []


async def test_the_outbox_sends_a_refused_whatsapp_message_once_by_sms(
    meta, twilio, live, tmp_path, monkeypatch
):
    env = {
        "WHATSAPP_TOKEN": fake_whatsapp.TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": fake_whatsapp.PHONE_NUMBER_ID,
        "WHATSAPP_BASE_URL": meta.url,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": SENDER,
        "TWILIO_BASE_URL": twilio.url,
    }
    settings = {"WHATSAPP": "cloud", "SMS": "twilio"}
    async with api_with(live, tmp_path / "media", monkeypatch, env, **settings) as api:
        assert isinstance(api.services.sms, TwilioSmsNotifier)
        warga = await sign_up(api.gql, phone="081311116666")
        chosen = await api.gql(SET_CHANNELS, {"channels": ["WHATSAPP"]}, token=warga["token"])
        assert chosen["data"]["setNotificationChannels"]["errors"] == []
        await drain()
        meta.mode = "re_engagement"
        await notify(
            NotificationKind.LOAN_APPROVED, ("Loan", 1), [user_pk(warga)], "Disetujui", "x"
        )
        assert await send_outbox(api.services) >= 1
        assert await send_outbox(api.services) == 0  # sent: not again
        (row,) = await outbox_of(warga)
        assert (row.attempts, row.failed_at) == (1, None)
        assert row.sent_at is not None
    to_warga = [r for r in twilio.requests if r["form"]["To"] == "+6281311116666"]
    assert [r["form"]["Body"] for r in to_warga] == ["x"]
