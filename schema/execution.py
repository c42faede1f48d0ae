"""Cheaper field resolution for the fields that need none of Strawberry's machinery.

A page of twenty product cards resolves some six hundred fields, and per field the general
machinery costs more than the work. Two shortcuts, both keeping the answers and errors that
the general path gives:

- **Lean resolvers.** Strawberry wraps every resolver in a function that converts arguments,
  runs field extensions and exception handlers. A resolver with no arguments, extensions or
  handlers (`Product.shop`, `Money.formatted`, relay's `id`, ...) is called directly instead,
  with the same `self`, `root` and `info` it would get.
- **Direct reads.** graphql-core gives every field a resolve-info record, an awaitable check
  and value completion through the non-null and leaf wrappers. A scalar or enum field read
  from a stored attribute, or from a lean resolver that needs no `info`, is read and coerced
  directly. Errors, and nulls in non-null fields, are reported as graphql-core reports them;
  a value that turns out to be awaitable is completed the general way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast
from weakref import WeakKeyDictionary

import strawberry
from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.executor import to_nodes
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

INFO_FREE = "satupintu_info_free"  # marks a lean resolver that ignores its `info`

# Per schema: (type name, field name) -> the direct read, or None for the general path.
_reads: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], DirectRead | None]] = (
    WeakKeyDictionary()
)


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


@dataclass(frozen=True)
class DirectRead:
    """A scalar or enum field answered without graphql-core's per-field machinery."""

    field: GraphQLField
    value: Callable[[Any], Any]  # of the source
    leaf: GraphQLLeafType
    non_null: bool


def _direct_read(field: GraphQLField) -> DirectRead | None:
    """The direct read of `field`, if it is a scalar or enum that needs no `info`."""
    non_null = isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(leaf):
        return None
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Strawberry marks its resolver of a stored attribute `_is_default`; that resolver
    # asks the field's default resolver (`getattr` unless configured) for the attribute.
    if getattr(field.resolve, "_is_default", False) and isinstance(definition, StrawberryField):
        read, name = definition.default_resolver, definition.python_name
        return DirectRead(field, lambda source: read(source, name), leaf, non_null)
    if field.resolve is not None and getattr(field.resolve, INFO_FREE, False):
        return DirectRead(field, partial(field.resolve, info=None), leaf, non_null)
    return None


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with direct reads for plain leaf fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middleware = self.middleware_manager
        # Field middleware (an extension's `resolve` hook) must see every field.
        self.reads = None if middleware and middleware.middlewares else (
            _reads.setdefault(self.schema, {})
        )  # fmt: skip

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        name = field_details_list[0].node.name.value
        read = self.direct_read(parent_type, name)
        if read is None:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        # What the general path answers for this field, with the same errors.
        try:
            value = read.value(source)
            if self.is_awaitable(value):  # rare: then the general completion
                info = self.build_resolve_info(
                    read.field, to_nodes(field_details_list), parent_type, path
                )
                return self.complete_awaitable_value(
                    read.field.type, field_details_list, info, path, value, position_context
                )
            if isinstance(value, Exception):
                raise value
            if value is None:
                if read.non_null:
                    raise TypeError(
                        f"Cannot return null for non-nullable field {parent_type}.{name}."
                    )
                return None
            return self.complete_leaf_value(read.leaf, value)
        except Exception as error:
            self.handle_field_error(error, read.field.type, field_details_list, path)
            return None

    def direct_read(self, parent_type: GraphQLObjectType, name: str) -> DirectRead | None:
        if self.reads is None:
            return None
        key = (parent_type.name, name)
        if key not in self.reads:
            field = self.schema.get_field(parent_type, name)
            self.reads[key] = _direct_read(field) if field is not None else None
        return self.reads[key]
