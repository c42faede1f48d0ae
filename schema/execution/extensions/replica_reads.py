"""Lets an operation read from the replica when every field it asks of `Query` may be a
little stale (the public catalogue, search, the city's figures) and the server allows it for
this caller (`Context.replica_allowed`: a replica in use, and no write of the caller's own in
the last seconds). Marks the context of every mutation, for the server to remember who wrote.
"""

from collections.abc import Iterator

from graphql import FieldNode
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from resolvers.platform import lag_tolerant_reads
from schema.execution.extensions.operation_choice import chosen_operation

LAG_TOLERANT = frozenset(
    {
        "__typename",
        "categories",
        "cityMonthly",
        "cityStats",
        "cooperatives",
        "kecamatan",
        "kecamatanStats",
        "kelurahanRollout",
        "product",
        "products",
        "searchSuggestions",
        "shop",
        "shops",
    }
)


class ReplicaReads(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        context = execution.context
        if execution.operation_type == OperationType.MUTATION:
            context.wrote = True
        if not (
            context.replica_allowed
            and execution.operation_type == OperationType.QUERY
            and execution.graphql_document is not None
            and _lag_tolerant(execution.graphql_document, execution._provided_operation_name)
        ):
            yield
            return
        context.read_replica = True
        with lag_tolerant_reads():
            yield


def _lag_tolerant(document, name: str | None) -> bool:
    selections = chosen_operation(document, name).selection_set.selections
    return all(
        isinstance(node, FieldNode) and node.name.value in LAG_TOLERANT for node in selections
    )
