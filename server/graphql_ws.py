"""Subscriptions over WebSocket (`graphql-transport-ws`), authenticated by the
`connection_init` payload."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from schema.context import Context
from server.auth import AuthFailure, authenticate


class GraphQLWebSocket(GraphQL[Context, None]):
    def __init__(self, schema: Any, services: Any) -> None:
        super().__init__(
            schema, graphql_ide=None, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,)
        )
        self.services = services

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(
            services=self.services,
            request_id=request.scope.get("state", {}).get("request_id", "-"),
            request=request,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType:
        params = context.connection_params or {}
        headers = {}
        if isinstance(params.get("authorization"), str):
            headers["authorization"] = params["authorization"]
        if isinstance(params.get("apiKey"), str):
            headers["x-api-key"] = params["apiKey"]
        try:
            identity = await authenticate(headers)
        except AuthFailure as failure:
            raise ConnectionRejectionError({"message": str(failure)}) from None
        context.viewer = identity.viewer
        context.token = identity.token
        context.api_key_id = identity.api_key_id
        return UNSET
