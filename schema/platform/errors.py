"""`UserError`, the `ErrorCode` enum and the shape every mutation payload shares."""

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import strawberry

from resolvers.platform import errors

ErrorCode = strawberry.enum(errors.ErrorCode, name="ErrorCode")


@strawberry.type(description="A problem the user can fix; `message` is in Bahasa Indonesia.")
class UserError:
    field: str | None
    code: ErrorCode
    message: str


def user_errors(error: errors.UserError) -> list[UserError]:
    return [UserError(field=p.field, code=p.code, message=p.message) for p in error.problems]


class Payload(Protocol):
    def __init__(self, *, errors: list[UserError]) -> None: ...


P = TypeVar("P", bound=Payload)
T = TypeVar("T")


async def payload_of(
    payload: type[P], work: Callable[[], Awaitable[T]], done: Callable[[T], P]
) -> P:
    """`done(await work())`, or `payload(errors=...)` when the work raises a `UserError`."""
    try:
        value = await work()
    except errors.UserError as error:
        return payload(errors=user_errors(error))
    return done(value)
