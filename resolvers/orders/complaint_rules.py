"""Pure complaint rules: which steps a complaint may take, and by whom."""

from __future__ import annotations

from enum import StrEnum

from models.orders import ComplaintStatus

C = ComplaintStatus
# Open: the order waits for it; it neither completes nor counts down to completing.
OPEN = frozenset({C.OPEN, C.RETURN_REQUESTED, C.RETURN_SHIPPED, C.ESCALATED})
ENDED = frozenset({C.REFUNDED, C.CLOSED})
TEXT_LENGTH = (10, 2000)
MAX_NOTE = 1000


class Party(StrEnum):
    BUYER = "BUYER"
    SELLER = "SELLER"
    ADMIN = "ADMIN"  # a marketplace admin
    SYSTEM = "SYSTEM"  # the order completed


STEPS: dict[tuple[ComplaintStatus, ComplaintStatus], Party] = {
    (C.OPEN, C.REFUNDED): Party.SELLER,
    (C.OPEN, C.RETURN_REQUESTED): Party.SELLER,
    (C.OPEN, C.REJECTED): Party.SELLER,
    (C.OPEN, C.ESCALATED): Party.BUYER,  # only once respondBy has passed
    (C.RETURN_REQUESTED, C.RETURN_SHIPPED): Party.BUYER,
    (C.RETURN_SHIPPED, C.REFUNDED): Party.SELLER,
    (C.REJECTED, C.ESCALATED): Party.BUYER,
    (C.REJECTED, C.CLOSED): Party.SYSTEM,
    (C.ESCALATED, C.REFUNDED): Party.ADMIN,
    (C.ESCALATED, C.CLOSED): Party.ADMIN,
}


def can_step(current: ComplaintStatus, target: ComplaintStatus, party: Party) -> bool:
    return STEPS.get((current, target)) == party
