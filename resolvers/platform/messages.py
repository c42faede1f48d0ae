"""How messages reach a user (a password reset code, a membership claim code): an interface,
so that e-mail now and WhatsApp or SMS later are implementations chosen by the composition
root."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger("satupintu.messages")
_sending: set[asyncio.Task[None]] = set()


@dataclass(frozen=True)
class Message:
    to: str  # an e-mail address (a phone number, for a WhatsApp or SMS notifier)
    subject: str
    body: str
    kind: str = "PASSWORD_RESET_CODE"
    # What fills a WhatsApp template's variables, when not (subject, body): a claim's code.
    parameters: tuple[str, ...] = ()


class Undeliverable(Exception):
    """The provider refused the message for good (no such template, not a WhatsApp number):
    sending it again would not help."""


class Notifier(Protocol):
    async def send(self, message: Message) -> None:
        """Deliver `message`, or raise; callers log a failure and carry on."""


def send_in_background(notifier: Notifier, messages: Sequence[Message]) -> None:
    """Send `messages` after the answer: an answer that waited for the provider would be
    slower when there is something to send, and so tell that there was."""
    task = asyncio.create_task(_send(notifier, messages))
    _sending.add(task)
    task.add_done_callback(_sending.discard)


async def _send(notifier: Notifier, messages: Sequence[Message]) -> None:
    for message in messages:
        try:
            await notifier.send(message)
        except Exception:  # the user can ask again; the server must not stop for it
            logger.exception("%s not sent", message.kind)
