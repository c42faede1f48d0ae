"""Puts the name of the operation being run on the context, for metrics and the request log:
clients often name the operation in the document and leave `operationName` out."""

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension


class RecordOperationName(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        self.execution_context.context.operation_name = self.execution_context.operation_name
        yield
