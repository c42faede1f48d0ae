"""Live feeds: an API subscription relayed to the browser as server-sent events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.responses import StreamingResponse

from storefront.api import ApiUnavailable, QueryFailed


def event_stream(
    feed: AsyncIterator[dict[str, Any] | None], describe: Callable[[dict[str, Any]], dict]
) -> StreamingResponse:
    """Each event of `feed` as `describe` tells it, a comment while quiet, and `putus` when
    the API ends the feed."""
    return StreamingResponse(
        _events(feed, describe),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    feed: AsyncIterator[dict[str, Any] | None], describe: Callable[[dict[str, Any]], dict]
) -> AsyncIterator[str]:
    yield "retry: 5000\n\n"
    try:
        async for data in feed:
            if data is None:
                yield ": masih terhubung\n\n"
                continue
            yield f"data: {json.dumps(describe(data))}\n\n"
    except (ApiUnavailable, QueryFailed):
        yield "event: putus\ndata: {}\n\n"
