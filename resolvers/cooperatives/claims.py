"""An imported member's account claims their membership with a one-time code sent to the
phone it was imported with, and their NIK.

Asking for a code answers the same whether or not such a membership exists, and the code
goes out in the background, so neither the answer nor its timing tells. Wrong codes are
counted per cooperative, phone and NIK whether or not the membership exists, and lock it for
a while; only a code's digest is stored, and a code works once.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.bills import Bill
from models.cooperatives import (
    ClaimCodeRequest,
    ClaimLock,
    Cooperative,
    Membership,
    MembershipClaim,
    NikOwner,
)
from models.loans import Loan
from models.platform import User
from resolvers.cooperatives.feed import rights_changed
from resolvers.cooperatives.nik import nik_problem
from resolvers.platform import (
    Broker,
    ErrorCode,
    Message,
    Notifier,
    UserError,
    Validator,
    digest,
    normalise_phone,
    real_now,
    require_user,
    send_in_background,
    today,
)

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=15)
CODES_PER_HOUR = 3  # per membership
REQUESTS_PER_HOUR = 10  # per account, whatever it asks for
WRONG_CODES = 5
LOCKED_FOR = timedelta(minutes=15)
BAD_CODE = "Kode tidak valid, sudah kedaluwarsa, atau keanggotaan tidak ditemukan."


async def _cooperative(cooperative_id: int) -> None:
    if not await Cooperative.exists(id=cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "input.cooperativeId")


def _checked(phone: str, nik: str) -> tuple[str, str]:
    check = Validator()
    normal = normalise_phone(phone)
    if normal is None:
        check.add("input.phone", ErrorCode.INVALID, "Nomor telepon Indonesia tidak valid.")
    problem = nik_problem(nik.strip(), today())
    if problem:
        check.add("input.nik", ErrorCode.INVALID, problem)
    check.check()
    assert normal is not None
    return normal, nik.strip()


async def request_claim_code(
    viewer: User | None, cooperative_id: int, phone: str, nik: str, notifier: Notifier
) -> None:
    """Send a code to the phone of the unclaimed membership with this phone and NIK, if the
    cooperative has one and it has not had too many codes this hour. `notifier` is WhatsApp,
    else SMS: the code goes to that phone only, never to the app or an e-mail."""
    user = require_user(viewer)
    await _cooperative(cooperative_id)
    phone, nik = _checked(phone, nik)
    hour_ago = real_now() - timedelta(hours=1)
    if await ClaimCodeRequest.filter(user_id=user.id, at__gte=hour_ago).count() >= (
        REQUESTS_PER_HOUR
    ):
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED,
            "Terlalu banyak permintaan kode klaim; coba lagi dalam satu jam.",
            "input",
        )
    claim = await MembershipClaim.get_or_none(
        cooperative_id=cooperative_id, phone=phone, nik=nik, claimed_at=None
    )
    if claim is not None and (
        await ClaimCodeRequest.filter(claim_id=claim.id, at__gte=hour_ago).count() >= CODES_PER_HOUR
    ):
        claim = None  # answered alike, sent nothing
    await ClaimCodeRequest.create(user_id=user.id, claim_id=claim.id if claim else None)
    if claim is None:
        return
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    await MembershipClaim.filter(id=claim.id).update(
        code_digest=digest(code), code_expires_at=real_now() + CODE_TTL
    )
    send_in_background(
        notifier,
        [
            Message(
                to=phone,
                subject="Kode klaim keanggotaan koperasi",
                body=(
                    f"Kode klaim keanggotaan koperasi Anda di SatuPintu: {code}\n"
                    f"Berlaku {CODE_TTL.seconds // 60} menit dan hanya sekali pakai. Jangan "
                    "berikan kode ini kepada siapa pun, termasuk pengurus."
                ),
                kind="MEMBERSHIP_CLAIM_CODE",
                parameters=(code,),
            )
        ],
    )


async def claim_membership(
    viewer: User | None,
    cooperative_id: int,
    phone: str,
    nik: str,
    code: str,
    events: Broker,
) -> Membership:
    """The unclaimed imported membership with this phone and NIK becomes the viewer's, with
    its savings, loans and bills, when `code` is its live code."""
    user = require_user(viewer)
    await _cooperative(cooperative_id)
    if not code.strip():
        raise UserError(ErrorCode.REQUIRED, "Kode wajib diisi.", "code")
    phone = normalise_phone(phone) or phone.strip()[:16]
    nik = nik.strip()[:16]
    lock = await ClaimLock.get_or_none(cooperative_id=cooperative_id, phone=phone, nik=nik)
    if lock is not None and lock.locked_until and lock.locked_until > real_now():
        raise UserError(
            ErrorCode.LIMIT_EXCEEDED,
            "Terlalu banyak kode yang salah; klaim ini dikunci 15 menit.",
            "code",
        )
    if await Membership.exists(cooperative_id=cooperative_id, user_id=user.id):
        raise _duplicate()
    claim = await MembershipClaim.get_or_none(
        cooperative_id=cooperative_id, phone=phone, nik=nik, claimed_at=None
    )
    given = digest(code.strip())
    if (
        claim is None
        or claim.code_digest is None
        or claim.code_expires_at is None
        or claim.code_expires_at <= real_now()
        or not hmac.compare_digest(claim.code_digest, given)
        or await _nik_of_another(nik, claim, user)
    ):
        await _count_wrong_code(cooperative_id, phone, nik)
        raise UserError(ErrorCode.INVALID, BAD_CODE, "code")
    holder = (await Membership.get(id=claim.membership_id)).user_id
    try:
        async with in_transaction():
            spent = await MembershipClaim.filter(
                id=claim.id, claimed_at=None, code_digest=given
            ).update(claimed_at=real_now(), claimed_by_id=user.id, code_digest=None)
            if not spent:  # a racing claim used it first
                raise UserError(ErrorCode.INVALID, BAD_CODE, "code")
            await Membership.filter(id=claim.membership_id).update(user_id=user.id, claimed=True)
            await Loan.filter(membership_id=claim.membership_id).update(applicant_id=user.id)
            await Bill.filter(membership_id=claim.membership_id).update(user_id=user.id)
            await NikOwner.filter(nik=nik, user_id=holder).update(user_id=user.id)
            await ClaimLock.filter(cooperative_id=cooperative_id, phone=phone, nik=nik).delete()
    except IntegrityError:  # the viewer joined the cooperative meanwhile
        raise _duplicate() from None
    await rights_changed(events, cooperative_id, user.id)
    return await Membership.get(id=claim.membership_id)


def _duplicate() -> UserError:
    return UserError(
        ErrorCode.DUPLICATE, "Anda sudah punya keanggotaan di koperasi ini.", "input.cooperativeId"
    )


async def _nik_of_another(nik: str, claim: MembershipClaim, user: User) -> bool:
    """Whether the NIK is verified for a third account: then only that account is its owner."""
    owner = await NikOwner.get_or_none(nik=nik)
    return (
        owner is not None
        and owner.user_id != user.id
        and owner.membership_id != (claim.membership_id)
    )


async def _count_wrong_code(cooperative_id: int, phone: str, nik: str) -> None:
    try:
        async with in_transaction():  # a savepoint: a racing wrong code may create it first
            lock, _ = await ClaimLock.get_or_create(
                cooperative_id=cooperative_id, phone=phone, nik=nik
            )
    except IntegrityError:
        lock = await ClaimLock.get(cooperative_id=cooperative_id, phone=phone, nik=nik)
    await ClaimLock.filter(id=lock.id).update(failures=F("failures") + 1)
    await ClaimLock.filter(id=lock.id, failures__gte=WRONG_CODES).update(
        failures=0, locked_until=real_now() + LOCKED_FOR
    )
