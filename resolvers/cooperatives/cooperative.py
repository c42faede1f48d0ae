"""Cooperatives: the directory, registration by the Dinas, and who may see what.

Each Node type's visibility is one rule registered with `resolvers.platform.visibility` below (for
node(id:)); what the nested fields and the live feed decide in memory is one function each
(`can_view_savings`, `can_view_transaction`, `can_follow_feed`), from a `CoopViewer`: the
viewer's pengurus posts and memberships, read once per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from models.bills import Bill
from models.cooperatives import (
    Cooperative,
    CooperativeAdmin,
    CooperativeType,
    JournalLine,
    Membership,
    MembershipStatus,
)
from models.loans import Loan
from models.platform import Kecamatan, Kelurahan, User
from resolvers.cooperatives.books import AccountBalance, MemberLine, open_books, trial_balance
from resolvers.platform import (
    BadInput,
    ErrorCode,
    Forbidden,
    Page,
    Unauthenticated,
    UserError,
    Validator,
    counts_by,
    fits,
    keyset_page,
    regions,
    require_city_admin,
    require_user,
    row_where,
    rows_by_ids,
    today,
    unique_slug,
    visibility,
)
from resolvers.search.text import MAX_QUERY_CHARS, terms

# A single movement or policy amount above this is a typing error, not money (Rp1 triliun).
MAX_AMOUNT = 10**12


@dataclass(frozen=True)
class CoopViewer:
    """What the cooperative rules need to know of the viewer."""

    user_id: int | None = None
    is_city_admin: bool = False
    administered: frozenset[int] = frozenset()  # cooperatives they are a pengurus of
    memberships: frozenset[int] = frozenset()  # their own memberships, any status
    active_in: frozenset[int] = frozenset()  # cooperatives they are an active member of


async def coop_viewer(viewer: User | None) -> CoopViewer:
    if viewer is None:
        return CoopViewer()
    administered = await CooperativeAdmin.filter(user_id=viewer.id).values_list(
        "cooperative_id", flat=True
    )
    own = await Membership.filter(user_id=viewer.id).values_list("id", "cooperative_id", "status")
    return CoopViewer(
        user_id=viewer.id,
        is_city_admin=viewer.is_city_admin,
        administered=frozenset(cast(list[int], administered)),
        memberships=frozenset(m for m, _, _ in own),
        active_in=frozenset(c for _, c, s in own if s == MembershipStatus.ACTIVE),
    )


def can_view_savings(who: CoopViewer, membership: Membership) -> bool:
    """A membership's money, NIK and phone: the member themself and its cooperative's pengurus
    only (personal data, UU PDP 27/2022); not the Dinas."""
    return membership.user_id == who.user_id or membership.cooperative_id in who.administered


def can_view_transaction(who: CoopViewer, line: MemberLine) -> bool:
    """A line with its member number and balance: the member's own lines, and every line for
    the pengurus. Other active members see it in the feed without either."""
    return line.membership_id in who.memberships or line.cooperative_id in who.administered


def can_follow_feed(who: CoopViewer, cooperative_id: int) -> bool:
    """The live transaction feed: the cooperative's pengurus and its active members."""
    return cooperative_id in who.administered or cooperative_id in who.active_in


# The same decisions as filters, for node(id:) through the visibility registry.
def _administered(viewer: User) -> Subquery:
    return Subquery(CooperativeAdmin.filter(user_id=viewer.id).values("cooperative_id"))


def member_pengurus_or_dinas(viewer: User | None) -> Q | None:
    """Memberships: the member themself, a pengurus of its cooperative, or the Dinas."""
    if viewer is None:
        return None
    if viewer.is_city_admin:
        return Q()
    return Q(user_id=viewer.id) | Q(cooperative_id__in=_administered(viewer))


def savings_lines_for(viewer: User | None) -> Q | None:
    """Journal lines on members' savings: `can_view_transaction`."""
    if viewer is None:
        return None
    return Q(membership_id__isnull=False) & (
        Q(membership__user_id=viewer.id) | Q(membership__cooperative_id__in=_administered(viewer))
    )


