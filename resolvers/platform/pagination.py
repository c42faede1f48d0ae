"""Relay-style pages by keyset on the id (newest first): stable while rows are added.

`first` (or `last`) above MAX_PAGE is cut to it, as the contract says ("`first` is capped");
the page's `size` says how many rows it could hold, so a client sees the cut."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.queryset import QuerySet

from resolvers.platform.errors import BadInput
from resolvers.platform.lookups import row_id

T = TypeVar("T")
MAX_PAGE = 100
DEFAULT_PAGE = 20


@dataclass
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool
    count: Callable[[], Awaitable[int]]
    size: int  # the most rows this page could hold: `first`/`last` within MAX_PAGE


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        number = row_id(value)
        if kind != "id" or not number:
            raise ValueError
        return number
    except (ValueError, UnicodeDecodeError):
        raise BadInput("Cursor tidak valid.") from None


def page_size(first: int | None, last: int | None) -> int:
    for value in (first, last):
        if value is not None and value < 0:
            raise BadInput("`first` dan `last` tidak boleh negatif.")
    wanted = first if first is not None else last
    return min(wanted if wanted is not None else DEFAULT_PAGE, MAX_PAGE)


async def keyset_page(
    query: QuerySet[Any],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    oldest_first: bool = False,
) -> Page[Any]:
    """Newest first (highest id), or oldest first."""
    size = page_size(first, last)
    window = query
    later, earlier = ("id__gt", "id__lt") if oldest_first else ("id__lt", "id__gt")
    if after:
        window = window.filter(**{later: decode_cursor(after)})
    if before:
        window = window.filter(**{earlier: decode_cursor(before)})
    backwards = last is not None and first is None
    ordered = window.order_by("id" if backwards != oldest_first else "-id")
    rows = list(await ordered.limit(size + 1)) if size else []
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return Page(
        items=rows,
        cursors=[encode_cursor(r.id) for r in rows],
        has_next=more if not backwards else before is not None,
        has_previous=more if backwards else after is not None,
        count=query.count,
        size=size,
    )
