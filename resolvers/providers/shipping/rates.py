"""The one small interface shipping rates are asked through, the way Indonesian rate
aggregators work: from the shop's kelurahan to the buyer's, for a parcel's total weight and
the couriers the shop uses, each courier's services with their fee."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Place:
    """A kelurahan of Kota Tangerang, with the names an aggregator searches by."""

    kelurahan_code: str
    kelurahan: str
    kecamatan_code: str
    kecamatan: str


@dataclass(frozen=True)
class RateRequest:
    origin: Place
    destination: Place
    weight_grams: int
    couriers: tuple[str, ...]
    value: int  # the goods' worth in rupiah, which some couriers price insurance by


@dataclass(frozen=True)
class Rate:
    courier: str  # the provider's courier code, e.g. "jne"
    service: str  # the courier's service code, e.g. "reg"
    name: str  # what the buyer reads, e.g. "JNE Reguler"
    fee: int  # whole rupiah
    estimated_days: str | None = None  # e.g. "1-2"


class RatesUnavailable(Exception):
    """The provider did not answer usably (down, slow, refused our key, unreadable)."""


class RateProvider(Protocol):
    @property
    def couriers(self) -> frozenset[str]:
        """The courier codes this provider knows: what a shop may choose from."""

    async def rates(self, request: RateRequest) -> list[Rate]:
        """Every service of the requested couriers that reaches the destination, or
        RatesUnavailable."""
