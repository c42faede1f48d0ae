"""Resetting a forgotten password with a one-time code sent through the notifier.

Codes expire, are used once, allow a few wrong tries each, and the answers are the same
whether or not an account has the e-mail address: nothing here tells who has an account."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.platform import PasswordReset, User
from resolvers.platform import sessions
from resolvers.platform.accounts import Session, check_password, check_wait, hash_password
from resolvers.platform.attempts import Attempts
from resolvers.platform.clock import real_now
from resolvers.platform.errors import ErrorCode, UserError, Validator
from resolvers.platform.events import Broker
from resolvers.platform.lookups import row_where
from resolvers.platform.messages import Message, Notifier, send_in_background

CODE_DIGITS = 8
CODE_TTL = timedelta(minutes=15)
TRIES_PER_CODE = 5
BAD_CODE = "Kode tidak valid atau sudah kedaluwarsa."


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


async def request_reset(email: str, *, notifier: Notifier, attempts: Attempts) -> None:
    """Send a code to the account of `email`, if there is one; earlier codes are spent.
    Each request counts as an attempt on the address, so that requests are limited too."""
    email = email.strip().lower()
    await check_wait(attempts, f"reset:{email}", "email")
    await attempts.failed(f"reset:{email}")  # each request spends one of the free tries
    user = await row_where(User, "email", email)
    if user is None:
        return
    code = new_code()
    async with in_transaction():
        await PasswordReset.filter(user_id=user.id, used_at=None).update(used_at=real_now())
        await PasswordReset.create(
            user=user, digest=sessions.digest(code), expires_at=real_now() + CODE_TTL
        )
    message = Message(
        to=user.email,
        subject="Kode atur ulang kata sandi SatuPintu",
        body=(
            f"Kode atur ulang kata sandi Anda: {code}\n"
            f"Berlaku {CODE_TTL.seconds // 60} menit dan hanya sekali pakai. "
            "Abaikan pesan ini bila Anda tidak memintanya."
        ),
    )
    send_in_background(notifier, [message])


async def reset_password(
    email: str, code: str, new_password: str, *, attempts: Attempts, events: Broker
) -> Session:
    """A new password and a new session; every other session of the account ends."""
    email = email.strip().lower()
    check = Validator()
    check_password(check, new_password, "newPassword")
    check.check()
    await check_wait(attempts, f"login:{email}", "code")
    user = await row_where(User, "email", email)
    pending = (
        await PasswordReset.filter(user_id=user.id, used_at=None, expires_at__gt=real_now())
        .order_by("-id")
        .first()
        if user
        else None
    )
    given = sessions.digest(code.strip())
    if user is None or pending is None or not hmac.compare_digest(pending.digest, given):
        await attempts.failed(f"login:{email}")
        if pending is not None:
            await _count_wrong_try(pending)
        raise UserError(ErrorCode.INVALID, BAD_CODE, "code")
    password_hash = await hash_password(new_password)
    async with in_transaction():
        spent = await PasswordReset.filter(id=pending.id, used_at=None).update(used_at=real_now())
        if not spent:  # another request used it first
            raise UserError(ErrorCode.INVALID, BAD_CODE, "code")
        await User.filter(id=user.id).update(password_hash=password_hash)
    await attempts.succeeded(f"login:{email}")
    await sessions.revoke_all(user.id, events)
    return Session(await sessions.issue(user), user)


async def _count_wrong_try(pending: PasswordReset) -> None:
    await PasswordReset.filter(id=pending.id).update(attempts=F("attempts") + 1)
    # Spent after a few wrong tries: guessing on needs a new code.
    await PasswordReset.filter(id=pending.id, attempts__gte=TRIES_PER_CODE).update(
        used_at=real_now()
    )
