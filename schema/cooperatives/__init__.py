"""GraphQL types of cooperatives, memberships, savings and the books."""

from schema.cooperatives import cooperative, savings
from schema.cooperatives.cooperative import Cooperative, Membership
from schema.cooperatives.savings import viewer_facts

__all__ = ["Cooperative", "Membership", "cooperative", "savings", "viewer_facts"]
