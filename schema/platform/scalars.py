"""Custom scalars: `Rupiah` (whole rupiah beyond 32 bits) and Jakarta-time `DateTime`; the
descriptions and `@specifiedBy` links of Strawberry's `Date` and `Upload`."""

import dataclasses
from datetime import date, datetime
from typing import Any, NewType

import strawberry
from graphql import IntValueNode, ValueNode
from strawberry.file_uploads import Upload
from strawberry.file_uploads.scalars import UploadDefinition
from strawberry.schema.types.base_scalars import DateDefinition

from resolvers.platform import JAKARTA

MAX_SAFE = 2**53 - 1


class ScalarInputError(ValueError):
    """A client's value that a custom scalar refuses: bad input, never a server fault."""


def _parse_rupiah(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ScalarInputError("Rupiah must be a whole number of rupiah")
    if not -MAX_SAFE <= value <= MAX_SAFE:
        raise ScalarInputError("Rupiah must be within ±(2^53-1)")
    return value


def _parse_rupiah_literal(node: ValueNode, _variables: Any = None) -> int:
    if not isinstance(node, IntValueNode):
        raise ScalarInputError("Rupiah must be a whole number of rupiah")
    return _parse_rupiah(int(node.value))


Rupiah = strawberry.scalar(
    NewType("Rupiah", int),
    name="Rupiah",
    description=(
        "An amount of whole rupiah as a JSON integer, never a string or a fraction; safe up "
        "to ±(2^53-1) (GraphQL Int overflows at Rp2.147.483.647, which one cooperative's "
        "savings pass). In TypeScript: number."
    ),
    serialize=_parse_rupiah,
    parse_value=_parse_rupiah,
    parse_literal=_parse_rupiah_literal,
)


def _serialize_datetime(value: datetime) -> str:
    return value.astimezone(JAKARTA).isoformat()


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ScalarInputError("DateTime must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise ScalarInputError("DateTime must be an ISO 8601 string") from error
    if parsed.tzinfo is None:
        raise ScalarInputError("DateTime needs a UTC offset, e.g. 2026-11-28T09:00:00+07:00")
    return parsed


DateTimeScalar = strawberry.scalar(
    NewType("DateTime", datetime),
    name="DateTime",
    description=(
        "A date and time with its UTC offset, as RFC 3339 (ISO 8601) text, e.g. "
        '"2026-11-28T09:00:00+07:00". Answers are in Asia/Jakarta time (+07:00); an input may '
        "be any ISO 8601 date and time with an offset (one without is refused). In TypeScript: "
        "string."
    ),
    specified_by_url="https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
    serialize=_serialize_datetime,
    parse_value=_parse_datetime,
)

DateScalar = dataclasses.replace(
    DateDefinition,
    description=(
        'A calendar day as ISO 8601 / RFC 3339 full-date text, "YYYY-MM-DD" (e.g. "2026-11-28"), '
        "a day of Asia/Jakarta. In TypeScript: string."
    ),
    specified_by_url="https://datatracker.ietf.org/doc/html/rfc3339#section-5.6",
)

UploadScalar = dataclasses.replace(
    UploadDefinition,
    description=(
        "A file sent with the operation as a part of a multipart/form-data request (the GraphQL "
        "multipart request spec: `operations`, `map`, then the files); never JSON. In "
        "TypeScript: File or Blob."
    ),
    specified_by_url="https://github.com/jaydenseric/graphql-multipart-request-spec",
)

SCALAR_OVERRIDES: dict[object, Any] = {
    datetime: DateTimeScalar,
    date: DateScalar,
    Upload: UploadScalar,
}
