"""Executes an operation by walking its plan (`schema.execution.plan`), with graphql-core's results.

The walk does what graphql-core's executor does for the same operation, in the same order:
fields of one selection set are started one after another and their awaitables gathered
together (so DataLoaders still batch a level's loads), lists are completed item by item,
errors are located, reported and propagated to the nearest nullable parent by graphql-core's
own `handle_field_error`, and the response is built by graphql-core. What the walk skips is
the per-field work a plan has done once, and for plain values of an object plan with a plain
completion, the walk of their selection (the completion builds it whole).

An operation without a plan, or executed with field middleware (an extension's `resolve`
hook must see every field), an abort signal, early execution or without error propagation,
is executed by graphql-core's executor, the reference. The context's `executor` records
which one answered.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterator
from typing import Any

from graphql import GraphQLError, GraphQLOutputType, GraphQLResolveInfo, Undefined
from graphql.execution.executor import collect_iterator_awaitables, invalid_return_type_error
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel, is_iterable
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.execution.plan import (
    AbstractShape,
    FieldPlan,
    LeafShape,
    ListShape,
    NonNullShape,
    ObjectPlan,
    ObjectShape,
    OperationPlan,
    PlainValue,
    Shape,
    plans_of,
)
from schema.platform import Context

# A field's resolve info, or the path of the field to build it at when something asks.
InfoOrPath = GraphQLResolveInfo | Path

COMPILED = "compiled"
REFERENCE = "reference"


class CompiledExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context, answering from a plan when the operation has one."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        plan = self.operation_plan()
        if isinstance(self.context_value, Context):
            self.context_value.executor = REFERENCE if plan is None else COMPILED
            self.context_value.plain = {} if plan is None else plan.plain
        if plan is None:
            return super().execute_operation(serially)
        try:
            serial = plan.serial if serially is None else serially
            run = self.run_serially if serial else self.run_fields
            result = run(plan.root, self.root_value, None)
            if self.is_awaitable(result):
                return self.await_response(result)
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.finish(self.build_response(None))
        return self.finish(self.build_response(result))

    def operation_plan(self) -> OperationPlan | None:
        middleware = self.middleware_manager
        if (
            (middleware is not None and middleware.middlewares)
            or self.abort_signal is not None
            or self.enable_early_execution
            or not self.error_propagation
        ):
            return None
        return plans_of(self.schema).plan(
            self.schema, self.fragments, self.variable_values, self.operation, self.field_resolver
        )

    async def await_response(self, result: Awaitable[dict[str, Any]]) -> Any:
        try:
            data = await result
        except GraphQLError as error:
            self.collected_errors.add(error, None)
            return self.build_response(None)
        except Exception:
            self.run_async_work_finished_hook()
            raise
        return self.build_response(data)

    def run_fields(self, plan: ObjectPlan, source: Any, path: Path | None) -> Any:
        """The fields of one selection set, started together (graphql-core's execute_fields)."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        pending: list[str] = []
        typename = plan.type.name
        try:
            for field in plan.fields:
                key = field.key
                if field.read_leaf:  # most fields: read and serialise in place, no path yet
                    try:
                        value = field.read(source)  # type: ignore[misc]
                        if is_awaitable(value):
                            at = Path(path, key, typename)
                            results[key] = self.complete_later(field, value, at, at)
                            pending.append(key)
                        else:
                            results[key] = self.complete_leaf(field, value)
                    except Exception as raw_error:
                        at = Path(path, key, typename)
                        self.handle_field_error(raw_error, field.definition.type, field.details, at)
                        results[key] = None
                    continue
                result = self.run_field(field, source, Path(path, key, typename))
                results[key] = result
                if is_awaitable(result):
                    pending.append(key)
        except Exception:
            if pending:
                self.settle_in_background([results[key] for key in pending])
            raise
        if not pending:
            return results

        async def gathered() -> dict[str, Any]:
            if len(pending) == 1:
                results[pending[0]] = await results[pending[0]]
            else:
                awaited = await gather_with_cancel(*(results[key] for key in pending))
                results.update(zip(pending, awaited, strict=True))
            return results

        return gathered()

    def run_serially(self, plan: ObjectPlan, source: Any, path: Path | None) -> Any:
        """A mutation's root fields, each finished before the next starts."""
        results: dict[str, Any] = {}
        fields = iter(plan.fields)
        for field in fields:
            result = self.run_field(field, source, Path(path, field.key, plan.type.name))
            if self.is_awaitable(result):
                return self.finish_serially(plan, source, path, results, field, result, fields)
            results[field.key] = result
        return results

    async def finish_serially(
        self,
        plan: ObjectPlan,
        source: Any,
        path: Path | None,
        results: dict[str, Any],
        field: FieldPlan,
        result: Awaitable[Any],
        fields: Iterator[FieldPlan],
    ) -> dict[str, Any]:
        results[field.key] = await result
        for field in fields:
            result = self.run_field(field, source, Path(path, field.key, plan.type.name))
            results[field.key] = await result if self.is_awaitable(result) else result
        return results

    def run_field(self, field: FieldPlan, source: Any, path: Path) -> Any:
        """Resolve and complete one field (graphql-core's execute_field)."""
        info: InfoOrPath = path
        try:
            if field.read is not None:
                result = field.read(source)
            else:
                info = self.build_resolve_info(field.definition, field.nodes, field.parent, path)
                args = field.args
                if args is None:
                    details = field.details[0]
                    args = get_argument_values(
                        field.definition,
                        details.node,
                        self.variable_values,
                        details.fragment_variable_values,
                        self.hide_suggestions,
                    )
                result = field.resolve(source, info, **args)
            if self.is_awaitable(result):
                return self.complete_later(field, result, path, info)
            if field.leaf is not None:
                return self.complete_leaf(field, result)
            completed = self.complete(field.shape, field, result, path, info)
            if self.is_awaitable(completed):
                return self.guarded(completed, field.definition.type, field, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.definition.type, field.details, path)
            return None
        return completed

    def complete_leaf(self, field: FieldPlan, value: Any) -> Any:
        """complete_value for a scalar or enum field (nullable or not), in one step."""
        if isinstance(value, Exception):
            raise value
        if value is None or value is Undefined:
            if field.non_null:
                raise TypeError(null_in(field))
            return None
        leaf = field.leaf
        assert leaf is not None
        coerced = leaf.coerce_output_value(value)
        if coerced is Undefined or coerced is None:  # graphql-core words the error
            return self.complete_leaf_value(leaf, value)
        return coerced

    async def complete_later(
        self, field: FieldPlan, result: Awaitable[Any], path: Path, info: InfoOrPath
    ) -> Any:
        try:
            completed = self.complete(field.shape, field, await result, path, info)
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.definition.type, field.details, path)
            return None
        return completed

    async def guarded(
        self, completed: Awaitable[Any], type_: GraphQLOutputType, field: FieldPlan, path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, type_, field.details, path)
            return None

    def info_of(self, field: FieldPlan, info: InfoOrPath) -> GraphQLResolveInfo:
        """The field's resolve info, built at the field's path (as graphql-core gives it)."""
        if isinstance(info, Path):
            return self.build_resolve_info(field.definition, field.nodes, field.parent, info)
        return info

    def complete(
        self, shape: Shape, field: FieldPlan, value: Any, path: Path, info: InfoOrPath
    ) -> Any:
        """graphql-core's complete_value, with the type's decisions taken by the plan."""
        if isinstance(value, Exception):
            raise value
        kind = type(shape)
        if kind is NonNullShape:
            assert isinstance(shape, NonNullShape)
            completed = self.complete(shape.inner, field, value, path, info)
            if completed is None:
                raise TypeError(null_in(field))
            return completed
        if value is None or value is Undefined:
            return None
        if kind is LeafShape:
            assert isinstance(shape, LeafShape)
            return self.complete_leaf_value(shape.type, value)
        if kind is ObjectShape:
            assert isinstance(shape, ObjectShape)
            return self.complete_object(shape.plan, field, value, path, info)
        if kind is ListShape:
            assert isinstance(shape, ListShape)
            return self.complete_list(shape, field, value, path, info)
        assert isinstance(shape, AbstractShape)
        return self.complete_abstract(shape, field, value, path, info)

    def complete_object(
        self,
        plan: ObjectPlan,
        field: FieldPlan,
        value: Any,
        path: Path,
        info: InfoOrPath,
    ) -> Any:
        if plan.plain is not None and isinstance(value, PlainValue):
            return plan.plain(value)  # the whole selection at once (see the plan)
        type_ = plan.type
        if type_.is_type_of:
            is_type_of = type_.is_type_of(value, self.info_of(field, info))
            if self.is_awaitable(is_type_of):

                async def checked() -> Any:
                    if not await is_type_of:
                        raise invalid_return_type_error(type_, value, field.details)
                    completed = self.run_fields(plan, value, path)
                    return await completed if self.is_awaitable(completed) else completed

                return checked()
            if not is_type_of:
                raise invalid_return_type_error(type_, value, field.details)
        return self.run_fields(plan, value, path)

    def complete_abstract(
        self,
        shape: AbstractShape,
        field: FieldPlan,
        value: Any,
        path: Path,
        info: InfoOrPath,
    ) -> Any:
        info = self.info_of(field, info)
        resolve_type = shape.type.resolve_type or self.type_resolver
        runtime_type = resolve_type(value, info, shape.type)

        def complete_as(name: Any) -> Any:
            object_type = self.ensure_valid_runtime_type(
                name, shape.type, field.details, info, value
            )
            plan = shape.plans[object_type.name]
            return self.complete_object(plan, field, value, path, info)

        if self.is_awaitable(runtime_type):

            async def resolved() -> Any:
                completed = complete_as(await runtime_type)
                return await completed if self.is_awaitable(completed) else completed

            return resolved()
        return complete_as(runtime_type)

    def complete_list(
        self,
        shape: ListShape,
        field: FieldPlan,
        value: Any,
        path: Path,
        info: InfoOrPath,
    ) -> Any:
        """graphql-core's complete_list_value and complete_iterable_value."""
        if self.is_async_iterable(value):  # the reference's own completion
            info = self.info_of(field, info)
            return self.complete_list_value(shape.type, field.details, info, path, value, None)
        if not is_iterable(value):
            raise GraphQLError(
                "Expected Iterable, but did not find one for field"
                f" '{field.parent.name}.{field.name}'."
            )
        is_awaitable = self.is_awaitable
        item_shape, item_type = shape.item, shape.type.of_type
        results: list[Any] = []
        pending: list[int] = []
        iterator = iter(value)
        try:
            for index, item in enumerate(iterator):
                item_path = path.add_key(index, None)
                if is_awaitable(item):
                    later = self.complete_item_later(
                        item, item_shape, item_type, field, item_path, info
                    )
                    results.append(later)
                    pending.append(index)
                    continue
                try:
                    completed = self.complete(item_shape, field, item, item_path, info)
                    if is_awaitable(completed):
                        completed = self.guarded(completed, item_type, field, item_path)
                        pending.append(index)
                    results.append(completed)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, field.details, item_path)
                    results.append(None)
        except Exception:
            unsettled = [results[index] for index in pending]
            unsettled.extend(collect_iterator_awaitables(iterator, is_awaitable))
            if unsettled:
                self.settle_in_background(unsettled)
            raise
        if not pending:
            return results

        async def gathered() -> list[Any]:
            if len(pending) == 1:
                results[pending[0]] = await results[pending[0]]
            else:
                awaited = await gather_with_cancel(*(results[index] for index in pending))
                for index, item in zip(pending, awaited, strict=True):
                    results[index] = item
            return results

        return gathered()

    async def complete_item_later(
        self,
        item: Awaitable[Any],
        shape: Shape,
        item_type: GraphQLOutputType,
        field: FieldPlan,
        path: Path,
        info: InfoOrPath,
    ) -> Any:
        try:
            completed = self.complete(shape, field, await item, path, info)
            if self.is_awaitable(completed):
                completed = await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, field.details, path)
            return None
        return completed


def null_in(field: FieldPlan) -> str:
    """graphql-core's message for a null in a non-null field."""
    return f"Cannot return null for non-nullable field {field.parent.name}.{field.name}."
