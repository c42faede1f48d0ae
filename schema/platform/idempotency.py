"""The optional `idempotencyKey` argument of the mutations that move money."""

from typing import Annotated

import strawberry

IdempotencyKey = Annotated[
    str | None,
    strawberry.argument(
        description="Any string up to 100 characters, new for each movement the caller means "
        "(one per form): a repeat with the same key moves nothing again and answers as the "
        "first did; the same key with other arguments is DUPLICATE."
    ),
]
