"""Exactly once: a money movement asked under the caller's idempotency key moves once.

The first request records its key, a digest of what it asked and its result in the
movement's own transaction (`remember`); a repeat of it, before or while it runs, answers
with that result and moves nothing; the same key asked otherwise is `DUPLICATE`. A request
without a key is not protected, as before keys existed.

Checkout and bill payments require a key and keep it on their own rows (a checkout, a
receipt); they share the key's rules and digest from here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError

from models.platform import IdempotentRequest, User
from resolvers.platform.errors import ErrorCode, UserError, Validator

MAX_KEY = 100
T = TypeVar("T")


@dataclass(frozen=True)
class Once:
    """One request under a caller's key (None: a request that gave none)."""

    user_id: int
    key: str | None
    digest: str


def digest_of(asked: object) -> str:
    """SHA-256 of what a request asked, as JSON."""
    return hashlib.sha256(json.dumps(asked, sort_keys=True, default=str).encode()).hexdigest()


def key_text(check: Validator, key: str) -> str:
    """The key stripped; `check` notes a blank or too long one."""
    return check.text("idempotencyKey", key, "Kunci idempotensi", MAX_KEY, required=True)


def checked_key(key: str | None) -> str | None:
    """The key stripped, None when none was given; a problem when it is blank or too long."""
    if key is None:
        return None
    check = Validator()
    text = key_text(check, key)
    check.check()
    return text


def reused_key(what: str) -> UserError:
    """The refusal of a key that an earlier request of the caller used for another `what`."""
    return UserError(
        ErrorCode.DUPLICATE,
        f"Kunci idempotensi ini sudah dipakai untuk {what} yang lain.",
        "idempotencyKey",
    )


async def exactly_once(
    user: User,
    key: str | None,
    asked: tuple[object, ...],
    move: Callable[[Once], Awaitable[T]],
    replay: Callable[[Any], Awaitable[T]],
) -> T:
    """`move` once per key: it calls `remember` inside its transaction. A repeat answers with
    `replay` of the first's remembered result, also when it raced the first and lost (a
    refusal, or the key's unique index, once the first committed)."""
    once = Once(user.id, checked_key(key), digest_of(asked))
    if once.key is None:
        return await move(once)
    first = await _earlier(once)
    if first is not None:
        return await replay(first.result)
    try:
        return await move(once)
    except (IntegrityError, UserError):
        first = await _earlier(once)
        if first is None:
            raise
        return await replay(first.result)


async def remember(once: Once, result: dict[str, Any]) -> None:
    """Inside the movement's transaction: the key, what it asked and its result (ids and
    figures that `replay` rebuilds the answer from). A racing copy fails here and undoes."""
    if once.key is not None:
        await IdempotentRequest.create(
            user_id=once.user_id, key=once.key, digest=once.digest, result=result
        )


async def _earlier(once: Once) -> IdempotentRequest | None:
    """The first request under the key, or None; DUPLICATE when it asked otherwise."""
    first = await IdempotentRequest.get_or_none(user_id=once.user_id, key=once.key)
    if first is not None and first.digest != once.digest:
        raise reused_key("transaksi")
    return first
