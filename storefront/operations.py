"""The storefront's GraphQL operations, kept as `.graphql` files in `operations/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import parse, print_ast
from graphql.utilities import separate_operations

OPERATIONS_DIR = Path(__file__).parent / "operations"


@cache
def documents() -> dict[str, str]:
    """Each operation by name, as the text to send: the operation and the fragments it uses.

    The files are read as one document, so a fragment in one file serves operations in all.
    """
    text = "\n".join(path.read_text() for path in sorted(OPERATIONS_DIR.glob("*.graphql")))
    return {name: print_ast(doc) for name, doc in separate_operations(parse(text)).items()}
