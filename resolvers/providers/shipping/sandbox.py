"""The built-in sandbox rate provider: deterministic fees with no outside service.

A service's fee is its base plus its price per started kilogram (at least one), plus
Rp2.000 when the parcel leaves its kecamatan. The same request always gets the same rates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from resolvers.providers.shipping.rates import Rate, RateRequest

OTHER_KECAMATAN = 2_000


@dataclass(frozen=True)
class Service:
    courier: str
    code: str
    name: str
    base: int
    per_kg: int
    days: str


SERVICES = (
    Service("jne", "reg", "JNE Reguler", 7_000, 2_000, "1-2"),
    Service("jne", "yes", "JNE YES", 14_000, 4_000, "1"),
    Service("sicepat", "reg", "SiCepat REG", 6_500, 2_000, "1-2"),
    Service("anteraja", "reg", "AnterAja Reguler", 6_000, 2_500, "2-3"),
    Service("pos", "kilat", "Pos Kilat Khusus", 8_000, 1_500, "2-4"),
)


def kilograms(weight_grams: int) -> int:
    """Started kilograms, at least one: how couriers count a parcel's weight."""
    return max(1, -(-weight_grams // 1000))


class SandboxRates:
    couriers = frozenset(service.courier for service in SERVICES)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SandboxRates:
        """The sandbox needs no settings."""
        return cls()

    async def rates(self, request: RateRequest) -> list[Rate]:
        far = request.origin.kecamatan_code != request.destination.kecamatan_code
        return [
            Rate(
                courier=service.courier,
                service=service.code,
                name=service.name,
                fee=service.base
                + service.per_kg * kilograms(request.weight_grams)
                + (OTHER_KECAMATAN if far else 0),
                estimated_days=service.days,
            )
            for service in SERVICES
            if service.courier in request.couriers
        ]
