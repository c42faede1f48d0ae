"""Descriptions the schema's generic pieces need: an enum's values, and paging arguments."""

from collections.abc import Mapping
from enum import EnumMeta
from typing import Annotated, TypeVar

import strawberry

from resolvers.platform import MAX_PAGE

E = TypeVar("E", bound=EnumMeta)


def described_enum(
    cls: E, description: str, values: Mapping[str, str], *, name: str | None = None
) -> E:
    """`strawberry.enum(cls)` with a description for each value; `values` names every member
    of `cls`, no more, so that an enum shared with the models cannot drift from its docs."""
    enum = strawberry.enum(cls, name=name, description=description)
    definition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    names = {value.name for value in definition.values}
    if names != set(values):
        raise ValueError(
            f"{definition.name}: undescribed {sorted(names - set(values))}, "
            f"unknown {sorted(set(values) - names)}"
        )
    for value in definition.values:
        value.description = values[value.name]
    return enum


First = Annotated[
    int | None,
    strawberry.argument(
        description=f"How many to return after `after`, at most {MAX_PAGE} (a larger number "
        f"gives {MAX_PAGE}); negative is BAD_USER_INPUT."
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="The `endCursor` (or an edge's `cursor`) of the previous page; none for "
        "the first page."
    ),
]
