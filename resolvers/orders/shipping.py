"""Shipping for one shop of a cart: the options its methods offer to a kelurahan with their
fees, and the buyer's choice among them, validated the same way by the quote and checkout."""

from __future__ import annotations

from dataclasses import dataclass

from models.orders import CartLine, ShippingKind
from models.platform import Kelurahan
from models.shops import Shop
from resolvers.orders.cart import variant_of
from resolvers.orders.shipping_methods import Method
from resolvers.platform import Directory, ErrorCode, Problem, format_rupiah
from resolvers.providers.shipping import Place, RateProvider, RateRequest, RatesUnavailable


def cart_weight(lines: list[CartLine]) -> int:
    """The parcel's weight in grams: what each line's variant weighs, times its quantity."""
    return sum(variant_of(line).weight_grams * line.quantity for line in lines)


@dataclass(frozen=True)
class Option:
    """One way a shop can send this cart to this kelurahan, and its fee."""

    key: str  # the method's id, and for COURIER "<id>:<courier>:<service>"
    method_id: int
    kind: ShippingKind
    name: str
    fee: int
    estimated_days: str | None = None
    note: str | None = None
    service: str | None = None  # COURIER: "<courier>/<service>"


@dataclass
class ShopShipping:
    options: list[Option]
    chosen: Option | None
    problems: list[Problem]

    @property
    def fee(self) -> int:
        return self.chosen.fee if self.chosen is not None else 0


def place(directory: Directory, kelurahan: Kelurahan) -> Place:
    kecamatan = directory.kecamatan_by_code[kelurahan.kecamatan_id]
    return Place(kelurahan.code, kelurahan.name, kecamatan.code, kecamatan.name)


async def options_for(
    shop: Shop,
    methods: list[Method],
    directory: Directory,
    destination: Kelurahan,
    subtotal: int,
    weight_grams: int,
    rates: RateProvider,
) -> tuple[list[Option], set[int]]:
    """The shop's options to `destination`, PICKUP first; and the COURIER methods left out
    because the rate provider did not answer."""
    options: list[Option] = []
    unanswered: set[int] = set()
    for method in sorted(methods, key=lambda m: list(ShippingKind).index(m.row.kind)):
        row = method.row
        if not row.is_active:
            continue
        if row.kind == ShippingKind.PICKUP:
            options.append(
                Option(str(row.id), row.id, row.kind, row.name, 0, note=row.opening_hours)
            )
        elif row.kind == ShippingKind.SHOP_COURIER:
            fee = method.fees.get(destination.kecamatan_id)
            if fee is None:
                continue
            free_from = row.free_shipping_minimum
            note = None if free_from is None else f"Gratis ongkir mulai {format_rupiah(free_from)}"
            if free_from is not None and subtotal >= free_from:
                fee = 0
            options.append(Option(str(row.id), row.id, row.kind, row.name, fee, "0-1", note))
        else:
            request = RateRequest(
                origin=place(directory, directory.kelurahan_by_code[shop.kelurahan_id]),
                destination=place(directory, destination),
                weight_grams=weight_grams,
                couriers=tuple(method.couriers),
                value=subtotal,
            )
            try:
                found = await rates.rates(request)
            except RatesUnavailable:
                unanswered.add(row.id)
                continue
            options.extend(
                Option(
                    f"{row.id}:{rate.courier}:{rate.service}",
                    row.id,
                    row.kind,
                    rate.name,
                    rate.fee,
                    rate.estimated_days,
                    service=f"{rate.courier}/{rate.service}",
                )
                for rate in found
            )
    return options, unanswered


def choose(
    shop: Shop,
    methods: list[Method],
    options: list[Option],
    unanswered: set[int],
    key: str | None,
    field: str,
) -> ShopShipping:
    """The option the buyer chose (`key`, `field` naming it), or the default: PICKUP when
    the shop offers it, nothing for a shop without active methods, else REQUIRED."""
    active = [m for m in methods if m.row.is_active]
    if key is None:
        if not active:
            return ShopShipping(options, None, [])
        pickup = next((o for o in options if o.kind == ShippingKind.PICKUP), None)
        if pickup is not None:
            return ShopShipping(options, pickup, [])
        problem = Problem(
            ErrorCode.REQUIRED, f"Pilih cara pengiriman untuk pesanan dari {shop.name}.", "shops"
        )
        return ShopShipping(options, None, [problem])
    chosen = next((o for o in options if o.key == key), None)
    if chosen is not None:
        return ShopShipping(options, chosen, [])
    if key.split(":")[0] in {str(method_id) for method_id in unanswered}:
        problem = Problem(
            ErrorCode.SERVICE_UNAVAILABLE,
            "Tarif kurir sedang tidak tersedia. Coba lagi sebentar, atau pilih cara lain.",
            field,
        )
    elif not active:
        problem = Problem(ErrorCode.INVALID, f"{shop.name} tidak menawarkan pengiriman.", field)
    else:
        problem = Problem(
            ErrorCode.INVALID,
            f"Cara pengiriman ini tidak tersedia dari {shop.name} ke alamat tujuan.",
            field,
        )
    return ShopShipping(options, None, [problem])
