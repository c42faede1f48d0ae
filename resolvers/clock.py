"""Time in the city's zone: business days and monthly periods are Asia/Jakarta."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(JAKARTA).date()


def month_start(period: str) -> datetime:
    """The first instant of a "YYYY-MM" month in Jakarta."""
    return datetime.combine(date.fromisoformat(period + "-01"), time(), JAKARTA)
