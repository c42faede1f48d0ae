"""What a query selects under the field being resolved, so resolvers skip unasked work."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info
from strawberry.types.nodes import SelectedField


def selected(info: Info) -> set[str]:
    """The names of the fields selected directly under this one, fragments included."""
    names: set[str] = set()

    def walk(selections: list[Any]) -> None:
        for selection in selections:
            if isinstance(selection, SelectedField):
                names.add(selection.name)
            else:  # a fragment spread or an inline fragment: its fields are this field's
                walk(selection.selections)

    for field in info.selected_fields:
        walk(field.selections)
    return names
