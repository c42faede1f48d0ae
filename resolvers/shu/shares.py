"""SHU (sisa hasil usaha): the year's surplus split into pools and members' shares, with no I/O.

Percentages have at most two decimals (a float is read through its shortest form, so 12.5 is
12.50 and 0.1 + 0.2 is refused), each 0-100 and together at most 100; more is refused with a
`UserError` (INVALID) naming the field, or `input` for their sum.

Pools: the surplus goes to the reserve (Cadangan), jasa modal, jasa anggota and the rest, 100
less the three (dana pengurus, pendidikan, sosial, pembangunan daerah kerja as the AD/ART
says), which is posted to an allocations payable, not lost.

Members: the jasa modal pool is shared in proportion to each member's average monthly POKOK
+ WAJIB balance over the year (`average_monthly_balance`: the mean of the twelve month-end
balances, January to December, exactly, counting 0 for months outside the membership); the
jasa anggota pool in proportion to the member's business with the cooperative that year
(loan interest paid plus purchases from the shops it owns or runs). A pool in which nobody
has a share goes to the allocations payable. A member who left during the year gets their
share as a payable (`Destination.PAYABLE`), not as a SUKARELA credit.

Rounding, for the pools and for each pool's shares alike: whole rupiah by the largest-
remainder method. Each part gets floor(amount x weight / all weights); the rupiah left over
go one each to the parts with the largest remainders, ties to the larger weight, then to the
earlier part (the reserve before the other pools; the lower membership number). So the
parts add up exactly to the amount, each is its exact quota rounded down or up, and a larger
weight never gets less.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from models.shu import ShuDestination as Destination
from resolvers.platform import HUNDRED_PERCENT, ErrorCode, Validator, percent_bps


@dataclass(frozen=True)
class MemberYear:
    number: int  # membership number, which breaks ties
    capital: Fraction  # average monthly POKOK + WAJIB balance
    business: int  # whole rupiah of business with the cooperative in the year
    left: bool = False  # the membership ended during the year


@dataclass(frozen=True)
class MemberShare:
    number: int
    capital_share: int
    service_share: int
    destination: Destination

    @property
    def total(self) -> int:
        return self.capital_share + self.service_share


@dataclass(frozen=True)
class ShuSplit:
    surplus: int
    reserve: int
    capital_service_pool: int
    member_service_pool: int
    allocations_payable: int
    members: list[MemberShare]


def average_monthly_balance(month_end_balances: Sequence[int]) -> Fraction:
    if len(month_end_balances) != 12 or min(month_end_balances) < 0:
        raise ValueError("twelve month-end balances, none negative")
    return Fraction(sum(month_end_balances), 12)


def apportion(amount: int, weights: Sequence[Fraction | int]) -> list[int]:
    """`amount` in whole parts proportional to `weights`, largest remainders first.

    Ties go to the larger weight, then to the earlier position; all-zero weights get nothing.
    """
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    quotas = [Fraction(amount) * weight / whole for weight in weights]
    parts = [quota.numerator // quota.denominator for quota in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - quotas[i], -weights[i], i))
    for i in by_remainder[: amount - sum(parts)]:
        parts[i] += 1
    return parts


def shu_split(
    surplus: int,
    reserve_percent: float | str | Decimal,
    capital_service_percent: float | str | Decimal,
    member_service_percent: float | str | Decimal,
    members: Sequence[MemberYear],
) -> ShuSplit:
    """The year's SHU by the rules in the module doc; shares in membership-number order."""
    validator = Validator()
    if surplus < 1:
        validator.add("surplus", ErrorCode.INVALID, "Surplus harus lebih dari Rp0 untuk dibagi.")
    percents = [
        percent_bps(validator, "reservePercent", reserve_percent),
        percent_bps(validator, "capitalServicePercent", capital_service_percent),
        percent_bps(validator, "memberServicePercent", member_service_percent),
    ]
    if sum(percents) > HUNDRED_PERCENT:
        validator.add(
            "input",
            ErrorCode.INVALID,
            "Jumlah persentase cadangan, jasa modal dan jasa anggota paling banyak 100%.",
        )
    validator.check()
    members = sorted(members, key=lambda member: member.number)
    reserve, capital_pool, service_pool, payable = apportion(
        surplus, [*percents, HUNDRED_PERCENT - sum(percents)]
    )
    capital = apportion(capital_pool, [member.capital for member in members])
    service = apportion(service_pool, [member.business for member in members])
    if not any(member.capital for member in members):
        capital_pool, payable = 0, payable + capital_pool
    if not any(member.business for member in members):
        service_pool, payable = 0, payable + service_pool
    return ShuSplit(
        surplus=surplus,
        reserve=reserve,
        capital_service_pool=capital_pool,
        member_service_pool=service_pool,
        allocations_payable=payable,
        members=[
            MemberShare(
                member.number,
                capital_share,
                service_share,
                Destination.PAYABLE if member.left else Destination.SUKARELA,
            )
            for member, capital_share, service_share in zip(members, capital, service, strict=True)
        ],
    )
