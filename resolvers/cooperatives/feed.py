"""The live feed of a cooperative's member transactions, resumable from the last line seen."""

from __future__ import annotations

from collections.abc import AsyncIterator

from models.cooperatives import Cooperative, JournalLine
from models.platform import User
from resolvers.cooperatives.books import MemberLine, transactions_channel
from resolvers.cooperatives.cooperative import CoopViewer, can_follow_feed, coop_viewer
from resolvers.platform import Broker, Forbidden, NotFound, Unauthenticated

MAX_REPLAY = 1000


async def feed_viewer(viewer: User | None, cooperative_id: int) -> CoopViewer:
    """Who follows the feed: refused at subscribe time unless a pengurus or an active member."""
    if viewer is None:
        raise Unauthenticated()
    if not await Cooperative.exists(id=cooperative_id):
        raise NotFound("Koperasi tidak ditemukan.")
    who = await coop_viewer(viewer)
    if not can_follow_feed(who, cooperative_id):
        raise Forbidden("Hanya anggota aktif dan pengurus koperasi ini yang bisa mengikutinya.")
    return who


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


async def follow(
    events: Broker, cooperative_id: int, after: int | None
) -> AsyncIterator[MemberLine]:
    """What was missed since `after` (if given), then every new line as it is posted.

    Subscribed before the replay is read, so nothing posted meanwhile falls between the two;
    what the replay already gave is not given again."""
    async with events.subscribe(transactions_channel(cooperative_id)) as live:
        replayed: set[int] = set()
        if after is not None:
            for line in await missed_lines(cooperative_id, after):
                replayed.add(line.id)
                yield line
        async for event in live:
            line = MemberLine.of_event(event)
            if line.id not in replayed:
                yield line
