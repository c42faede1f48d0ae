"""Execution plans: an operation's selections resolved once, then walked per request.

graphql-core decides afresh for every field of every request which fields a selection set
holds for the type at hand, which resolver answers each, how its arguments are coerced and
how its value is completed. For a document seen before, none of that changes between
requests, so a plan records it, as graphql-jit does for graphql-js:

- the selection set of every object type the operation can reach, flattened (fragments
  spread, fields merged) by graphql-core's own `collect_fields`, for every concrete type of
  an interface or union;
- per field, the read of a stored attribute or an info-free lean resolver
  (`schema.execution.field_read`), or the resolver to call with a resolve-info record;
- arguments without variables coerced once;
- the completion of the field's type: non-null checks, lists, scalar and enum serialisers.

`@skip` and `@include` are evaluated from the request's variables: the values of the
variables they use are part of the plan's key. A plan is built once per (operation node,
schema, those values) and kept in a bounded LRU cache; the parser cache hands the same
document object to requests with the same text, so a repeated query finds its plan.

What a plan does not express (subscriptions, introspection beyond `__typename`, `@defer` and
`@stream`) gets no plan: `schema.execution.compiled` then runs graphql-core's executor for
the whole operation.

**Plain completions.** A domain may register, for an object type, a compiler of its
selection (`plain_completion`): given the type's flattened plan, it returns a function that
builds the whole completed value from plain data (a `PlainValue`), or None when the
selection asks something it does not build. The plan keeps it on the type's `ObjectPlan`,
and per field whose results reach only completable plans of a type, records it by the
field's node (`OperationPlan.plain`): a resolver that finds itself there may hand back plain
values instead of objects, and their selection is built in one call, not field by field
(`schema.catalog.cards`: the search's product cards).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from graphql import (
    FieldNode,
    GraphQLAbstractType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values

from schema.execution.lean import field_read

PLANS_PER_SCHEMA = 1024
CONDITIONS = ("skip", "include")
INTROSPECTION = ("__schema", "__type")
UNSUPPORTED_DIRECTIVES = ("defer", "stream")


class Unplannable(Exception):
    """The operation uses something a plan does not express."""


class PlainValue:
    """A value that an object plan's plain completion builds whole (see the module)."""

    __slots__ = ()


# A selection's completion from plain data: plain value -> the completed value.
PlainCompletion = Callable[[Any], Any]
# Per object type name: the selection's plan -> its plain completion, or None.
PlainCompiler = Callable[["ObjectPlan"], PlainCompletion | None]
_plain_compilers: dict[str, PlainCompiler] = {}


def plain_completion(type_name: str, compiler: PlainCompiler) -> None:
    """Let plans of `type_name` complete plain values with what `compiler` makes."""
    _plain_compilers[type_name] = compiler


class LeafShape(NamedTuple):  # a scalar or enum, with its serialiser
    type: GraphQLLeafType


class ListShape(NamedTuple):
    type: GraphQLList
    item: Shape


class NonNullShape(NamedTuple):
    inner: Shape


class ObjectShape(NamedTuple):
    plan: ObjectPlan


class AbstractShape(NamedTuple):  # an interface or union: a plan per concrete type
    type: GraphQLAbstractType
    plans: dict[str, ObjectPlan]


Shape = LeafShape | ListShape | NonNullShape | ObjectShape | AbstractShape


@dataclass(slots=True, eq=False)
class FieldPlan:
    key: str  # the response name
    name: str
    parent: GraphQLObjectType
    definition: GraphQLField
    details: list[FieldDetails]
    nodes: list[FieldNode]
    read: Callable[[Any], Any] | None  # of the source, when no `info` or arguments are needed
    resolve: Callable[..., Any]
    args: dict[str, Any] | None  # coerced once; None: per request
    shape: Shape = field(init=False)
    leaf: GraphQLLeafType | None = None  # the shape, if a scalar or enum (the common case)
    non_null: bool = False  # ... and whether it is non-null
    read_leaf: bool = False  # a scalar or enum read from the source: the fast path


@dataclass(slots=True, eq=False)
class ObjectPlan:
    type: GraphQLObjectType
    fields: list[FieldPlan]
    plain: PlainCompletion | None = None  # builds a PlainValue's whole selection


