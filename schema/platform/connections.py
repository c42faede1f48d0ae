"""Relay connections with `totalCount`, built from a resolvers `Page`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.platform import Page

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None
    page_size: int = strawberry.field(
        description="The most edges this page could hold: `first` (or `last`; 20 when neither"
        " is given), cut to the cap of 100. Less than `first` means the cap cut it."
    )


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Every match, not only this page.")
    async def total_count(self) -> int:
        return await self.count()


def connection(page: Page[Any], wrap: Callable[[Any], T]) -> Connection[T]:
    return Connection(
        edges=[
            Edge(cursor=c, node=wrap(item))
            for c, item in zip(page.cursors, page.items, strict=True)
        ],
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
            page_size=page.size,
        ),
        count=page.count,
    )
