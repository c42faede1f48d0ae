"""The one door for HTTP requests and WebSocket operations alike: who is asking (a bearer
token, an API key, or nobody) and whether they may ask now.

Limits: requests per client address per minute; requests with an API key per key owner
(all their keys share one count, at KEY_MULTIPLIER times the limit); failed
authentications (tokens and keys that were never issued, wrong passwords and reset codes)
per address and per account tried, past which further attempts from that address or at
that account are refused until the minute ends, while valid credentials and requests
without any go on; wrong passwords per account, each making the next try wait longer
(`resolvers.platform.attempts`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import HTTPConnection

from models.platform import AuthToken, User
from resolvers.platform import (
    SessionPolicy,
    TokenProblem,
    TopLevelCode,
    accounts,
    digest,
    sessions,
)
from server.rate_limit import RateLimiter, Strikes

KEY_MULTIPLIER = 10  # a registered campus frontend serves many people from one key
TOKEN_PROBLEMS = {
    TokenProblem.INVALID: "Token tidak valid. Silakan masuk lagi.",
    TokenProblem.EXPIRED: "Sesi sudah berakhir. Silakan masuk lagi.",
    TokenProblem.REVOKED: "Sesi sudah diakhiri (keluar, atau sandi diganti). Silakan masuk lagi.",
}
KEY_PROBLEMS = {
    TokenProblem.INVALID: "Kunci API tidak valid.",
    TokenProblem.REVOKED: "Kunci API sudah dicabut.",
}


class AuthFailure(Exception):
    """A credential was sent but is not valid; the client should sign in again."""

    def __init__(self, message: str, reason: TokenProblem = TokenProblem.INVALID) -> None:
        super().__init__(message)
        self.reason = reason


class Refused(Exception):
    """A request the door turns away: `status` for HTTP, `code` for `extensions.code`, and
    for a credential that does not sign in, `reason` for `extensions.reason`."""

    def __init__(
        self,
        message: str,
        status: int,
        code: TopLevelCode,
        retry_after: int = 0,
        reason: TokenProblem | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.retry_after = retry_after
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    viewer: User | None = None
    token: str | None = None
    session: AuthToken | None = None
    api_key_id: int | None = None
    key_owner_id: int | None = None


ANONYMOUS = Identity()


@dataclass(frozen=True)
class Limits:
    per_minute: int
    auth_failures_per_minute: int


class Door:
    def __init__(
        self, limiter: RateLimiter, strikes: Strikes, limits: Limits, policy: SessionPolicy
    ) -> None:
        self.limiter = limiter
        self.strikes = strikes
        self.limits = limits
        self.policy = policy

    async def identify(self, headers: Mapping[str, str], address: str) -> Identity:
        """The identity the credentials in `headers` prove. A credential never issued counts
        as a failed authentication of the address, and past the limit is refused 429 rather
        than 401; an expired or revoked one (once issued: a stale client, not a guess) is
        401 and not counted. Valid credentials, and none at all, are never refused here."""
        try:
            return await authenticate(headers, self.policy)
        except AuthFailure as failure:
            if failure.reason == TokenProblem.INVALID:
                retry_after = await self.failed(address)
                if retry_after:
                    raise _too_many_failures(retry_after) from None
            raise Refused(
                str(failure), 401, TopLevelCode.UNAUTHENTICATED, reason=failure.reason
            ) from None

    async def admit(self, identity: Identity, address: str) -> None:
        """Count one operation against its limit; Refused when over it."""
        if identity.key_owner_id is not None:
            owner = f"owner:{identity.key_owner_id}"
            await self.count(owner, address, self.limits.per_minute * KEY_MULTIPLIER)
        else:
            await self.count(f"ip:{address}", address, self.limits.per_minute)

    async def count(self, bucket: str, address: str, limit: int) -> None:
        """One request from `address` in `bucket`; Refused when it is over its limit."""
        retry_after = await self.limiter.hit(bucket, limit)
        if retry_after:
            raise _too_many(retry_after)

    async def still_valid(self, identity: Identity) -> bool:
        """Whether the credentials of `identity` still hold (for a long-lived WebSocket)."""
        if identity.token and await sessions.current(identity.token, self.policy) is None:
            return False
        return identity.api_key_id is None or await accounts.api_key_live(identity.api_key_id)

    async def failed(self, address: str, account: str | None = None) -> int:
        """One failed authentication from `address`, at `account` when it names one; the
        seconds before either may try again, or 0."""
        limit = self.limits.auth_failures_per_minute
        waits = [await self.limiter.hit(f"authfail:{address}", limit)]
        if account is not None:
            waits.append(await self.limiter.hit(_account_bucket(account), limit))
        return max(waits)

    async def failures_wait(self, address: str, account: str) -> int:
        """Seconds before `address` may try a secret again, or anyone may try `account`'s,
        after too many failures in this minute; 0 when they may now."""
        limit = self.limits.auth_failures_per_minute
        by_address = await self.limiter.over(f"authfail:{address}", limit)
        return max(by_address, await self.limiter.over(_account_bucket(account), limit))

    def attempts(self, address: str) -> AddressAttempts:
        return AddressAttempts(self, address)


class AddressAttempts:
    """`resolvers.platform.attempts.Attempts` for the requests of one client address."""

    def __init__(self, door: Door, address: str) -> None:
        self.door = door
        self.address = address

    async def wait(self, account: str) -> int:
        strikes = await self.door.strikes.wait(account)
        return max(strikes, await self.door.failures_wait(self.address, account))

    async def failed(self, account: str) -> None:
        await self.door.strikes.strike(account)
        await self.door.failed(self.address, account)

    async def succeeded(self, account: str) -> None:
        await self.door.strikes.clear(account)


def client_address(connection: HTTPConnection) -> str:
    """The client's address, as uvicorn's proxy handling gives it: an address forwarded in
    X-Forwarded-For only by the proxies listed in FORWARDED_ALLOW_IPS."""
    return connection.client.host if connection.client else "-"


def _account_bucket(account: str) -> str:
    return f"authfail-account:{digest(account)[:32]}"  # an email can be long; a key is not


def _too_many_failures(retry_after: int) -> Refused:
    return Refused(
        "Terlalu banyak percobaan masuk yang gagal dari alamat ini (token, kunci API atau kata"
        f" sandi yang salah). Coba lagi dalam {retry_after} detik.",
        429,
        TopLevelCode.RATE_LIMITED,
        retry_after,
    )


def _too_many(retry_after: int) -> Refused:
    return Refused(
        f"Terlalu banyak permintaan. Coba lagi dalam {retry_after} detik.",
        429,
        TopLevelCode.RATE_LIMITED,
        retry_after,
    )


async def authenticate(headers: Mapping[str, str], policy: SessionPolicy) -> Identity:
    authorization = headers.get("authorization")
    api_key = headers.get("x-api-key")
    if not authorization and not api_key:
        return ANONYMOUS
    key = None
    if api_key:
        found = await accounts.api_key_for(api_key.strip())
        if isinstance(found, TokenProblem):
            raise AuthFailure(KEY_PROBLEMS[found], found)
        key = found
    key_id, owner_id = (key.id, key.user_id) if key else (None, None)
    if not authorization:
        return Identity(api_key_id=key_id, key_owner_id=owner_id)
    token = bearer_token(authorization)
    session = await sessions.lookup(token, policy)
    if isinstance(session, TokenProblem):
        raise AuthFailure(TOKEN_PROBLEMS[session], session)
    if key is not None and key.user_id != session.user_id:
        raise AuthFailure("Kunci API dan token harus milik pengguna yang sama.")
    return Identity(session.user, token, session, key_id, owner_id)


def bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthFailure("Header Authorization harus berbentuk 'Bearer <token>'.")
    return token.strip()
