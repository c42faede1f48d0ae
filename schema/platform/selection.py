"""What a query selects under the field being resolved, so resolvers skip unasked work."""

from __future__ import annotations

from strawberry.types import Info

from schema.execution.extensions.document_walk import fields_of


def selected(info: Info) -> set[str]:
    """The names of the fields selected directly under this one, fragments included (as
    Strawberry's `info.selected_fields` names them, whatever their directives say).

    Read from the field's nodes in the document: `info.selected_fields` would convert the
    whole selection below, a product card's thirty fields with their arguments, per request."""
    raw = info._raw_info
    return {
        node.name.value
        for field in raw.field_nodes
        for node in fields_of(field.selection_set, raw.fragments)
    }
