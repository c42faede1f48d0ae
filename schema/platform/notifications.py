"""Notifications: the viewer's list, marking them read, their channels, and the live feed."""

from __future__ import annotations

import inspect
from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.relay import GlobalID
from strawberry.types import Info

from models import platform as m
from resolvers.platform import Unauthenticated, notification_wakes, notifications
from schema.platform.connections import Connection, connection
from schema.platform.described import After, First, described_enum
from schema.platform.errors import ERRORS, UserError, payload_of
from schema.platform.ids import decode_id
from schema.platform.nodes import Visible

NotificationChannel = described_enum(
    m.NotificationChannel,
    "How a user hears of a notification.",
    {
        "IN_APP": "In the app (`notifications`, `newNotifications`): always.",
        "EMAIL": "By e-mail to the account's address.",
        "WHATSAPP": "By WhatsApp to the account's phone, with approved message templates.",
        "SMS": "By SMS to the account's phone, only in place of a WhatsApp message refused for "
        "good (not a WhatsApp number, no approved template): not a channel to choose, "
        "`setNotificationChannels` refuses it (INVALID).",
    },
    name="NotificationChannel",
)
NotificationKind = described_enum(
    m.NotificationKind,
    "What a notification tells of.",
    {
        "BILL_ISSUED": "A bill was issued (subject: the Bill).",
        "BILL_DUE_SOON": "A bill falls due in 3 days (the Bill).",
        "BILL_OVERDUE": "A bill is past its due date (the Bill).",
        "AUTO_DEBIT_PAID": "A standing instruction paid a bill (the Bill).",
        "AUTO_DEBIT_FAILED": "A standing instruction could not pay a bill (the Bill).",
        "LOAN_APPROVED": "A loan was approved (the Loan).",
        "LOAN_DISBURSED": "A loan was disbursed (the Loan).",
        "GROUP_LOAN_APPROVAL_REQUESTED": "A loan group asks for approval (the LoanGroup).",
        "TIME_DEPOSIT_MATURING": "A time deposit matures in 7 days (the TimeDeposit).",
        "TIME_DEPOSIT_MATURED": "A time deposit matured (the TimeDeposit).",
        "ORDER_STATUS_CHANGED": "An order moved, told to its buyer and shop owner (the Order).",
        "COMPLAINT_CHANGED": "A complaint took a step (the Complaint).",
        "PAYOUT_COMPLETED": "A shop's payout reached its destination (the Payout).",
        "PAYOUT_FAILED": "A shop's payout failed and returned to its balance (the Payout).",
        "MEMBERSHIP_CLAIM_CODE": "A membership claim code: sent to the imported phone only, "
        "never in the app.",
    },
    name="NotificationKind",
)


@strawberry.type(description="Something a user is told; seen by its recipient only.")
class Notification(Visible, relay.Node):
    id: relay.NodeID[int]
    kind: NotificationKind = strawberry.field(description="What it tells of.")
    title: str = strawberry.field(description="A short title, in Bahasa Indonesia.")
    body: str = strawberry.field(description="The message, in Bahasa Indonesia.")
    created_at: datetime = strawberry.field(description="When it was written.")
    read_at: datetime | None = strawberry.field(
        description="When the recipient first marked it read; null while unread."
    )
    model: strawberry.Private[m.Notification]

    @classmethod
    def of(cls, row: m.Notification) -> Notification:
        return cls(
            id=row.id,
            kind=m.NotificationKind(row.kind),
            title=row.title,
            body=row.body,
            created_at=row.created_at,
            read_at=row.read_at,
            model=row,
        )

    @strawberry.field(description="Whether the recipient marked it read.")
    def read(self) -> bool:
        return self.read_at is not None

    @strawberry.field(
        description="What it is about, where the recipient may see it; null otherwise."
    )
    async def subject(self, info: Info) -> relay.Node | None:
        row = self.model
        if not row.subject_type or row.subject_id is None:
            return None
        try:
            global_id = GlobalID(row.subject_type, str(row.subject_id))
            node_type = global_id.resolve_type(info)
        except (ValueError, KeyError):
            return None
        found = node_type.resolve_node(global_id.node_id, info=info, required=False)
        return await found if inspect.isawaitable(found) else found


