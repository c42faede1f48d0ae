"""Reading a user's notifications and outbox in tests."""

from __future__ import annotations

from typing import Any

from models.platform import Notification, NotificationChannel, OutboxMessage
from resolvers.platform import Message, outbox
from schema.platform.ids import decode_id
from tests.conftest import contract

NOTIFICATIONS = contract("Notifications")
MARK = contract("MarkNotificationsRead")
PREFERENCES = contract("NotificationPreferences")
SET_CHANNELS = contract("SetNotificationChannels")


async def listed(gql, token: str, **variables: Any) -> dict[str, Any]:
    result = await gql(NOTIFICATIONS, variables, token=token)
    assert "errors" not in result, result
    return result["data"]["notifications"]


def user_pk(user: dict) -> int:
    return decode_id(user["user"]["id"], "User")


async def kinds_of(user: dict) -> list[str]:
    rows = await Notification.filter(user_id=user_pk(user)).order_by("id")
    return [row.kind.value for row in rows]


async def outbox_of(user: dict) -> list[OutboxMessage]:
    return list(await OutboxMessage.filter(user_id=user_pk(user)).order_by("id"))


class Recorder:
    """A notifier that keeps what it was given; `fail` times it raises first."""

    def __init__(self, fail: int = 0, error: Exception | None = None) -> None:
        self.sent: list[Message] = []
        self.fail = fail
        self.error = error or ConnectionError("provider down")

    async def send(self, message: Message) -> None:
        if self.fail:
            self.fail -= 1
            raise self.error
        self.sent.append(message)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.sent if m.to == address]


async def drain() -> None:
    """Every message due sent, batch after batch: other tests' out of the way."""
    sink = Recorder()
    channels = dict.fromkeys(NotificationChannel, sink)
    while await outbox.send_due(channels):
        pass
