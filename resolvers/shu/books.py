"""SHU on the books: a closed year's figures, its preview, and its distribution once a year.

The year's figures, all by Jakarta time (UTC+7 the whole year), read in one grouped query each:
- The books' surplus: what the year's entries post on income and expense accounts, credits
  less debits, other than the SHU entries that close a year (posted later, in another year).
- The members: numbered memberships active at some point in the year (joined before its end,
  not ended before its start). One whose membership has ended by the time of the preview or
  the distribution (during the year or since) gets a payable: their savings are closed.
- Jasa modal: the average of the twelve month-end POKOK + WAJIB balances (resolvers.shu), from
  the journal lines grouped by member and month.
- Jasa anggota: loan interest paid, the net credits on Pendapatan Jasa Pinjaman of the year's
  entries whose `membership_id` is the member, plus purchases: the totals of the member's
  orders at shops the cooperative runs (`Shop.cooperative_id`) whose payment is PAID, by the
  payment's time (never below 0, should reversals exceed it).

`input.surplus` above the books' surplus is refused (INVALID on `surplus`): money the books do
not have is not paid out. What it leaves below stays in SHU Belum Dibagi for a later RAT.

Distribution, in one transaction, once per (cooperative, year): the `shu_distribution` row is
written first, so that a second call, or one racing it, is refused (INVALID_STATE) by its
unique key. Then two balanced entries of kind SHU:
1. Closing: Dr each income account by its net credit of the year (Cr each expense account by
   its net debit), Cr SHU Belum Dibagi the books' surplus.
2. Sharing: Dr SHU Belum Dibagi `input.surplus`; Cr Cadangan the reserve; Cr each staying
   member's Simpanan Sukarela their share (published to the live feed after the commit); Cr
   Utang SHU Anggota the shares of members who left (each recorded in `shu_share`, which says
   whom the payable owes); Cr Dana Alokasi SHU the rest pool (dana pengurus, pendidikan,
   sosial, pembangunan daerah kerja). `distributed` is what went to members.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.cooperatives import (
    AccountKind,
    BookYear,
    BookYearState,
    Cooperative,
    EntryKind,
    LedgerAccount,
    Membership,
    MembershipStatus,
    Rat,
    SavingsKind,
)
from models.platform import User
from models.shu import ShuDistribution, ShuShare
from resolvers.cooperatives import (
    CADANGAN,
    DANA_ALOKASI_SHU,
    PENDAPATAN_JASA,
    SAVINGS_ACCOUNTS,
    SHU_BELUM_DIBAGI,
    SIMPANAN_POKOK,
    SIMPANAN_WAJIB,
    UTANG_SHU,
    Journal,
    Line,
    coop_viewer,
    cooperative_for_pengurus,
    require_pengurus,
)
from resolvers.platform import (
    JAKARTA,
    MONTH_SQL,
    Broker,
    ErrorCode,
    NotFound,
    Once,
    UserError,
    Validator,
    exactly_once,
    remember,
    require_user,
    today,
)
from resolvers.shu.shares import (
    Destination,
    MemberShare,
    MemberYear,
    ShuSplit,
    average_monthly_balance,
    percent_bps,
    shu_split,
)

FIRST_YEAR = 1900  # before this, a year is a typing error


@dataclass(frozen=True)
class ShuInput:
    surplus: int
    reserve_percent: float | str | Decimal
    capital_service_percent: float | str | Decimal
    member_service_percent: float | str | Decimal


@dataclass(frozen=True)
class MemberFigures:
    membership: Membership
    year: MemberYear


@dataclass(frozen=True)
class YearFigures:
    year: int
    books_surplus: int
    closing: dict[str, int]  # net credit of the year per income or expense account code
    members: list[MemberFigures]  # by membership number


@dataclass(frozen=True)
class MemberPreview:
    membership: Membership
    figures: MemberYear
    share: MemberShare


@dataclass(frozen=True)
class ShuPreview:
    year: int
    books_surplus: int
    closing: dict[str, int]
    split: ShuSplit
    members: list[MemberPreview]


def _check_year(year: int) -> None:
    """A closed year: before the current Jakarta year."""
    if not FIRST_YEAR <= year < today().year:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "SHU hanya untuk tahun buku yang sudah ditutup (sebelum tahun berjalan).",
            "year",
        )


def _in_year(column: str, year: int) -> str:
    month = MONTH_SQL[connections.get("default").capabilities.dialect].format(column=column)
    return f"{month} BETWEEN '{year:04d}-01' AND '{year:04d}-12'"


async def _rows(sql: str) -> list[dict[str, Any]]:
    return await connections.get("default").execute_query_dict(sql)


def _ids(ids: list[int]) -> str:
    return ", ".join(str(int(i)) for i in ids) or "NULL"


async def _closing(accounts: dict[str, tuple[int, AccountKind]], year: int) -> dict[str, int]:
    codes = {
        account_id: code
        for code, (account_id, kind) in accounts.items()
        if kind in (AccountKind.INCOME, AccountKind.EXPENSE)
    }
    rows = await _rows(
        "SELECT l.account_id, SUM(l.credit) - SUM(l.debit) AS net FROM journal_line l "
        "JOIN journal_entry e ON e.id = l.entry_id "
        f"WHERE l.account_id IN ({_ids(list(codes))}) AND e.kind <> '{EntryKind.SHU.value}' "
        f"AND {_in_year('e.created_at', year)} GROUP BY l.account_id"
    )
    return {codes[row["account_id"]]: int(row["net"]) for row in rows if int(row["net"])}


async def _month_end_capital(
    accounts: dict[str, tuple[int, AccountKind]], year: int
) -> dict[int, list[int]]:
    """Each member's twelve month-end POKOK + WAJIB balances of the year."""
    column = MONTH_SQL[connections.get("default").capabilities.dialect].format(
        column="e.created_at"
    )
    capital = [accounts[SIMPANAN_POKOK][0], accounts[SIMPANAN_WAJIB][0]]
    rows = await _rows(
        f"SELECT l.membership_id, {column} AS month, SUM(l.credit) - SUM(l.debit) AS net "
        "FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
        f"WHERE l.account_id IN ({_ids(capital)}) AND {column} <= '{year:04d}-12' "
        f"GROUP BY l.membership_id, {column}"
    )
    months = [f"{year:04d}-{month:02d}" for month in range(1, 13)]
    nets: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        nets[row["membership_id"]][row["month"]] = int(row["net"])
    return {
        member: [sum(n for m, n in by_month.items() if m <= month) for month in months]
        for member, by_month in nets.items()
    }


