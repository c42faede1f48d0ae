"""`UserError`, the `ErrorCode` enum and the shape every mutation payload shares."""

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

import strawberry

from resolvers.platform import errors
from schema.platform.described import described_enum

ErrorCode = described_enum(
    errors.ErrorCode,
    "What kind of problem a UserError is; `message` says it to the user. Clients may meet new "
    "values and should treat an unknown one as a generic failure.",
    {
        "INVALID": "A value is malformed, out of range or wrong (a wrong password too).",
        "REQUIRED": "A required value is missing or blank.",
        "NOT_FOUND": "The object does not exist, or the caller may not see it.",
        "UNAUTHENTICATED": "Sign in first.",
        "PERMISSION_DENIED": "Signed in, but not allowed: not the owner, not a pengurus of the "
        "cooperative, not CITY_ADMIN.",
        "DUPLICATE": "It exists already (an e-mail, a NIB, a membership), or the same actor "
        "repeats a one-time act, or an idempotencyKey is reused with other arguments.",
        "OUT_OF_STOCK": "Not enough stock; `field` names the product.",
        "INSUFFICIENT_BALANCE": "The savings balance does not cover the amount.",
        "INVALID_STATE": "The object's state forbids the act (e.g. an order that has shipped "
        "cannot be cancelled).",
        "LIMIT_EXCEEDED": "A counted limit is reached (keys, photos, bills at once, a loan's "
        "size), or too many wrong tries: `message` says how long to wait.",
        "FILE_TOO_LARGE": "The upload is larger than allowed.",
        "UNSUPPORTED_FILE": "The upload is not a file of an accepted kind (checked by content).",
        "PAYMENT_FAILED": "The payment provider refused the payment (no operation gives it yet).",
        "PRICE_CHANGED": "A price rose since the buyer saw it, or the total the buyer was shown "
        "is not the total: nothing happened; confirm the new prices and check out again.",
        "SERVICE_UNAVAILABLE": "An outside service (a biller) did not answer: nothing happened, "
        "try again later.",
    },
    name="ErrorCode",
)

ERRORS = "What went wrong, each with a code; empty when it succeeded."


@strawberry.type(description="A problem the user can fix; `message` is in Bahasa Indonesia.")
class UserError:
    field: str | None = strawberry.field(
        description="The input the problem is about, as its GraphQL name or path (`email`, "
        "`input.price`); null when it is about the whole request."
    )
    code: ErrorCode = strawberry.field(description="Stable: what clients branch on.")
    message: str = strawberry.field(description="A sentence in Bahasa Indonesia to show the user.")


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
