"""Sending the outbox: each e-mail or WhatsApp message `notify` wrote, delivered once; and
each SMS sent in place of a WhatsApp message refused for good, a row of its own.

A sender claims a row with a conditional update (unsent, not given up, due, and no live
claim), so of two senders only one gets it on either database; a sender that dies holding a
claim leaves the row to the next run once the claim lapses. A failed send is tried again
after a backoff that doubles each time, up to MAX_ATTEMPTS; a message the provider refuses
for good (`Undeliverable`) is given up at once; a WhatsApp message given up so leaves an SMS
row with the same text (once: one row per user, event and channel), which is sent, tried again
and given up by the same rules, recorded apart from the WhatsApp row. Sending happens outside
any transaction of the change it tells of, so nothing here can undo that change."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q

from models.platform import NotificationChannel, OutboxMessage
from resolvers.platform.clock import real_now
from resolvers.platform.messages import Message, Notifier, Undeliverable

logger = logging.getLogger("satupintu.outbox")
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
CLAIM = timedelta(minutes=5)  # longer than any one send may take
BATCH = 200
# Where a message refused for good on a channel goes instead.
INSTEAD = {NotificationChannel.WHATSAPP: NotificationChannel.SMS}


def backoff(attempts: int) -> timedelta:
    """How long after the `attempts`-th failed try the next one waits: 1, 2, 4 ... minutes."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


def _claimable(moment: datetime) -> Q:
    return Q(sent_at=None, failed_at=None) & (Q(claimed_until=None) | Q(claimed_until__lt=moment))


async def send_due(
    senders: Mapping[NotificationChannel, Notifier], claim: timedelta = CLAIM
) -> int:
    """Send every due message of the channels in `senders` once; how many went out. An SMS a
    refused WhatsApp message leaves goes in the same run."""
    moment = real_now()
    due: list[Any] = await (
        OutboxMessage.filter(
            _claimable(moment), next_attempt_at__lte=moment, channel__in=list(senders)
        )
        .order_by("id")
        .limit(BATCH)
        .values_list("id", flat=True)
    )
    sent = 0
    while due:
        row_id = due.pop(0)
        claimed = await OutboxMessage.filter(_claimable(moment), id=row_id).update(
            claimed_until=moment + claim, attempts=F("attempts") + 1
        )
        if claimed:
            row = await OutboxMessage.get(id=row_id)
            went, instead = await _send(row, senders[row.channel])
            sent += went
            if instead is not None and instead[0] in senders:
                due.append(instead[1])
    return sent


async def _send(
    row: OutboxMessage, sender: Notifier
) -> tuple[int, tuple[NotificationChannel, int] | None]:
    """Whether the message went out (1 or 0), and the row made in its place (its channel and
    id), if one was."""
    message = Message(to=row.to, subject=row.title, body=row.body, kind=row.kind.value)
    try:
        await sender.send(message)
    except Undeliverable as error:
        await _failed(row, str(error), give_up=True)
        instead = INSTEAD.get(row.channel)
        made = None if instead is None else await _instead(row, instead)
        return 0, None if instead is None or made is None else (instead, made)
    except Exception as error:  # the provider is down or slow: try again later
        await _failed(row, repr(error), give_up=row.attempts >= MAX_ATTEMPTS)
        return 0, None
    await OutboxMessage.filter(id=row.id).update(sent_at=real_now(), claimed_until=None)
    return 1, None


async def _instead(row: OutboxMessage, channel: NotificationChannel) -> int | None:
    """A row of `channel` with `row`'s message, due now; None if there is one already."""
    try:
        made = await OutboxMessage.create(
            user_id=row.user_id, event=row.event, channel=channel, kind=row.kind, to=row.to,
            title=row.title, body=row.body, next_attempt_at=real_now(),
        )  # fmt: skip
    except IntegrityError:
        return None
    return made.id


async def _failed(row: OutboxMessage, error: str, *, give_up: bool) -> None:
    logger.warning("%s %s of %s, try %d: %s", row.channel, row.kind, row.event, row.attempts, error)
    changes: dict[str, object] = {"claimed_until": None, "last_error": error[:200]}
    if give_up:
        changes["failed_at"] = real_now()
    else:
        changes["next_attempt_at"] = real_now() + backoff(row.attempts)
    await OutboxMessage.filter(id=row.id).update(**changes)
