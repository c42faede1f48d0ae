"""Picks the operation to run as the GraphQL spec says, right after parsing: the one named
by `operationName`, or the only one when it is not given. An unknown name, or several
operations and no name, is a request error (Strawberry would run the first operation, or
fail with an unexpected error)."""

from collections.abc import Iterator

from graphql import DocumentNode, GraphQLError, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from resolvers.platform import TopLevelCode

BAD_REQUEST = {"code": TopLevelCode.BAD_USER_INPUT}


def chosen_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        if len(operations) == 1:
            return operations[0]
        if not operations:
            raise GraphQLError("Dokumen tidak berisi operasi.", extensions=BAD_REQUEST)
        raise GraphQLError(
            "Dokumen berisi beberapa operasi; sebutkan yang dijalankan di `operationName`.",
            extensions=BAD_REQUEST,
        )
    for operation in operations:
        if operation.name is not None and operation.name.value == name:
            return operation
    raise GraphQLError(f"Operasi {name[:100]!r} tidak ada di dokumen.", extensions=BAD_REQUEST)


class OperationChoice(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        yield
        context = self.execution_context
        if context.graphql_document is not None:  # else a syntax error, already reported
            # The name the client sent (`operation_name` falls back to the first operation's);
            # strawberry-graphql is pinned in pyproject.toml.
            chosen_operation(context.graphql_document, context._provided_operation_name)
