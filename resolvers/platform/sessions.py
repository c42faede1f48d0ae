"""Bearer-token sessions: issued at sign-in, ended by idle time, age or revocation.

Only a token's SHA-256 digest is stored. Sessions keep the wall clock: a sandbox's test
clock moving days ahead signs nobody out. A revocation is published on the `sessions`
channel, so that every worker closes the WebSockets opened with a revoked token."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise.queryset import QuerySet

from models.platform import AuthToken, User
from resolvers.platform.clock import real_now
from resolvers.platform.events import Broker

SESSIONS_CHANNEL = "sessions"
TOUCH_EVERY = timedelta(minutes=1)  # how often a used session's last_used_at is written


class TokenProblem(StrEnum):
    """Why a credential does not sign in: a client signs out on any of them. Expired and
    revoked ones were issued once; only an invalid one can be a guess."""

    INVALID = "TOKEN_INVALID"
    EXPIRED = "TOKEN_EXPIRED"
    REVOKED = "TOKEN_REVOKED"


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(days=14)
    max_age: timedelta = timedelta(days=90)


def ends_at(created_at: datetime, last_used_at: datetime | None, policy: SessionPolicy) -> datetime:
    """When a session ends if nothing revokes it: idle too long, or simply too old."""
    return min(created_at + policy.max_age, (last_used_at or created_at) + policy.idle)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def issue(user: User) -> str:
    token = secrets.token_urlsafe(32)
    await AuthToken.create(user=user, digest=digest(token), created_at=real_now())
    return token


async def current(token: str, policy: SessionPolicy) -> AuthToken | None:
    """The live session of `token`, its user joined; None when unknown, revoked or ended."""
    found = await lookup(token, policy)
    return found if isinstance(found, AuthToken) else None


async def lookup(token: str, policy: SessionPolicy) -> AuthToken | TokenProblem:
    """The live session of `token`, its user joined, or why there is none."""
    found = await AuthToken.filter(digest=digest(token)).select_related("user").first()
    if found is None:
        return TokenProblem.INVALID
    if found.revoked_at is not None:
        return TokenProblem.REVOKED
    at = real_now()
    if ends_at(found.created_at, found.last_used_at, policy) <= at:
        return TokenProblem.EXPIRED
    if found.last_used_at is None or at - found.last_used_at >= TOUCH_EVERY:
        await AuthToken.filter(id=found.id).update(last_used_at=at)
        found.last_used_at = at
    return found


async def revoke(events: Broker, tokens: QuerySet[AuthToken]) -> int:
    """Revoke the live tokens among `tokens`, and tell every worker; how many there were."""
    digests = list(await tokens.filter(revoked_at=None).values_list("digest", flat=True))
    if not digests:
        return 0
    revoked = await AuthToken.filter(digest__in=digests, revoked_at=None).update(
        revoked_at=real_now()
    )
    await events.publish(SESSIONS_CHANNEL, {"tokens": digests})
    return revoked


async def logout(token: str | None, events: Broker) -> bool:
    if not token:
        return False
    return await revoke(events, AuthToken.filter(digest=digest(token))) > 0


async def revoke_all(user_id: int, events: Broker, *, keep: str | None = None) -> int:
    """End every session of the user, but the one of token `keep` if given."""
    tokens = AuthToken.filter(user_id=user_id)
    if keep:
        tokens = tokens.exclude(digest=digest(keep))
    return await revoke(events, tokens)


async def live_until(token: str, policy: SessionPolicy) -> datetime | None:
    """When the session of `token` ends unless used again; None when it has ended."""
    found = await current(token, policy)
    return ends_at(found.created_at, found.last_used_at, policy) if found else None
