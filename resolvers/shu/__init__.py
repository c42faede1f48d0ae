"""SHU: a closed year's figures from the books, members' shares, and the distribution."""

from resolvers.shu import books
from resolvers.shu.books import ShuInput, post_distribution

__all__ = ["ShuInput", "books", "post_distribution"]
