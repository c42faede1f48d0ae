"""SMS through Twilio's Programmable Messaging API, written from its published documentation
(twilio.com/docs/messaging/api/message-resource), and the claim codes' WhatsApp-else-SMS.

- Send: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth
  (Account SID, Auth Token), a form body `To` (E.164, +62...), `From` (a Twilio number or an
  approved alphanumeric sender) or `MessagingServiceSid`, and `Body`. Success is HTTP 201
  with the Message resource (`sid` "SM...", `status` queued or accepted).
- Errors: HTTP 4xx/5xx with `{"code", "message", "more_info", "status"}`; handling goes by
  `code`. A number that cannot get it (21211 invalid, 21614 not a mobile, 21610 replied
  STOP, 21408 region not enabled, 21612 no route) is `Undeliverable`: sending again would
  not help. The rest, a refused credential (20003), a rate limit (20429, HTTP 429), a Twilio
  that is down (HTTP 5xx) or slow, are raised to be tried later.

Settings (SMS=twilio): TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (required), TWILIO_FROM or
TWILIO_MESSAGING_SERVICE_SID (one required), TWILIO_BASE_URL (default https://api.twilio.com),
SMS_TIMEOUT_SECONDS (10).
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from resolvers.platform import Message, Notifier, Undeliverable
from resolvers.providers.replies import body_of, refused

BASE_URL = "https://api.twilio.com"
REFUSED_FOR_GOOD = frozenset({21211, 21408, 21610, 21612, 21614})


class SmsUnavailable(Exception):
    """Twilio did not take the message now (down, slow, rate limited, credentials refused)."""


def e164(phone: str) -> str:
    """+62... as Twilio takes it, from +62..., 62... or 08..."""
    digits = "".join(c for c in phone if c.isdigit())
    return f"+62{digits[1:]}" if digits.startswith("0") else f"+{digits}"


class TwilioSmsNotifier:
    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        sender: dict[str, str],
        base_url: str = BASE_URL,
        timeout: float = 10,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"
        self.auth = (account_sid, auth_token)
        self.sender = sender  # {"From": ...} or {"MessagingServiceSid": ...}
        self.timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TwilioSmsNotifier:
        sid = (env.get("TWILIO_ACCOUNT_SID") or "").strip()
        token = (env.get("TWILIO_AUTH_TOKEN") or "").strip()
        service = (env.get("TWILIO_MESSAGING_SERVICE_SID") or "").strip()
        number = (env.get("TWILIO_FROM") or "").strip()
        if not sid or not token or not (service or number):
            raise ValueError(
                "SMS=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or "
                "TWILIO_MESSAGING_SERVICE_SID"
            )
        return cls(
            sid,
            token,
            sender={"MessagingServiceSid": service} if service else {"From": number},
            base_url=env.get("TWILIO_BASE_URL") or BASE_URL,
            timeout=float(env.get("SMS_TIMEOUT_SECONDS") or 10),
        )

    async def send(self, message: Message) -> None:
        form = {"To": e164(message.to), **self.sender, "Body": message.body}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                answer = await client.post(self.url, data=form, auth=self.auth)
        except httpx.HTTPError as error:
            raise SmsUnavailable(f"Twilio not reached: {error!r}") from None
        _check(answer)


def _check(answer: httpx.Response) -> None:
    reply = body_of(answer)
    if answer.status_code in (200, 201) and isinstance(reply, dict) and reply.get("sid"):
        return
    code = reply.get("code") if isinstance(reply, dict) else None
    what = f"Twilio answered HTTP {answer.status_code}, error code {code}"
    refused(what, code, REFUSED_FOR_GOOD, SmsUnavailable)


class WhatsAppElseSms:
    """A claim code by WhatsApp, else by SMS: when WhatsApp refuses it for good (not a
    WhatsApp number, no template), the same text goes once by SMS. A WhatsApp that is down
    raises as it is, for the caller to try again later."""

    def __init__(self, whatsapp: Notifier, sms: Notifier) -> None:
        self.whatsapp = whatsapp
        self.sms = sms

    async def send(self, message: Message) -> None:
        try:
            await self.whatsapp.send(message)
        except Undeliverable:
            await self.sms.send(message)
