"""Sign-up, login, passwords and API keys."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass
from typing import cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.cooperatives import CooperativeAdmin, Membership
from models.platform import ApiKey, User
from resolvers.platform import sessions, visibility
from resolvers.platform.attempts import Attempts
from resolvers.platform.batching import rows_by_ids
from resolvers.platform.clock import now
from resolvers.platform.errors import ErrorCode, UserError, Validator
from resolvers.platform.events import Broker
from resolvers.platform.lookups import row_where
from resolvers.platform.phone import normalise_phone

MIN_PASSWORD = 8
MAX_PASSWORD = 256
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
BAD_LOGIN = "Email atau kata sandi salah."
MAX_API_KEYS = 5  # a campus frontend needs one, and one for its staging copy

_hasher = PasswordHasher()
# Verified against when the email is unknown, so that both answers take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Session:
    token: str
    user: User


def roles_of(user: User) -> list[str]:
    roles = ["BUYER"]
    if user.is_city_admin:
        roles.append("CITY_ADMIN")
    if user.is_marketplace_admin:
        roles.append("MARKETPLACE_ADMIN")
    return roles


def is_marketplace_admin(user: User | None) -> bool:
    """A CITY_ADMIN or a MARKETPLACE_ADMIN: who decides escalated complaints."""
    return user is not None and (user.is_city_admin or user.is_marketplace_admin)


async def marketplace_admin_ids() -> list[int]:
    """Who `is_marketplace_admin`: told of every complaint step and payout."""
    found = await User.filter(Q(is_city_admin=True) | Q(is_marketplace_admin=True)).values_list(
        "id", flat=True
    )
    return cast(list[int], found)


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
    check_password(check, password)
    e164 = None
    if phone:
        e164 = normalise_phone(phone)
        if e164 is None:
            check.add("phone", ErrorCode.INVALID, "Nomor telepon Indonesia tidak valid.")
    check.check()
    if await User.filter(email=email).exists():
        raise _duplicate_email()
    password_hash = await hash_password(password)
    try:
        async with in_transaction():
            user = await User.create(
                name=name,
                email=email,
                phone=e164,
                password_hash=password_hash,
                is_city_admin=is_city_admin,
            )
            token = await sessions.issue(user)
    except IntegrityError:
        raise _duplicate_email() from None
    return Session(token, user)


def check_password(check: Validator, password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        check.add(field, ErrorCode.INVALID, "Kata sandi minimal 8 karakter.")
    elif len(password) > MAX_PASSWORD:
        check.add(field, ErrorCode.INVALID, "Kata sandi terlalu panjang.")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


def _duplicate_email() -> UserError:
    return UserError(ErrorCode.DUPLICATE, "Email ini sudah terdaftar.", "email")


async def login(*, email: str, password: str, attempts: Attempts) -> Session:
    """A new session. Each wrong password for an email makes its next try wait longer
    (unknown emails too, so that the answer says nothing about who has an account)."""
    email = email.strip().lower()
    await check_wait(attempts, f"login:{email}", "password")
    user = await row_where(User, "email", email)
    stored = user.password_hash if user else _DUMMY_HASH
    if not await asyncio.to_thread(_verify, stored, password) or user is None:
        await attempts.failed(f"login:{email}")
        raise UserError(ErrorCode.INVALID, BAD_LOGIN, "password")
    await attempts.succeeded(f"login:{email}")
    return Session(await sessions.issue(user), user)


async def check_wait(attempts: Attempts, account: str, field: str) -> None:
    wait = await attempts.wait(account)
    if wait:
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED,
            "Terlalu banyak percobaan masuk yang gagal (kata sandi atau kode yang salah)."
            f" Coba lagi dalam {wait} detik.",
            field,
        )


async def change_password(
    viewer: User | None,
    token: str | None,
    current: str,
    new: str,
    *,
    attempts: Attempts,
    events: Broker,
) -> int:
    """Set a new password and end every other session; how many were ended."""
    user = require_user(viewer)
    account = f"login:{user.email}"
    await check_wait(attempts, account, "currentPassword")
    check = Validator()
    check_password(check, new, "newPassword")
    check.check()
    if not await asyncio.to_thread(_verify, user.password_hash, current):
        await attempts.failed(account)
        raise UserError(ErrorCode.INVALID, "Kata sandi lama salah.", "currentPassword")
    await attempts.succeeded(account)
    user.password_hash = await hash_password(new)
    await user.save(update_fields=["password_hash"])
    return await sessions.revoke_all(user.id, events, keep=token)


async def logout_everywhere(viewer: User | None, events: Broker) -> int:
    """End every session of the viewer, the current one included."""
    return await sessions.revoke_all(require_user(viewer).id, events)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def api_key_for(key: str) -> ApiKey | sessions.TokenProblem:
    """The live API key `key`, or why it does not sign in."""
    found = await ApiKey.get_or_none(digest=sessions.digest(key))
    if found is None:
        return sessions.TokenProblem.INVALID
    return sessions.TokenProblem.REVOKED if found.revoked_at is not None else found


async def api_key_live(api_key_id: int) -> bool:
    return await ApiKey.exists(id=api_key_id, revoked_at=None)


async def create_api_key(viewer: User | None, name: str) -> tuple[str, ApiKey]:
    user = require_user(viewer)
    name = name.strip()
    if not name or len(name) > 80:
        raise UserError(
            ErrorCode.INVALID, "Nama kunci wajib diisi, paling panjang 80 karakter.", "name"
        )
    key = "sp_" + secrets.token_urlsafe(32)
    async with in_transaction():
        # The user's row locked (PostgreSQL), so that keys made at once stay within the cap.
        await User.select_for_update().get(id=user.id)
        if await ApiKey.filter(user=user, revoked_at=None).count() >= MAX_API_KEYS:
            raise UserError(
                ErrorCode.LIMIT_EXCEEDED, f"Paling banyak {MAX_API_KEYS} kunci API aktif.", "name"
            )
        api_key = await ApiKey.create(user=user, name=name, digest=sessions.digest(key))
    return key, api_key


async def revoke_api_key(viewer: User | None, api_key_id: int, events: Broker) -> None:
    user = require_user(viewer)
    api_key = await ApiKey.get_or_none(id=api_key_id, user_id=user.id)
    if api_key is None:  # another's key is missing to them too: ids cannot be probed
        raise UserError(ErrorCode.NOT_FOUND, "Kunci API tidak ditemukan.", "id")
    if api_key.revoked_at is None:
        api_key.revoked_at = now()
        await api_key.save(update_fields=["revoked_at"])
        await events.publish(sessions.SESSIONS_CHANNEL, {"apiKeys": [api_key.id]})


async def users_by_ids(ids: list[int]) -> list[User | None]:
    return await rows_by_ids(User, ids)


def _self_pengurus_or_dinas(viewer: User | None) -> Q | None:
    """A user's own record, a member's or applicant's for the pengurus of their cooperative,
    or any for a CITY_ADMIN. What of it each may read is `can_read_email` and `can_read_phone`."""
    if viewer is None:
        return None
    if viewer.is_city_admin:
        return Q()
    administered = CooperativeAdmin.filter(user_id=viewer.id).values("cooperative_id")
    members = Membership.filter(cooperative_id__in=Subquery(administered)).values("user_id")
    return Q(id=viewer.id) | Q(id__in=Subquery(members))


def can_read_email(viewer: User | None, user_id: int) -> bool:
    """An account's e-mail: its owner and the Dinas."""
    return viewer is not None and (viewer.id == user_id or viewer.is_city_admin)


def can_read_phone(viewer: User | None, user_id: int, *, membership_phone_shown: bool) -> bool:
    """An account's phone: its owner, and whoever may read the phone of the membership the
    account was reached through (the pengurus of its cooperative; not the Dinas)."""
    return membership_phone_shown or (viewer is not None and viewer.id == user_id)


def _own(viewer: User | None) -> Q | None:
    return None if viewer is None else Q(user_id=viewer.id)


def _own_cart(viewer: User | None) -> Q | None:
    """A cart's id is its buyer's: the buyer alone sees it."""
    return None if viewer is None else Q(id=viewer.id)


visibility.register("User", User, _self_pengurus_or_dinas)
visibility.register("ApiKey", ApiKey, _own)
visibility.register("Cart", User, _own_cart)
