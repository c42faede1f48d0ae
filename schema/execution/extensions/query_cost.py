"""Estimates what an operation will cost before it runs, refuses it above a limit,
and reports the cost in the response's `extensions`.

Every field costs 1; a field paged with `first`/`last` multiplies what it selects by
that page size (the connection's default when absent).
"""

from collections.abc import Iterator
from typing import Any

from graphql import ExecutionResult, GraphQLError, OperationDefinitionNode, VariableNode
from strawberry.extensions import SchemaExtension

from resolvers.platform import TopLevelCode
from schema.execution.extensions.document_walk import fields_of, fragments_of

DEFAULT_PAGE = 20
PAGE_CAP = 100


def _page_size(field, variables: dict[str, Any]) -> int:
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            value = argument.value
            if isinstance(value, VariableNode):
                raw = variables.get(value.name.value)
            else:
                raw = getattr(value, "value", None)
            try:
                size = int(raw) if raw is not None else DEFAULT_PAGE
            except (TypeError, ValueError):
                size = DEFAULT_PAGE
            return max(1, min(size, PAGE_CAP))
    return 1


def _cost(selection_set, fragments, variables, budget: int) -> int:
    total = 0
    for field in fields_of(selection_set, fragments):
        total += 1
        if field.selection_set is not None:
            size = _page_size(field, variables)
            total += size * _cost(field.selection_set, fragments, variables, budget // size + 1)
        if total > budget:
            break
    return total


def operation_cost(document, operation_name: str | None, variables: dict[str, Any], limit: int):
    fragments = fragments_of(document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if operation_name is None or (operation.name and operation.name.value == operation_name):
            return _cost(operation.selection_set, fragments, variables, limit)
    return 0


class QueryCost(SchemaExtension):
    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self.cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            self.cost = operation_cost(
                context.graphql_document,
                context.operation_name,
                context.variables or {},
                self.maximum,
            )
            if self.cost > self.maximum:
                context.result = ExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"Kueri terlalu mahal (biaya {self.cost}, batas {self.maximum}). "
                            "Kecilkan `first` atau pilih lebih sedikit field.",
                            extensions={"code": TopLevelCode.QUERY_TOO_COMPLEX},
                        )
                    ],
                )
        yield

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "maximum": self.maximum}}
