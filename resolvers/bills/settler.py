"""A bill's settlement: the credit side of the journal entry that pays it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from models.bills import Bill
from models.cooperatives import EntryKind
from resolvers.cooperatives import Line


@dataclass(frozen=True)
class Settlement:
    kind: EntryKind
    description: str
    credits: list[Line]


# What paying a bill on a Jakarta date credits, recorded in the caller's transaction.
Settler = Callable[[Bill, date], Awaitable[Settlement]]
