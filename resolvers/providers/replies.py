"""What a message provider's HTTP answer says, when it is not a success."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NoReturn

import httpx

from resolvers.platform import Undeliverable


def body_of(answer: httpx.Response) -> Any:
    """The answer's JSON, or None when it is not JSON (a proxy's error page)."""
    try:
        return answer.json()
    except ValueError:
        return None


def refused(
    what: str, code: object, for_good: Collection[int], unavailable: type[Exception]
) -> NoReturn:
    """`Undeliverable` when the provider's error `code` says trying again would not help;
    else `unavailable`, for the message to be tried again later."""
    if code in for_good:
        raise Undeliverable(what)
    raise unavailable(what)
