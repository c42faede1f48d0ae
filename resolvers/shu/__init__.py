"""SHU: a closed year's figures from the books, members' shares, and the distribution."""

from resolvers.shu import books, rat_package
from resolvers.shu.books import ShuInput, post_distribution
from resolvers.shu.payout import (
    AllocationFund,
    PayoutTarget,
    pay_shu_payable,
    use_allocation_fund,
)

__all__ = [
    "AllocationFund",
    "PayoutTarget",
    "ShuInput",
    "books",
    "pay_shu_payable",
    "post_distribution",
    "rat_package",
    "use_allocation_fund",
]
