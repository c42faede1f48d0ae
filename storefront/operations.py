"""The storefront's GraphQL operations, kept as `.graphql` files in `operations/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import DocumentNode, OperationDefinitionNode, OperationType, parse, print_ast
from graphql.utilities import separate_operations

OPERATIONS_DIR = Path(__file__).parent / "operations"


@cache
def _all_operations() -> DocumentNode:
    """The files read as one document, so a fragment in one file serves operations in all."""
    return parse("\n".join(path.read_text() for path in sorted(OPERATIONS_DIR.glob("*.graphql"))))


@cache
def documents() -> dict[str, str]:
    """Each operation by name, as the text to send: the operation and the fragments it uses."""
    return {name: print_ast(doc) for name, doc in separate_operations(_all_operations()).items()}


@cache
def queries() -> frozenset[str]:
    """The names of the operations that only read (`query`, not mutation or subscription)."""
    return frozenset(
        node.name.value
        for node in _all_operations().definitions
        if isinstance(node, OperationDefinitionNode)
        and node.operation == OperationType.QUERY
        and node.name
    )