def bills_for(viewer: User | None) -> Q | None:
    """Bills: whom the bill is for, and the pengurus of the cooperative it is owed to."""
    if viewer is None:
        return None
    return Q(user_id=viewer.id) | Q(membership__cooperative_id__in=_administered(viewer))


def loans_for(viewer: User | None) -> Q | None:
    """Loans: as the membership's savings (`can_view_savings`)."""
    if viewer is None:
        return None
    return Q(membership__user_id=viewer.id) | Q(
        membership__cooperative_id__in=_administered(viewer)
    )


visibility.register("Cooperative", Cooperative, visibility.everyone)
visibility.register("Membership", Membership, member_pengurus_or_dinas)
visibility.register("SavingsTransaction", JournalLine, savings_lines_for, "entry", "membership")
visibility.register("Bill", Bill, bills_for)
visibility.register("Loan", Loan, loans_for)


def require_pengurus(who: CoopViewer, cooperative_id: int, field: str = "id") -> None:
    if cooperative_id not in who.administered:
        raise UserError(
            ErrorCode.PERMISSION_DENIED,
            "Hanya pengurus koperasi ini yang boleh melakukannya.",
            field,
        )


async def acting_pengurus(viewer: User | None, cooperative_id: int) -> User:
    """The signed-in user acting on the cooperative as its pengurus: NOT_FOUND for a
    cooperative that does not exist, PERMISSION_DENIED for anyone but its pengurus."""
    user = require_user(viewer)
    if not await Cooperative.exists(id=cooperative_id):
        raise UserError(ErrorCode.NOT_FOUND, "Koperasi tidak ditemukan.", "cooperativeId")
    require_pengurus(await coop_viewer(user), cooperative_id, "cooperativeId")
    return user


async def cooperative_by_slug(slug: str) -> Cooperative | None:
    return await Cooperative.get_or_none(slug=slug[:80])


async def cooperatives_by_ids(ids: list[int]) -> list[Cooperative | None]:
    return await rows_by_ids(Cooperative, ids)


async def memberships_by_ids(ids: list[int]) -> list[Membership | None]:
    return await rows_by_ids(Membership, ids)


async def active_member_counts(cooperative_ids: list[int]) -> list[int]:
    active = Membership.filter(status=MembershipStatus.ACTIVE)
    return await counts_by(active, "cooperative_id", cooperative_ids)


async def memberships_of(viewer: User | None, user_id: int) -> list[Membership]:
    """The user's memberships that `viewer` may see (the Membership rule): all of them for the
    user and the Dinas, those of their own cooperative for a pengurus."""
    own = Membership.filter(user_id=user_id)
    return await visibility.visible("Membership", viewer, own).order_by("id")


async def administered_by(user_id: int) -> list[Cooperative]:
    return await Cooperative.filter(admins__user_id=user_id).order_by("name", "id")


def search_name(name: str) -> str:
    """The name's stems framed by spaces: a query's stems match at the start of its words."""
    return f" {' '.join(terms(name))} "


@dataclass(frozen=True)
class DirectoryFilter:
    kecamatan: list[str] | None = None
    kelurahan: list[str] | None = None
    types: list[str] | None = None
    is_digital: bool | None = None


async def directory_page(
    query: str | None, chosen: DirectoryFilter, *, first: int | None, after: str | None
) -> Page:
    """Cooperatives whose name holds every word of `query` (stemmed as the product search
    stems them, matched at the start of a word), within the filters; newest first."""
    found = Cooperative.all()
    if query and len(query) > MAX_QUERY_CHARS:
        raise BadInput(f"Kata pencarian paling panjang {MAX_QUERY_CHARS} karakter.")
    for term in terms(query or "")[:8]:
        found = found.filter(search_name__contains=f" {term}")
    if chosen.kecamatan is not None:
        found = found.filter(kelurahan__kecamatan_id__in=_codes(chosen.kecamatan, Kecamatan))
    if chosen.kelurahan is not None:
        found = found.filter(kelurahan_id__in=_codes(chosen.kelurahan, Kelurahan))
    if chosen.types is not None:
        found = found.filter(type__in=chosen.types)
    if chosen.is_digital is not None:
        found = found.filter(is_digital=chosen.is_digital)
    return await keyset_page(found, first=first, after=after)


