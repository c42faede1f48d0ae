"""The storefront's only way to the data: GraphQL over HTTP to the SatuPintu API."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import IO, Any

import httpx
from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException
from websockets.typing import Subprotocol

from storefront.operations import documents
from storefront.timing import record_api_call

# The address of the visitor whose page is being made: the API counts its rate and
# failed-login limits per client, so it must see the visitors, not the storefront.
VISITOR_ADDRESS: ContextVar[str | None] = ContextVar("visitor_address", default=None)
KEEPALIVE = 20.0  # seconds; proxies drop quieter streams
GRAPHQL_WS = Subprotocol("graphql-transport-ws")


class ApiUnavailable(Exception):
    """The API could not be reached, or failed in a way the visitor cannot fix."""


class QueryFailed(Exception):
    """The API refused the operation with a top-level error (`code` is its extensions.code;
    `errors` the `{field code message}` a query's bad input lists in extensions.errors)."""

    def __init__(self, code: str, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.errors = errors or []


class Api:
    """One pooled HTTP client for every request the storefront serves."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.endpoint = self.base_url + "/graphql"
        self.documents = documents()
        self._http = httpx.AsyncClient(
            timeout=timeout,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            headers={"Accept": "application/graphql-response+json, application/json"},
        )

    async def run(
        self, operation: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of one named operation from `operations/`, sent as the signed-in `token`."""
        body = self._body(operation, variables)
        return await self._send(json=body, headers=_authorization(token))

    async def upload(
        self,
        operation: str,
        variables: dict[str, Any],
        file: tuple[str, IO[bytes], str],
        *,
        token: str,
    ) -> dict[str, Any]:
        """An operation whose `$file` is `file` (name, content, type), as a multipart request."""
        body = self._body(operation, {**variables, "file": None})
        return await self._send(
            data={"operations": json.dumps(body), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": file},
            headers={**_authorization(token), "Apollo-Require-Preflight": "true"},
        )

    async def subscribe(
        self, operation: str, variables: dict[str, Any], *, token: str
    ) -> AsyncIterator[dict[str, Any] | None]:
        """Each event's `data` over graphql-transport-ws; None after `KEEPALIVE` quiet seconds."""
        url = "ws" + self.base_url.removeprefix("http") + "/graphql"
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        start = {"id": "1", "type": "subscribe", "payload": self._body(operation, variables)}
        try:
            forwarded = _authorization(None)
            async with connect(
                url, subprotocols=[GRAPHQL_WS], additional_headers=forwarded
            ) as socket:
                await socket.send(json.dumps(init))
                if json.loads(await socket.recv()).get("type") != "connection_ack":
                    raise QueryFailed("UNAUTHENTICATED", "the API refused the connection")
                await socket.send(json.dumps(start))
                while True:
                    try:
                        message = json.loads(await asyncio.wait_for(socket.recv(), KEEPALIVE))
                    except TimeoutError:
                        yield None
                        continue
                    if message.get("type") == "ping":
                        await socket.send(json.dumps({"type": "pong"}))
                    elif message.get("type") == "next":
                        yield message["payload"]["data"]
                    else:  # error or complete: the feed is over
                        return
        except (OSError, WebSocketException) as error:
            raise ApiUnavailable(str(error)) from error

    def _body(self, operation: str, variables: dict[str, Any] | None) -> dict[str, Any]:
        body: dict[str, Any] = {"query": self.documents[operation], "operationName": operation}
        if variables:
            body["variables"] = variables
        return body

    async def _send(self, **request: Any) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            response = await self._http.post(self.endpoint, **request)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ApiUnavailable(str(error)) from error
        finally:
            record_api_call(time.perf_counter() - started)
        if not isinstance(answer, dict):
            raise ApiUnavailable(f"HTTP {response.status_code}")
        for problem in answer.get("errors") or []:
            extensions = problem.get("extensions") or {}
            code = extensions.get("code", "")
            if code in (
                "UNAUTHENTICATED",
                "NOT_FOUND",
                "BAD_USER_INPUT",
                "FORBIDDEN",
                "RATE_LIMITED",
            ):
                raise QueryFailed(code, problem.get("message", ""), extensions.get("errors"))
            raise ApiUnavailable(f"{code}: {problem.get('message')}")
        if answer.get("data") is None:
            raise ApiUnavailable(f"HTTP {response.status_code} without data")
        return answer["data"]

    def absolute(self, url: str) -> str:
        """A media URL the API gave relative to itself (local storage), made absolute."""
        return self.base_url + url if url.startswith("/") else url

    async def close(self) -> None:
        await self._http.aclose()


def _authorization(token: str | None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if address := VISITOR_ADDRESS.get():
        headers["X-Forwarded-For"] = address
    return headers


class ForwardVisitor:
    """Middleware: API calls made for a request name the request's client (see VISITOR_ADDRESS)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        token = VISITOR_ADDRESS.set(client[0] if client else None)
        try:
            await self.app(scope, receive, send)
        finally:
            VISITOR_ADDRESS.reset(token)
