"""Node types found by id through their visibility rule (`resolvers.platform.visibility`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from strawberry.types import Info

from resolvers.platform import row_id, visibility


class Visible:
    """Mixed into a `relay.Node` type whose `of(row)` wraps one row of its rule's model."""

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Any]:
        rows = await visible_rows(cls, info, node_ids)
        return [cls.of(row) if row is not None else None for row in rows]  # type: ignore[attr-defined]


async def visible_rows(cls: type, info: Info, node_ids: Iterable[str]) -> list[Any]:
    name = cls.__strawberry_definition__.name  # type: ignore[attr-defined]
    return await visibility.by_ids(name, info.context.viewer, [row_id(i) for i in node_ids])
