"""Who sees which field of a movement of a member's savings: the one place that says it.

The cooperative's live feed, its replay and `node(id:)` show every movement to every follower
(its active members and pengurus) for what moved, how much and when, by design; whose savings
moved, their balance and the movement's details (a bill's customer number and name, a
teller's note) only to that member and the cooperative's pengurus (personal data, UU PDP
27/2022).
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Any

from resolvers.cooperatives.books import MemberLine
from resolvers.cooperatives.cooperative import CoopViewer, can_view_transaction


class Audience(Enum):
    COOPERATIVE = "every follower of the cooperative's feed"
    MEMBER_AND_PENGURUS = "the member whose savings moved and the cooperative's pengurus"


FIELD_AUDIENCE: dict[str, Audience] = {
    "id": Audience.COOPERATIVE,
    "cooperative_id": Audience.COOPERATIVE,
    "kind": Audience.COOPERATIVE,
    "account": Audience.COOPERATIVE,
    "amount": Audience.COOPERATIVE,
    "created_at": Audience.COOPERATIVE,
    # Generic per kind of movement: Journal.post's callers write no details into it.
    "description": Audience.COOPERATIVE,
    "membership_id": Audience.MEMBER_AND_PENGURUS,
    "member_number": Audience.MEMBER_AND_PENGURUS,
    "balance_after": Audience.MEMBER_AND_PENGURUS,
    "note": Audience.MEMBER_AND_PENGURUS,
}
_PRIVATE: dict[str, Any] = {
    name: None for name, a in FIELD_AUDIENCE.items() if a is Audience.MEMBER_AND_PENGURUS
}


def seen_by(who: CoopViewer, line: MemberLine) -> MemberLine:
    """The line as `who` may see it: whole for its member and the pengurus, otherwise with
    every field meant for them alone set to None."""
    if can_view_transaction(who, line):
        return line
    return replace(line, **_PRIVATE)
