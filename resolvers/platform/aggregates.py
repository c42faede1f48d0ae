"""Values of SQL aggregates as both databases hand them back."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

Day = TypeVar("Day", date, datetime)


def aggregated(value: Day | str | None, kind: type[Day]) -> Day | None:
    """A MIN or MAX of a date or datetime column: SQLite hands it back as ISO text."""
    return kind.fromisoformat(value) if isinstance(value, str) else value
