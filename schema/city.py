"""The city's view for Dinas Koperasi dan UKM: public figures, the rollout, socialisation."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import city
from resolvers.city import health as health_of
from resolvers.cooperatives import rat as cooperative_rat
from resolvers.platform import regions
from schema.cooperatives.rat import Rat
from schema.platform import (
    ERRORS,
    Kecamatan,
    Kelurahan,
    Money,
    UserError,
    decode_id,
    described_enum,
    encode_id,
    payload_of,
)

FIGURES_NOTE = (
    " Exact counts: a product counts when ACTIVE, an order when its payment is PAID (at its"
    " total; cancelled and refunded orders never count), a member is an ACTIVE membership in"
    " its cooperative's kelurahan. Reports: GET /reports/kecamatan.xlsx, /reports/kecamatan.csv,"
    " /reports/rollout.xlsx, /reports/rollout.csv (CITY_ADMIN, Bearer token)."
)


@strawberry.type(description="The whole city's programme figures." + FIGURES_NOTE)
class CityStats:
    shops: int = strawberry.field(description="Shops in the marketplace.")
    verified_shops: int = strawberry.field(description="Shops with the Dinas's badge.")
    products: int = strawberry.field(description="Active products.")
    orders: int = strawberry.field(
        description="Paid orders: their payment is PAID, confirmed by the provider (bank"
        " transfer, QRIS) or, for COD, on delivery. An order cancelled or expired before payment"
        " never counts; one cancelled after payment is REFUNDED and counts no more."
    )
    gmv: Money = strawberry.field(description="The totals of the paid orders, whole rupiah.")
    cooperatives: int = strawberry.field(description="Registered cooperatives.")
    digital_cooperatives: int = strawberry.field(
        description="Cooperatives in the app: with a pengurus and an approved member."
    )
    members: int = strawberry.field(description="Active memberships.")
    kelurahan_socialized: int = strawberry.field(
        description="Kelurahan where at least one socialisation session was held."
    )

    @strawberry.field(
        description="Cooperatives that held and recorded the RAT of the previous year."
    )
    async def cooperatives_with_previous_year_rat(self) -> int:
        return await cooperative_rat.held_previous_year_count()

    @classmethod
    def of(cls, figures: city.CityFigures) -> CityStats:
        t = figures.tally
        return cls(
            shops=t.shops,
            verified_shops=t.verified_shops,
            products=figures.products,
            orders=figures.orders,
            gmv=Money(amount=figures.gmv),
            cooperatives=t.cooperatives,
            digital_cooperatives=t.digital_cooperatives,
            members=t.members,
            kelurahan_socialized=t.kelurahan_socialized,
        )


def _place_counts(tally: city.Tally) -> dict[str, int]:
    return {"shops": tally.shops, "cooperatives": tally.cooperatives, "members": tally.members}


@strawberry.type(description="One kecamatan's figures, as `CityStats` counts them.")
class KecamatanStats:
    kecamatan: Kecamatan = strawberry.field(description="The kecamatan.")
    shops: int = strawberry.field(description="Shops in its kelurahan.")
    cooperatives: int = strawberry.field(description="Cooperatives in its kelurahan.")
    members: int = strawberry.field(description="Active memberships of those cooperatives.")
    kelurahan_socialized: int = strawberry.field(
        description="Its kelurahan with a socialisation session."
    )
    kelurahan_total: int = strawberry.field(description="Its kelurahan.")

    @classmethod
    def of(cls, figures: city.KecamatanFigures) -> KecamatanStats:
        return cls(
            kecamatan=Kecamatan.of(figures.kecamatan),
            kelurahan_socialized=figures.tally.kelurahan_socialized,
            kelurahan_total=figures.kelurahan_total,
            **_place_counts(figures.tally),
        )


@strawberry.type(description="A kelurahan in the rollout: when socialisation began, what followed.")
class KelurahanRollout:
    kelurahan: Kelurahan = strawberry.field(description="The kelurahan.")
    socialized_at: date | None = strawberry.field(
        description="The date of the first socialisation session (Asia/Jakarta); null: none yet."
    )
    shops: int = strawberry.field(description="Shops there now.")
    cooperatives: int = strawberry.field(description="Cooperatives there now.")
    members: int = strawberry.field(description="Active memberships of those cooperatives.")

    @classmethod
    def of(cls, figures: city.KelurahanFigures) -> KelurahanRollout:
        return cls(
            kelurahan=Kelurahan.of(figures.kelurahan),
            socialized_at=figures.socialized_at,
            **_place_counts(figures.tally),
        )


@strawberry.type(description="One calendar month of the programme (Asia/Jakarta).")
class CityMonth:
    month: str = strawberry.field(description='"YYYY-MM".')
    new_shops: int = strawberry.field(description="Shops opened in the month.")
    new_members: int = strawberry.field(
        description="Memberships approved in the month (whether still active or not)."
    )
    orders: int = strawberry.field(description="Orders placed in the month that are paid.")
    gmv: Money = strawberry.field(description="Their totals, whole rupiah.")

    @classmethod
    def of(cls, month: city.Month) -> CityMonth:
        return cls(
            month=month.month,
            new_shops=month.new_shops,
            new_members=month.new_members,
            orders=month.orders,
            gmv=Money(amount=month.gmv),
        )


CooperativeHealthSort = described_enum(
    health_of.HealthSort,
    "What `cooperativeHealth` is sorted by; ties go by name.",
    {
        "NAME": "The cooperative's name.",
        "ACTIVE_MEMBERS": "activeMembers.",
        "TOTAL_SAVINGS": "totalSavings.",
        "LOANS_OUTSTANDING": "loansOutstanding.",
        "NPL_RATIO": "nplRatioBps.",
        "LAST_TRANSACTION_AT": "lastTransactionAt (never moved counts as the oldest).",
    },
    name="CooperativeHealthSort",
)


@strawberry.type(
    description="One cooperative's health for the Dinas: figures about the cooperative as a"
    " whole, never about one member."
)
class CooperativeHealth:
    cooperative_id: strawberry.ID = strawberry.field(description="The Cooperative's id.")
    slug: str = strawberry.field(description="The cooperative's slug.")
    name: str = strawberry.field(description="The cooperative's name.")
    active_members: int = strawberry.field(description="Its ACTIVE memberships.")
    total_savings: Money = strawberry.field(
        description="Every open simpanan pokok, wajib and sukarela balance of its members."
    )
    loans_outstanding: Money = strawberry.field(
        description="The principal its ACTIVE loans still owe."
    )
    npl_ratio_bps: int = strawberry.field(
        description="Non-performing loans: the principal of ACTIVE loans in kolektibilitas 3-5"
        " (over 90 days past due) over all of it, in basis points; 0 with no loans."
    )
    last_transaction_at: datetime | None = strawberry.field(
        description="When its journal last moved (any deposit, withdrawal, loan, bill, SHU);"
        " null if never."
    )

    @strawberry.field(
        description="Whether the RAT of the previous year (the running Jakarta year less one) "
        "was held and recorded: the first thing a cooperative is judged aktif by."
    )
    async def previous_year_rat_held(self, info: Info) -> bool:
        found = await info.context.loaders.last_rat.load(self._id())
        return cooperative_rat.held_previous_year(found)

    @strawberry.field(description="The last RAT it recorded; null if none.")
    async def last_rat(self, info: Info) -> Rat | None:
        found = await info.context.loaders.last_rat.load(self._id())
        return Rat.of(found) if found else None

    def _id(self) -> int:
        return decode_id(self.cooperative_id, "Cooperative")

    @classmethod
    def of(cls, health: health_of.CooperativeHealth) -> CooperativeHealth:
        return cls(
            cooperative_id=strawberry.ID(encode_id("Cooperative", health.cooperative.id)),
            slug=health.cooperative.slug,
            name=health.cooperative.name,
            active_members=health.active_members,
            total_savings=Money(amount=health.total_savings),
            loans_outstanding=Money(amount=health.loans_outstanding),
            npl_ratio_bps=health.npl_ratio_bps,
            last_transaction_at=health.last_transaction_at,
        )


@strawberry.type(description="The answer to recordSocialization.")
class RecordSocializationPayload:
    ok: bool = strawberry.field(default=False, description="Whether it was recorded.")
    errors: list[UserError] = strawberry.field(default_factory=list, description=ERRORS)


def _figures(info: Info) -> Awaitable[city.Figures]:
    # One reading per request, shared by every city field the operation selects.
    extra = info.context.extra
    if "city_figures" not in extra:
        extra["city_figures"] = asyncio.ensure_future(city.figures())
    return extra["city_figures"]


@strawberry.type
class Query:
    @strawberry.field(description="The city's figures (public aggregates)." + FIGURES_NOTE)
    async def city_stats(self, info: Info) -> CityStats:
        return CityStats.of((await _figures(info)).city())

    @strawberry.field(description="Each of the 13 kecamatan's figures, in code order.")
    async def kecamatan_stats(self, info: Info) -> list[KecamatanStats]:
        figures = await _figures(info)
        return [KecamatanStats.of(k) for k in figures.by_kecamatan(await regions.directory())]

    @strawberry.field(
        description="The kelurahan (of one kecamatan, by code, or all 104) in code order, with"
        " when socialisation began and what followed; an unknown kecamatan has none."
    )
    async def kelurahan_rollout(
        self,
        info: Info,
        kecamatan: Annotated[
            str | None,
            strawberry.argument(description="A kecamatan's Kemendagri code; none for all."),
        ] = None,
    ) -> list[KelurahanRollout]:
        figures = await _figures(info)
        return [KelurahanRollout.of(k) for k in figures.rollout(kecamatan)]

    @strawberry.field(
        description="The last 12 months, oldest first, up to the running month (Asia/Jakarta):"
        " new shops, new members, paid orders and GMV, so each socialisation's effect shows."
    )
    async def city_monthly(self) -> list[CityMonth]:
        return [CityMonth.of(m) for m in await city.monthly()]

    @strawberry.field(
        description="CITY_ADMIN: every cooperative's health, so the Dinas sees which are alive"
        " and which need help; sorted by `sortBy` (most first, or least with descending:"
        " false). A FORBIDDEN error for anyone else (UNAUTHENTICATED when not signed in)."
    )
    async def cooperative_health(
        self,
        info: Info,
        sort_by: Annotated[
            CooperativeHealthSort, strawberry.argument(description="What to sort by.")
        ] = health_of.HealthSort.LAST_TRANSACTION_AT,
        descending: Annotated[
            bool,
            strawberry.argument(description="Most (latest) first; false for least first."),
        ] = True,
    ) -> list[CooperativeHealth]:
        found = await health_of.cooperative_health(
            info.context.viewer, health_of.HealthSort(sort_by), descending
        )
        return [CooperativeHealth.of(h) for h in found]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="CITY_ADMIN: record a socialisation session held in a kelurahan (its"
        " Kemendagri code) on a date not in the future; a kelurahan may have several."
        " Errors: UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND (kelurahanCode), INVALID."
    )
    async def record_socialization(
        self,
        info: Info,
        kelurahan_code: Annotated[
            str, strawberry.argument(description="The kelurahan's Kemendagri code.")
        ],
        date: Annotated[
            date, strawberry.argument(description="The day it was held; not in the future.")
        ],
        note: Annotated[
            str | None,
            strawberry.argument(description="What happened, at most 500 characters."),
        ] = None,
    ) -> RecordSocializationPayload:
        return await payload_of(
            RecordSocializationPayload,
            lambda: city.record_socialization(info.context.viewer, kelurahan_code, date, note),
            lambda _: RecordSocializationPayload(ok=True),
        )
