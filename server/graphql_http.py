"""GraphQL over HTTP: GET and POST, `application/json` and `application/graphql-response+json`,
multipart uploads, GraphiQL for browsers.

A request that is not well-formed (bad JSON, bad parameters: `server.graphql_params`) is
answered 400. GraphQL request errors (parse and validation failures, no operation to run)
are answered 400 without `data` to clients that accept `application/graphql-response+json`
and 200 with `errors` to plain `application/json` clients, as the GraphQL-over-HTTP spec
asks and graphql-http's reference implementation does.

Which document runs (full text, persisted hash, trusted-only mode) is
`server.persisted_queries`'s; the caching headers are `server.http_caching`'s.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import replace
from typing import Any

from graphql import GraphQLError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from resolvers.platform import ServiceUnavailable, TopLevelCode, is_outage, set_replica_usable
from schema import Schema
from schema.execution import REFERENCE
from schema.execution.extensions import with_code
from schema.platform import Context
from server.auth import Door, Refused, client_address
from server.graphiql import GraphiQL
from server.graphql_params import JSON, GraphQLParams, RequestError, read_params
from server.http_caching import HttpCaching
from server.metrics import Metrics
from server.persisted_queries import PersistedQueries
from server.replica import RecentWrites

logger = logging.getLogger("satupintu.graphql")
GRAPHQL_RESPONSE = "application/graphql-response+json"
QUERY_ONLY = (OperationType.QUERY,)
QUERY_AND_MUTATION = (OperationType.QUERY, OperationType.MUTATION)
OUTAGE_RETRY_AFTER = 5  # seconds; a client's hint, the server retries on every request


class DocumentError(RequestError):
    """A GraphQL request error about the document, answered 200 to application/json."""


class GraphQLHTTP:
    def __init__(
        self,
        schema: Schema,
        services: Any,
        door: Door,
        metrics: Metrics,
        persisted: PersistedQueries,
        caching: HttpCaching,
        recent_writes: RecentWrites | None = None,
    ) -> None:
        self.schema = schema
        self.services = services
        self.door = door
        self.metrics = metrics
        self.persisted = persisted
        self.caching = caching
        self.recent_writes = recent_writes  # None without a read replica
        self.graphiql = GraphiQL()

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        media_type = _response_media_type(request.headers.get("accept", ""))
        if media_type is None:
            return _error_response(
                RequestError("Accept harus application/json.", 406), JSON, request
            )
        if _wants_ide(request):
            return self.graphiql.page()
        operation = "-"
        try:
            context = await self._context(request)
            params = await read_params(request)
            operation = self.metrics.operation_label(params.operation_name)
            request.state.operation = operation
            document = await self.persisted.document(
                params, has_api_key=context.api_key_id is not None
            )
            result = await self._execute(request, document.text, params, context)
            if context.read_replica and result.errors:  # a read only: the primary answers it
                if _status(result, media_type) == 503:  # the replica is down
                    set_replica_usable(False)  # until its next check finds it well
                context = replace(context, replica_allowed=False, read_replica=False, extra={})
                result = await self._execute(request, document.text, params, context)
        except RequestError as error:
            self.metrics.observe(operation, error.code, time.perf_counter() - started)
            return self.caching.finish(
                request, _error_response(error, media_type, request), cacheable=False
            )
        if result.errors:  # errors raised inside an extension never reached ErrorCodes
            result.errors = [with_code(e, context.request_id) for e in result.errors]
        if not _is_request_error(result):
            await self.persisted.store_document(document)
        if context.wrote and context.viewer is not None and self.recent_writes is not None:
            await self.recent_writes.mark(context.viewer.id)
        status = _status(result, media_type)
        if context.operation_name:
            operation = self.metrics.operation_label(context.operation_name)
            request.state.operation = operation
        self.metrics.observe(operation, _outcome(result), time.perf_counter() - started)
        # With COMPILED_EXECUTION=off nothing names the executor: every executed operation
        # (one with `data`) was graphql-core's.
        self.metrics.executed_by(
            context.executor or (REFERENCE if result.data is not None else None)
        )
        response = _json_response(_payload(result, status not in (200, 503)), status, media_type)
        if status == 503:
            response.headers["Retry-After"] = str(OUTAGE_RETRY_AFTER)
        return self.caching.finish(request, response, cacheable=not result.errors)

    async def _context(self, request: Request) -> Context:
        address = client_address(request)
        try:
            identity = await self.door.identify(request.headers, address)
            await self.door.admit(identity, address)
        except Refused as refused:
            raise RequestError(
                str(refused),
                refused.status,
                refused.code,
                retry_after=refused.retry_after or None,
                reason=refused.reason,
            ) from None
        except Exception as error:
            if not is_outage(error):
                raise
            logger.warning("database unavailable: %r", error)
            raise RequestError(
                ServiceUnavailable().args[0],
                503,
                TopLevelCode.SERVICE_UNAVAILABLE,
                retry_after=OUTAGE_RETRY_AFTER,
            ) from None
        return Context(
            services=self.services,
            request_id=request.state.request_id,
            request=request,
            viewer=identity.viewer,
            token=identity.token,
            api_key_id=identity.api_key_id,
            attempts=self.door.attempts(address),
            replica_allowed=await self._may_read_replica(identity.viewer),
        )

    async def _may_read_replica(self, viewer: Any) -> bool:
        """Whether this caller's lag-tolerant reads may lag: not after a write of their own."""
        if self.recent_writes is None:
            return False
        return viewer is None or not await self.recent_writes.wrote_recently(viewer.id)

    async def _execute(
        self, request: Request, document: str, params: GraphQLParams, context: Context
    ) -> ExecutionResult:
        try:
            return await self.schema.execute(
                document,
                variable_values=params.variables,
                context_value=context,
                operation_name=params.operation_name,
                allowed_operation_types=QUERY_ONLY
                if request.method == "GET"
                else QUERY_AND_MUTATION,
                operation_extensions=params.extensions,
            )
        except InvalidOperationTypeError as error:
            if request.method == "GET" and error.operation_type == OperationType.MUTATION:
                raise RequestError("Mutation hanya lewat POST.", 405) from None
            raise DocumentError(
                "Subscription hanya lewat WebSocket (graphql-transport-ws)."
            ) from None


