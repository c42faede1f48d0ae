"""GraphQL types of cooperatives, memberships, savings and the books."""

from schema.cooperatives import cooperative, savings
from schema.cooperatives.books import JournalEntry
from schema.cooperatives.cooperative import Cooperative, Membership
from schema.cooperatives.savings import viewer_facts

__all__ = ["Cooperative", "JournalEntry", "Membership", "cooperative", "savings", "viewer_facts"]
