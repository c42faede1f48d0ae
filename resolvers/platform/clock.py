"""The one clock every rule reads, in the city's zone: business days and monthly periods are
Asia/Jakarta.

In the sandbox (`TEST_CLOCK`) the clock runs whole days ahead of the wall clock. The offset
a piece of code sees is its context's: the composition root lets each request and sweep
follow its process's `SharedOffset` (re-read from the database), and an advance runs each
day's sweeps `ahead` by that day's offset. Outside any of these the clock is the real one.
"""

from __future__ import annotations

import calendar
import time as wall
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from models.platform import CLOCK_ROW, ClockOffset, use_clock

JAKARTA = ZoneInfo("Asia/Jakarta")


class Offset(Protocol):
    @property
    def days(self) -> int: ...


@dataclass(frozen=True)
class Fixed:
    days: int


class SharedOffset:
    """The test clock's offset as this process last read it from the database, where every
    worker and host shares it."""

    def __init__(self) -> None:
        self.days = 0
        self.read_at = float("-inf")  # monotonic seconds

    async def refresh(self, max_age: float = 0.0) -> int:
        """Read the offset again unless it was read less than `max_age` seconds ago."""
        if wall.monotonic() - self.read_at >= max_age:
            row = await ClockOffset.get_or_none(id=CLOCK_ROW)
            self.seen(row.offset_days if row else 0)
        return self.days

    def seen(self, days: int) -> None:
        """Take `days` as the offset; an older reading never moves it back."""
        self.days = max(self.days, days)
        self.read_at = wall.monotonic()


_offset: ContextVar[Offset | None] = ContextVar("clock_offset", default=None)


def real_now() -> datetime:
    """The wall clock, for what a test clock must not age: sessions and one-time codes."""
    return datetime.now(UTC)


def offset_days() -> int:
    """Whole days this context's clock runs ahead of the wall clock (0 but in the sandbox)."""
    offset = _offset.get()
    return offset.days if offset is not None else 0


def now() -> datetime:
    return real_now() + timedelta(days=offset_days())


def today() -> date:
    return now().astimezone(JAKARTA).date()


@contextmanager
def following(offset: Offset) -> Iterator[None]:
    """Run the block on the clock `offset` says (a request or sweep of a sandbox)."""
    token = _offset.set(offset)
    try:
        yield
    finally:
        _offset.reset(token)


def ahead(days: int) -> AbstractContextManager[None]:
    """Run the block with the clock `days` whole days ahead of the wall clock."""
    return following(Fixed(days))


# Columns stamped on save (`created_at`) read this clock too.
use_clock(now)


def month_start(period: str) -> datetime:
    """The first instant of a "YYYY-MM" month in Jakarta."""
    return datetime.combine(date.fromisoformat(period + "-01"), time(), JAKARTA)


def last_months(count: int, until: date) -> list[str]:
    """The `count` months up to and including `until`'s, oldest first, as "YYYY-MM"."""
    year, month = until.year, until.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


# The Jakarta month of a timestamp column, per dialect: Jakarta is UTC+7 all year round.
MONTH_SQL = {
    "sqlite": "strftime('%Y-%m', {column}, '+7 hours')",
    "postgres": "to_char({column} AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM')",
}


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months, on the same day or the month's last when it is shorter."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
