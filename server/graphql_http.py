"""GraphQL over HTTP: GET and POST, `application/json` and `application/graphql-response+json`,
multipart uploads, GraphiQL for browsers.

Request errors (bad JSON, bad parameters, parse and validation failures) are answered
400 without `data` to clients that accept `application/graphql-response+json`, and 200
with `errors` to plain `application/json` clients, as the GraphQL-over-HTTP spec asks;
a body that is not JSON at all is 400 for both.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from graphql import ExecutionResult, GraphQLError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from schema import Schema
from schema.context import Context
from schema.extensions.error_codes import with_code
from server.auth import Door, Refused, client_address
from server.metrics import Metrics
from server.request_body import BodyTooLarge, read_body
from server.uploads import UploadError, multipart_params

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
MAX_JSON_BODY = 256 * 1024
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-requested-with", "graphql-preflight")
QUERY_ONLY = (OperationType.QUERY,)
QUERY_AND_MUTATION = (OperationType.QUERY, OperationType.MUTATION)


class RequestError(Exception):
    def __init__(
        self,
        message: str,
        status: int = 400,
        code: str = "BAD_USER_INPUT",
        *,
        malformed=False,
        retry_after: int = 0,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        # A body that is not JSON at all is answered 400 whatever the client accepts.
        self.malformed = malformed
        self.retry_after = retry_after


class GraphQLHTTP:
    def __init__(self, schema: Schema, services: Any, door: Door, metrics: Metrics) -> None:
        self.schema = schema
        self.services = services
        self.door = door
        self.metrics = metrics
        self.ide_html = get_graphql_ide_html()

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        media_type = _response_media_type(request.headers.get("accept", ""))
        if media_type is None:
            return _error_response(
                RequestError("Accept harus application/json.", 406), JSON, request
            )
        if _wants_ide(request):
            return HTMLResponse(self.ide_html)
        operation = "-"
        try:
            context = await self._context(request)
            params = await _params(request)
            operation = self.metrics.operation_label(params.get("operationName"))
            request.state.operation = operation
            result = await self._execute(request, params, context)
        except RequestError as error:
            self.metrics.observe(operation, error.code, time.perf_counter() - started)
            return _error_response(error, media_type, request)
        if result.errors:  # errors raised inside an extension never reached ErrorCodes
            result.errors = [with_code(e, context.request_id) for e in result.errors]
        status = _status(result, media_type)
        if context.operation_name:
            operation = self.metrics.operation_label(context.operation_name)
            request.state.operation = operation
        self.metrics.observe(operation, _outcome(result), time.perf_counter() - started)
        return _json_response(_payload(result, status != 200), status, media_type)

    async def _context(self, request: Request) -> Context:
        address = client_address(request)
        try:
            identity = await self.door.identify(request.headers, address)
            await self.door.admit(identity, address)
        except Refused as refused:
            raise RequestError(
                str(refused), refused.status, refused.code, retry_after=refused.retry_after
            ) from None
        return Context(
            services=self.services,
            request_id=request.state.request_id,
            request=request,
            viewer=identity.viewer,
            token=identity.token,
            api_key_id=identity.api_key_id,
            attempts=self.door.attempts(address),
        )

    async def _execute(
        self, request: Request, params: Mapping[str, Any], context: Context
    ) -> ExecutionResult:
        try:
            return await self.schema.execute(
                params.get("query"),
                variable_values=params.get("variables"),
                context_value=context,
                operation_name=params.get("operationName"),
                allowed_operation_types=QUERY_ONLY
                if request.method == "GET"
                else QUERY_AND_MUTATION,
                operation_extensions=params.get("extensions"),
            )
        except MissingQueryError:
            raise RequestError("Parameter `query` wajib diisi.") from None
        except InvalidOperationTypeError as error:
            if request.method == "GET" and error.operation_type == OperationType.MUTATION:
                raise RequestError("Mutation hanya lewat POST.", 405) from None
            raise RequestError(
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
        and "text/html" in request.headers.get("accept", "")
    )


async def _params(request: Request) -> dict[str, Any]:
    if request.method == "GET":
        query = request.query_params
        params: dict[str, Any] = {"query": query.get("query")}
        if "operationName" in query:
            params["operationName"] = query["operationName"]
        for name in ("variables", "extensions"):
            if query.get(name):
                params[name] = _loads(query[name], name)
        return _checked(params)
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == JSON:
        charset = _charset(content_type)
        if charset not in (None, "utf-8", "utf8"):
            raise RequestError("Hanya menerima JSON dengan charset utf-8.", 415)
        try:
            body = await read_body(request, MAX_JSON_BODY)
        except BodyTooLarge:
            raise RequestError("Permintaan terlalu besar.", 413, "QUERY_TOO_COMPLEX") from None
        if not body:
            raise RequestError("Badan permintaan kosong.")
        return _checked(_loads(body, "body"))
    if media == "multipart/form-data":
        if not any(h in request.headers for h in PREFLIGHT_HEADERS):
            raise RequestError(
                "Unggahan butuh header Apollo-Require-Preflight atau X-Requested-With (CSRF).",
            )
        try:
            return _checked(await multipart_params(request))
        except UploadError as error:
            raise RequestError(str(error), error.status) from None
    if not media:
        raise RequestError("Header Content-Type wajib diisi.", 415)
    raise RequestError(f"Content-Type {media} tidak didukung; pakai application/json.", 415)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def _loads(raw: str | bytes, what: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise RequestError(f"JSON pada {what} tidak valid.", malformed=True) from None


def _checked(params: Any) -> dict[str, Any]:
    if isinstance(params, list):
        raise RequestError("Permintaan batch (array) tidak didukung; kirim satu operasi.")
    if not isinstance(params, dict):
        raise RequestError("Badan permintaan harus objek JSON.")
    if not isinstance(params.get("query"), str):
        raise RequestError("Parameter `query` wajib berupa string.")
    if params.get("operationName") is not None and not isinstance(params["operationName"], str):
        raise RequestError("Parameter `operationName` harus string.")
    for name in ("variables", "extensions"):
        if params.get(name) is not None and not isinstance(params[name], dict):
            raise RequestError(f"Parameter `{name}` harus objek JSON.")
    return params


def _is_request_error(result: ExecutionResult) -> bool:
    return (
        result.data is None and bool(result.errors) and all(e.path is None for e in result.errors)
    )


def _status(result: ExecutionResult, media_type: str) -> int:
    if media_type == GRAPHQL_RESPONSE and _is_request_error(result):
        return 400
    return 200


def _outcome(result: ExecutionResult) -> str:
    if not result.errors:
        return "ok"
    return str((result.errors[0].extensions or {}).get("code", "ERROR"))


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
    if media_type == JSON and status == 400 and not error.malformed:
        status = 200  # application/json clients read request errors from the body
    formatted = GraphQLError(
        str(error), extensions={"code": error.code, "requestId": request.state.request_id}
    ).formatted
    response = _json_response({"errors": [formatted]}, status, media_type)
    if error.status == 405:
        response.headers["Allow"] = "POST"
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response
