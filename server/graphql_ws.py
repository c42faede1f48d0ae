"""GraphQL over WebSocket (`graphql-transport-ws`), authenticated by the `connection_init`
payload, and the same door as HTTP: every operation is counted against the same limits
and runs only while the token it was opened with holds. A logout or revocation on any
worker closes the socket (4401); so does the end of its session. Credentials that do not sign
in close it 4403 with the reason (TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED). Each
operation's document is chosen as over HTTP (`server.persisted_queries`: a trusted document's
hash may stand for its text, and TRUSTED_DOCUMENTS=only holds); documents are stored for their
hash over HTTP only."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any, cast

from graphql import GraphQLFormattedError
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ErrorMessage
from strawberry.types.unset import UNSET, UnsetType

from resolvers.platform import live_until, real_now, telling
from schema.platform import Context
from server.auth import Door, Identity, Refused, client_address
from server.graphql_params import RequestError, checked
from server.persisted_queries import PersistedQueries
from server.session_watch import SessionWatch

SESSION_ENDED = (4401, "Sesi berakhir")


class GraphQLWebSocket(GraphQL[Context, None]):
    def __init__(
        self,
        schema: Any,
        services: Any,
        door: Door,
        watch: SessionWatch,
        persisted: PersistedQueries,
        *,
        allowed_origins: Sequence[str] = (),
    ) -> None:
        # A browser page on another origin may open a socket only from CORS_ORIGINS, the
        # origins HTTP's CORS allows (strawberry answers other cross-origin handshakes 403).
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=allowed_origins,
        )
        self.services = services
        self.door = door
        self.watch = watch
        self.persisted = persisted
        self.graphql_transport_ws_handler_class = SameDoorHandler

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(
            services=self.services,
            request_id=request.scope.get("state", {}).get("request_id", "-"),
            request=request,
            attempts=self.door.attempts(client_address(request)),
        )

    async def admitted(self, params: dict[str, Any], request: Request | WebSocket) -> Identity:
        """Who the connection_init payload's credentials prove, counted against their limit;
        Refused as over HTTP."""
        headers = {}
        if isinstance(params.get("authorization"), str):
            headers["authorization"] = params["authorization"]
        if isinstance(params.get("apiKey"), str):
            headers["x-api-key"] = params["apiKey"]
        address = client_address(request)
        identity = await self.door.identify(headers, address)
        await self.door.admit(identity, address)
        return identity

    async def on_ws_connect(self, context: Context) -> UnsetType:
        identity: Identity = context.extra["identity"]  # SameDoorHandler admitted it
        context.viewer = identity.viewer
        context.token = identity.token
        context.api_key_id = identity.api_key_id
        context.extra["identity"] = identity
        return UNSET


class SameDoorHandler(BaseGraphQLTransportWSHandler[Context, None]):
    guard: asyncio.Task[None] | None = None

    @property
    def door_view(self) -> GraphQLWebSocket:
        return cast(GraphQLWebSocket, self.view)

    @property
    def identity(self) -> Identity:
        return self.context.extra["identity"]

    async def handle_connection_init(self, message: Any) -> None:
        payload = message.get("payload", {})
        if isinstance(payload, dict) and not self.connection_init_received:
            try:
                self.context.extra["identity"] = await self.door_view.admitted(
                    payload, self.context.request
                )
            except Refused as refused:
                # 4403 as graphql-transport-ws has it, the reason saying why (TOKEN_EXPIRED,
                # TOKEN_REVOKED, TOKEN_INVALID, or the code of another refusal).
                self.connection_init_received = True
                reason = refused.reason.value if refused.reason else refused.code.value
                await self.websocket.close(code=4403, reason=reason)
                return
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self.guard is None:
            self.guard = asyncio.create_task(self._close_when_the_session_ends())

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged:
            door = self.door_view.door
            try:
                await door.admit(self.identity, client_address(self.context.request))
                document = await self.door_view.persisted.document(
                    checked(message.get("payload")),
                    has_api_key=self.identity.api_key_id is not None,
                )
            except (Refused, RequestError) as refused:
                error: GraphQLFormattedError = {
                    "message": str(refused),
                    "extensions": {"code": refused.code},
                }
                await self.send_message(
                    ErrorMessage(id=message["id"], type="error", payload=[error])
                )
                return
            if not await door.still_valid(self.identity):
                await self.websocket.close(*SESSION_ENDED)
                return
            message["payload"]["query"] = document.text
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Any) -> None:
        """A mutation over the socket wakes the feeds of whoever it told, as over HTTP."""
        async with telling(self.door_view.services.events):
            await super().run_operation(operation)

    async def shutdown(self) -> None:
        if self.guard is not None:
            self.guard.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.guard
        await super().shutdown()

    async def _close_when_the_session_ends(self) -> None:
        identity = self.identity
        if identity.token is None and identity.api_key_id is None:
            return
        revoked = asyncio.Event()
        unwatch = self.door_view.watch.watch(identity, revoked.set)
        try:
            while not revoked.is_set():
                ends = None
                if identity.token:
                    ends = await live_until(identity.token, self.door_view.door.policy)
                    if ends is None:
                        break
                timeout = (ends - real_now()).total_seconds() if ends else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(revoked.wait(), timeout)
            await self.websocket.close(*SESSION_ENDED)
        finally:
            unwatch()
