"""The WhatsApp Cloud API adapter against a local server that speaks its protocol: the
template message it sends, and which of Meta's answers are worth trying again."""

from __future__ import annotations

import pytest

from fakes.whatsapp import PHONE_NUMBER_ID, TOKEN, FakeWhatsAppServer
from models.platform import OutboxMessage
from resolvers.platform import Message, NotificationKind, Undeliverable, notify
from resolvers.platform.clock import real_now
from resolvers.providers import WhatsAppCloudNotifier, WhatsAppUnavailable
from server.periodic import send_outbox
from tests.conftest import free_port, sign_up
from tests.platform.notification_helpers import SET_CHANNELS, drain, outbox_of, user_pk
from tests.providers.loopback import api_with

BILL = Message(
    to="+6281311112222",
    subject="Tagihan baru",
    body="Simpanan wajib Desember 2026 sebesar Rp31.500,\n  jatuh tempo 31 Desember 2026.",
    kind="BILL_ISSUED",
)


@pytest.fixture
async def fake():
    async with FakeWhatsAppServer() as server:
        yield server


def adapter(url: str, token: str = TOKEN, timeout: float = 1) -> WhatsAppCloudNotifier:
    env = {
        "WHATSAPP_TOKEN": token,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_BASE_URL": url,
        "WHATSAPP_TIMEOUT_SECONDS": str(timeout),
    }
    return WhatsAppCloudNotifier.from_env(env)


async def test_a_notification_is_its_kinds_template_in_indonesian(fake):
    await adapter(fake.url).send(BILL)
    (sent,) = fake.requests
    assert sent["path"] == f"/v21.0/{PHONE_NUMBER_ID}/messages"
    assert sent["body"] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281311112222",
        "type": "template",
        "template": {
            "name": "satupintu_bill_issued",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Tagihan baru"},
                        {
                            "type": "text",
                            "text": "Simpanan wajib Desember 2026 sebesar Rp31.500, jatuh "
                            "tempo 31 Desember 2026.",
                        },
                    ],
                }
            ],
        },
    }


async def test_a_claim_code_is_an_authentication_template_with_its_copy_button(fake):
    code = Message(
        "+6281311112222", "Kode", "Kode Anda 123456", "MEMBERSHIP_CLAIM_CODE", ("123456",)
    )
    await adapter(fake.url).send(code)
    template = fake.requests[0]["body"]["template"]
    assert template["name"] == "satupintu_membership_claim_code"
    assert template["components"] == [
        {"type": "body", "parameters": [{"type": "text", "text": "123456"}]},
        {
            "type": "button",
            "sub_type": "url",
            "index": "0",
            "parameters": [{"type": "text", "text": "123456"}],
        },
    ]


@pytest.mark.parametrize("mode", ["expired_token", "rate_limited", "unavailable", "malformed"])
async def test_what_may_pass_is_tried_again(fake, mode):
    fake.mode = mode
    with pytest.raises(WhatsAppUnavailable):
        await adapter(fake.url).send(BILL)


@pytest.mark.parametrize("mode", ["no_template", "re_engagement"])
async def test_what_meta_refuses_for_good_is_undeliverable(fake, mode):
    fake.mode = mode
    with pytest.raises(Undeliverable):
        await adapter(fake.url).send(BILL)


async def test_a_wrong_token_is_tried_again_after_the_operator_fixes_it(fake):
    with pytest.raises(WhatsAppUnavailable, match="error code 190"):
        await adapter(fake.url, token="EAAG-wrong").send(BILL)


async def test_a_slow_meta_times_out(fake):
    fake.mode = "slow"
    with pytest.raises(WhatsAppUnavailable):
        await adapter(fake.url, timeout=0.2).send(BILL)


async def test_nobody_listening_is_unavailable():
    with pytest.raises(WhatsAppUnavailable):
        await adapter(f"http://127.0.0.1:{free_port()}").send(BILL)


def test_the_cloud_api_needs_its_token_and_number():
    with pytest.raises(ValueError, match="WHATSAPP_TOKEN"):
        WhatsAppCloudNotifier.from_env({"WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID})


async def test_the_server_sends_whatsapp_through_the_cloud_api_and_retries(
    fake, live, tmp_path, monkeypatch
):
    env = {
        "WHATSAPP_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_BASE_URL": fake.url,
        "WHATSAPP_TIMEOUT_SECONDS": "1",
    }
    async with api_with(live, tmp_path / "media", monkeypatch, env, WHATSAPP="cloud") as api:
        assert isinstance(api.services.whatsapp, WhatsAppCloudNotifier)
        warga = await sign_up(api.gql, phone="081311114444")
        chosen = await api.gql(SET_CHANNELS, {"channels": ["WHATSAPP"]}, token=warga["token"])
        assert chosen["data"]["setNotificationChannels"]["errors"] == []
        await drain()
        await notify(
            NotificationKind.LOAN_APPROVED,
            ("Loan", 1),
            [user_pk(warga)],
            "Pinjaman disetujui",
            "Rp1",
        )
        fake.mode = "rate_limited"
        await send_outbox(api.services)
        (row,) = await outbox_of(warga)
        assert (row.attempts, row.sent_at) == (1, None)
        fake.mode = "ok"
        await OutboxMessage.filter(id=row.id).update(next_attempt_at=real_now())
        await send_outbox(api.services)
        assert (await OutboxMessage.get(id=row.id)).sent_at is not None
    to_warga = [r for r in fake.requests if r["body"]["to"] == "6281311114444"]
    assert len(to_warga) == 2
    assert to_warga[-1]["body"]["template"]["name"] == "satupintu_loan_approved"
