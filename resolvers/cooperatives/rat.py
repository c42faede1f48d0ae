"""The Rapat Anggota Tahunan (RAT): recorded once for a closed book year with what it decided
on the SHU, which distributeShu must then follow; and whether each cooperative held last
year's, for the Dinas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.cooperatives import BookYear, BookYearState, Membership, Rat
from models.platform import User
from resolvers.cooperatives.chart import bookkeeper_of
from resolvers.platform import (
    HUNDRED_PERCENT,
    JAKARTA,
    ErrorCode,
    UserError,
    Validator,
    percent_bps,
    require_user,
    today,
)


@dataclass(frozen=True)
class RatInput:
    held_on: date
    members_present: int
    shu_to_distribute: int
    reserve_percent: float | str | Decimal
    capital_service_percent: float | str | Decimal
    member_service_percent: float | str | Decimal
    notes: str | None


async def members_eligible(cooperative_id: int, day: date) -> int:
    """The memberships ACTIVE at the end of `day` (Asia/Jakarta)."""
    end = datetime.combine(day + timedelta(days=1), time(), JAKARTA)
    return await Membership.filter(
        Q(cooperative_id=cooperative_id, joined_at__lt=end)
        & (Q(ended_at__isnull=True) | Q(ended_at__gte=end))
    ).count()


async def record_rat(viewer: User | None, cooperative_id: int, year: int, given: RatInput) -> Rat:
    user = require_user(viewer)
    await bookkeeper_of(user, cooperative_id)
    closed = await BookYear.get_or_none(
        cooperative_id=cooperative_id, year=year, state=BookYearState.CLOSED
    )
    if closed is None:
        raise UserError(
            ErrorCode.INVALID_STATE, f"Tutup buku tahun {year} dahulu sebelum RAT-nya.", "year"
        )
    duplicate = UserError(ErrorCode.DUPLICATE, f"RAT tahun {year} sudah dicatat.", "year")
    if await Rat.exists(cooperative_id=cooperative_id, year=year):
        raise duplicate
    check = Validator()
    if not date(year, 12, 31) < given.held_on <= today():
        check.add(
            "input.heldOn",
            ErrorCode.INVALID,
            "Tanggal RAT harus sesudah akhir tahun buku dan tidak di masa depan.",
        )
    eligible = await members_eligible(cooperative_id, min(given.held_on, today()))
    if not 0 <= given.members_present <= eligible:
        check.add(
            "input.membersPresent",
            ErrorCode.INVALID,
            f"Jumlah hadir harus 0 sampai {eligible} anggota.",
        )
    if not 0 <= given.shu_to_distribute <= (closed.surplus or 0):
        check.add(
            "shuToDistribute",
            ErrorCode.INVALID,
            "SHU yang dibagi tidak boleh negatif atau melebihi SHU tahun buku itu.",
        )
    bps = [
        percent_bps(check, field, value)
        for field, value in (
            ("input.reservePercent", given.reserve_percent),
            ("input.capitalServicePercent", given.capital_service_percent),
            ("input.memberServicePercent", given.member_service_percent),
        )
    ]
    if sum(bps) > HUNDRED_PERCENT:
        check.add("input.reservePercent", ErrorCode.INVALID, "Jumlah persentase paling 100%.")
    notes = check.text("input.notes", given.notes, "Catatan", 1000, required=False)
    check.check()
    try:
        async with in_transaction():
            return await Rat.create(
                cooperative_id=cooperative_id,
                year=year,
                held_on=given.held_on,
                members_present=given.members_present,
                members_eligible=eligible,
                shu_to_distribute=given.shu_to_distribute,
                reserve_bps=bps[0],
                capital_service_bps=bps[1],
                member_service_bps=bps[2],
                notes=notes,
                recorded_by_id=user.id,
            )
    except IntegrityError:  # a racing record of the same year
        raise duplicate from None


async def rats_of(cooperative_id: int) -> dict[int, Rat]:
    return {r.year: r for r in await Rat.filter(cooperative_id=cooperative_id)}


async def last_rats(cooperative_ids: list[int]) -> list[Rat | None]:
    """Each cooperative's latest RAT, by year."""
    found: dict[int, Rat] = {}
    for rat in await Rat.filter(cooperative_id__in=cooperative_ids).order_by("year"):
        found[rat.cooperative_id] = rat
    return [found.get(i) for i in cooperative_ids]


async def held_previous_year_count() -> int:
    return await Rat.filter(year=today().year - 1).count()


def held_previous_year(rat: Rat | None) -> bool:
    return rat is not None and rat.year >= today().year - 1


async def decided_shu(cooperative_id: int, year: int) -> Rat | None:
    """The RAT's decision on the year's SHU, which a distribution must follow."""
    return await Rat.get_or_none(cooperative_id=cooperative_id, year=year)
