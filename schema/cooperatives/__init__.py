"""GraphQL types of cooperatives, memberships, savings and the books."""

from schema.cooperatives import (
    book_year,
    books,
    cooperative,
    deposits,
    loan_groups,
    opening,
    rat,
    savings,
)
from schema.cooperatives.books import JournalEntry
from schema.cooperatives.cooperative import Cooperative, Membership
from schema.cooperatives.savings import viewer_facts

__all__ = [
    "Cooperative",
    "JournalEntry",
    "Membership",
    "book_year",
    "books",
    "cooperative",
    "deposits",
    "loan_groups",
    "opening",
    "rat",
    "savings",
    "viewer_facts",
]
