"""`UserError`, the `ErrorCode` enum and the shape every mutation payload shares."""

import strawberry

from resolvers import errors

ErrorCode = strawberry.enum(errors.ErrorCode, name="ErrorCode")


@strawberry.type(description="A problem the user can fix; `message` is in Bahasa Indonesia.")
class UserError:
    field: str | None
    code: ErrorCode
    message: str


def user_errors(error: errors.UserError) -> list[UserError]:
    return [UserError(field=p.field, code=p.code, message=p.message) for p in error.problems]