async def _interest_paid(accounts: dict[str, tuple[int, AccountKind]], year: int) -> dict[int, int]:
    rows = await _rows(
        "SELECT e.membership_id, SUM(l.credit) - SUM(l.debit) AS net FROM journal_line l "
        "JOIN journal_entry e ON e.id = l.entry_id "
        f"WHERE l.account_id = {accounts[PENDAPATAN_JASA][0]} AND e.membership_id IS NOT NULL "
        f"AND e.kind <> '{EntryKind.SHU.value}' AND {_in_year('e.created_at', year)} "
        "GROUP BY e.membership_id"
    )
    return {row["membership_id"]: int(row["net"]) for row in rows}


async def _purchases(cooperative_id: int, year: int) -> dict[int, int]:
    """Per buyer, the paid orders of the year at the shops the cooperative runs."""
    rows = await _rows(
        'SELECT o.buyer_id, SUM(o.total) AS total FROM "order" o '
        "JOIN payment p ON p.order_id = o.id JOIN shop s ON s.id = o.shop_id "
        f"WHERE s.cooperative_id = {int(cooperative_id)} AND p.status = 'PAID' "
        f"AND {_in_year('p.paid_at', year)} GROUP BY o.buyer_id"
    )
    return {row["buyer_id"]: int(row["total"]) for row in rows}


