"""Cheaper field resolution for the fields that need none of Strawberry's machinery.

A page of twenty product cards resolves some six hundred fields, and per field the general
machinery costs more than the work. Two shortcuts, both keeping the answers and errors that
the general path gives; execution plans (`schema.execution.plan`) use them:

- **Lean resolvers.** Strawberry wraps every resolver in a function that converts arguments,
  runs field extensions and exception handlers. A resolver with no arguments, extensions or
  handlers (`Product.shop`, `Money.formatted`, relay's `id`, ...) is called directly instead,
  with the same `self`, `root` and `info` it would get.
- **Field reads.** A field read from a stored attribute, or from a lean resolver that needs
  no `info`, is read from its source without a resolve-info record (`field_read`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from operator import attrgetter
from typing import Any, cast

import strawberry
from graphql import GraphQLField, is_object_type
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

INFO_FREE = "satupintu_info_free"  # marks a lean resolver that ignores its `info`


def lean_resolvers(schema: strawberry.Schema) -> None:
    """Give every field that needs none of Strawberry's resolver wrapper a direct call."""
    if schema.exception_handlers:
        return
    for graphql_type in schema._schema.type_map.values():
        if not is_object_type(graphql_type):
            continue
        for field in graphql_type.fields.values():
            definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if isinstance(definition, StrawberryField):
                field.resolve = _lean(definition, schema.config.info_class) or field.resolve


def _lean(field: StrawberryField, info_class: Any) -> Callable[..., Any] | None:
    resolver = field.base_resolver
    if resolver is None or field.extensions or field.arguments or field.is_async:
        return None
    call = cast(Callable[..., Any], resolver.wrapped_func)  # a function, as decorated
    takes_self = resolver.self_parameter is not None
    as_source = [p.name for p in (resolver.root_parameter, resolver.parent_parameter) if p]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    def resolve(source: Any, info: Any) -> Any:
        given: dict[str, Any] = dict.fromkeys(as_source, source)
        if info_name:
            given[info_name] = info_class(_raw_info=info, _field=field)
        return call(source, **given) if takes_self else call(**given)

    setattr(resolve, INFO_FREE, info_name is None)
    return resolve


def field_read(field: GraphQLField) -> Callable[[Any], Any] | None:
    """The value of `field` as a function of its source alone, if it needs no `info`."""
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Strawberry marks its resolver of a stored attribute `_is_default`; for a basic field
    # (no field extensions such as permissions) that resolver asks the field's default
    # resolver (`getattr` unless configured) for the attribute.
    if (
        getattr(field.resolve, "_is_default", False)
        and isinstance(definition, StrawberryField)
        and definition.is_basic_field
    ):
        read, name = definition.default_resolver, definition.python_name
        return attrgetter(name) if read is getattr else lambda source: read(source, name)
    if field.resolve is not None and getattr(field.resolve, INFO_FREE, False):
        return partial(field.resolve, info=None)
    return None
