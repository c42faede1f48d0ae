"""Password reset by one-time code: the answers tell nobody who has an account, a code
expires, works once and allows few guesses, and it reaches a real SMTP server."""

import asyncio
import json
import re
import uuid
from datetime import timedelta
from email import message_from_bytes

import httpx
from aiosmtpd.controller import Controller

from models.platform.accounts import PasswordReset, User
from resolvers.platform.attempts import FREE_FAILURES
from resolvers.platform.clock import now
from tests.conftest import GraphQL, LiveServer, free_port, make_settings, sign_up

REQUEST = """mutation($email: String!) {
  requestPasswordReset(email: $email) { ok errors { field code } }
}"""
RESET = """mutation($email: String!, $code: String!, $password: String!) {
  resetPassword(email: $email, code: $code, newPassword: $password) {
    token user { email } errors { field code message }
  }
}"""
ME = "{ me { email } }"


async def code_sent_to(live, email: str, earlier: int = 0) -> str:
    """The newest code the file notifier wrote for `email`, once more than `earlier` were."""
    outbox = live.settings.var_dir / "outbox.jsonl"
    for _ in range(200):
        if outbox.exists():
            sent = [json.loads(line) for line in outbox.read_text().splitlines()]
            mine = [m for m in sent if m["to"] == email]
            if len(mine) > earlier:
                return re.search(r"\b(\d{8})\b", mine[-1]["body"]).group(1)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no code reached {email}")


def sent_count(live, email: str) -> int:
    outbox = live.settings.var_dir / "outbox.jsonl"
    if not outbox.exists():
        return 0
    return sum(json.loads(line)["to"] == email for line in outbox.read_text().splitlines())


async def test_the_answer_is_the_same_whether_or_not_the_account_exists(gql, live):
    user = await sign_up(gql)
    email = user["user"]["email"]
    nobody = f"tidak-ada-{uuid.uuid4().hex[:8]}@contoh.id"
    known = await gql(REQUEST, {"email": email})
    unknown = await gql(REQUEST, {"email": nobody})
    assert known["data"] == unknown["data"] == {"requestPasswordReset": {"ok": True, "errors": []}}
    assert await code_sent_to(live, email)
    assert sent_count(live, nobody) == 0
    assert (live.settings.var_dir / "outbox.jsonl").stat().st_mode & 0o777 == 0o600
    wrong_known = await gql(RESET, {"email": email, "code": "00000000", "password": "baru-123456"})
    wrong_unknown = await gql(
        RESET, {"email": nobody, "code": "00000000", "password": "baru-123456"}
    )
    assert wrong_known["data"] == wrong_unknown["data"]
    assert wrong_known["data"]["resetPassword"]["errors"][0]["code"] == "INVALID"


async def test_a_code_resets_once_and_ends_every_other_session(gql, live, client):
    user = await sign_up(gql)
    email = user["user"]["email"]
    await gql(REQUEST, {"email": email})
    code = await code_sent_to(live, email)
    done = await gql(RESET, {"email": email, "code": code, "password": "baru-sekali-123"})
    payload = done["data"]["resetPassword"]
    assert payload["errors"] == []
    assert payload["user"]["email"] == email
    assert (await gql(ME, token=payload["token"]))["data"]["me"]["email"] == email
    old = await client.post(
        "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {user['token']}"}
    )
    assert old.status_code == 401
    again = await gql(RESET, {"email": email, "code": code, "password": "lain-lagi-123"})
    assert again["data"]["resetPassword"]["errors"][0]["code"] == "INVALID"
    stored = await User.get(email=email)
    assert await PasswordReset.filter(user_id=stored.id, used_at=None).count() == 0


async def test_a_new_code_spends_the_old_one_and_an_old_code_expires(gql, live):
    user = await sign_up(gql)
    email = user["user"]["email"]
    await gql(REQUEST, {"email": email})
    first = await code_sent_to(live, email)
    await gql(REQUEST, {"email": email})
    second = await code_sent_to(live, email, earlier=1)
    stale = await gql(RESET, {"email": email, "code": first, "password": "baru-sekali-123"})
    assert stale["data"]["resetPassword"]["errors"][0]["code"] == "INVALID"
    stored = await User.get(email=email)
    await PasswordReset.filter(user_id=stored.id).update(expires_at=now() - timedelta(seconds=1))
    expired = await gql(RESET, {"email": email, "code": second, "password": "baru-sekali-123"})
    assert expired["data"]["resetPassword"]["errors"][0]["message"] == (
        "Kode tidak valid atau sudah kedaluwarsa."
    )


async def test_guessing_a_code_spends_it(gql, live):
    user = await sign_up(gql)
    email = user["user"]["email"]
    await gql(REQUEST, {"email": email})
    code = await code_sent_to(live, email)
    for n in range(FREE_FAILURES):
        guess = f"{(int(code) + n + 1) % 10**8:08d}"
        wrong = await gql(RESET, {"email": email, "code": guess, "password": "baru-sekali-123"})
        assert wrong["data"]["resetPassword"]["errors"][0]["code"] == "INVALID"
    waiting = await gql(RESET, {"email": email, "code": code, "password": "baru-sekali-123"})
    assert waiting["data"]["resetPassword"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
    await asyncio.sleep(1.1)
    spent = await gql(RESET, {"email": email, "code": code, "password": "baru-sekali-123"})
    assert spent["data"]["resetPassword"]["errors"][0]["code"] == "INVALID"  # five wrong: gone


async def test_requests_for_one_address_are_limited(gql, live):
    for email in (f"x{uuid.uuid4().hex[:8]}@contoh.id", (await sign_up(gql))["user"]["email"]):
        answers = [
            (await gql(REQUEST, {"email": email}))["data"]["requestPasswordReset"]
            for _ in range(FREE_FAILURES + 1)
        ]
        assert [a["ok"] for a in answers] == [True] * FREE_FAILURES + [False]
        assert answers[-1]["errors"] == [{"field": "email", "code": "LIMIT_EXCEEDED"}]


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


async def test_the_code_reaches_a_real_smtp_server(gql, database_url, tmp_path):
    user = await sign_up(gql)
    email = user["user"]["email"]
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = make_settings(
            database_url, tmp_path / "media", NOTIFIER="smtp", SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(port), SMTP_FROM="SatuPintu <no-reply@satupintu.test>",
        )  # fmt: skip
        async with (
            LiveServer(settings, lifespan="off") as server,
            httpx.AsyncClient(base_url=server.url) as http,
        ):
            sent = GraphQL(http)
            assert (await sent(REQUEST, {"email": email}))["data"]["requestPasswordReset"]["ok"]
            for _ in range(200):
                if inbox.messages:
                    break
                await asyncio.sleep(0.02)
            (mail,) = inbox.messages
            assert mail["To"] == email
            assert mail["From"] == "SatuPintu <no-reply@satupintu.test>"
            code = re.search(r"\b(\d{8})\b", mail.get_payload()).group(1)
            done = await sent(RESET, {"email": email, "code": code, "password": "lewat-surel-1"})
            assert done["data"]["resetPassword"]["token"]
    finally:
        controller.stop()
