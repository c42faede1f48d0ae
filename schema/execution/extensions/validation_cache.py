"""Validation results kept per document object, as `schema.execution.plan` keeps plans.

Strawberry's `ValidationCache` is an `lru_cache` keyed by the document, and a graphql-core
document hashes by walking all of its nodes (the contract's `SearchProducts`: about 0.15 ms,
on every request). The parser cache hands the same document object to every request with the
same text, so its identity is key enough: an entry keeps its schema and document alive, so
that their ids are not reused while it is cached. A document parsed again (after the parser
cache let it go) is validated again; the rules are part of the key, as in Strawberry's.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document


@dataclass(slots=True, frozen=True)
class _Validated:
    schema: GraphQLSchema  # kept alive so that its id is not reused
    document: DocumentNode  # likewise
    errors: list[GraphQLError]


class ValidatedDocuments:
    """Validation errors by (schema, document, rules) identity; LRU, bounded."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[tuple[int, int, Any], _Validated] = OrderedDict()
        self.hits = self.misses = 0

    def errors(
        self, schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]
    ) -> list[GraphQLError]:
        key = (id(schema), id(document), rules)
        entry = self.entries.get(key)
        if entry is not None and entry.schema is schema and entry.document is document:
            self.entries.move_to_end(key)
            self.hits += 1
            return entry.errors
        self.misses += 1
        errors = validate_document(schema, document, rules)
        self.entries[key] = _Validated(schema, document, errors)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return errors


_caches: dict[int, ValidatedDocuments] = {}


def validated_documents(size: int) -> ValidatedDocuments:
    """The cache of this size, shared by every request (as Strawberry's is per `maxsize`)."""
    cache = _caches.get(size)
    if cache is None:
        cache = _caches[size] = ValidatedDocuments(size)
    return cache


class DocumentValidationCache(SchemaExtension):
    def __init__(self, maxsize: int) -> None:
        self.cache = validated_documents(maxsize)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = self.cache.errors(
            context.schema._schema, context.graphql_document, tuple(context.validation_rules)
        )
        yield