async def year_figures(cooperative_id: int, year: int) -> YearFigures:
    """The year's figures of the module doc; the caller has checked the year."""
    accounts = {
        code: (account_id, AccountKind(kind))
        for code, account_id, kind in await LedgerAccount.filter(
            cooperative_id=cooperative_id
        ).values_list("code", "id", "kind")
    }
    start = datetime(year, 1, 1, tzinfo=JAKARTA)
    end = datetime(year + 1, 1, 1, tzinfo=JAKARTA)
    memberships = await Membership.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=start),
        cooperative_id=cooperative_id,
        number__isnull=False,
        joined_at__lt=end,
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.ENDED],
    ).order_by("number")
    closing = await _closing(accounts, year)
    books_surplus = sum(closing.values())
    closed = await BookYear.get_or_none(
        cooperative_id=cooperative_id, year=year, state=BookYearState.CLOSED
    )
    if closed is not None:  # CloseBookYear moved the year's result to SHU Belum Dibagi already
        closing, books_surplus = {}, closed.surplus or 0
    capital = await _month_end_capital(accounts, year)
    interest = await _interest_paid(accounts, year)
    purchases = await _purchases(cooperative_id, year)
    return YearFigures(
        year=year,
        books_surplus=books_surplus,
        closing=closing,
        members=[
            MemberFigures(
                membership,
                MemberYear(
                    number=membership.number or 0,
                    capital=_average(capital.get(membership.id)),
                    business=max(
                        0, interest.get(membership.id, 0) + purchases.get(membership.user_id, 0)
                    ),
                    left=membership.status != MembershipStatus.ACTIVE,
                ),
            )
            for membership in memberships
        ],
    )


def _average(month_ends: list[int] | None) -> Fraction:
    return average_monthly_balance(month_ends or [0] * 12)


def preview_of(figures: YearFigures, given: ShuInput) -> ShuPreview:
    """The split of `given` over the year's figures; a UserError for bad input."""
    split = shu_split(
        given.surplus,
        given.reserve_percent,
        given.capital_service_percent,
        given.member_service_percent,
        [member.year for member in figures.members],
    )
    if given.surplus > figures.books_surplus:
        raise UserError(
            ErrorCode.INVALID,
            "Surplus melebihi SHU tahun itu menurut pembukuan.",
            "surplus",
        )
    return ShuPreview(
        year=figures.year,
        books_surplus=figures.books_surplus,
        closing=figures.closing,
        split=split,
        members=[
            MemberPreview(member.membership, member.year, share)
            for member, share in zip(figures.members, split.members, strict=True)
        ],
    )


async def shu_preview(
    viewer: User | None, cooperative_id: int, year: int, given: ShuInput
) -> ShuPreview:
    """The cooperative's pengurus only (top-level errors otherwise); writes nothing."""
    cooperative = await Cooperative.get_or_none(id=cooperative_id)
    if cooperative is None:
        raise NotFound()
    await cooperative_for_pengurus(viewer, cooperative)
    _check_year(year)
    return preview_of(await year_figures(cooperative_id, year), given)


def _already_distributed() -> UserError:
    return UserError(ErrorCode.INVALID_STATE, "SHU tahun ini sudah dibagikan.", "year")


async def distribute_shu(
    viewer: User | None,
    cooperative_id: int,
    year: int,
    given: ShuInput,
    events: Broker,
    key: str | None = None,
) -> ShuDistribution:
    """The module doc's distribution, by a pengurus of the cooperative. Once per idempotency
    key (and in any case once per year)."""
    user = require_user(viewer)

    async def move(once: Once) -> ShuDistribution:
        require_pengurus(await coop_viewer(user), cooperative_id, "cooperativeId")
        _check_year(year)
        if await ShuDistribution.exists(cooperative_id=cooperative_id, year=year):
            raise _already_distributed()
        await _as_the_rat_decided(cooperative_id, year, given)
        journal = Journal()
        try:
            async with in_transaction():
                distribution = await post_distribution(
                    journal, cooperative_id, year, given, user.id
                )
                await remember(once, {"distribution": distribution.id})
        except IntegrityError:
            raise _already_distributed() from None
        await journal.publish(events)
        return distribution

    asked = ("distributeShu", cooperative_id, year, asdict(given))
    return await exactly_once(user, key, asked, move, _distribution_of)


