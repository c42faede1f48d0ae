"""WhatsApp messages through Meta's WhatsApp Business Cloud API, written from its published
documentation (developers.facebook.com/docs/whatsapp/cloud-api):

- Send: `POST {base}/{version}/{phone-number-id}/messages` with `Authorization: Bearer
  <token>` and a JSON body `{"messaging_product": "whatsapp", "recipient_type":
  "individual", "to": <number with country code>, "type": "template", "template": {"name",
  "language": {"code"}, "components": [{"type": "body", "parameters": [{"type": "text",
  "text"}]}]}}`. Success is HTTP 200 with `messages[0].id` (a `wamid.` id).
- Errors: a Graph API error object `{"error": {"message", "type", "code", "error_data":
  {"details"}, "fbtrace_id"}}`; handling goes by `code`. Template and parameter errors
  (132000-132016, 132018, 100), a recipient that cannot get it (131026, 131051) and a
  re-engagement refusal (131047) are `Undeliverable`: sending again would not help. The
  rest, rate limits (130429, 131056, 4, 80007), an expired or invalid token (190, 0), a
  Meta that is down (1, 2, 131000, HTTP 5xx) and a time-out, are raised to be tried later.

Outside the 24-hour window after a member wrote to the business, only approved templates
reach them: each notification kind is the template `satupintu_<kind in lower case>` in
WHATSAPP_TEMPLATE_LANGUAGE (default `id`), a UTILITY template whose body has {{1}} (the
title) and {{2}} (the text); MEMBERSHIP_CLAIM_CODE is an AUTHENTICATION template whose
body is the code {{1}}, with a copy-code button.

Settings: WHATSAPP_TOKEN (a system user's permanent token) and WHATSAPP_PHONE_NUMBER_ID
(required), WHATSAPP_API_VERSION (default v21.0), WHATSAPP_BASE_URL (default
https://graph.facebook.com), WHATSAPP_TEMPLATE_LANGUAGE, WHATSAPP_TIMEOUT_SECONDS (10).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import httpx

from resolvers.platform import Message
from resolvers.providers.replies import body_of, refused

logger = logging.getLogger("satupintu.whatsapp")
BASE_URL = "https://graph.facebook.com"
API_VERSION = "v21.0"
# Codes after which the same message would be refused again.
REFUSED_FOR_GOOD = frozenset({100, 131026, 131047, 131051, *range(132000, 132020)})
AUTHENTICATION_KINDS = frozenset({"MEMBERSHIP_CLAIM_CODE"})
PARAMETER_LIMIT = 1000


class WhatsAppUnavailable(Exception):
    """Meta did not take the message now (down, slow, rate limited, the token refused)."""


def template_name(kind: str) -> str:
    return f"satupintu_{kind.lower()}"


def flat(text: str) -> str:
    """A template parameter: Meta refuses new lines, tabs and runs of spaces in one."""
    return " ".join(text.split())[:PARAMETER_LIMIT]


def template_of(message: Message, language: str) -> dict[str, Any]:
    values = message.parameters or (message.subject, message.body)
    components: list[dict[str, Any]] = [
        {"type": "body", "parameters": [{"type": "text", "text": flat(v)} for v in values]}
    ]
    if message.kind in AUTHENTICATION_KINDS:
        components.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": "0",
                "parameters": [{"type": "text", "text": flat(values[0])}],
            }
        )
    return {
        "name": template_name(message.kind),
        "language": {"code": language},
        "components": components,
    }


def recipient(phone: str) -> str:
    """The number as Meta takes it: country code and digits, no plus."""
    return "".join(c for c in phone if c.isdigit())


class WhatsAppCloudNotifier:
    def __init__(
        self,
        token: str,
        phone_number_id: str,
        *,
        base_url: str = BASE_URL,
        version: str = API_VERSION,
        language: str = "id",
        timeout: float = 10,
    ) -> None:
        self.url = f"{base_url.rstrip('/')}/{version}/{phone_number_id}/messages"
        self.token = token
        self.language = language
        self.timeout = timeout

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WhatsAppCloudNotifier:
        token = (env.get("WHATSAPP_TOKEN") or "").strip()
        number = (env.get("WHATSAPP_PHONE_NUMBER_ID") or "").strip()
        if not token or not number:
            raise ValueError("WHATSAPP=cloud needs WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID")
        return cls(
            token,
            number,
            base_url=env.get("WHATSAPP_BASE_URL") or BASE_URL,
            version=env.get("WHATSAPP_API_VERSION") or API_VERSION,
            language=env.get("WHATSAPP_TEMPLATE_LANGUAGE") or "id",
            timeout=float(env.get("WHATSAPP_TIMEOUT_SECONDS") or 10),
        )

    async def send(self, message: Message) -> None:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient(message.to),
            "type": "template",
            "template": template_of(message, self.language),
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                answer = await client.post(
                    self.url, json=body, headers={"Authorization": f"Bearer {self.token}"}
                )
        except httpx.HTTPError as error:
            raise WhatsAppUnavailable(f"WhatsApp not reached: {error!r}") from None
        _check(answer)


def _check(answer: httpx.Response) -> None:
    reply = body_of(answer)
    if answer.status_code == 200 and isinstance(reply, dict) and reply.get("messages"):
        return
    error = reply.get("error") if isinstance(reply, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    what = f"WhatsApp answered HTTP {answer.status_code}, error code {code}"
    refused(what, code, REFUSED_FOR_GOOD, WhatsAppUnavailable)
