"""The RAT package (paket RAT) of a closed book year: what the pengurus brings to the Rapat
Anggota Tahunan, gathered from the books in one place.

- the four statements for January to December with the previous year's comparatives;
- the SHU per member: the shares recorded by the year's distribution once it was made, else
  the preview of the RAT's decision (shuToDistribute and its percentages) once the RAT is
  recorded, else none (the RAT has not decided yet);
- the loan portfolio at the year's last day: every ACTIVE loan disbursed by then, graded by
  the cooperative's kolektibilitas bands on that day, with its principal outstanding as it
  stands now (as the allowance of a past month reads it), and the NPL ratio over it;
- the membership changes of the year: members at its start and end, who joined and who left,
  and the simpanan pokok and wajib received (credits) and paid out (debits) in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tortoise.functions import Sum

from models.cooperatives import BookYear, BookYearState, JournalLine, Membership, Rat
from models.platform import User
from models.shu import ShuDistribution, ShuShare
from resolvers.cooperatives import SIMPANAN_POKOK, SIMPANAN_WAJIB, rat, statements
from resolvers.loans import active_standings, arrears, basis_points, npl_ratio
from resolvers.platform import JAKARTA
from resolvers.shu.books import ShuInput, preview_of, year_figures


@dataclass(frozen=True)
class MemberShu:
    number: int
    name: str
    capital_share: int
    service_share: int

    @property
    def total(self) -> int:
        return self.capital_share + self.service_share


@dataclass(frozen=True)
class PortfolioBand:
    kolektibilitas: arrears.Kolektibilitas
    loans: int
    outstanding: int


@dataclass(frozen=True)
class MembershipChanges:
    members_at_start: int
    members_at_end: int
    joined: int
    left: int
    pokok_received: int
    pokok_paid_out: int
    wajib_received: int
    wajib_paid_out: int


@dataclass(frozen=True)
class RatPackage:
    year: int
    book_year: BookYear
    rat: Rat | None
    statements: statements.Statements
    shu_source: str  # "DISTRIBUTED", "RAT" or "NONE": where the SHU per member comes from
    shu: list[MemberShu]
    portfolio: list[PortfolioBand]
    npl_bps: int
    changes: MembershipChanges

    @property
    def loans_outstanding(self) -> int:
        return sum(band.outstanding for band in self.portfolio)


async def closed_year(cooperative_id: int, year: int) -> BookYear | None:
    return await BookYear.get_or_none(
        cooperative_id=cooperative_id, year=year, state=BookYearState.CLOSED
    )


async def _names(memberships: list[Membership]) -> dict[int, str]:
    users = dict(
        await User.filter(id__in=[m.user_id for m in memberships]).values_list("id", "name")
    )
    return {m.id: str(users.get(m.user_id, "")) for m in memberships}


async def _shu(cooperative_id: int, year: int, decided: Rat | None) -> tuple[str, list[MemberShu]]:
    distribution = await ShuDistribution.get_or_none(cooperative_id=cooperative_id, year=year)
    if distribution is not None:
        shares = await ShuShare.filter(distribution_id=distribution.id).select_related("membership")
        names = await _names([s.membership for s in shares])
        found = [
            MemberShu(
                s.membership.number or 0,
                names[s.membership_id],
                s.capital_share,
                s.service_share,
            )
            for s in shares
        ]
        return "DISTRIBUTED", sorted(found, key=lambda m: m.number)
    if decided is None:
        return "NONE", []
    given = ShuInput(
        decided.shu_to_distribute,
        f"{decided.reserve_bps / 100:.2f}",
        f"{decided.capital_service_bps / 100:.2f}",
        f"{decided.member_service_bps / 100:.2f}",
    )
    preview = preview_of(await year_figures(cooperative_id, year), given)
    names = await _names([m.membership for m in preview.members])
    return "RAT", [
        MemberShu(m.figures.number, names[m.membership.id], m.share.capital_share,
                  m.share.service_share)
        for m in preview.members
    ]  # fmt: skip


async def _portfolio(cooperative_id: int, year: int) -> tuple[list[PortfolioBand], int]:
    end = date(year, 12, 31)
    standings = [
        s
        for _, s in await active_standings(
            end,
            membership__cooperative_id=cooperative_id,
            disbursed_at__lte=datetime.combine(end, time.max, JAKARTA),
        )
    ]
    bands = [
        PortfolioBand(
            band,
            sum(1 for s in standings if s.kolektibilitas == band),
            sum(s.outstanding for s in standings if s.kolektibilitas == band),
        )
        for band in arrears.Kolektibilitas
    ]
    return bands, basis_points(npl_ratio(standings))


async def _capital_moved(cooperative_id: int, year: int) -> dict[str, tuple[int, int]]:
    """(credits, debits) in the year of Simpanan Pokok and Simpanan Wajib, by code."""
    rows = (
        await JournalLine.filter(
            account__cooperative_id=cooperative_id,
            account__code__in=[SIMPANAN_POKOK, SIMPANAN_WAJIB],
            entry__date__gte=date(year, 1, 1),
            entry__date__lte=date(year, 12, 31),
        )
        .group_by("account__code")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values("account__code", "d", "c")
    )
    found = {r["account__code"]: (int(r["c"] or 0), int(r["d"] or 0)) for r in rows}
    return {code: found.get(code, (0, 0)) for code in (SIMPANAN_POKOK, SIMPANAN_WAJIB)}


async def _changes(cooperative_id: int, year: int) -> MembershipChanges:
    start = datetime.combine(date(year, 1, 1), time(), JAKARTA)
    end = datetime.combine(date(year + 1, 1, 1), time(), JAKARTA)
    in_year = Membership.filter(cooperative_id=cooperative_id, number__isnull=False)
    moved = await _capital_moved(cooperative_id, year)
    pokok, wajib = moved[SIMPANAN_POKOK], moved[SIMPANAN_WAJIB]
    return MembershipChanges(
        members_at_start=await rat.members_eligible(
            cooperative_id, date(year, 1, 1) - timedelta(days=1)
        ),
        members_at_end=await rat.members_eligible(cooperative_id, date(year, 12, 31)),
        joined=await in_year.filter(joined_at__gte=start, joined_at__lt=end).count(),
        left=await in_year.filter(ended_at__gte=start, ended_at__lt=end).count(),
        pokok_received=pokok[0],
        pokok_paid_out=pokok[1],
        wajib_received=wajib[0],
        wajib_paid_out=wajib[1],
    )


async def rat_package(cooperative_id: int, year: int) -> RatPackage | None:
    """Call `can_read_books` first. None unless the year is CLOSED."""
    closed = await closed_year(cooperative_id, year)
    if closed is None:
        return None
    decided = await rat.decided_shu(cooperative_id, year)
    source, shu = await _shu(cooperative_id, year, decided)
    portfolio, npl = await _portfolio(cooperative_id, year)
    return RatPackage(
        year=year,
        book_year=closed,
        rat=decided,
        statements=await statements.statements(
            cooperative_id, date(year, 1, 1), date(year, 12, 31), True
        ),
        shu_source=source,
        shu=shu,
        portfolio=portfolio,
        npl_bps=npl,
        changes=await _changes(cooperative_id, year),
    )