async def _as_the_rat_decided(cooperative_id: int, year: int, given: ShuInput) -> None:
    """Once the year's RAT is recorded, the distribution follows its decision exactly."""
    rat = await Rat.get_or_none(cooperative_id=cooperative_id, year=year)
    if rat is None:
        return
    asked = [
        percent_bps(Validator(), "", value)
        for value in (
            given.reserve_percent, given.capital_service_percent, given.member_service_percent
        )
    ]  # fmt: skip
    decided = [rat.reserve_bps, rat.capital_service_bps, rat.member_service_bps]
    if given.surplus != rat.shu_to_distribute or asked != decided:
        raise UserError(
            ErrorCode.INVALID_STATE,
            "Pembagian SHU harus sesuai keputusan RAT: SHU yang dibagi dan persentasenya.",
            "input",
        )


async def _distribution_of(result: dict[str, int]) -> ShuDistribution:
    return await ShuDistribution.get(id=result["distribution"])


async def post_distribution(
    journal: Journal, cooperative_id: int, year: int, given: ShuInput, actor_id: int
) -> ShuDistribution:
    """Inside the caller's transaction: the claim on (cooperative, year) first, then the
    year's figures, their entries and the record of every share."""
    distribution = await ShuDistribution.create(
        cooperative_id=cooperative_id, year=year, actor_id=actor_id
    )
    preview = preview_of(await year_figures(cooperative_id, year), given)
    await _post(journal, cooperative_id, preview, actor_id)
    await _record(distribution, preview, given)
    return distribution


async def _post(journal: Journal, cooperative_id: int, preview: ShuPreview, actor_id: int) -> None:
    year = preview.year
    closing = [
        Line(code, debit=net) if net > 0 else Line(code, credit=-net)
        for code, net in preview.closing.items()
    ]
    if closing:  # not when CloseBookYear closed the year
        await journal.post(
            cooperative_id,
            EntryKind.SHU,
            f"Penutupan tahun buku {year}: SHU ke SHU Belum Dibagi",
            [*closing, Line(SHU_BELUM_DIBAGI, credit=preview.books_surplus)],
            actor_id=actor_id,
        )
    split = preview.split
    shares = [
        Line(
            SAVINGS_ACCOUNTS[SavingsKind.SUKARELA],
            credit=m.share.total,
            membership_id=m.membership.id,
        )
        for m in preview.members
        if m.share.total and m.share.destination == Destination.SUKARELA
    ]
    payable = sum(
        m.share.total for m in preview.members if m.share.destination == Destination.PAYABLE
    )
    credits = [
        (CADANGAN, split.reserve),
        (UTANG_SHU, payable),
        (DANA_ALOKASI_SHU, split.allocations_payable),
    ]
    await journal.post(
        cooperative_id,
        EntryKind.SHU,
        f"Pembagian SHU tahun {year}",
        [
            Line(SHU_BELUM_DIBAGI, debit=split.surplus),
            *[Line(code, credit=amount) for code, amount in credits if amount],
            *shares,
        ],
        actor_id=actor_id,
    )


async def _record(distribution: ShuDistribution, preview: ShuPreview, given: ShuInput) -> None:
    """The decision and its outcome on the distribution's row, and every member's share."""
    split = preview.split
    bps = [
        percent_bps(Validator(), field, value)
        for field, value in (
            ("reservePercent", given.reserve_percent),
            ("capitalServicePercent", given.capital_service_percent),
            ("memberServicePercent", given.member_service_percent),
        )
    ]
    figures = {
        "surplus": split.surplus,
        "books_surplus": preview.books_surplus,
        "reserve_bps": bps[0],
        "capital_service_bps": bps[1],
        "member_service_bps": bps[2],
        "reserve": split.reserve,
        "capital_service_pool": split.capital_service_pool,
        "member_service_pool": split.member_service_pool,
        "allocations_payable": split.allocations_payable,
        "distributed": sum(share.total for share in split.members),
    }
    distribution.update_from_dict(figures)
    await distribution.save(update_fields=list(figures))
    await ShuShare.bulk_create(
        [
            ShuShare(
                distribution_id=distribution.id,
                membership_id=member.membership.id,
                capital_share=member.share.capital_share,
                service_share=member.share.service_share,
                destination=member.share.destination,
            )
            for member in preview.members
            if member.share.total
        ]
    )
