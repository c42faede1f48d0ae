"""The Twilio SMS adapter against a local server that speaks its protocol, and a claim code
going by SMS once when WhatsApp refuses it for good (and not when WhatsApp is only down)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest

from fakes import whatsapp as fake_whatsapp
from fakes.twilio import ACCOUNT_SID, AUTH_TOKEN, SENDER, FakeTwilioServer
from fakes.whatsapp import FakeWhatsAppServer
from models.platform import NotificationChannel, NotificationKind, OutboxMessage
from resolvers.platform import Message, Undeliverable, notify, outbox
from resolvers.platform.clock import real_now
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
from tests.providers.loopback import Api, api_with

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


@contextlib.asynccontextmanager
async def refused_on_whatsapp(
    meta, twilio, live, tmp_path, monkeypatch, phone: str, **env: str
) -> AsyncIterator[tuple[Api, dict]]:
    """A server with WhatsApp Cloud and Twilio, a user who chose WhatsApp on `phone`, and a
    notification to them in the outbox that WhatsApp will refuse for good."""
    env = {
        "WHATSAPP_TOKEN": fake_whatsapp.TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": fake_whatsapp.PHONE_NUMBER_ID,
        "WHATSAPP_BASE_URL": meta.url,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": SENDER,
        "TWILIO_BASE_URL": twilio.url,
        **env,
    }
    settings = {"WHATSAPP": "cloud", "SMS": "twilio"}
    async with api_with(live, tmp_path / "media", monkeypatch, env, **settings) as api:
        assert isinstance(api.services.sms, TwilioSmsNotifier)
        warga = await sign_up(api.gql, phone=phone)
        chosen = await api.gql(SET_CHANNELS, {"channels": ["WHATSAPP"]}, token=warga["token"])
        assert chosen["data"]["setNotificationChannels"]["errors"] == []
        await drain()
        meta.mode = "re_engagement"
        await notify(
            NotificationKind.LOAN_APPROVED, ("Loan", 1), [user_pk(warga)], "Disetujui", "x"
        )
        yield api, warga


def to(fake, phone: str) -> list[dict]:
    """What a fake (Twilio's or Meta's) was asked to send to `phone` (0813...)."""
    number = "62" + phone.removeprefix("0")  # Twilio's `To` has a +, Meta's `to` none

    def asked(request: dict) -> str:
        return request["form"]["To"].lstrip("+") if "form" in request else request["body"]["to"]

    return [r for r in fake.requests if asked(r) == number]


async def rows_by_channel(warga: dict) -> dict[NotificationChannel, OutboxMessage]:
    return {row.channel: row for row in await outbox_of(warga)}


async def due_now(row: OutboxMessage, **changes: object) -> None:
    await OutboxMessage.filter(id=row.id).update(next_attempt_at=real_now(), **changes)


async def test_the_outbox_sends_a_refused_whatsapp_message_once_by_sms_in_a_row_of_its_own(
    meta, twilio, live, tmp_path, monkeypatch
):
    phone = "081311116666"
    async with refused_on_whatsapp(meta, twilio, live, tmp_path, monkeypatch, phone) as (
        api,
        warga,
    ):
        # Two senders at once (two hosts' sweeps): the SMS goes once.
        runs = await asyncio.gather(send_outbox(api.services), send_outbox(api.services))
        assert sum(runs) >= 1
        assert await send_outbox(api.services) == 0  # sent: not again
        rows = await rows_by_channel(warga)
    assert set(rows) == {NotificationChannel.WHATSAPP, NotificationChannel.SMS}
    whatsapp, sms = rows[NotificationChannel.WHATSAPP], rows[NotificationChannel.SMS]
    # WhatsApp's refusal is recorded on its own row, given up; the SMS on its own, sent.
    assert (whatsapp.attempts, whatsapp.sent_at) == (1, None)
    assert whatsapp.failed_at is not None
    assert "131047" in whatsapp.last_error
    assert (sms.attempts, sms.failed_at, sms.to, sms.body) == (1, None, whatsapp.to, "x")
    assert sms.sent_at is not None
    assert (sms.event, sms.kind) == (whatsapp.event, whatsapp.kind)
    assert [r["form"]["Body"] for r in to(twilio, phone)] == ["x"]


async def test_an_sms_twilio_cannot_take_now_is_tried_again_and_whatsapp_is_not(
    meta, twilio, live, tmp_path, monkeypatch
):
    phone = "081311117777"
    async with refused_on_whatsapp(meta, twilio, live, tmp_path, monkeypatch, phone) as (
        api,
        warga,
    ):
        twilio.mode = "unavailable"
        before = real_now()
        assert await send_outbox(api.services) == 0
        assert len(to(meta, phone)) == 1
        sms = (await rows_by_channel(warga))[NotificationChannel.SMS]
        assert (sms.attempts, sms.sent_at, sms.failed_at) == (1, None, None)
        assert "Twilio answered HTTP 503" in sms.last_error
        assert sms.next_attempt_at - before >= outbox.FIRST_RETRY
        assert await send_outbox(api.services) == 0  # not due yet: not tried
        twilio.mode = "ok"
        await due_now(sms)
        assert await send_outbox(api.services) == 1
        rows = await rows_by_channel(warga)
        assert len(to(meta, phone)) == 1  # WhatsApp was not asked again
    assert rows[NotificationChannel.SMS].attempts == 2
    assert rows[NotificationChannel.SMS].sent_at is not None
    assert rows[NotificationChannel.WHATSAPP].failed_at is not None
    assert len(to(twilio, phone)) == 2


async def test_a_slow_twilio_is_a_failed_attempt_and_the_last_one_gives_up(
    meta, twilio, live, tmp_path, monkeypatch
):
    phone = "081311118888"
    slow = {"SMS_TIMEOUT_SECONDS": "0.2"}
    async with refused_on_whatsapp(meta, twilio, live, tmp_path, monkeypatch, phone, **slow) as (
        api,
        warga,
    ):
        twilio.mode = "slow"
        assert await send_outbox(api.services) == 0
        sms = (await rows_by_channel(warga))[NotificationChannel.SMS]
        assert (sms.attempts, sms.sent_at, sms.failed_at) == (1, None, None)
        assert "not reached" in sms.last_error
        await due_now(sms, attempts=outbox.MAX_ATTEMPTS - 1)
        assert await send_outbox(api.services) == 0
        given_up = (await rows_by_channel(warga))[NotificationChannel.SMS]
        twilio.mode = "ok"
        assert await send_outbox(api.services) == 0  # given up: never again
    assert (given_up.attempts, given_up.sent_at) == (outbox.MAX_ATTEMPTS, None)
    assert given_up.failed_at is not None
    assert len(to(twilio, phone)) == 2


async def test_an_sms_twilio_refuses_for_good_is_given_up_at_once(
    meta, twilio, live, tmp_path, monkeypatch
):
    phone = "081311119999"
    async with refused_on_whatsapp(meta, twilio, live, tmp_path, monkeypatch, phone) as (
        api,
        warga,
    ):
        twilio.mode = "not_mobile"
        assert await send_outbox(api.services) == 0
        await OutboxMessage.filter(user_id=user_pk(warga)).update(next_attempt_at=real_now())
        twilio.mode = "ok"
        assert await send_outbox(api.services) == 0
        rows = await rows_by_channel(warga)
    assert all(row.failed_at is not None and row.sent_at is None for row in rows.values())
    assert rows[NotificationChannel.SMS].attempts == 1
    assert "Twilio answered HTTP 400" in rows[NotificationChannel.SMS].last_error
    assert len(to(twilio, phone)) == 1


async def test_sms_is_no_channel_a_user_chooses(gql):
    warga = await sign_up(gql, phone="081311110000")
    refused = await gql(SET_CHANNELS, {"channels": ["WHATSAPP", "SMS"]}, token=warga["token"])
    payload = refused["data"]["setNotificationChannels"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("channels", "INVALID")]
    assert payload["channels"] is None
