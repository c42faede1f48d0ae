"""Reviews of what buyers bought. None are written yet (they come with the marketplace
operations); what admins moderate is therefore empty today."""

from __future__ import annotations

from models.platform import User
from resolvers.platform import Forbidden, Page, is_marketplace_admin, page_size


async def _none() -> int:
    return 0


async def reported_reviews_page(viewer: User | None, first: int | None) -> Page:
    """Reported reviews not yet hidden, for marketplace admins only: none exist yet."""
    if not is_marketplace_admin(viewer):
        raise Forbidden("Hanya admin marketplace yang boleh melihat ini.")
    return Page(
        items=[],
        cursors=[],
        has_next=False,
        has_previous=False,
        count=_none,
        size=page_size(first, None),
    )
