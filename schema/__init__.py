"""The GraphQL contract: one module per domain, combined here."""

import inspect
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry import relay
from strawberry.extensions import SchemaExtension
from strawberry.relay import GlobalID, GlobalIDValueError
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from resolvers.platform import TopLevelCode
from schema import bills, city, loans, search, shops, shu
from schema.catalog import images, product, reviews, variants
from schema.cooperatives import (
    book_year,
    books,
    cooperative,
    deposits,
    loan_groups,
    opening,
    rat,
    savings,
)
from schema.execution import CompiledExecutionContext, classify, lean_resolvers
from schema.orders import cart, complaint, order, shipping, voucher
from schema.payouts import books as platform_books
from schema.payouts import payouts
from schema.platform import SCALAR_OVERRIDES, accounts, clock, notifications, regions

SDL_PATH = Path(__file__).parent / "schema.graphql"

logger = logging.getLogger("satupintu.graphql")


QUERIES = (
    accounts.Query,
    clock.Query,
    notifications.Query,
    regions.Query,
    shops.Query,
    product.Query,
    search.Query,
    cart.Query,
    order.Query,
    shipping.Query,
    complaint.Query,
    reviews.Query,
    cooperative.Query,
    shu.Query,
    city.Query,
    payouts.Query,
    platform_books.Query,
)
MUTATIONS = (
    accounts.Mutation,
    clock.Mutation,
    notifications.Mutation,
    shops.Mutation,
    product.Mutation,
    images.Mutation,
    variants.Mutation,
    cart.Mutation,
    order.Mutation,
    shipping.Mutation,
    complaint.Mutation,
    voucher.Mutation,
    reviews.Mutation,
    cooperative.Mutation,
    savings.Mutation,
    deposits.Mutation,
    loan_groups.Mutation,
    books.Mutation,
    book_year.Mutation,
    rat.Mutation,
    opening.Mutation,
    shu.Mutation,
    loans.Mutation,
    bills.Mutation,
    city.Mutation,
    payouts.Mutation,
    platform_books.Mutation,
)
SUBSCRIPTIONS = (order.Subscription, cooperative.Subscription, notifications.Subscription)


def _node_query() -> type:
    @strawberry.type
    class NodeQuery:
        @strawberry.field(
            description="Any object by its global id; null when no object the viewer may see"
            " has it (a missing, hidden or malformed id alike, as `product(slug:)` answers)."
        )
        async def node(
            self,
            info: Info,
            id: Annotated[strawberry.ID, strawberry.argument(description="The ID of the object.")],
        ) -> relay.Node | None:
            try:
                global_id = GlobalID.from_id(id)
                node_type = global_id.resolve_type(info)
            except (GlobalIDValueError, ValueError):
                return None
            found = node_type.resolve_node(global_id.node_id, info=info, required=False)
            return await found if inspect.isawaitable(found) else found

    return NodeQuery


QUERY = (
    "Reads. Public ones need no credentials; the rest need `Authorization: Bearer <token>` "
    "(from login or register) or `X-Api-Key`. A private object the caller may not see "
    "answers null, like a missing one."
)
MUTATION = (
    "Changes. Each answers a payload whose `errors` lists the problems a user can fix (a "
    "UserError with a stable code and a message in Bahasa Indonesia)."
)
SUBSCRIPTION = (
    "Live events over WebSocket (`graphql-transport-ws` at /graphql; the `connection_init` "
    'payload carries `{"authorization": "Bearer <token>"}`, and `apiKey` for a key).'
)


def _root(name: str, types: tuple[type, ...], description: str) -> type:
    merged = merge_types(name, types)
    merged.__strawberry_definition__.description = description  # type: ignore[attr-defined]
    return merged


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
        query=_root("Query", (_node_query(), *QUERIES), QUERY),
        mutation=_root("Mutation", MUTATIONS, MUTATION),
        subscription=_root("Subscription", SUBSCRIPTIONS, SUBSCRIPTION),
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
