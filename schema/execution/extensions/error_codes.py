"""Gives every top-level error an `extensions.code`, and masks unexpected ones.

graphql-core's own request errors (syntax, validation, variables) are put in Bahasa
Indonesia (`translated_errors`), the English kept in `extensions.originalMessage`.

An exception the code did not expect becomes `INTERNAL` with the request id, so that a
client can quote it and an operator can find the logged traceback; nothing else leaks.
"""

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.relay import GlobalIDValueError

from resolvers.platform import NotFound, QueryError, ServiceUnavailable, TopLevelCode, is_outage
from schema.execution.extensions.translated_errors import translate
from schema.platform import ScalarInputError

# graphql-core's wording when MaxTokensLimiter stops the parser.
TOKEN_LIMIT = "Syntax Error: Document contains more than"
INTERNAL_MESSAGE = "Terjadi kesalahan di server. Sebutkan kode {request_id} bila melapor."


def classify(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, QueryError):
        return original.code
    if isinstance(original, GlobalIDValueError):
        return NotFound.code
    if is_outage(original):
        return ServiceUnavailable.code
    if error.message.startswith(TOKEN_LIMIT):
        return TopLevelCode.QUERY_TOO_COMPLEX
    if original is None or isinstance(original, GraphQLError | ScalarInputError):
        existing = (error.extensions or {}).get("code")
        return existing or TopLevelCode.BAD_USER_INPUT
    return TopLevelCode.INTERNAL


def with_code(error: GraphQLError, request_id: str) -> GraphQLError:
    if (error.extensions or {}).get("code"):
        return error
    code = classify(error)
    if code == TopLevelCode.INTERNAL:
        return GraphQLError(
            INTERNAL_MESSAGE.format(request_id=request_id),
            nodes=error.nodes,
            path=error.path,
            extensions={"code": code, "requestId": request_id},
        )
    if isinstance(error.original_error, GlobalIDValueError):
        error.message = NotFound().args[0]
    elif code == TopLevelCode.SERVICE_UNAVAILABLE and not isinstance(
        error.original_error, QueryError
    ):  # a driver's words are internals
        error.message = ServiceUnavailable().args[0]
    extensions = {**(error.extensions or {}), "code": code}
    if not isinstance(error.original_error, QueryError | ScalarInputError):
        translated = translate(error.message)
        if translated is not None:
            extensions["originalMessage"] = error.message
            error.message = translated
    error.extensions = extensions
    return error


class ErrorCodes(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        self._code(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Each result a subscription sends over WebSocket."""
        self._code(result)
        yield

    def _code(self, result: Any) -> None:
        if result and getattr(result, "errors", None):
            request_id = getattr(self.execution_context.context, "request_id", "-")
            result.errors = [with_code(e, request_id) for e in result.errors]
