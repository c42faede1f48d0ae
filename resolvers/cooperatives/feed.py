"""The live feed of a cooperative's member transactions, resumable from the last line seen.

The right to follow it is checked at subscribe time and again whenever it may have ended: a
change of someone's rights in the cooperative (a membership ended, a pengurus leaving office)
is published on the feed's own channel (`rights_changed`), so every follower on every worker
hears it in order with the lines; the follower it names re-reads their rights, sees what
they now may (`audience.seen_by`), and their stream ends (`RightsEnded`) when they may no
longer follow."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from models.cooperatives import Cooperative, JournalLine
from models.platform import User
from resolvers.cooperatives.audience import seen_by
from resolvers.cooperatives.books import MemberLine, transactions_channel
from resolvers.cooperatives.cooperative import CoopViewer, can_follow_feed, coop_viewer
from resolvers.platform import Broker, Forbidden, NotFound, Unauthenticated

MAX_REPLAY = 1000
logger = logging.getLogger("satupintu.cooperatives")


class RightsEnded(Forbidden):
    """The follower's membership ended or they left office: their stream ends (FORBIDDEN)."""

    def __init__(self) -> None:
        super().__init__("Hak Anda mengikuti transaksi koperasi ini sudah berakhir.")


async def feed_viewer(viewer: User | None, cooperative_id: int) -> None:
    """Who follows the feed: refused at subscribe time unless a pengurus or an active member."""
    if viewer is None:
        raise Unauthenticated()
    if not await Cooperative.exists(id=cooperative_id):
        raise NotFound("Koperasi tidak ditemukan.")
    who = await coop_viewer(viewer)
    if not can_follow_feed(who, cooperative_id):
        raise Forbidden("Hanya anggota aktif dan pengurus koperasi ini yang bisa mengikutinya.")


async def missed_lines(cooperative_id: int, after: int) -> list[MemberLine]:
    """The member lines posted since line `after`, oldest first (at most MAX_REPLAY)."""
    rows = (
        await JournalLine.filter(
            entry__cooperative_id=cooperative_id, membership_id__isnull=False, id__gt=after
        )
        .select_related("entry", "membership")
        .order_by("id")
        .limit(MAX_REPLAY)
    )
    return [
        MemberLine.of_row(row, row.membership.number if row.membership else None) for row in rows
    ]


async def rights_changed(events: Broker, cooperative_id: int, user_id: int) -> None:
    """After the commit that changed `user_id`'s rights in the cooperative: their feeds on
    every worker re-check them."""
    try:
        await events.publish(transactions_channel(cooperative_id), {"rightsOf": user_id})
    except Exception:  # the change is committed; a broker outage must not undo it
        logger.exception("could not publish the rights of user %s", user_id)


async def _rights(viewer: User, cooperative_id: int) -> CoopViewer:
    who = await coop_viewer(viewer)
    if not can_follow_feed(who, cooperative_id):
        raise RightsEnded()
    return who


async def follow(
    events: Broker, viewer: User, cooperative_id: int, after: int | None
) -> AsyncIterator[MemberLine]:
    """What was missed since `after` (if given), then every new line as it is posted, each as
    the viewer may see it now; `RightsEnded` once they may no longer follow.

    Subscribed before the rights and the replay are read, so that nothing posted or changed
    meanwhile falls between them; what the replay already gave is not given again."""
    async with events.subscribe(transactions_channel(cooperative_id)) as live:
        who = await _rights(viewer, cooperative_id)
        replayed: set[int] = set()
        if after is not None:
            for line in await missed_lines(cooperative_id, after):
                replayed.add(line.id)
                yield seen_by(who, line)
        async for event in live:
            if "rightsOf" in event:
                if event["rightsOf"] == viewer.id:
                    who = await _rights(viewer, cooperative_id)
                continue
            line = MemberLine.of_event(event)
            if line.id not in replayed:
                yield seen_by(who, line)
