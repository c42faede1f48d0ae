"""Book years: the year-end close (tutup buku) and the Dinas's reopening."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import cooperatives as m
from resolvers.cooperatives import book_year, downloads, rat
from resolvers.cooperatives.book_year import YearView
from resolvers.platform import now
from schema.cooperatives.books import books_readable
from schema.cooperatives.rat import Rat
from schema.platform import ERRORS, Money, User, UserError, decode_id, described_enum, payload_of


class YearState(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


BookYearState = described_enum(
    YearState,
    "Where a book year is.",
    {
        "OPEN": "Entries may be dated in it.",
        "CLOSED": "Closed: no entry is dated in it any more.",
    },
    name="BookYearState",
)
BookYearAction = described_enum(
    m.BookYearAction,
    "What happened to a book year.",
    {"CLOSED": "A pengurus closed it.", "REOPENED": "The Dinas reopened it."},
    name="BookYearAction",
)


@strawberry.type(description="A close or a reopening of a book year: who, when and why.")
class BookYearEvent:
    action: BookYearAction = strawberry.field(description="Closed or reopened.")
    at: dt.datetime = strawberry.field(description="When.")
    reason: str | None = strawberry.field(description="Why (a reopening); else null.")
    by_id: strawberry.Private[int]

    @strawberry.field(description="Who did it.")
    async def by(self, info: Info) -> User | None:
        found = await info.context.loaders.user.load(self.by_id)
        return User.of(found) if found else None


@strawberry.type(
    description="The RAT package of a closed year, one xlsx and one PDF: a summary page, the "
    "four statements with the previous year's comparatives, the SHU per member (as "
    "distributed, else by the RAT's decision once recorded), the loan portfolio by "
    "kolektibilitas with the NPL, and the membership changes (joined, left, pokok and wajib "
    "received and paid out)."
)
class RatPackage:
    year: int = strawberry.field(description="The closed book year.")
    link: strawberry.Private[downloads.RatLink]

    @strawberry.field(description="The package as an xlsx workbook: a signed URL.")
    def xlsx_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("xlsx"))

    @strawberry.field(description="The package as a PDF: a signed URL.")
    def pdf_url(self, info: Info) -> str:
        return info.context.absolute_url(self.link.url("pdf"))

    @strawberry.field(description="When the file URLs stop working.")
    def expires_at(self) -> dt.datetime:
        return self.link.expires_at


@strawberry.type(description="A book year (tahun buku, January to December, Asia/Jakarta).")
class BookYear:
    year: int = strawberry.field(description="The calendar year.")
    state: BookYearState = strawberry.field(description="OPEN until closed.")
    view: strawberry.Private[YearView]

    @classmethod
    def of(cls, view: YearView) -> BookYear:
        # CLOSING lasts only inside the close's transaction: to anyone else the year is OPEN.
        closed = view.state == m.BookYearState.CLOSED
        return cls(year=view.year, state=YearState.CLOSED if closed else YearState.OPEN, view=view)

    @strawberry.field(description="When it was closed; null while OPEN.")
    def closed_at(self) -> dt.datetime | None:
        return self.view.row.closed_at if self.view.row else None

    @strawberry.field(description="Who closed it; null while OPEN.")
    async def closed_by(self, info: Info) -> User | None:
        row = self.view.row
        if row is None or row.closed_by_id is None:
            return None
        found = await info.context.loaders.user.load(row.closed_by_id)
        return User.of(found) if found else None

    @strawberry.field(
        description="The year's income less expenses from its books, as its CLOSING entry "
        "moved it to SHU Belum Dibagi; null while OPEN."
    )
    def surplus(self) -> Money | None:
        row = self.view.row
        if row is None or row.surplus is None or self.view.state != m.BookYearState.CLOSED:
            return None
        return Money(amount=row.surplus)

    @strawberry.field(description="The RAT recorded for it; else null.")
    async def rat(self) -> Rat | None:
        found = await rat.decided_shu(self.view.cooperative_id, self.year)
        return Rat.of(found) if found else None

    @strawberry.field(description="The RAT package, for a CLOSED year only; else null.")
    def rat_package(self, info: Info) -> RatPackage | None:
        if self.view.state != m.BookYearState.CLOSED:
            return None
        secret = info.context.services.download_secret
        link = downloads.RatLink.new(secret, self.view.cooperative_id, self.year, now())
        return RatPackage(year=self.year, link=link)

    @strawberry.field(description="Its closes and reopenings, oldest first.")
    async def events(self) -> list[BookYearEvent]:
        if self.view.row is None:
            return []
        found = (await book_year.events_of([self.view.row.id]))[0]
        return [
            BookYearEvent(action=e.action, at=e.at, reason=e.reason or None, by_id=e.by_id)
            for e in found
        ]


async def book_years(info: Info, cooperative_id: int) -> list[BookYear] | None:
    if not await books_readable(info, cooperative_id):
        return None
    return [BookYear.of(v) for v in await book_year.book_years(cooperative_id)]


@strawberry.type(description="The answer to closeBookYear and reopenBookYear.")
class BookYearPayload:
    book_year: BookYear | None = strawberry.field(
        default=None, description="The year after the change; null when `errors` is not empty."
    )
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _payload(row: m.BookYear) -> BookYearPayload:
    return BookYearPayload(book_year=BookYear.of(YearView(row.cooperative_id, row.year, row)))


COOPERATIVE = Annotated[strawberry.ID, strawberry.argument(description="The cooperative.")]
YEAR = Annotated[int, strawberry.argument(description="The book year.")]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="A pengurus with the bookkeeping right: close a year once it is over "
        "(Asia/Jakarta). One CLOSING entry dated 31 December moves every INCOME and EXPENSE "
        "balance to SHU Belum Dibagi, and no entry is dated in the year afterwards. Errors: "
        "NOT_FOUND, PERMISSION_DENIED, INVALID_STATE (not over, or closed already)."
    )
    async def close_book_year(
        self, info: Info, cooperative_id: COOPERATIVE, year: YEAR
    ) -> BookYearPayload:
        async def work() -> m.BookYear:
            return await book_year.close_year(
                info.context.viewer, decode_id(cooperative_id, "Cooperative", "cooperativeId"), year
            )

        return await payload_of(BookYearPayload, work, _payload)

    @strawberry.mutation(
        description="CITY_ADMIN only: reopen the latest CLOSED year with a reason; its CLOSING "
        "entry is reversed and the reopening kept in `events`. Errors: NOT_FOUND, "
        "PERMISSION_DENIED, REQUIRED (reason), INVALID_STATE (not the latest closed year)."
    )
    async def reopen_book_year(
        self,
        info: Info,
        cooperative_id: COOPERATIVE,
        year: YEAR,
        reason: Annotated[str, strawberry.argument(description="Why, at most 255 characters.")],
    ) -> BookYearPayload:
        async def work() -> m.BookYear:
            return await book_year.reopen_year(
                info.context.viewer,
                decode_id(cooperative_id, "Cooperative", "cooperativeId"),
                year,
                reason,
            )

        return await payload_of(BookYearPayload, work, _payload)
