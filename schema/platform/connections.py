"""Relay connections with `totalCount`, built from a resolvers `Page`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from resolvers.platform import Page

T = TypeVar("T")


@strawberry.type(description="Where a page stands in its list (Relay cursor connections).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More follow: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="The page was asked for with `after`, so some come before it."
    )
    start_cursor: str | None = strawberry.field(
        description="The first edge's cursor; null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The last edge's cursor, to pass as `after` for the next page; null on an "
        "empty page."
    )
    page_size: int = strawberry.field(
        description="The most edges this page could hold: `first` (or `last`; 20 when neither"
        " is given), cut to the cap of 100. Less than `first` means the cap cut it."
    )


@strawberry.type(description="One object of a page and its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Opaque; pass it as `after` to continue after this object."
    )
    node: T = strawberry.field(description="The object.")


@strawberry.type(
    description="One page of a list (a Relay cursor connection), newest first unless the "
    "field says otherwise; page on with `first` and `after: pageInfo.endCursor`."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="This page's objects, in order.")
    page_info: PageInfo = strawberry.field(description="Whether more follow, and the cursors.")
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
