"""The one place that reads a GraphQL request's parameters and checks them before anything
runs: body size, encoding, JSON (no NaN, no infinities, bounded nesting), the types of
`query`, `operationName`, `variables` and `extensions`, and text: no string anywhere in them
(every variable, key and argument literal of the document) holds a NUL or a lone surrogate,
which no database column should store and UTF-8 cannot even encode.

A request that is not well-formed is a `RequestError`, answered 400 whatever the client
accepts, as graphql-http's reference implementation does. `query` may be left out (or, as the
graphql-ws client must send one, empty) only by a persisted query (`extensions.persistedQuery`)
or a persisted document's `documentId`, resolved by `server.persisted_queries`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request

from resolvers.platform import TopLevelCode
from server.request_body import BodyTooLarge, read_body
from server.uploads import UploadError, multipart_params

JSON = "application/json"
MAX_JSON_BODY = 256 * 1024
MAX_JSON_DEPTH = 32  # far beyond any input type of the schema, far below Python's stack
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-requested-with", "graphql-preflight")
CONTAINERS = (dict, list)
# NUL written as an escape inside a string literal of the document (`"\u0000"`, `"\u{0}"`);
# a lone surrogate escape is already a syntax error, and raw characters are checked as text.
NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u(?:0000|\{0+\})", re.IGNORECASE)
BAD_TEXT = "Teks tidak boleh berisi karakter NUL atau surrogate tunggal."


class RequestError(Exception):
    """A request refused before it runs; `status` is its HTTP status."""

    def __init__(
        self,
        message: str,
        status: int = 400,
        code: TopLevelCode = TopLevelCode.BAD_USER_INPUT,
        *,
        retry_after: int | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.reason = reason  # `extensions.reason`: why a credential does not sign in


@dataclass(frozen=True)
class GraphQLParams:
    # None only with `extensions.persistedQuery` or `documentId` (server.persisted_queries)
    query: str | None
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    extensions: dict[str, Any] | None = None
    document_id: str | None = None


async def read_params(request: Request) -> GraphQLParams:
    if request.method == "GET":
        return checked(_from_query_string(request.query_params))
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == JSON:
        charset = _charset(content_type)
        if charset not in (None, "utf-8", "utf8"):
            raise RequestError("Hanya menerima JSON dengan charset utf-8.", 415)
        try:
            body = await read_body(request, MAX_JSON_BODY)
        except BodyTooLarge:
            raise RequestError(
                "Permintaan terlalu besar.", 413, TopLevelCode.QUERY_TOO_COMPLEX
            ) from None
        if not body.strip():
            raise RequestError("Badan permintaan kosong.")
        return checked(loads(body, "badan permintaan"))
    if media == "multipart/form-data":
        if not any(h in request.headers for h in PREFLIGHT_HEADERS):
            raise RequestError(
                "Unggahan butuh header Apollo-Require-Preflight atau X-Requested-With (CSRF)."
            )
        try:
            return checked(await multipart_params(request, loads))
        except UploadError as error:
            raise RequestError(str(error), error.status) from None
    if not media:
        raise RequestError("Header Content-Type wajib diisi.", 415)
    raise RequestError(f"Content-Type {media[:80]} tidak didukung; pakai application/json.", 415)


def _from_query_string(query: QueryParams) -> dict[str, Any]:
    params: dict[str, Any] = {"query": query.get("query")}
    for name in ("operationName", "documentId"):
        if name in query:
            params[name] = query[name]
    for name in ("variables", "extensions"):
        if query.get(name):
            params[name] = loads(query[name], f"parameter {name}")
    return params


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def loads(raw: str | bytes, what: str) -> Any:
    """JSON as the spec has it: UTF-8, no NaN or Infinity, numbers a float can hold."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        value = _DECODER.decode(text)
    except _Refused as refused:
        raise RequestError(f"JSON pada {what} tidak diterima: {refused}") from None
    except ValueError:
        raise RequestError(f"JSON pada {what} tidak valid.") from None
    except RecursionError:  # nested far deeper than the limit
        raise RequestError(_too_deep(what)) from None
    if _deeper_than(value, MAX_JSON_DEPTH):
        raise RequestError(_too_deep(what))
    return value


def _too_deep(what: str) -> str:
    return f"JSON pada {what} bersarang lebih dari {MAX_JSON_DEPTH} tingkat."


class _Refused(ValueError):
    """Text that Python's json module reads but JSON (or this API) does not have."""


def _constant(constant: str) -> Any:
    raise _Refused(f"{constant} bukan angka JSON.")


def _float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise _Refused(f"angka {literal[:40]} di luar jangkauan.")
    return number


def _int(literal: str) -> int:
    try:
        return int(literal)
    except ValueError:  # beyond Python's limit on digits
        raise _Refused("angka terlalu panjang.") from None


# One decoder for every request: `json.loads` with hooks builds a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float, parse_int=_int)


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (looked at level by level,
    so that no nesting can exhaust the stack)."""
    level, depth = [value], 0
    while level := [item for item in level if isinstance(item, CONTAINERS)]:
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, CONTAINERS)
        ]
    return False


def checked(params: Any) -> GraphQLParams:
    if isinstance(params, list):
        raise RequestError("Permintaan batch (array) tidak didukung; kirim satu operasi.")
    if not isinstance(params, dict):
        raise RequestError("Badan permintaan harus objek JSON.")
    query = params.get("query")
    if query is not None and not isinstance(query, str):
        raise RequestError("Parameter `query` harus string.")
    name = params.get("operationName")
    if name is not None and not isinstance(name, str):
        raise RequestError("Parameter `operationName` harus string.")
    document_id = params.get("documentId")
    if document_id is not None and not isinstance(document_id, str):
        raise RequestError("Parameter `documentId` harus string (sha256:<hex>).")
    for key in ("variables", "extensions"):
        if params.get(key) is not None and not isinstance(params[key], dict):
            raise RequestError(f"Parameter `{key}` harus objek JSON.")
    extensions = params.get("extensions")
    if not query and not document_id and "persistedQuery" not in (extensions or {}):
        raise RequestError("Parameter `query` wajib diisi.")
    if _holds_bad_text(params) or (query and _escapes_nul(query)):
        raise RequestError(BAD_TEXT)
    return GraphQLParams(
        query or None, name, params.get("variables"), extensions, document_id or None
    )


def _escapes_nul(query: str) -> bool:
    """Whether a string literal of the document escapes a NUL. Every such escape holds a
    backslash: without one, the pattern (slow to try at every position of a long document)
    cannot match."""
    return "\\" in query and NUL_ESCAPE.search(query) is not None


def bad_text(text: str) -> bool:
    """Whether `text` holds a NUL or a lone surrogate (one that UTF-8 cannot encode)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _holds_bad_text(value: Any) -> bool:
    """Whether any string in the JSON value, object keys included, is `bad_text` (looked at
    level by level, as `_deeper_than`)."""
    level = [value]
    while level:
        if any(isinstance(item, str) and bad_text(item) for item in level):
            return True
        level = [
            child
            for item in level
            if isinstance(item, CONTAINERS)
            for child in ([*item.keys(), *item.values()] if isinstance(item, dict) else item)
        ]
    return False