@dataclass(slots=True, eq=False)
class OperationPlan:
    root: ObjectPlan
    serial: bool  # mutations run their root fields one after another
    # By id of a field's first node: per type name, the plain completion of every plan of
    # that type its results reach (types with a plan that has none are left out; none at
    # all for a node whose paths reach different ones).
    plain: dict[int, dict[str, PlainCompletion]] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class _Build:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variables: VariableValues
    operation: OperationDefinitionNode
    field_resolver: Callable[..., Any]

    def operation_plan(self) -> OperationPlan:
        kind = self.operation.operation
        root_type = self.schema.get_root_type(kind)
        if kind == OperationType.SUBSCRIPTION or root_type is None:
            raise Unplannable(kind.value)
        collected = collect_fields(
            self.schema, self.fragments, self.variables, root_type, self.operation
        )
        root = self.object_plan(root_type, collected.grouped_field_set)
        plan = OperationPlan(root, serial=kind == OperationType.MUTATION)
        if _plain_compilers:
            _record_plain(root, plan.plain)
        return plan

    def object_plan(
        self, parent: GraphQLObjectType, grouped: Mapping[str, Sequence[FieldDetails]]
    ) -> ObjectPlan:
        plans = []
        for key, details in grouped.items():
            name = details[0].node.name.value
            if name in INTROSPECTION:
                raise Unplannable(name)
            definition = self.schema.get_field(parent, name)
            if definition is not None:  # graphql-core leaves unknown fields out
                plans.append(self.field_plan(key, name, parent, definition, list(details)))
        plan = ObjectPlan(parent, plans)
        compiler = _plain_compilers.get(parent.name)
        if compiler is not None:
            plan.plain = compiler(plan)
        return plan

    def field_plan(
        self,
        key: str,
        name: str,
        parent: GraphQLObjectType,
        definition: GraphQLField,
        details: list[FieldDetails],
    ) -> FieldPlan:
        node = details[0].node
        takes_args = bool(definition.args or node.arguments)
        read = None
        if name == "__typename":
            typename = parent.name
            read = lambda _source: typename  # noqa: E731
        elif not takes_args:
            read = field_read(definition)
        plan = FieldPlan(
            key=key,
            name=name,
            parent=parent,
            definition=definition,
            details=details,
            nodes=[d.node for d in details],
            read=read,
            resolve=definition.resolve or self.field_resolver,
            args=self.constant_args(definition, details[0]) if takes_args else {},
        )
        plan.shape = shape = self.shape(definition.type, details)
        plan.non_null = isinstance(shape, NonNullShape)
        inner = shape.inner if isinstance(shape, NonNullShape) else shape
        plan.leaf = inner.type if isinstance(inner, LeafShape) else None
        plan.read_leaf = plan.leaf is not None and read is not None
        return plan

    def constant_args(self, definition: GraphQLField, details: FieldDetails) -> dict | None:
        """The coerced arguments, if no variable can change them and they coerce."""
        if details.fragment_variable_values is not None or _uses_variables(details.node):
            return None
        try:
            args = get_argument_values(definition, details.node, self.variables)
        except Exception:  # raised again per request, as a field error
            return None
        # A resolver may change a list or dict it is given; those are coerced per request.
        return None if any(isinstance(v, list | dict) for v in args.values()) else args

    def shape(self, type_: GraphQLOutputType, details: list[FieldDetails]) -> Shape:
        if is_non_null_type(type_):
            assert isinstance(type_, GraphQLNonNull)
            return NonNullShape(self.shape(type_.of_type, details))
        if is_list_type(type_):
            assert isinstance(type_, GraphQLList)
            return ListShape(type_, self.shape(type_.of_type, details))
        if is_leaf_type(type_):
            assert isinstance(type_, GraphQLLeafType)
            return LeafShape(type_)
        if is_object_type(type_):
            assert isinstance(type_, GraphQLObjectType)
            return ObjectShape(self.sub_plan(type_, details))
        if is_abstract_type(type_):
            assert isinstance(type_, GraphQLAbstractType)
            possible = self.schema.get_possible_types(type_)
            return AbstractShape(type_, {t.name: self.sub_plan(t, details) for t in possible})
        raise Unplannable(str(type_))

    def sub_plan(self, type_: GraphQLObjectType, details: list[FieldDetails]) -> ObjectPlan:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, type_, details
        )
        return self.object_plan(type_, collected.grouped_field_set)


