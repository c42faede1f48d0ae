"""Notifications: one `notify` for every message a user is told, in the app and, by the
channels they chose, by e-mail and WhatsApp through the outbox (`resolvers.platform.outbox`).

Call `notify` inside the transaction of the change it tells of, so the notification and its
outbox rows commit or roll back with the change; the recipients' live feeds are woken once
it commits (`resolvers.platform.notification_wakes`). One import serves every domain:

    from resolvers.platform import NotificationKind, notify

    await notify(
        NotificationKind.AUTO_DEBIT_PAID, ("Bill", bill.id), [bill.user_id],
        "Tagihan dibayar otomatis", f"{bill.description} {format_rupiah(bill.amount)} ...",
    )

An event is (kind, subject, step): the same event is told once per recipient and channel
whoever calls again (a sweep run twice, a retried request). A change told more than once
(an order's each status) names its step. A failure here is logged, never raised: telling is
never worth undoing the change."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date

from babel.dates import format_date
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.platform import (
    Notification,
    NotificationChannel,
    NotificationKind,
    OutboxMessage,
    User,
)
from resolvers.platform import visibility
from resolvers.platform.clock import now, real_now
from resolvers.platform.errors import ErrorCode, Unauthenticated, UserError
from resolvers.platform.notification_wakes import told
from resolvers.platform.pagination import Page, keyset_page

logger = logging.getLogger("satupintu.notifications")
BATCH = 100  # notifications a subscription reads at a time
visibility.register(
    "Notification", Notification, lambda viewer: Q(user_id=viewer.id) if viewer else None
)
# (a Node type's name, its row id): what a notification is about.
Subject = tuple[str, int]


def tanggal(day: date) -> str:
    """A date as Indonesians write it: 31 Desember 2026."""
    return format_date(day, "d MMMM y", locale="id")


def channels_of(user: User) -> list[NotificationChannel]:
    chosen = [NotificationChannel.IN_APP]
    if user.notify_by_email:
        chosen.append(NotificationChannel.EMAIL)
    if user.notify_by_whatsapp:
        chosen.append(NotificationChannel.WHATSAPP)
    return chosen


async def notify(
    kind: NotificationKind,
    subject: Subject | None,
    recipients: Iterable[int],
    title: str,
    body: str,
    *,
    step: str = "",
) -> None:
    """Tell `recipients` (user ids) of an event: in the app, and by outbox on their other
    channels. Inside the caller's transaction; idempotent per (event, recipient, channel)."""
    event = ":".join((kind.value, *(map(str, subject or ())), step))[:120]
    try:
        async with in_transaction():  # a savepoint: a failure here leaves the change alone
            users = await User.filter(id__in=set(recipients))
            await Notification.bulk_create(
                [
                    Notification(
                        user_id=user.id,
                        kind=kind,
                        event=event,
                        subject_type=subject[0] if subject else "",
                        subject_id=subject[1] if subject else None,
                        title=title[:160],
                        body=body,
                    )
                    for user in users
                ],
                ignore_conflicts=True,
            )
            await OutboxMessage.bulk_create(
                [
                    OutboxMessage(
                        user_id=user.id,
                        event=event,
                        channel=channel,
                        kind=kind,
                        to=address,
                        title=title[:160],
                        body=body,
                        next_attempt_at=real_now(),
                    )
                    for user in users
                    for channel, address in _addresses(user)
                ],
                ignore_conflicts=True,
            )
        told(event, (user.id for user in users))
    except Exception:
        logger.exception("notification %s not recorded", event)


def _addresses(user: User) -> list[tuple[NotificationChannel, str]]:
    found = []
    if user.notify_by_email and user.email:
        found.append((NotificationChannel.EMAIL, user.email))
    if user.notify_by_whatsapp and user.phone:
        found.append((NotificationChannel.WHATSAPP, user.phone))
    return found


def _signed_in(viewer: User | None) -> User:
    if viewer is None:
        raise Unauthenticated()
    return viewer


async def notifications_of(
    viewer: User | None, unread_only: bool, first: int | None, after: str | None
) -> Page[Notification]:
    user = _signed_in(viewer)
    query = Notification.filter(user_id=user.id)
    if unread_only:
        query = query.filter(read_at=None)
    return await keyset_page(query, first=first, after=after)


async def unread_count(viewer: User | None) -> int:
    user = _signed_in(viewer)
    return await Notification.filter(user_id=user.id, read_at=None).count()


async def mark_read(
    viewer: User | None, ids: Sequence[int] | None, everything: bool
) -> list[Notification]:
    """The viewer's notifications `ids` (or all) read, each keeping its first readAt; the
    ones named, each once, in order. Any id not the viewer's marks nothing."""
    if viewer is None:
        raise UserError(ErrorCode.UNAUTHENTICATED, "Silakan masuk terlebih dahulu.")
    named = list(dict.fromkeys(ids or ()))
    if not named and not everything:
        raise UserError(ErrorCode.REQUIRED, "Pilih notifikasi yang ditandai dibaca.", "ids")
    mine = {n.id: n for n in await Notification.filter(user_id=viewer.id, id__in=named)}
    if len(mine) != len(named):
        raise UserError(ErrorCode.NOT_FOUND, "Notifikasi tidak ditemukan.", "ids")
    query = Notification.filter(user_id=viewer.id, read_at=None)
    await (query if everything else query.filter(id__in=named)).update(read_at=now())
    fresh = {n.id: n for n in await Notification.filter(id__in=named)}
    return [fresh[i] for i in named]


async def set_channels(
    viewer: User | None, channels: Iterable[NotificationChannel]
) -> list[NotificationChannel]:
    """The viewer's channels: IN_APP always; EMAIL needs an e-mail address, WHATSAPP a phone."""
    if viewer is None:
        raise UserError(ErrorCode.UNAUTHENTICATED, "Silakan masuk terlebih dahulu.")
    wanted = set(channels)
    if NotificationChannel.SMS in wanted:
        raise UserError(
            ErrorCode.INVALID,
            "SMS hanya dipakai bila pesan WhatsApp tidak bisa dikirim.",
            "channels",
        )
    if NotificationChannel.EMAIL in wanted and not viewer.email:
        raise UserError(ErrorCode.INVALID, "Akun belum punya alamat e-mail.", "channels")
    if NotificationChannel.WHATSAPP in wanted and not viewer.phone:
        raise UserError(ErrorCode.INVALID, "Akun belum punya nomor telepon.", "channels")
    viewer.notify_by_email = NotificationChannel.EMAIL in wanted
    viewer.notify_by_whatsapp = NotificationChannel.WHATSAPP in wanted
    await User.filter(id=viewer.id).update(
        notify_by_email=viewer.notify_by_email, notify_by_whatsapp=viewer.notify_by_whatsapp
    )
    return channels_of(viewer)


async def newer_than(user_id: int, last_id: int) -> list[Notification]:
    """The user's notifications after `last_id`, oldest first: what a subscription sends."""
    return await Notification.filter(user_id=user_id, id__gt=last_id).order_by("id").limit(BATCH)


async def last_id(user_id: int) -> int:
    found = await Notification.filter(user_id=user_id).order_by("-id").first()
    return found.id if found else 0
