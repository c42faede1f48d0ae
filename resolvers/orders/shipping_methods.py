"""A shop's shipping methods, as its owner sets them and as others see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.orders import ShippingFee, ShippingKind, ShippingMethod
from models.platform import User
from models.shops import Shop
from resolvers.platform import (
    ErrorCode,
    Validator,
    regions,
    rows_grouped_by,
)
from resolvers.providers import Services
from resolvers.shops import owned_shop

MAX_NAME = 120
MAX_OPENING_HOURS = 255
MAX_COURIERS = 20
DEFAULT_NAMES = {
    ShippingKind.PICKUP: "Ambil di toko",
    ShippingKind.SHOP_COURIER: "Kurir toko",
    ShippingKind.COURIER: "Kurir ekspedisi",
}


@dataclass(frozen=True)
class FeeFields:
    kecamatan_code: str
    fee: int


@dataclass(frozen=True)
class MethodFields:
    kind: ShippingKind
    name: str | None = None
    is_active: bool = True
    opening_hours: str | None = None
    fees: tuple[FeeFields, ...] | None = None
    free_shipping_minimum: int | None = None
    couriers: tuple[str, ...] | None = None


@dataclass
class Method:
    """A method with its own courier's fees (SHOP_COURIER), by kecamatan code."""

    row: ShippingMethod
    fees: dict[str, int] = field(default_factory=dict)

    @property
    def couriers(self) -> list[str]:
        return [code for code in self.row.couriers.split(",") if code]


async def _owned_shop(viewer: User | None, shop_id: int) -> Shop:
    denied = "Hanya pemilik toko yang boleh mengatur pengirimannya."
    return await owned_shop(viewer, shop_id, "shopId", denied)


async def _checked(given: MethodFields, services: Services) -> MethodFields:
    check = Validator()
    name = check.text("name", given.name, "Nama metode", MAX_NAME, required=False)
    hours = check.text(
        "openingHours",
        given.opening_hours,
        "Jam buka",
        MAX_OPENING_HOURS,
        required=given.kind == ShippingKind.PICKUP,
    )
    fees: tuple[FeeFields, ...] = ()
    couriers: tuple[str, ...] = ()
    if given.kind == ShippingKind.SHOP_COURIER:
        fees = await _checked_fees(check, given.fees)
        minimum = given.free_shipping_minimum
        if minimum is not None and minimum < 0:
            check.add("freeShippingMinimum", ErrorCode.INVALID, "Batas gratis ongkir minimal Rp0.")
    if given.kind == ShippingKind.COURIER:
        couriers = _checked_couriers(check, given.couriers, services.shipping_rates.couriers)
    check.check()
    return MethodFields(
        kind=given.kind,
        name=name or DEFAULT_NAMES[given.kind],
        is_active=given.is_active,
        opening_hours=hours if given.kind == ShippingKind.PICKUP else "",
        fees=fees,
        free_shipping_minimum=(
            given.free_shipping_minimum if given.kind == ShippingKind.SHOP_COURIER else None
        ),
        couriers=couriers,
    )


async def _checked_fees(
    check: Validator, fees: tuple[FeeFields, ...] | None
) -> tuple[FeeFields, ...]:
    if not fees:
        check.add("fees", ErrorCode.REQUIRED, "Isi ongkir untuk paling sedikit satu kecamatan.")
        return ()
    directory = await regions.directory()
    seen: set[str] = set()
    for i, fee in enumerate(fees):
        code = fee.kecamatan_code.strip()
        if code not in directory.kecamatan_by_code:
            check.add(
                f"fees.{i}.kecamatanCode",
                ErrorCode.INVALID,
                "Kecamatan tidak dikenal di Kota Tangerang.",
            )
        elif code in seen:
            check.add(f"fees.{i}.kecamatanCode", ErrorCode.DUPLICATE, "Kecamatan ini sudah diisi.")
        seen.add(code)
        if fee.fee < 0:
            check.add(f"fees.{i}.fee", ErrorCode.INVALID, "Ongkir minimal Rp0.")
    return tuple(FeeFields(f.kecamatan_code.strip(), f.fee) for f in fees)


def _checked_couriers(
    check: Validator, couriers: tuple[str, ...] | None, known: frozenset[str]
) -> tuple[str, ...]:
    codes = [code.strip().lower() for code in couriers or ()]
    if not codes:
        check.add("couriers", ErrorCode.REQUIRED, "Pilih paling sedikit satu kurir.")
        return ()
    if len(codes) > MAX_COURIERS:
        check.add("couriers", ErrorCode.INVALID, f"Paling banyak {MAX_COURIERS} kurir.")
    for i, code in enumerate(codes):
        if code not in known:
            check.add(f"couriers.{i}", ErrorCode.INVALID, f"Kurir {code!r} tidak dikenal.")
    return tuple(dict.fromkeys(codes))


async def set_shipping_method(
    viewer: User | None, shop_id: int, given: MethodFields, services: Services
) -> Method:
    shop = await _owned_shop(viewer, shop_id)
    fields = await _checked(given, services)
    values: dict[str, Any] = {
        "name": fields.name,
        "is_active": fields.is_active,
        "opening_hours": fields.opening_hours,
        "free_shipping_minimum": fields.free_shipping_minimum,
        "couriers": ",".join(fields.couriers or ()),
    }
    for attempt in range(2):
        try:
            async with in_transaction():
                method = (
                    await ShippingMethod.filter(shop_id=shop.id, kind=fields.kind)
                    .select_for_update()
                    .first()
                )
                if method is None:
                    method = await ShippingMethod.create(
                        shop_id=shop.id, kind=fields.kind, **values
                    )
                else:
                    await method.update_from_dict(values).save()
                await ShippingFee.filter(method_id=method.id).delete()
                await ShippingFee.bulk_create(
                    [
                        ShippingFee(method_id=method.id, kecamatan_id=f.kecamatan_code, fee=f.fee)
                        for f in fields.fees or ()
                    ]
                )
            return Method(method, {f.kecamatan_code: f.fee for f in fields.fees or ()})
        except IntegrityError:
            if attempt:  # the method another request created at the same moment is there now
                raise
    raise AssertionError("unreachable")


async def methods_of_shops(shop_ids: list[int]) -> list[list[Method]]:
    """Every method of each shop (active or not), by kind, with its fees."""
    grouped = await rows_grouped_by(ShippingMethod.all().order_by("id"), "shop_id", shop_ids)
    method_ids = [row.id for rows in grouped for row in rows]
    fees: dict[int, dict[str, int]] = {i: {} for i in method_ids}
    if method_ids:
        for fee in await ShippingFee.filter(method_id__in=method_ids).order_by("kecamatan_id"):
            fees[fee.method_id][fee.kecamatan_id] = fee.fee
    order = list(ShippingKind)
    return [
        [Method(row, fees[row.id]) for row in sorted(rows, key=lambda r: order.index(r.kind))]
        for rows in grouped
    ]


def shown_methods(viewer: User | None, shop: Shop, methods: list[Method]) -> list[Method]:
    """The owner sees every method; anyone else the active ones."""
    if viewer is not None and viewer.id == shop.owner_id:
        return methods
    return [method for method in methods if method.row.is_active]