def _response_media_type(accept: str) -> str | None:
    """The media type to answer with; None when the client accepts neither JSON form."""
    if not accept.strip():
        return JSON
    ranges = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    for media in ranges:
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    if "text/html" in ranges:
        return JSON  # a browser navigating to /graphql?query=...
    return None


def _wants_ide(request: Request) -> bool:
    return (
        request.method == "GET"
        and "query" not in request.query_params
        and "extensions" not in request.query_params
        and "documentId" not in request.query_params
        and "text/html" in request.headers.get("accept", "")
    )


def _is_request_error(result: ExecutionResult) -> bool:
    return (
        result.data is None
        and bool(result.errors)
        and all(e.path is None for e in result.errors or ())
    )


def _status(result: ExecutionResult, media_type: str) -> int:
    if any(_code(e) == TopLevelCode.SERVICE_UNAVAILABLE for e in result.errors or ()):
        return 503
    if media_type == GRAPHQL_RESPONSE and _is_request_error(result):
        return 400
    return 200


def _code(error: GraphQLError) -> str:
    return str((error.extensions or {}).get("code", "ERROR"))


def _outcome(result: ExecutionResult) -> str:
    return _code(result.errors[0]) if result.errors else "ok"


def _payload(result: ExecutionResult, omit_data: bool) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if not (omit_data or _is_request_error(result)):
        payload["data"] = result.data
    if result.errors:
        payload["errors"] = [e.formatted for e in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


def _json_response(payload: dict[str, Any], status: int, media_type: str) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_upload_name)
    return Response(body, status, media_type=f"{media_type}; charset=utf-8")


def _upload_name(value: Any) -> Any:
    if isinstance(value, UploadFile):
        return value.filename
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _error_response(error: RequestError, media_type: str, request: Request) -> Response:
    status = error.status
    if media_type == JSON and isinstance(error, DocumentError):
        status = 200  # application/json clients read GraphQL request errors from the body
    extensions = {"code": error.code, "requestId": request.state.request_id}
    if error.reason:
        extensions["reason"] = error.reason
    formatted = GraphQLError(str(error), extensions=extensions).formatted
    response = _json_response({"errors": [formatted]}, status, media_type)
    if error.status == 405:
        response.headers["Allow"] = "POST"
    if error.retry_after is not None:
        response.headers["Retry-After"] = str(error.retry_after)
    return response
