"""The city's view: socialisation per kelurahan, and the programme's public figures.

Every figure is an exact count over the rows as they are, read with a few grouped statements
(or, for paid orders, from `paid_order_month`, which the database keeps in the paying
transaction): a shop counts where it is; a product when ACTIVE; an order when its payment is
PAID (a cancelled order was never paid or is REFUNDED, so neither counts), at its total; a
member is an ACTIVE membership, counted in its cooperative's kelurahan (a person in two
cooperatives counts in each). No figure names anyone or is about one person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from tortoise import connections
from tortoise.expressions import Q, RawSQL
from tortoise.functions import Count, Min
from tortoise.queryset import QuerySet

from models.city import ACTIVE_PRODUCTS, MAX_NOTE, CityCount, PaidOrderMonth, Socialization
from models.cooperatives import Cooperative, Membership, MembershipStatus
from models.platform import Kecamatan, Kelurahan, User
from models.shops import Shop
from resolvers.platform import (
    MONTH_SQL,
    Directory,
    ErrorCode,
    Forbidden,
    Unauthenticated,
    Validator,
    aggregated,
    last_months,
    month_start,
    regions,
    require_city_admin,
    today,
)


@dataclass
class Tally:
    """What is in one place: a kelurahan, a kecamatan or the whole city."""

    shops: int = 0
    verified_shops: int = 0
    cooperatives: int = 0
    digital_cooperatives: int = 0
    members: int = 0
    kelurahan_socialized: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class KelurahanFigures:
    kelurahan: Kelurahan
    socialized_at: date | None
    tally: Tally


@dataclass
class KecamatanFigures:
    kecamatan: Kecamatan
    kelurahan_total: int
    tally: Tally = field(default_factory=Tally)


@dataclass
class CityFigures:
    tally: Tally
    products: int
    orders: int
    gmv: int


@dataclass
class Figures:
    """Every kelurahan's figures (in code order) and the city-wide counts of one moment."""

    kelurahan: list[KelurahanFigures]
    products: int
    orders: int
    gmv: int

    def city(self) -> CityFigures:
        tally = Tally()
        for row in self.kelurahan:
            tally.add(row.tally)
        return CityFigures(tally, self.products, self.orders, self.gmv)

    def by_kecamatan(self, directory: Directory) -> list[KecamatanFigures]:
        sizes = Counter(k.kecamatan_id for k in directory.kelurahan_by_code.values())
        found = {k.code: KecamatanFigures(k, sizes[k.code]) for k in directory.kecamatan}
        for row in self.kelurahan:
            found[row.kelurahan.kecamatan_id].tally.add(row.tally)
        return list(found.values())

    def rollout(self, kecamatan: str | None) -> list[KelurahanFigures]:
        if kecamatan is None:
            return self.kelurahan
        return [row for row in self.kelurahan if row.kelurahan.kecamatan_id == kecamatan]


async def figures() -> Figures:
    """The figures of every kelurahan and of the city, in six statements."""
    directory = await regions.directory()
    tallies = {code: Tally() for code in directory.kelurahan_by_code}
    shops = (
        await Shop.all()
        .group_by("kelurahan_id")
        .annotate(n=Count("id"), verified=Count("id", _filter=Q(is_verified=True)))
        .values("kelurahan_id", "n", "verified")
    )
    for row in shops:
        tallies[row["kelurahan_id"]].shops = row["n"]
        tallies[row["kelurahan_id"]].verified_shops = row["verified"]
    place_of = {}
    for cooperative in await Cooperative.all().values("id", "kelurahan_id", "is_digital"):
        tally = tallies[cooperative["kelurahan_id"]]
        place_of[cooperative["id"]] = tally
        tally.cooperatives += 1
        tally.digital_cooperatives += bool(cooperative["is_digital"])
    members = (
        await Membership.filter(status=MembershipStatus.ACTIVE)
        .group_by("cooperative_id")
        .annotate(n=Count("id"))
        .values("cooperative_id", "n")
    )
    for row in members:
        place_of[row["cooperative_id"]].members += row["n"]
    first = dict(
        await Socialization.all()
        .group_by("kelurahan_id")
        .annotate(first=Min("held_on"))
        .values_list("kelurahan_id", "first")
    )
    for code in first:
        tallies[code].kelurahan_socialized = 1
    products = (await CityCount.get(name=ACTIVE_PRODUCTS)).value
    orders, gmv = await _paid_totals()
    rows = [
        KelurahanFigures(kelurahan, aggregated(first.get(code), date), tallies[code])
        for code, kelurahan in directory.kelurahan_by_code.items()
    ]
    return Figures(rows, products, orders, gmv)


def require_dinas(viewer: User | None) -> User:
    """The viewer, if a CITY_ADMIN; otherwise a top-level error for a read."""
    if viewer is None:
        raise Unauthenticated()
    if not viewer.is_city_admin:
        raise Forbidden("Hanya petugas Dinas yang boleh melihat ini.")
    return viewer


async def report_figures(viewer: User | None) -> Figures:
    """The figures for the Dinas's downloadable reports: CITY_ADMIN only."""
    require_dinas(viewer)
    return await figures()


async def _paid_totals() -> tuple[int, int]:
    rows = await PaidOrderMonth.all().values_list("orders", "gmv")
    return sum(r[0] for r in rows), sum(r[1] for r in rows)


async def record_socialization(
    viewer: User | None, kelurahan_code: str, held_on: date, note: str | None
) -> Socialization:
    """CITY_ADMIN records a session held in a kelurahan (named by Kemendagri code)."""
    officer = require_city_admin(viewer)
    check = Validator()
    code = kelurahan_code.strip()
    if await regions.kelurahan(code) is None:
        check.add(
            "kelurahanCode",
            ErrorCode.NOT_FOUND,
            "Kelurahan dengan kode Kemendagri itu tidak ada di Kota Tangerang.",
        )
    if held_on > today():
        check.add("date", ErrorCode.INVALID, "Tanggal sosialisasi tidak boleh di masa depan.")
    text = check.text("note", note, "Catatan", MAX_NOTE, required=False)
    check.check()
    return await Socialization.create(
        kelurahan_id=code, held_on=held_on, note=text, recorded_by_id=officer.id
    )


@dataclass(frozen=True)
class Month:
    month: str  # "YYYY-MM", in Asia/Jakarta
    new_shops: int
    new_members: int
    orders: int
    gmv: int


async def _per_month(query: QuerySet, column: str, start: datetime) -> dict[str, int]:
    dialect = connections.get("default").capabilities.dialect
    rows = (
        await query.filter(**{f"{column}__gte": start})
        .annotate(month=RawSQL(MONTH_SQL[dialect].format(column=column)))
        .group_by("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    return dict(rows)


async def monthly(count: int = 12) -> list[Month]:
    """New shops, new members (memberships approved), paid orders and their GMV per month."""
    months = last_months(count, today())
    start = month_start(months[0])
    shops = await _per_month(Shop.all(), "created_at", start)
    members = await _per_month(Membership.all(), "joined_at", start)
    paid = {row.month: row for row in await PaidOrderMonth.filter(month__gte=months[0])}
    return [
        Month(
            m,
            shops.get(m, 0),
            members.get(m, 0),
            paid[m].orders if m in paid else 0,
            paid[m].gmv if m in paid else 0,
        )
        for m in months
    ]
