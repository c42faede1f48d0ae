"""The one place where the schema's cross-cutting extensions are switched on."""

from strawberry.extensions import MaxTokensLimiter, ParserCache

from schema import Schema, build_schema
from schema.execution.extensions import (
    DocumentValidationCache,
    ErrorCodes,
    OperationChoice,
    QueryCost,
    QueryShapeLimiter,
    RecordOperationName,
    ReplicaReads,
)
from server.settings import Settings

MAX_TOKENS = 5000
MAX_ALIASES = 30
CACHE_SIZE = 1024


def make_schema(settings: Settings, *, caches: bool = True) -> Schema:
    extensions: list = [
        ErrorCodes,
        OperationChoice,
        RecordOperationName,
        ReplicaReads,
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: QueryShapeLimiter(max_depth=settings.max_query_depth, max_aliases=MAX_ALIASES),
        lambda: QueryCost(settings.max_query_cost),
    ]
    if caches:
        extensions += [
            lambda: ParserCache(maxsize=CACHE_SIZE),
            lambda: DocumentValidationCache(maxsize=CACHE_SIZE),
        ]
    # graphql-core is pinned exactly in pyproject.toml: compiled execution uses its internals.
    return build_schema(extensions, lean=settings.compiled_execution)
