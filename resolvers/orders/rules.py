"""Pure order rules: who may move an order from one status to another, and order numbers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from models.orders import OrderStatus
from resolvers.platform import JAKARTA


class Actor(StrEnum):
    BUYER = "BUYER"
    SELLER = "SELLER"
    # Payment confirmations, expiry, auto-completion and the end of a complaint.
    SYSTEM = "SYSTEM"


S = OrderStatus
MOVES: dict[tuple[OrderStatus, OrderStatus], frozenset[Actor]] = {
    (S.PENDING_PAYMENT, S.PROCESSING): frozenset({Actor.SYSTEM}),
    (S.PENDING_PAYMENT, S.CANCELLED): frozenset({Actor.BUYER, Actor.SYSTEM}),
    (S.PROCESSING, S.SHIPPED): frozenset({Actor.SELLER}),
    (S.PROCESSING, S.CANCELLED): frozenset({Actor.BUYER}),
    (S.SHIPPED, S.DELIVERED): frozenset({Actor.SELLER}),
    # The buyer confirms receipt; the seller and the sweep once autoCompleteAt has passed.
    (S.DELIVERED, S.COMPLETED): frozenset({Actor.SELLER, Actor.BUYER, Actor.SYSTEM}),
    # A complaint that ends (REFUNDED or CLOSED) completes its order, delivered or not.
    (S.SHIPPED, S.COMPLETED): frozenset({Actor.SYSTEM}),
}


def can_move(current: OrderStatus, target: OrderStatus, actor: Actor) -> bool:
    return actor in MOVES.get((current, target), frozenset())


def order_number(created_at: datetime, order_id: int) -> str:
    """`SP-YYMM-NNNNNN`: the month the order was placed (Jakarta time) and its id."""
    return f"SP-{created_at.astimezone(JAKARTA):%y%m}-{order_id:06d}"
