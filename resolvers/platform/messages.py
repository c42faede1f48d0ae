"""How messages reach a user (a password reset code): an interface, so that e-mail now
and WhatsApp or SMS later are implementations chosen by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Message:
    to: str  # an e-mail address (a phone number, for a WhatsApp or SMS notifier)
    subject: str
    body: str


class Notifier(Protocol):
    async def send(self, message: Message) -> None:
        """Deliver `message`, or raise; callers log a failure and carry on."""
