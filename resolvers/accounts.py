"""Sign-up, login, bearer tokens and API keys."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.accounts import ApiKey, AuthToken, User
from resolvers import visibility
from resolvers.batching import rows_by_ids
from resolvers.clock import now
from resolvers.errors import ErrorCode, UserError, Validator
from resolvers.lookups import row_where
from resolvers.phone import normalise_phone

MIN_PASSWORD = 8
MAX_PASSWORD = 256
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
BAD_LOGIN = "Email atau kata sandi salah."

_hasher = PasswordHasher()
# Verified against when the email is unknown, so that both answers take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Session:
    token: str
    user: User


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def roles_of(user: User) -> list[str]:
    return ["BUYER", "CITY_ADMIN"] if user.is_city_admin else ["BUYER"]


def require_user(viewer: User | None) -> User:
    if viewer is None:
        raise UserError(ErrorCode.UNAUTHENTICATED, "Silakan masuk terlebih dahulu.")
    return viewer


def require_city_admin(viewer: User | None) -> User:
    user = require_user(viewer)
    if not user.is_city_admin:
        raise UserError(
            ErrorCode.PERMISSION_DENIED, "Hanya petugas Dinas yang boleh melakukan ini."
        )
    return user


async def register(
    *, name: str, email: str, password: str, phone: str | None, is_city_admin: bool = False
) -> Session:
    check = Validator()
    name = name.strip()
    email = email.strip().lower()
    if not name:
        check.add("name", ErrorCode.REQUIRED, "Nama wajib diisi.")
    elif len(name) > 120:
        check.add("name", ErrorCode.INVALID, "Nama paling panjang 120 karakter.")
    if not EMAIL_RE.match(email) or len(email) > 254:
        check.add("email", ErrorCode.INVALID, "Alamat email tidak valid.")
    if len(password) < MIN_PASSWORD:
        check.add("password", ErrorCode.INVALID, "Kata sandi minimal 8 karakter.")
    elif len(password) > MAX_PASSWORD:
        check.add("password", ErrorCode.INVALID, "Kata sandi terlalu panjang.")
    e164 = None
    if phone:
        e164 = normalise_phone(phone)
        if e164 is None:
            check.add("phone", ErrorCode.INVALID, "Nomor telepon Indonesia tidak valid.")
    check.check()
    if await User.filter(email=email).exists():
        raise _duplicate_email()
    password_hash = await asyncio.to_thread(_hasher.hash, password)
    try:
        async with in_transaction():
            user = await User.create(
                name=name,
                email=email,
                phone=e164,
                password_hash=password_hash,
                is_city_admin=is_city_admin,
            )
            token = await _issue_token(user)
    except IntegrityError:
        raise _duplicate_email() from None
    return Session(token, user)


def _duplicate_email() -> UserError:
    return UserError(ErrorCode.DUPLICATE, "Email ini sudah terdaftar.", "email")


async def login(*, email: str, password: str) -> Session:
    email = email.strip().lower()
    user = await row_where(User, "email", email)
    stored = user.password_hash if user else _DUMMY_HASH
    if not await asyncio.to_thread(_verify, stored, password) or user is None:
        raise UserError(ErrorCode.INVALID, BAD_LOGIN, "password")
    return Session(await _issue_token(user), user)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def _issue_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    await AuthToken.create(user=user, digest=digest(token))
    return token


async def logout(token: str | None) -> bool:
    if not token:
        return False
    revoked = await AuthToken.filter(digest=digest(token), revoked_at=None).update(revoked_at=now())
    return revoked > 0


async def user_for_token(token: str) -> User | None:
    found = (
        await AuthToken.filter(digest=digest(token), revoked_at=None).select_related("user").first()
    )
    return found.user if found else None


async def api_key_for(key: str) -> ApiKey | None:
    return await ApiKey.get_or_none(digest=digest(key), revoked_at=None)


async def create_api_key(viewer: User | None, name: str) -> tuple[str, ApiKey]:
    user = require_user(viewer)
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError(
            ErrorCode.INVALID, "Nama kunci wajib diisi, paling panjang 80 karakter.", "name"
        )
    if await ApiKey.filter(user=user, revoked_at=None).count() >= 20:
        raise UserError(ErrorCode.LIMIT_EXCEEDED, "Paling banyak 20 kunci API aktif.", "name")
    key = "sp_" + secrets.token_urlsafe(32)
    api_key = await ApiKey.create(user=user, name=name, digest=digest(key))
    return key, api_key


async def revoke_api_key(viewer: User | None, api_key_id: int) -> None:
    user = require_user(viewer)
    api_key = await ApiKey.get_or_none(id=api_key_id)
    if api_key is None:
        raise UserError(ErrorCode.NOT_FOUND, "Kunci API tidak ditemukan.", "id")
    if api_key.user_id != user.id:
        raise UserError(ErrorCode.PERMISSION_DENIED, "Kunci API ini bukan milik Anda.", "id")
    if api_key.revoked_at is None:
        api_key.revoked_at = now()
        await api_key.save(update_fields=["revoked_at"])


async def users_by_ids(ids: list[int]) -> list[User | None]:
    return await rows_by_ids(User, ids)


def _self_or_dinas(viewer: User | None) -> Q | None:
    """A user's own record, or any for a CITY_ADMIN."""
    if viewer is None:
        return None
    return Q() if viewer.is_city_admin else Q(id=viewer.id)


def _own(viewer: User | None) -> Q | None:
    return None if viewer is None else Q(user_id=viewer.id)


def _own_cart(viewer: User | None) -> Q | None:
    """A cart's id is its buyer's: the buyer alone sees it."""
    return None if viewer is None else Q(id=viewer.id)


visibility.register("User", User, _self_or_dinas)
visibility.register("ApiKey", ApiKey, _own)
visibility.register("Cart", User, _own_cart)
