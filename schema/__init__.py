"""The GraphQL contract: one module per domain, combined here."""

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from resolvers.platform import TopLevelCode
from schema import bills, city, loans, search, shops, shu
from schema.catalog import images, product
from schema.cooperatives import cooperative, savings
from schema.execution import CompiledExecutionContext, classify, lean_resolvers
from schema.orders import cart, order
from schema.platform import SCALAR_OVERRIDES, accounts, clock, regions

SDL_PATH = Path(__file__).parent / "schema.graphql"

logger = logging.getLogger("satupintu.graphql")


QUERIES = (
    accounts.Query,
    clock.Query,
    regions.Query,
    shops.Query,
    product.Query,
    search.Query,
    cart.Query,
    order.Query,
    cooperative.Query,
    shu.Query,
    city.Query,
)
MUTATIONS = (
    accounts.Mutation,
    clock.Mutation,
    shops.Mutation,
    product.Mutation,
    images.Mutation,
    cart.Mutation,
    order.Mutation,
    cooperative.Mutation,
    savings.Mutation,
    shu.Mutation,
    loans.Mutation,
    bills.Mutation,
    city.Mutation,
)
SUBSCRIPTIONS = (order.Subscription, cooperative.Subscription)


def _node_query() -> type:
    # Built afresh per schema: strawberry's relay field can be bound to one schema only.
    @strawberry.type
    class NodeQuery:
        node: relay.Node | None = relay.node(description="Any object by its global id.")

    return NodeQuery


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            code = classify(error)
            request_id = getattr(getattr(execution_context, "context", None), "request_id", "-")
            if code == TopLevelCode.SERVICE_UNAVAILABLE:
                logger.warning(
                    "service unavailable in %s [request %s]: %r",
                    error.path,
                    request_id,
                    error.original_error,
                )
            elif code == TopLevelCode.INTERNAL:
                logger.error(
                    "unexpected error in %s [request %s]",
                    error.path,
                    request_id,
                    exc_info=error.original_error,
                )


def build_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    *,
    lean: bool = False,
) -> Schema:
    """The schema; `lean` switches on compiled execution (`schema.execution.compiled`)."""
    schema = Schema(
        query=merge_types("Query", (_node_query(), *QUERIES)),
        mutation=merge_types("Mutation", MUTATIONS),
        subscription=merge_types("Subscription", SUBSCRIPTIONS),
        extensions=list(extensions),
        execution_context_class=CompiledExecutionContext if lean else None,
        scalar_overrides=SCALAR_OVERRIDES,
        config=StrawberryConfig(relay_max_results=100),
    )
    if lean:
        lean_resolvers(schema)
    return schema


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
