"""Custom scalars: `Rupiah` (whole rupiah beyond 32 bits) and Jakarta-time `DateTime`."""

from datetime import datetime
from typing import Any, NewType

import strawberry
from graphql import IntValueNode, ValueNode

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
        "An amount of whole rupiah, as a JSON integer; safe up to 2^53-1 "
        "(GraphQL Int overflows at Rp2.147.483.647)."
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
    description="ISO 8601 date and time with offset (shown in Asia/Jakarta time).",
    serialize=_serialize_datetime,
    parse_value=_parse_datetime,
)

SCALAR_OVERRIDES: dict[object, Any] = {datetime: DateTimeScalar}
