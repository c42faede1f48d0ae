"""The storefront's only way to the data: GraphQL over HTTP to the SatuPintu API.

Operations go as Apollo's persisted-query link sends them (`createPersistedQueryLink` with
`useGETForHashedQueries`): the SHA-256 of the document in `extensions.persistedQuery` instead
of the document, which follows (by POST) only when the API answers PersistedQueryNotFound.
Anonymous queries go by GET, which the API lets caches keep (by POST when the URL would pass
MAX_GET_URL); the rest by POST. Uploads and subscriptions send the document's text as well.
"""

from __future__ import annotations

import asyncio
import hashlib
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

from storefront.operations import documents, queries
from storefront.timing import record_api_call

# The address of the visitor whose page is being made: the API counts its rate and
# failed-login limits per client, so it must see the visitors, not the storefront.
VISITOR_ADDRESS: ContextVar[str | None] = ContextVar("visitor_address", default=None)
KEEPALIVE = 20.0  # seconds; proxies drop quieter streams
GRAPHQL_WS = Subprotocol("graphql-transport-ws")
MAX_GET_URL = 2000  # characters; a longer read goes by POST (proxies and CDNs cut long URLs)


class ApiUnavailable(Exception):
    """The API could not be reached, or failed in a way the visitor cannot fix."""


class QueryFailed(Exception):
    """The API refused the operation with a top-level error (`code` is its extensions.code;
    `errors` the `{field code message}` a query's bad input lists in extensions.errors)."""

    def __init__(self, code: str, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.errors = errors or []


class DocumentNotFound(ApiUnavailable):
    """The API knows no document by the hash sent (PersistedQueryNotFound)."""


class Api:
    """One pooled HTTP client for every request the storefront serves."""

    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.endpoint = self.base_url + "/graphql"
        self.documents = documents()
        self.queries = queries()
        self._http = httpx.AsyncClient(
            timeout=timeout,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            headers={"Accept": "application/graphql-response+json, application/json"},
        )

    async def run(
        self, operation: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """The `data` of one named operation from `operations/`, sent as the signed-in `token`:
        by hash, and by GET when it is an anonymous query."""
        body = self._body(operation, variables, text=False)
        headers = _authorization(token)
        url = self._read_url(body) if token is None and operation in self.queries else None
        try:
            if url is not None:
                return await self._send("GET", url, headers=headers)
            return await self._send("POST", self.endpoint, json=body, headers=headers)
        except DocumentNotFound:
            body = self._body(operation, variables, text=True)
            return await self._send("POST", self.endpoint, json=body, headers=headers)

    async def upload(
        self,
        operation: str,
        variables: dict[str, Any],
        file: tuple[str, IO[bytes], str],
        *,
        token: str,
        at: str = "file",
    ) -> dict[str, Any]:
        """An operation whose variable at the dotted path `at` (`file`, or an input's field such
        as `input.receiptPhoto`; null in `variables`) is `file` (name, content, type), as a
        multipart request with the document's text (a retry for it would send the file
        again)."""
        body = self._body(operation, variables, text=True)
        return await self._send(
            "POST",
            self.endpoint,
            data={"operations": json.dumps(body), "map": json.dumps({"0": [f"variables.{at}"]})},
            files={"0": file},
            headers={**_authorization(token), "Apollo-Require-Preflight": "true"},
        )

    async def subscribe(
        self, operation: str, variables: dict[str, Any], *, token: str
    ) -> AsyncIterator[dict[str, Any] | None]:
        """Each event's `data` over graphql-transport-ws; None after `KEEPALIVE` quiet seconds.
        The document's text goes too: the API stores no documents sent over WebSocket."""
        url = "ws" + self.base_url.removeprefix("http") + "/graphql"
        init = {"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}
        start = {
            "id": "1",
            "type": "subscribe",
            "payload": self._body(operation, variables, text=True),
        }
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
                        payload = message["payload"]
                        if payload.get("data") is None and payload.get("errors"):
                            first = payload["errors"][0]  # e.g. the right to follow ended
                            code = first.get("extensions", {}).get("code", "")
                            raise QueryFailed(code, first.get("message", ""))
                        yield payload["data"]
                    else:  # error or complete: the feed is over
                        return
        except (OSError, WebSocketException) as error:
            raise ApiUnavailable(str(error)) from error

    def _body(
        self, operation: str, variables: dict[str, Any] | None, *, text: bool
    ) -> dict[str, Any]:
        """The request's parameters: the document's hash, and with `text` the document."""
        document = self.documents[operation]
        sha256_hash = hashlib.sha256(document.encode()).hexdigest()
        body: dict[str, Any] = {
            "operationName": operation,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}},
        }
        if text:
            body["query"] = document
        if variables:
            body["variables"] = variables
        return body

    def _read_url(self, body: dict[str, Any]) -> httpx.URL | None:
        """The GET URL for `body`; None when it would be longer than MAX_GET_URL."""
        params = {key: _compact(value) for key, value in body.items()}
        url = httpx.URL(self.endpoint, params=params)
        return url if len(str(url)) <= MAX_GET_URL else None

    async def _send(self, method: str, url: httpx.URL | str, **request: Any) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            response = await self._http.request(method, url, **request)
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
            if code == "PERSISTED_QUERY_NOT_FOUND":
                raise DocumentNotFound(problem.get("message", ""))
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
        """A media URL, absolute: the API gives absolute ones; a path is taken as the API's."""
        return self.base_url + url if url.startswith("/") else url

    async def close(self) -> None:
        await self._http.aclose()


def _compact(value: Any) -> str:
    """A GET parameter: strings as they are, objects as JSON without spaces."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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
