"""Who is asking: a bearer token, an API key, or nobody."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from models.accounts import User
from resolvers import accounts


class AuthFailure(Exception):
    """A credential was sent but is not valid; the client should sign in again."""


@dataclass(frozen=True)
class Identity:
    viewer: User | None = None
    token: str | None = None
    api_key_id: int | None = None


ANONYMOUS = Identity()


async def authenticate(headers: Mapping[str, str]) -> Identity:
    authorization = headers.get("authorization")
    api_key = headers.get("x-api-key")
    if not authorization and not api_key:
        return ANONYMOUS
    api_key_id = None
    if api_key:
        key = await accounts.api_key_for(api_key.strip())
        if key is None:
            raise AuthFailure("Kunci API tidak valid atau sudah dicabut.")
        api_key_id = key.id
    if not authorization:
        return Identity(api_key_id=api_key_id)
    token = bearer_token(authorization)
    viewer = await accounts.user_for_token(token)
    if viewer is None:
        raise AuthFailure("Sesi tidak valid atau sudah berakhir. Silakan masuk lagi.")
    return Identity(viewer=viewer, token=token, api_key_id=api_key_id)


def bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthFailure("Header Authorization harus berbentuk 'Bearer <token>'.")
    return token.strip()