@strawberry.type(description="The viewer's notifications, newest first.")
class NotificationConnection(Connection[Notification]):
    unread_count: int = strawberry.field(
        description="Every unread notification of the viewer, whatever the filter."
    )


@strawberry.type(description="What marking notifications read answers.")
class MarkNotificationsReadPayload:
    notifications: list[Notification] = strawberry.field(
        default_factory=list,
        description="The notifications named in `ids`, each once (empty with `all` alone).",
    )
    unread_count: int | None = strawberry.field(
        default=None, description="The viewer's unread count after; null on errors."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type(description="What setting the viewer's notification channels answers.")
class NotificationChannelsPayload:
    channels: list[NotificationChannel] | None = strawberry.field(
        default=None, description="The viewer's channels now; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


@strawberry.type
class Query:
    @strawberry.field(
        description="Signed in (UNAUTHENTICATED otherwise): the viewer's notifications, newest "
        "first."
    )
    async def notifications(
        self,
        info: Info,
        unread_only: Annotated[
            bool, strawberry.argument(description="Only the unread ones.")
        ] = False,
        first: First = 20,
        after: After = None,
    ) -> NotificationConnection:
        viewer = info.context.viewer
        page = await notifications.notifications_of(viewer, unread_only, first, after)
        found = connection(page, Notification.of)
        return NotificationConnection(
            edges=found.edges,
            page_info=found.page_info,
            count=found.count,
            unread_count=await notifications.unread_count(viewer),
        )


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Signed in: marks the given notifications (or all of them) read; readAt "
        "keeps the first time. An id that is not the viewer's is NOT_FOUND and nothing is "
        "marked."
    )
    async def mark_notifications_read(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(description="The Notifications' ids."),
        ] = None,
        all: Annotated[
            bool, strawberry.argument(description="Every notification of the viewer.")
        ] = False,
    ) -> MarkNotificationsReadPayload:
        viewer = info.context.viewer

        async def work() -> tuple[list[m.Notification], int]:
            wanted = [decode_id(i, "Notification", "ids") for i in ids or ()]
            marked = await notifications.mark_read(viewer, wanted, all)
            return marked, await notifications.unread_count(viewer)

        return await payload_of(
            MarkNotificationsReadPayload,
            work,
            lambda done: MarkNotificationsReadPayload(
                notifications=[Notification.of(r) for r in done[0]], unread_count=done[1]
            ),
        )

    @strawberry.mutation(
        description="Signed in: sets the viewer's channels. IN_APP is always kept; EMAIL "
        "needs an e-mail address and WHATSAPP a phone (INVALID otherwise)."
    )
    async def set_notification_channels(
        self,
        info: Info,
        channels: Annotated[
            list[NotificationChannel], strawberry.argument(description="The channels wanted.")
        ],
    ) -> NotificationChannelsPayload:
        return await payload_of(
            NotificationChannelsPayload,
            lambda: notifications.set_channels(
                info.context.viewer, [m.NotificationChannel(c) for c in channels]
            ),
            lambda chosen: NotificationChannelsPayload(channels=list(chosen)),
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Signed in (the connection is refused otherwise): each new notification of "
        "the viewer, as soon as the change it tells of is committed."
    )
    async def new_notifications(self, info: Info) -> AsyncGenerator[Notification, None]:
        viewer = info.context.viewer
        if viewer is None:
            raise Unauthenticated()
        seen = await notifications.last_id(viewer.id)
        channel = notification_wakes.channel_of(viewer.id)
        async with info.context.services.events.subscribe(channel) as wakes:
            while True:  # what came between `seen` and subscribing, then after each wake
                found = await notifications.newer_than(viewer.id, seen)
                for row in found:
                    seen = row.id
                    yield Notification.of(row)
                if len(found) < notifications.BATCH:
                    await anext(wakes)
