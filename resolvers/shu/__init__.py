"""SHU: a closed year's figures from the books, members' shares, and the distribution."""

from resolvers.shu import books
from resolvers.shu.books import ShuInput, post_distribution
from resolvers.shu.payout import PayoutTarget, pay_shu_payable
from resolvers.shu.shares import percent_bps

__all__ = [
    "PayoutTarget",
    "ShuInput",
    "books",
    "pay_shu_payable",
    "percent_bps",
    "post_distribution",
]