def _codes(codes: list[str], model: type[Kecamatan | Kelurahan]) -> list[str]:
    # A code longer than the column names no region: it matches nothing, unasked.
    return [c for c in codes[:200] if fits(model, "code", c)]


@dataclass(frozen=True)
class Registration:
    name: str
    legal_number: str
    legal_date: date
    type: str
    kelurahan_code: str
    address: str
    admin_email: str
    pokok_amount: int
    wajib_monthly_amount: int


def check_amount(check: Validator, field: str, amount: int, label: str) -> None:
    if amount <= 0:
        check.add(field, ErrorCode.INVALID, f"{label} harus lebih dari nol.")
    elif amount > MAX_AMOUNT:
        check.add(field, ErrorCode.INVALID, f"{label} terlalu besar.")


async def register_cooperative(viewer: User | None, given: Registration) -> Cooperative:
    """The Dinas registers a cooperative; the user with `admin_email` becomes its pengurus."""
    require_city_admin(viewer)
    check = Validator()
    name = check.text("input.name", given.name, "Nama koperasi", 160, required=True)
    legal = check.text(
        "input.legalNumber", given.legal_number, "Nomor badan hukum", 60, required=True
    )
    if legal and not legal.upper().startswith("AHU-"):
        check.add("input.legalNumber", ErrorCode.INVALID, "Nomor badan hukum diawali AHU-.")
    if given.legal_date > today():
        check.add("input.legalDate", ErrorCode.INVALID, "Tanggal badan hukum belum terjadi.")
    address = check.text("input.address", given.address, "Alamat", 255, required=True)
    if await regions.kelurahan(given.kelurahan_code) is None:
        check.add(
            "input.kelurahanCode", ErrorCode.INVALID, "Kelurahan tidak dikenal di Kota Tangerang."
        )
    admin = await row_where(User, "email", given.admin_email.strip().lower())
    if admin is None:
        check.add("input.adminEmail", ErrorCode.NOT_FOUND, "Tidak ada pengguna dengan email ini.")
    check_amount(check, "input.pokokAmount", given.pokok_amount, "Simpanan pokok")
    check_amount(check, "input.wajibMonthlyAmount", given.wajib_monthly_amount, "Simpanan wajib")
    check.check()
    assert admin is not None
    if await Cooperative.exists(legal_number=legal.upper()):
        raise _duplicate_legal_number()
    try:
        async with in_transaction():
            cooperative = await Cooperative.create(
                slug=await unique_slug(Cooperative, name),
                name=name,
                type=CooperativeType(given.type),
                legal_number=legal.upper(),
                legal_date=given.legal_date,
                kelurahan_id=given.kelurahan_code,
                address=address,
                pokok_amount=given.pokok_amount,
                wajib_monthly_amount=given.wajib_monthly_amount,
                search_name=search_name(name),
            )
            await CooperativeAdmin.create(cooperative_id=cooperative.id, user_id=admin.id)
            await open_books(cooperative.id)
    except IntegrityError:
        raise _duplicate_legal_number() from None  # registered concurrently
    return cooperative


def _duplicate_legal_number() -> UserError:
    return UserError(
        ErrorCode.DUPLICATE, "Nomor badan hukum ini sudah terdaftar.", "input.legalNumber"
    )


async def cooperative_for_pengurus(viewer: User | None, cooperative: Cooperative) -> None:
    """For query fields only the pengurus may read: a top-level error for anyone else."""
    if viewer is None:
        raise Unauthenticated()
    if cooperative.id not in (await coop_viewer(viewer)).administered:
        raise Forbidden("Hanya pengurus koperasi ini yang boleh melihatnya.")


async def members_page(
    cooperative: Cooperative,
    status: MembershipStatus | None,
    *,
    first: int | None,
    after: str | None,
) -> Page:
    """Call `cooperative_for_pengurus` first."""
    found = Membership.filter(cooperative_id=cooperative.id)
    if status is not None:
        found = found.filter(status=status)
    return await keyset_page(found, first=first, after=after)


async def books_of(cooperative: Cooperative) -> list[AccountBalance]:
    """Call `cooperative_for_pengurus` first."""
    return await trial_balance(cooperative.id)