def _object_plans(shape: Shape) -> list[ObjectPlan]:
    """The object plans a field's value is completed by, at its own level."""
    while isinstance(shape, NonNullShape | ListShape):
        shape = shape.inner if isinstance(shape, NonNullShape) else shape.item
    if isinstance(shape, ObjectShape):
        return [shape.plan]
    if isinstance(shape, AbstractShape):
        return list(shape.plans.values())
    return []


def _record_plain(
    plan: ObjectPlan, found: dict[int, dict[str, PlainCompletion]]
) -> dict[str, PlainCompletion | None]:
    """Record under each field of `plan` (and below) the plain completions its results
    reach; returns those that `plan`'s fields reach, None for a type with a plan lacking
    one or with plans completed differently."""
    reached: dict[str, PlainCompletion | None] = {}
    for field_plan in plan.fields:
        below: dict[str, PlainCompletion | None] = {}
        for sub in _object_plans(field_plan.shape):
            _merge(below, {sub.type.name: sub.plain})
            _merge(below, _record_plain(sub, found))
        usable = {name: c for name, c in below.items() if c is not None}
        node = id(field_plan.nodes[0])
        # A node at two paths (a fragment spread twice) may reach different plans there.
        found[node] = usable if found.get(node, usable) == usable else {}
        _merge(reached, below)
    return reached


def _merge(
    into: dict[str, PlainCompletion | None], more: dict[str, PlainCompletion | None]
) -> None:
    for name, completion in more.items():
        into[name] = completion if into.get(name, completion) is completion else None


def _uses_variables(node: FieldNode) -> bool:
    values: list[Any] = [argument.value for argument in node.arguments or ()]
    while values:
        value = values.pop()
        if isinstance(value, VariableNode):
            return True
        if isinstance(value, ListValueNode):
            values.extend(value.values)
        elif isinstance(value, ObjectValueNode):
            values.extend(field.value for field in value.fields)
    return False


def condition_variables(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
) -> tuple[str, ...] | None:
    """The variables `@skip` and `@include` use in the operation and its fragments; None if
    it uses `@defer` or `@stream`, which a plan does not express."""
    names: set[str] = set()
    nodes: list[Any] = [operation, *(details.definition for details in fragments.values())]
    while nodes:
        node = nodes.pop()
        for directive in node.directives or ():
            if directive.name.value in UNSUPPORTED_DIRECTIVES:
                return None
            if directive.name.value in CONDITIONS:
                for argument in directive.arguments or ():
                    if isinstance(argument.value, VariableNode):
                        names.add(argument.value.name.value)
        if getattr(node, "selection_set", None) is not None:
            nodes.extend(node.selection_set.selections)
    return tuple(sorted(names))


@dataclass(slots=True, eq=False)
class _Cached:
    operation: OperationDefinitionNode  # kept alive so that its id is not reused
    conditions: tuple[str, ...] | None  # None: no plan
    plans: dict[tuple[Any, ...], OperationPlan | None]


class PlanCache:
    """Plans by operation node (LRU, bounded), then by the values `@skip`/`@include` use."""

    def __init__(self, size: int = PLANS_PER_SCHEMA) -> None:
        self.size = size
        self.entries: OrderedDict[int, _Cached] = OrderedDict()

    def plan(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDetails],
        variables: VariableValues,
        operation: OperationDefinitionNode,
        field_resolver: Callable[..., Any],
    ) -> OperationPlan | None:
        """The plan of `operation` for these variables, or None if it cannot have one."""
        entry = self.entries.get(id(operation))
        if entry is None or entry.operation is not operation:
            entry = _Cached(operation, condition_variables(operation, fragments), {})
            self.entries[id(operation)] = entry
            if len(self.entries) > self.size:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(id(operation))
        if entry.conditions is None:
            return None
        coerced = variables.coerced
        key = tuple(coerced.get(name) for name in entry.conditions)
        if key not in entry.plans:
            build = _Build(schema, fragments, variables, operation, field_resolver)
            try:
                entry.plans[key] = build.operation_plan()
            except Exception:  # graphql-core's executor answers, or reports it
                entry.plans[key] = None
        return entry.plans[key]


_caches: WeakKeyDictionary[GraphQLSchema, PlanCache] = WeakKeyDictionary()


def plans_of(schema: GraphQLSchema) -> PlanCache:
    cache = _caches.get(schema)
    if cache is None:
        cache = _caches[schema] = PlanCache()
    return cache
